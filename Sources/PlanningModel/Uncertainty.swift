/// Uncertain inputs (`uncertainty.toml`): what `arsenal risk` draws and `arsenal hedge` weighs.
///
/// A source names what it varies with the selectors of a sweep parameter (docs/INPUTS.md)
/// and a distribution of the value: a multiplier of capacity, demand or market supply, or
/// months of delay of a ramp-up.
public struct UncertainSource: Sendable, Codable, Hashable {
  /// The distribution of a source's value when it deviates.
  public enum Distribution: Sendable, Codable, Hashable {
    /// Every value between `low` and `high` equally likely.
    case uniform(low: Double, high: Double)
    /// Most likely at `mode`, falling linearly to zero at `low` and `high`.
    case triangular(low: Double, mode: Double, high: Double)
    /// One of `values`, with probabilities proportional to `weights`.
    case discrete(values: [Double], weights: [Double])

    /// The value at cumulative probability `u` in [0, 1): the inverse of the distribution function.
    public func value(at u: Double) -> Double {
      switch self {
      case .uniform(let low, let high):
        return low + u * (high - low)
      case .triangular(let low, let mode, let high):
        let width = high - low
        guard width > 0 else { return low }
        let split = (mode - low) / width
        if u < split { return low + (u * width * (mode - low)).squareRoot() }
        return high - ((1 - u) * width * (high - mode)).squareRoot()
      case .discrete(let values, let weights):
        let total = weights.reduce(0, +)
        var cumulative = 0.0
        for (v, w) in zip(values, weights) {
          cumulative += w
          if u * total < cumulative { return v }
        }
        return values.last ?? 0
      }
    }

    /// The distribution's mean.
    public var mean: Double {
      switch self {
      case .uniform(let low, let high): return (low + high) / 2
      case .triangular(let low, let mode, let high): return (low + mode + high) / 3
      case .discrete(let values, let weights):
        let total = weights.reduce(0, +)
        return total > 0 ? zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / total : 0
      }
    }

    /// "uniform 0.7–1", "triangular 0.7–0.9–1", "one of 0.5, 0.75, 1".
    public var text: String {
      func f(_ x: Double) -> String { TableReader.format(x) }
      switch self {
      case .uniform(let low, let high): return "uniform \(f(low))–\(f(high))"
      case .triangular(let low, let mode, let high): return "triangular \(f(low))–\(f(mode))–\(f(high))"
      case .discrete(let values, let weights):
        let equal = Set(weights).count <= 1
        return "one of "
          + zip(values, weights).map { equal ? f($0.0) : "\(f($0.0)) (weight \(f($0.1)))" }.joined(
            separator: ", ")
      }
    }
  }

  /// The source's identifier, a column of `draws.csv`.
  public let name: String
  /// What the source varies (selectors only: a sweep parameter without values).
  public let parameter: SweepParameter
  /// The value's distribution when the source deviates.
  public let distribution: Distribution
  /// The probability that it deviates at all; otherwise its value is `neutral`.
  public let probability: Double

  /// The value that leaves the data set as it is: 1 for a multiplier, 0 months for a delay.
  public var neutral: Double { parameter.kind == .delay ? 0 : 1 }

  /// The value at cumulative probability `u` in [0, 1): `neutral` below 1 − `probability`,
  /// the distribution above it (so that one uniform number decides both).
  public func value(at u: Double) -> Double {
    let still = 1 - probability
    if u < still { return neutral }
    return distribution.value(at: min(max((u - still) / probability, 0), 0.999_999_999_999))
  }

  /// The expected value.
  public var mean: Double { (1 - probability) * neutral + probability * distribution.mean }
}

/// A named Monte Carlo study (`[risk.NAME]`): scenarios, draws, seed and the sources drawn.
public struct RiskStudy: Sendable, Codable, Hashable {
  /// The study's name; its report goes to `risk-NAME`.
  public let name: String
  /// What it asks, printed in its report.
  public let description: String
  /// The scenarios applied before every draw (each may join several with `+`).
  public let scenarios: [String]
  /// The allocation policy; `nil` uses the data set's.
  public let policy: AllocationPolicy?
  /// Draws of the study.
  public let draws: Int
  /// The seed: the same seed gives the same draws.
  public let seed: UInt64
  /// The sources drawn, in file order.
  public let sources: [UncertainSource]

  /// A study of `sources` over `scenarios`.
  public init(
    name: String, description: String, scenarios: [String], policy: AllocationPolicy?, draws: Int, seed: UInt64,
    sources: [UncertainSource]
  ) {
    self.name = name
    self.description = description
    self.scenarios = scenarios
    self.policy = policy
    self.draws = draws
    self.seed = seed
    self.sources = sources
  }

