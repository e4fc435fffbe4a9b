/// One parameter a sweep varies, resolved against the data set, with its values.
public struct SweepParameter: Sendable, Codable, Hashable {
  /// What a sweep parameter scales (or, for `delay`, shifts).
  public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
    /// Capacity scale factor of a producer, country, item or producer–item.
    case capacity
    /// Ramp-up delay in months.
    case delay
    /// Scale factor of a market's supply.
    case market
    /// Scale factor of a funder's budget.
    case budget
    /// Scale factor of demand of a class, consumer (or item).
    case demand
  }

  /// What the parameter varies.
  public let kind: Kind
  /// The parameter as reports and CSV headers name it: "capacity[producer=nitrochemie-aschau,item=charge-155]".
  public let label: String
  /// "capacity-nitrochemie-aschau-charge-155": the label as a folder name, so that an ad-hoc
  /// sweep's default folder says what it varies.
  public let slug: String
  /// The values swept, in order: scale factors, or months of delay for `delay`.
  public let values: [Double]
  let producers: EntitySet<Producer>
  let items: EntitySet<Item>?
  let market: MarketIndex?
  let funder: FunderIndex?
  let consumers: EntitySet<Consumer>
  let keys: [Demand.Key]?

  /// The unit of the values, for reports: "× capacity", "months".
  public var unit: String {
    switch kind {
    case .capacity: return "× capacity"
    case .delay: return "months of delay"
    case .market: return "× supply"
    case .budget: return "× budget"
    case .demand: return "× demand"
    }
  }

  /// The scenario change that sets this parameter to `value`.
  public func change(_ value: Double, horizon: Horizon) -> ScenarioChange {
    let all = PeriodRange(from: 0, until: horizon.periods)
    switch kind {
    case .capacity: return .scaleCapacity(producers: producers, items: items, factor: value, periods: all)
    case .delay: return .delayRampUp(producers: producers, items: items, periods: horizon.periods(forMonths: value))
    case .market: return .scaleMarket(market: market ?? MarketIndex(0), items: items, factor: value, periods: all)
    case .budget: return .scaleBudget(funder: funder ?? FunderIndex(0), factor: value, periods: all)
    case .demand: return .scaleDemand(consumers: consumers, keys: keys, factor: value, periods: all)
    }
  }

  /// The demands the parameter reaches: the end items made from what it scales or delays
  /// (through bills of materials), the demand it scales; `nil` for a budget, which can buy
  /// anything its funder pays for.
  public func demandKeys(in model: PlanningModel) -> [Demand.Key]? {
    var reached = EntitySet<Item>()
    switch kind {
    case .capacity, .delay:
      for p in producers {
        for product in model.producers[p].products where items?.contains(product.item) ?? true {
          reached.formUnion(model.endItems(using: product.item))
        }
      }
    case .market:
      guard let m = market else { return [] }
      for supply in model.markets[m].supplies where items?.contains(supply.item) ?? true {
        reached.formUnion(model.endItems(using: supply.item))
      }
    case .budget:
      return nil
    case .demand:
      if let keys { return keys }
      return nil
    }
    var keys: [Demand.Key] = []
    for i in reached {
      for key in model.demandKeys(metBy: i) where !keys.contains(key) { keys.append(key) }
    }
    return keys.sorted()
  }

  /// Why the parameter means nothing in `model` (scenarios applied), or `nil`: a sweep over
  /// something the scenarios removed is an error, not a flat line.
  public func problem(in model: PlanningModel) -> String? {
    switch kind {
    case .capacity, .delay:
      let any = producers.contains { p in
        model.producers[p].products.contains { (items?.contains($0.item) ?? true) && $0.capacity.contains { $0 > 0 } }
      }
      return any ? nil : "\(label): the scenarios leave no capacity to \(kind == .delay ? "delay" : "scale")"
    case .market:
      guard let m = market else { return "\(label): no market" }
      let any = model.markets[m].supplies.contains {
        (items?.contains($0.item) ?? true) && $0.limit.contains { $0 > 0 }
      }
      return any ? nil : "\(label): the scenarios leave this market no supply to scale"
    case .budget:
      guard let f = funder else { return "\(label): no funder" }
      return model.funders[f].budget.contains { $0 > 0 }
        ? nil : "\(label): the scenarios leave this funder no budget to scale"
    case .demand:
      let any = consumers.contains { k in
        model.consumers[k].active
          && model.consumers[k].demand.contains { (keys?.contains($0.key) ?? true) && $0.quantity.contains { $0 > 0 } }
      }
      return any ? nil : "\(label): no active consumer with this demand after the scenarios (was it removed?)"
    }
  }
}

