import Formulation
import LinearProgram
import Optimizer
import PlanningModel

/// A binding limit in planner words, with what relaxing it is worth and over what range.
public struct Bottleneck: Sendable, Hashable {
  /// Consecutive periods in which the limit binds with the same value.
  public struct Span: Sendable, Hashable {
    public let from: Int
    public let to: Int
    /// Units of demand covered per extra unit of the limit, in each period of the span:
    /// the principal effect (the item it mainly buys, in that item's unit). Other effects,
    /// possibly in other units, are in `effects`; items are never added across units.
    public let value: Double
    /// How far the limit can rise (and fall) with the value unchanged: the smallest such
    /// allowance over the span's periods, from GLPK's ranging.
    public let rangeUp: Double
    public let rangeDown: Double
    /// The limit's level (capacity, budget…) in the span's first period.
    public let level: Double
    /// Objective units per unit (the raw dual or reduced cost).
    public let marginal: Double
    /// What the extra coverage is: (label, unit, units per extra unit of the limit).
    public let effects: [Effect]
    /// The basis changes as soon as the limit rises, so the tableau rate need not hold.
    public let degenerate: Bool
    /// When the value was measured by re-solving with the limit raised by this step (the
    /// average over the step), instead of read from the tableau.
    public let measuredStep: Double?
  }

  public struct Effect: Sendable, Hashable {
    /// "155 mm rounds" (an item, a substitution group, or "<item> stockpile").
    public let what: String
    /// The consumer whose demand is covered.
    public let consumer: String
    public let unit: String
    public let rate: Double

    public var label: String { "\(what) for \(consumer)" }
  }

  public let kind: LimitKind
  public let subject: Limit.Subject
  /// The first of its limits in the formulation: a stable order for equal values.
  public let firstLimit: Int
  /// "propellant charges, Nitrochemie Aschau"
  public let name: String
  /// What one unit of the limit is: "charges a month", "EUR million"
  public let limitUnit: String
  /// The stage (policy step) whose shadow prices these are.
  public let stage: String
  public let spans: [Span]
  /// The principal effect summed over the periods the limit binds: demand covered if the
  /// limit rose by one unit in every one of them.
  public let totalValue: Double
  /// The same in the weighted policy's currency, used for ranking across items.
  public let weightedValue: Double

  /// Whether any span's value is only indicative: degenerate and not measured.
  public var degenerate: Bool { spans.contains { $0.degenerate && $0.measuredStep == nil } }
  /// One unit of the limit: "charge set a month", "EUR million".
  public var perUnit: String {
    if let r = limitUnit.range(of: " a ") {
      return Self.singular(String(limitUnit[..<r.lowerBound])) + String(limitUnit[r.lowerBound...])
    }
    return limitUnit
  }

  /// "rounds" → "round", "bodies" → "body", "charge sets" → "charge set".
  public static func singular(_ unit: String) -> String {
    var words = unit.split(separator: " ").map(String.init)
    guard var last = words.last else { return unit }
    if last.hasSuffix("ies") {
      last = String(last.dropLast(3)) + "y"
    } else if last.hasSuffix("s") && !last.hasSuffix("ss") && last.count > 1 {
      last.removeLast()
    }
    words[words.count - 1] = last
    return words.joined(separator: " ")
  }

  /// The unit of `Span.value`: that of the principal effect (what one more unit mainly buys).
  public var valueUnit: String { spans.first?.effects.first?.unit ?? "units" }
}