  /// The same study with other draws, seed, scenarios or policy (command-line overrides).
  public func overriding(
    draws: Int? = nil, seed: UInt64? = nil, scenarios: [String]? = nil, policy: AllocationPolicy? = nil
  ) -> RiskStudy {
    RiskStudy(
      name: name, description: description, scenarios: scenarios ?? self.scenarios, policy: policy ?? self.policy,
      draws: draws ?? self.draws, seed: seed ?? self.seed, sources: sources)
  }
}

/// A named hedging question (`[hedge.NAME]`): weighted scenario paths and the periods
/// whose decisions every path shares.
public struct HedgeStudy: Sendable, Codable, Hashable {
  /// The question's name; its report goes to `hedge-NAME`.
  public let name: String
  /// What it asks, printed in its report.
  public let description: String
  /// Scenarios applied under every path, before the path's own (each may join several with `+`).
  public let scenarios: [String]
  /// The paths: scenario names (each may join several with `+`).
  public let paths: [String]
  /// Each path's probability, summing to 1.
  public let probabilities: [Double]
  /// Periods from the start whose production, deliveries and investment decisions are
  /// common to every path (the first stage).
  public let firstPeriods: Int

  /// A question of `paths` weighted by `probabilities`.
  public init(
    name: String, description: String, scenarios: [String], paths: [String], probabilities: [Double],
    firstPeriods: Int
  ) {
    self.name = name
    self.description = description
    self.scenarios = scenarios
    self.paths = paths
    self.probabilities = probabilities
    self.firstPeriods = firstPeriods
  }
}

extension ModelBuilder {
  /// `uncertainty.toml`: `[[uncertain]]` sources, `[risk.NAME]` studies and `[hedge.NAME]`
  /// questions (docs/INPUTS.md).
  func uncertainty(model: PlanningModel, scenarios: [Scenario]) -> (
    sources: [UncertainSource], risks: [RiskStudy], hedges: [HedgeStudy]
  ) {
    guard let file = tomlFile(.uncertainty) else { return ([], [], []) }
    let root = TableReader(root: file, log: log)
    var sources: [UncertainSource] = []
    for t in root.tables("uncertain", singular: "uncertain") {
      guard let s = Self.source(t, model: model) else { continue }
      if sources.contains(where: { $0.name == s.name }) {
        t.problem("name", value: "\"\(s.name)\"", "two sources have this name; expected each once", as: .duplicate)
        continue
      }
      sources.append(s)
    }
    let known = Set(scenarios.map(\.name))
    var risks: [RiskStudy] = []
    if let table = root.subtable("risk") {
      for name in table.table.keys.sorted() {
        guard let t = table.subtable(name, label: "risk \"\(name)\"") else { continue }
        if let why = Identifier.problem(name) {
          table.problem(name, value: "\"\(name)\"", "is not a usable study name: \(why)", as: .invalidValue)
          continue
        }
        let runs = t.strings("scenarios") ?? ["baseline"]
        checkScenarios(runs, known: known, t, key: "scenarios")
        var chosen = sources
        if let names = t.strings("sources") {
          chosen = []
          for n in names {
            if let s = sources.first(where: { $0.name == n }) {
              chosen.append(s)
            } else {
              t.problem(
                "sources", value: "\"\(n)\"", "unknown source; expected a name of an [[uncertain]] table",
                as: .unknownReference)
            }
          }
        }
        if chosen.isEmpty { t.problem("sources", "the study draws nothing: no [[uncertain]] source", as: .missing) }
        let draws = t.integer("draws", min: 1, max: Limits.draws) ?? 1000
        let seed = t.integer("seed", min: 0) ?? 1
        risks.append(
          RiskStudy(
            name: name, description: t.string("description") ?? "", scenarios: runs,
            policy: t.choice("policy", as: AllocationPolicy.self), draws: draws, seed: UInt64(seed), sources: chosen))
        t.rejectUnknownKeys()
      }
    }
    var hedges: [HedgeStudy] = []
    if let table = root.subtable("hedge") {
      for name in table.table.keys.sorted() {
        guard let t = table.subtable(name, label: "hedge \"\(name)\"") else { continue }
        if let why = Identifier.problem(name) {
          table.problem(name, value: "\"\(name)\"", "is not a usable question name: \(why)", as: .invalidValue)
          continue
        }
        let runs = t.strings("scenarios") ?? []
        checkScenarios(runs, known: known, t, key: "scenarios")
        let paths = t.strings("paths", required: true) ?? []
        checkScenarios(paths, known: known, t, key: "paths")
        let probabilities = t.numbers("probabilities") ?? []
        if let problem = HedgeStudy.problem(paths: paths, probabilities: probabilities) {
          t.problem("probabilities", problem, as: .inconsistent)
        }
        let first = t.integer("first_periods", min: 0, max: horizon.periods) ?? 1
        hedges.append(
          HedgeStudy(
            name: name, description: t.string("description") ?? "", scenarios: runs, paths: paths,
            probabilities: probabilities, firstPeriods: first))
        t.rejectUnknownKeys()
      }
    }
    root.rejectUnknownKeys()
    return (sources, risks, hedges)
  }