/// A sweep: scenarios and a policy, and one parameter (a line) or two (a grid).
public struct SweepSpec: Sendable, Codable, Hashable {
  /// The sweep's name: `NAME` of its `[sweep.NAME]` table, or for a command-line sweep the
  /// parameters' slugs joined with `-by-`.
  public let name: String
  /// What the sweep explores, in a sentence; empty when none is given, as on the command line.
  public let description: String
  /// Scenario names applied before the sweep, in order; each may join several with `+`.
  public let scenarios: [String]
  /// The allocation policy; `nil` uses the data set's.
  public let policy: AllocationPolicy?
  /// One parameter (a line of points) or two (a grid).
  public let parameters: [SweepParameter]

  /// A sweep called `name` of `parameters`, on the model with `scenarios` applied, under `policy`.
  public init(
    name: String, description: String, scenarios: [String], policy: AllocationPolicy?, parameters: [SweepParameter]
  ) {
    self.name = name
    self.description = description
    self.scenarios = scenarios
    self.policy = policy
    self.parameters = parameters
  }

  /// The most points a sweep may have, a grid's included: each is a solve, its row kept in
  /// memory and in the journal `--resume` reads.
  public static let maxPoints = 100_000

  /// Why a grid of `parameters` is too large to run, if it is: its points are the product of
  /// the parameters' (each of which may have up to `maxPoints`).
  public static func gridProblem(_ parameters: [SweepParameter]) -> String? {
    let count = parameters.reduce(1.0) { $0 * Double($1.values.count) }
    guard count > Double(maxPoints) else { return nil }
    let sizes = parameters.map { "\($0.values.count)" }.joined(separator: " × ")
    return
      "the grid has \(sizes) = \(Int(count)) points; expected at most 100,000 in all (fewer values or a larger step)"
  }

  /// Every point: one value per parameter, the second parameter varying fastest.
  public var points: [[Double]] {
    guard let first = parameters.first else { return [] }
    if parameters.count == 1 { return first.values.map { [$0] } }
    return first.values.flatMap { a in parameters[1].values.map { b in [a, b] } }
  }

  /// A fingerprint of everything that determines the results, so `--resume` refuses to
  /// mix points of different sweeps.
  public func fingerprint(model: PlanningModel) -> String {
    var h = SHA256()
    h.update(model.contentHash)
    h.update(scenarios.joined(separator: "+"))
    h.update(policy?.rawValue ?? "default")
    for p in parameters {
      h.update(p.label)
      h.update(p.values.map { "\($0)" }.joined(separator: ","))
    }
    return h.finalize()
  }
}

extension SweepSpec {
  /// The same sweep run over other scenarios or under another policy (command-line
  /// overrides); `nil` keeps the sweep's own.
  public func overriding(scenarios: [String]? = nil, policy: AllocationPolicy? = nil) -> SweepSpec {
    SweepSpec(
      name: name, description: description, scenarios: scenarios ?? self.scenarios, policy: policy ?? self.policy,
      parameters: parameters)
  }
}

/// Reads sweep parameters from `sweeps.toml` or from the command line.
public enum SweepReader {
  /// Parses a command-line parameter such as
  /// `capacity producer=nitrochemie-aschau item=charge-155 from=0.5 to=2 step=0.1`
  /// (or `values=0.5;1;1.5`).
  ///
  /// Problems are thrown with `--param N` as the file.
  public static func parameter(_ text: String, index: Int, model: PlanningModel) throws(InputErrors) -> SweepParameter {
    let log = ProblemLog()
    let name = "--param \(index + 1)"
    var words = text.split(separator: " ").map(String.init)
    var table: [String: TOMLNode] = [:]
    if let first = words.first, !first.contains("=") {
      table["kind"] = .string(first)
      words.removeFirst()
    }
    for word in words {
      let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty else {
        log.add(file: name, value: word, "expected key=value, as in producer=nitrochemie-aschau", as: .syntax)
        continue
      }
      let (key, value) = (parts[0], parts[1])
      if key == "values" {
        let cells = value.split(separator: ";").map(String.init)
        table[key] = .array(
          cells.map { Int($0).map(TOMLNode.integer) ?? Double($0).map(TOMLNode.float) ?? .string($0) })
      } else if ["from", "to", "step"].contains(key), let i = Int(value) {
        table[key] = .integer(i)
      } else if ["from", "to", "step"].contains(key), let d = Double(value) {
        table[key] = .float(d)
      } else {
        table[key] = .string(value)
      }
    }
    let file = TOMLFile(name: name, root: table, text: "")
    let reader = TableReader(root: file, log: log)
    let p = parameter(reader, model: model)
    try log.throwIfAny()
    guard let p else { throw InputErrors([InputProblem(.file, file: name, message: "could not be read")]) }
    return p
  }