extension PlanAnalysis {
  static func bottlenecks(_ f: Formulation, _ result: PlanResult, lines: [DemandLine]) -> [Bottleneck] {
    let m = f.model
    // What, for whom, unit and weight of each demand column.
    var columnInfo: [Int: (what: String, consumer: String, unit: String, weight: Double)] = [:]
    let lineByKey = Dictionary(lines.map { ("\($0.consumer)/\($0.demand)", $0) }, uniquingKeysWith: { a, _ in a })
    for (j, role) in f.columnRoles.enumerated() {
      switch role {
      case .shortfall(let k, let d, _):
        guard let line = lineByKey["\(k)/\(d)"] else { continue }
        columnInfo[j] = (line.name, m.consumers[k].name, line.unit, line.weight)
      case .targetGap(let k, let ti):
        let item = m.items[m.consumers[k].targets[ti].item]
        columnInfo[j] = ("\(item.name) stockpile", m.consumers[k].name, item.unit, item.weight * m.settings.stockpileWeight)
      default: continue
      }
    }
    var out: [Bottleneck] = []
    for stage in result.stages where !stage.sensitivity.isEmpty {
      // Group by limit subject; within a subject, by period.
      var bySubject: [Limit.Subject: [(t: Int, s: LimitSensitivity)]] = [:]
      for s in stage.sensitivity {
        let limit = f.limits[s.limit]
        bySubject[limit.subject, default: []].append((limit.t, s))
      }
      for (subject, entries) in bySubject {
        let sorted = entries.sorted { $0.t < $1.t }
        guard let first = sorted.first else { continue }
        let kind = f.limits[first.s.limit].kind
        var spans: [Bottleneck.Span] = []
        var total = 0.0
        var weighted = 0.0
        var current:
          (
            from: Int, to: Int, value: Double, up: Double, down: Double, level: Double, marginal: Double,
            effects: [Bottleneck.Effect], degenerate: Bool, step: Double?
          )?
        func effects(_ s: LimitSensitivity) -> [Bottleneck.Effect] {
          var byKey: [String: (what: String, consumer: String, unit: String, rate: Double)] = [:]
          for (j, rate) in s.effects {
            guard let info = columnInfo[j] else { continue }
            let key = "\(info.what)\u{1}\(info.consumer)"
            byKey[key, default: (info.what, info.consumer, info.unit, 0)].rate -= rate
          }
          // Largest effect first (what the extra unit mainly buys), then by name.
          return byKey.values.filter { abs($0.rate) > 1e-9 }
            .sorted { (abs($0.rate), $1.what, $1.consumer) > (abs($1.rate), $0.what, $0.consumer) }
            .map { Bottleneck.Effect(what: $0.what, consumer: $0.consumer, unit: $0.unit, rate: $0.rate) }
        }
        for (t, s) in sorted {
          let r = s.ranging
          // Ranging noise below 1e-9 of the level reads as zero.
          let noise = 1e-9 * max(1, abs(r.activity))
          let up = r.activityRange.upper - r.activity > noise ? r.activityRange.upper - r.activity : 0
          let down = r.activity - r.activityRange.lower > noise ? r.activity - r.activityRange.lower : 0
          let e = effects(s)
          let principal = e.first?.rate ?? s.covered
          total += principal
          weighted += s.effects.reduce(0) { $0 - $1.rate * (columnInfo[$1.column]?.weight ?? 1) }
          if var c = current, c.to == t - 1, abs(c.value - principal) <= 1e-6 * max(1, abs(principal)),
            c.effects.map(\.label) == e.map(\.label), c.degenerate == s.degenerate, (c.step == nil) == (s.measuredStep == nil)
          {
            c.to = t
            c.up = min(c.up, up)
            c.down = min(c.down, down)
            current = c
          } else {
            if let c = current {
              spans.append(
                .init(
                  from: c.from, to: c.to, value: c.value, rangeUp: c.up, rangeDown: c.down, level: c.level,
                  marginal: c.marginal, effects: c.effects, degenerate: c.degenerate, measuredStep: c.step))
            }
            current = (t, t, principal, up, down, r.activity, s.marginal, e, s.degenerate, s.measuredStep)
          }
        }
        if let c = current {
          spans.append(
            .init(
              from: c.from, to: c.to, value: c.value, rangeUp: c.up, rangeDown: c.down, level: c.level,
              marginal: c.marginal, effects: c.effects, degenerate: c.degenerate, measuredStep: c.step))
        }
        // Limits whose relaxation covers nothing this stage decides are not bottlenecks
        // of this stage (their dual comes from elsewhere, e.g. a held earlier stage).
        guard spans.contains(where: { abs($0.value) > 1e-9 }) else { continue }
        let (name, unit) = describe(subject, kind: kind, m)
        out.append(
          Bottleneck(
            kind: kind, subject: subject, firstLimit: first.s.limit, name: name, limitUnit: unit, stage: stage.stage.name,
            spans: spans.filter { abs($0.value) > 1e-9 }, totalValue: total, weightedValue: weighted))
      }
    }
    return out.sorted {
      ($0.weightedValue, $1.name, $1.stage, $1.firstLimit) > ($1.weightedValue, $0.name, $0.stage, $0.firstLimit)
    }
  }

  /// A limit in planner words, and the unit one step of it is counted in.
  static func describe(_ subject: Limit.Subject, kind: LimitKind, _ m: PlanningModel) -> (String, String) {
    let period = m.horizon.length.rawValue
    switch subject {
    case .product(let p, let k):
      let producer = m.producers[p]
      let item = m.items[producer.products[k].item]
      return ("\(item.name), \(producer.name)", "\(item.unit) a \(period)")
    case .line(let p, let l):
      let producer = m.producers[p]
      return ("\(producer.lines[l].name) line, \(producer.name)", "line units a \(period)")
    case .market(let mi, let s):
      let market = m.markets[mi]
      let item = m.items[market.supplies[s].item]
      return ("\(item.name) from \(market.name)", "\(item.unit) a \(period)")
    case .funder(let f):
      return ("budget of \(m.funders[f].name)", "EUR million")
    case .route(let r):
      return (m.routes[r].name, "units a \(period)")
    case .quota(let q):
      let quota = m.quotas[q]
      return ("quota \(quota.id) (\(quota.scope.from.text) → \(quota.scope.to.text))", "units a \(period)")
    case .expansion(let p, let e):
      let producer = m.producers[p]
      return ("expansion cap of \(producer.expansions[e].name), \(producer.name)", "units a \(period)")
    }
  }
}