  private func checkScenarios(_ runs: [String], known: Set<String>, _ t: TableReader, key: String) {
    for run in runs {
      for part in run.split(separator: "+") where !known.contains(String(part)) {
        t.problem(
          key, value: "\"\(part)\"", "unknown scenario; expected one defined in [scenario.NAME]",
          as: .unknownReference)
      }
    }
  }

  /// One `[[uncertain]]` table: name, the sweep parameter's kind and selectors, a
  /// distribution and the probability of deviating.
  static func source(_ t: TableReader, model: PlanningModel) -> UncertainSource? {
    let name = t.identifier("name")
    let isDelay: Bool = {
      if case .string("delay")? = t.table["kind"] { return true }
      return false
    }()
    // Multipliers up to 100× (a claim off by more is a data error); delays up to 50 years.
    let maximum = isDelay ? 600.0 : 100.0
    let probability = t.number("probability", min: 0, max: 1) ?? 1
    let distribution = Self.distribution(t, maximum: maximum)
    guard let parameter = SweepReader.parameter(t, model: model, readsValues: false) else { return nil }
    guard let name, let distribution else { return nil }
    return UncertainSource(name: name, parameter: parameter, distribution: distribution, probability: probability)
  }

  private static func distribution(_ t: TableReader, maximum: Double) -> UncertainSource.Distribution? {
    enum Kind: String, CaseIterable { case uniform, triangular, discrete }
    guard let kind = t.choice("distribution", as: Kind.self, required: true) else {
      for key in ["low", "mode", "high", "values", "weights"] { t.markUsed(key) }
      return nil
    }
    switch kind {
    case .uniform, .triangular:
      // Every key is read before any is judged, so one bad figure hides no other.
      let low = t.number("low", required: true, min: 0, max: maximum)
      let high = t.number("high", required: true, min: 0, max: maximum)
      let mode = kind == .triangular ? t.number("mode", required: true, min: 0, max: maximum) : nil
      guard let low, let high else { return nil }
      guard high >= low else {
        t.problem(
          "high", value: TableReader.format(high), "expected high ≥ low (\(TableReader.format(low)))",
          as: .inconsistent)
        return nil
      }
      if kind == .uniform { return .uniform(low: low, high: high) }
      guard let mode else { return nil }
      guard mode >= low && mode <= high else {
        t.problem(
          "mode", value: TableReader.format(mode),
          "expected low ≤ mode ≤ high (\(TableReader.format(low))–\(TableReader.format(high)))", as: .inconsistent)
        return nil
      }
      return .triangular(low: low, mode: mode, high: high)
    case .discrete:
      let given = t.numbers("weights")
      guard let values = t.numbers("values"), !values.isEmpty else {
        t.problem("values", "expected a non-empty array of numbers", as: .missing)
        return nil
      }
      var ok = true
      for v in values where !(v >= 0 && v <= maximum) {
        t.problem(
          "values", value: TableReader.format(v), "expected values from 0 to \(TableReader.format(maximum))",
          as: .invalidValue)
        ok = false
      }
      let weights = given ?? Array(repeating: 1, count: values.count)
      if weights.count != values.count {
        t.problem("weights", "expected one weight per value (\(values.count))", as: .inconsistent)
        ok = false
      } else if weights.contains(where: { !($0 >= 0) }) || !(weights.reduce(0, +) > 0) {
        t.problem("weights", "expected weights ≥ 0 with a positive sum", as: .invalidValue)
        ok = false
      }
      return ok ? .discrete(values: values, weights: weights) : nil
    }
  }
}

extension HedgeStudy {
  /// Why these paths and probabilities cannot be weighed, or `nil`.
  public static func problem(paths: [String], probabilities: [Double]) -> String? {
    if paths.count < 2 { return "expected at least two paths" }
    if Set(paths).count != paths.count { return "a path is listed twice; expected each once" }
    if probabilities.count != paths.count {
      return "expected one probability per path (\(paths.count)), found \(probabilities.count)"
    }
    if probabilities.contains(where: { !($0 > 0 && $0 <= 1) }) { return "expected probabilities above 0 and at most 1" }
    let sum = probabilities.reduce(0, +)
    if abs(sum - 1) > 1e-9 { return "the probabilities sum to \(TableReader.format(sum)); expected 1" }
    return nil
  }
}