  /// Reads one `[[sweep.NAME.parameter]]` (or command-line) table.
  ///
  /// Without `readsValues` (an uncertain source, which has a distribution instead) the
  /// parameter has no values.
  static func parameter(_ t: TableReader, model: PlanningModel, readsValues: Bool = true) -> SweepParameter? {
    guard let kind = t.choice("kind", as: SweepParameter.Kind.self, required: true) else { return nil }
    let values = readsValues ? readValues(t) : []
    var labelParts: [String] = []
    var producers = EntitySet<Producer>()
    var items: EntitySet<Item>?
    var market: MarketIndex?
    var funder: FunderIndex?
    var consumers = EntitySet<Consumer>()
    var keys: [Demand.Key]?
    switch kind {
    case .capacity, .delay:
      producers = selectedProducers(t, model: model, label: &labelParts)
      items = ids(t, "item", { model.itemIndex($0) }, what: "item", label: &labelParts)
      let matches = producers.contains { p in model.producers[p].products.contains { items?.contains($0.item) ?? true }
      }
      if t.log.isEmpty && !matches {
        t.problem(nil, "matches no producer's product; check producer, country and item", as: .inconsistent)
      }
    case .market:
      guard let id = t.string("market", required: true) else { return nil }
      market = model.marketIndex(id)
      if market == nil { t.problem("market", value: "\"\(id)\"", "unknown market", as: .unknownReference) }
      labelParts.append("market=\(id)")
      items = ids(t, "item", { model.itemIndex($0) }, what: "item", label: &labelParts)
    case .budget:
      guard let id = t.string("funder", required: true) else { return nil }
      funder = model.funderIndex(id)
      if funder == nil { t.problem("funder", value: "\"\(id)\"", "unknown funder", as: .unknownReference) }
      labelParts.append("funder=\(id)")
    case .demand:
      (consumers, keys) = selectedDemand(t, model: model, label: &labelParts)
    }
    t.rejectUnknownKeys()
    guard let values else { return nil }
    let label = "\(kind.rawValue)[\(labelParts.joined(separator: ","))]"
    let words = [kind.rawValue] + labelParts.map { $0.split(separator: "=", maxSplits: 1).last.map(String.init) ?? "" }
    let slug = String(
      words.joined(separator: "-").map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
    return SweepParameter(
      kind: kind, label: label, slug: slug, values: values, producers: producers, items: items, market: market,
      funder: funder,
      consumers: consumers, keys: keys)
  }

  /// The entities listed under `key` (nil if it is absent); unknown ids are reported, and
  /// `key=id+id` joins the label.
  private static func ids<E>(
    _ t: TableReader, _ key: String, _ lookup: (String) -> EntityIndex<E>?, what: String, label: inout [String]
  ) -> EntitySet<E>? {
    guard let list = t.strings(key) else { return nil }
    var out = EntitySet<E>()
    for id in list {
      if let i = lookup(id) {
        out.insert(i)
      } else {
        t.problem(key, value: "\"\(id)\"", "unknown \(what)", as: .unknownReference)
      }
    }
    label.append("\(key)=\(list.joined(separator: "+"))")
    return out
  }

  /// Producers a capacity or delay parameter selects by `producer` and `country` (all if neither).
  private static func selectedProducers(
    _ t: TableReader, model: PlanningModel, label: inout [String]
  ) -> EntitySet<Producer> {
    var producers = EntitySet(model.producers.indices)
    if let ps = ids(t, "producer", { model.producerIndex($0) }, what: "producer", label: &label) {
      producers.formIntersection(ps)
    }
    if let cs = t.strings("country") {
      let countries = Set(
        cs.compactMap { model.countryIndex($0) } + cs.flatMap { c in model.groups.first { $0.id == c }?.members ?? [] })
      for c in cs where model.countryIndex(c) == nil && !model.groups.contains(where: { $0.id == c }) {
        t.problem("country", value: "\"\(c)\"", "unknown country or group", as: .unknownReference)
      }
      producers = producers.filter { countries.contains(model.producers[$0].country) }
      label.append("country=\(cs.joined(separator: "+"))")
    }
    return producers
  }

  /// Consumers a demand parameter selects by `consumer` and `class`, and the demand keys
  /// (items or substitution groups) it scales, nil for all.
  private static func selectedDemand(
    _ t: TableReader, model: PlanningModel, label: inout [String]
  ) -> (EntitySet<Consumer>, [Demand.Key]?) {
    var consumers = EntitySet(model.consumers.indices)
    var keys: [Demand.Key]?
    if let ks = ids(t, "consumer", { model.consumerIndex($0) }, what: "consumer", label: &label) {
      consumers.formIntersection(ks)
    }
    if let c = t.choice("class", as: ConsumerClass.self) {
      consumers = consumers.filter { model.consumers[$0].consumerClass == c }
      label.append("class=\(c.rawValue)")
    }
    if let list = t.strings("item") {
      var set = Set<Demand.Key>()
      for id in list {
        if let i = model.itemIndex(id) {
          set.insert(.item(i))
        } else if let g = model.substitutes.firstIndex(where: { $0.id == id }) {
          set.insert(.group(g))
        } else {
          t.problem("item", value: "\"\(id)\"", "unknown item or substitution group", as: .unknownReference)
        }
      }
      keys = set.sorted()
      label.append("item=\(list.joined(separator: "+"))")
    }
    if t.log.isEmpty && consumers.isEmpty {
      t.problem(nil, "matches no consumer; check consumer and class", as: .inconsistent)
    }
    return (consumers, keys)
  }

  /// `values = [...]`, or `from`, `to` and `step` (inclusive of `to` within rounding).
  static func readValues(_ t: TableReader) -> [Double]? {
    // Scale factors and delays are never negative; delays are months, at most 600.
    let minimum = 0.0
    let maximum: Double? = {
      if case .string("delay")? = t.table["kind"] { return 600 }
      return Limits.factor
    }()
    let range = ["from", "to", "step"].filter(t.has)
    if t.has("values"), !range.isEmpty {
      t.problem(
        "values", "expected either values or from, to and step, not both (\(range.joined(separator: ", ")) given too)",
        as: .inconsistent)
      for key in range { t.markUsed(key) }
    }
    if t.has("values") {
      guard case .array(let a)? = t.table["values"] else {
        t.problem("values", "expected an array of numbers", as: .wrongType)
        t.markUsed("values")
        return nil
      }
      t.markUsed("values")
      var out: [Double] = []
      for (n, v) in a.enumerated() {
        if let d = t.checkNumber(v, key: "values[\(n)]", min: minimum, max: maximum) { out.append(d) }
      }
      if a.isEmpty { t.problem("values", "the list of values is empty; expected at least one value", as: .missing) }
      return out.isEmpty || out.count < a.count ? nil : out
    }
    // All three are read before any is judged, so one bad figure hides no other.
    let from = t.number("from", required: true, min: minimum, max: maximum)
    let to = t.number("to", required: true, min: minimum, max: maximum)
    let step = t.number("step", required: true, above: 0)
    guard let from, let to, let step else { return nil }
    guard to >= from else {
      t.problem("to", value: "\(to)", "the range is empty: to must be ≥ from (\(from))", as: .inconsistent)
      return nil
    }
    let steps = ((to - from) / step + 1e-9).rounded(.down)
    guard steps.isFinite, steps < Double(SweepSpec.maxPoints) else {
      t.problem("step", value: "\(step)", "gives more than 100,000 points; expected at most 100,000", as: .limit)
      return nil
    }
    let count = Int(steps) + 1
    // Computed from the index (not by repeated addition) so values are exact to print.
    return (0..<count).map { from + Double($0) * step }.map { ($0 * 1e9).rounded() / 1e9 }
  }
}

extension ModelBuilder {
  /// `[sweep.NAME]` tables in `sweeps.toml`: description, scenarios, policy, parameters.
  func sweeps(for model: PlanningModel, scenarios: [Scenario]) -> [SweepSpec] {
    guard let file = tomlFile(.sweeps) else { return [] }
    let root = TableReader(root: file, log: log)
    guard let table = root.subtable("sweep") else {
      root.rejectUnknownKeys()
      return []
    }
    let known = Set(scenarios.map(\.name))
    var out: [SweepSpec] = []
    for name in table.table.keys.sorted() {
      guard let t = table.subtable(name, label: "sweep \"\(name)\"") else { continue }
      // The name becomes a folder (Reports/sweep-NAME): no separators, no "..".
      if let why = Identifier.problem(name) {
        table.problem(name, value: "\"\(name)\"", "is not a usable sweep name: \(why)", as: .invalidValue)
        continue
      }
      let runs = t.strings("scenarios") ?? ["baseline"]
      for run in runs {
        for part in run.split(separator: "+") where !known.contains(String(part)) {
          t.problem("scenarios", value: "\"\(part)\"", "unknown scenario", as: .unknownReference)
        }
      }
      let policy = t.choice("policy", as: AllocationPolicy.self)
      let parameters = t.tables("parameter", singular: "parameter").compactMap {
        SweepReader.parameter($0, model: model)
      }
      if parameters.isEmpty || parameters.count > 2 {
        t.problem("parameter", "expected one or two [[sweep.\(name).parameter]] tables", as: .missing)
      } else if let problem = SweepSpec.gridProblem(parameters) {
        t.problem("parameter", problem, as: .limit)
      }
      out.append(
        SweepSpec(
          name: name, description: t.string("description") ?? "", scenarios: runs, policy: policy,
          parameters: parameters))
      t.rejectUnknownKeys()
    }
    root.rejectUnknownKeys()
    return out
  }
}
