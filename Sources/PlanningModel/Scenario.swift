import Foundation

/// A named overlay on a base data set: changes applied in order.
///
/// Scenarios compose: `ceasefire-full`, then `reassurance-40k`, then `us-minimal` apply
/// their changes one after another to the same model. Changes never add or remove
/// entities (a consumer is activated or deactivated instead), so indices stay stable.
public struct Scenario: Sendable, Codable, Hashable {
  /// The name runs and reports use, such as `ceasefire-full` (`baseline` is the data set as it stands).
  public let name: String
  /// What the scenario assumes, in a sentence the reports print.
  public let description: String
  /// The changes, applied to the model in order.
  public let changes: [ScenarioChange]

  /// A scenario called `name` that applies `changes` in order.
  public init(name: String, description: String, changes: [ScenarioChange]) {
    self.name = name
    self.description = description
    self.changes = changes
  }
}

/// Scenario runs to report side by side (`arsenal reports` writes each comparison).
public struct Comparison: Sendable, Codable, Hashable {
  /// The comparison's name; its report goes to the folder `compare-NAME`.
  public let name: String
  /// What the comparison shows, printed in its report's title.
  public let description: String
  /// Each run is a scenario name or several joined with `+`.
  public let runs: [String]
}

/// A named investment question (`[investment.NAME]` in scenarios.toml) that `arsenal invest
/// NAME` and `arsenal reports` answer: goals to reach at least cost, on some scenarios.
public struct InvestmentQuestion: Sendable, Codable, Hashable {
  /// The question's name; its report goes to the folder `invest-NAME`.
  public let name: String
  /// What it asks, printed in its report.
  public let description: String
  /// The scenarios applied, in order (each may join several with `+`).
  public let scenarios: [String]
  /// The goals, as `arsenal invest --goal` reads them.
  public let goals: [String]
  /// EUR the portfolio may cost (the dual question), if given.
  public let budget: Double?
  /// Goal levels of the cost-coverage curve, as fractions (empty: none).
  public let curve: [Double]
}

/// A half-open range of periods a change applies to.
public struct PeriodRange: Sendable, Codable, Hashable {
  /// The first period the change applies to (0 is the horizon's first).
  public var from: Int
  /// The first period after the range: the change stops before it.
  public var until: Int

  /// Periods `from` up to, but not including, `until`.
  public init(from: Int, until: Int) {
    self.from = from
    self.until = until
  }

  func contains(_ t: Int) -> Bool { t >= from && t < until }
}

/// One change a scenario makes to the model, by model index, with periods counted from the
/// horizon's start.
public enum ScenarioChange: Sendable, Codable, Hashable {
  /// Multiply capacity of the selected producers (all their products and lines, or only
  /// the products of `items`).
  case scaleCapacity(producers: EntitySet<Producer>, items: EntitySet<Item>?, factor: Double, periods: PeriodRange)
  /// Replace one product's or line's capacity from period `from` on (units per period).
  case setCapacity(producer: ProducerIndex, target: Expansion.Target, perPeriod: Double, from: Int)
  /// Shift capacity schedules `periods` later: each period gets the capacity an earlier
  /// one had, the first periods keep the starting level.
  case delayRampUp(producers: EntitySet<Producer>, items: EntitySet<Item>?, periods: Int)
  case scaleDemand(consumers: EntitySet<Consumer>, keys: [Demand.Key]?, factor: Double, periods: PeriodRange)
  case scaleMarket(market: MarketIndex, items: EntitySet<Item>?, factor: Double, periods: PeriodRange)
  case scaleBudget(funder: FunderIndex, factor: Double, periods: PeriodRange)
  case setBudget(funder: FunderIndex, perPeriod: Double, from: Int)
  /// Appended after the data set's rules, so it overrides them.
  case eligibility(EligibilityRule)
  case quota(Quota)
  case setActive(consumer: ConsumerIndex, active: Bool)
  /// How hard the consumers fight in the periods (0 to 1): the share of their systems'
  /// attrition they suffer.
  case setCombat(consumers: EntitySet<Consumer>, intensity: Double, periods: PeriodRange)
  case stockpileTarget(consumer: ConsumerIndex, target: StockpileTarget)
  /// Multiply a consumer's priority (weighted policy).
  case scalePriority(consumers: EntitySet<Consumer>, factor: Double)
  /// Munitions only: no item is fired from a system or wears a part, nothing suffers
  /// attrition, and no consumer demands, holds, expects or targets a system or a part (the
  /// model as it stood before systems; producers keep their capacity, idle).
  case withoutSystems
}

extension PlanningModel {
  /// The model with `scenarios` applied in order.
  public func applying(_ scenarios: [Scenario]) -> PlanningModel {
    var m = self
    for s in scenarios {
      for c in s.changes { m.apply(c) }
    }
    return m
  }

  /// The model with `changes` applied in order (as a sweep applies a point's parameter values).
  public func applying(_ changes: [ScenarioChange]) -> PlanningModel {
    var m = self
    for c in changes { m.apply(c) }
    return m
  }

  mutating func apply(_ change: ScenarioChange) {
    switch change {
    case .scaleCapacity(let ps, let items, let factor, let range):
      for p in ps.sorted() where producers.indices.contains(p) {
        for k in producers[p].products.indices where items?.contains(producers[p].products[k].item) ?? true {
          scale(&producers[p].products[k].capacity, by: factor, in: range)
        }
        if items == nil {
          for l in producers[p].lines.indices { scale(&producers[p].lines[l].capacity, by: factor, in: range) }
        }
      }
    case .setCapacity(let p, let target, let value, let from):
      guard producers.indices.contains(p) else { return }
      switch target {
      case .item(let k):
        for t in max(0, from)..<horizon.periods { producers[p].products[k].capacity[t] = value }
      case .line(let k):
        for t in max(0, from)..<horizon.periods { producers[p].lines[k].capacity[t] = value }
      }
    case .delayRampUp(let ps, let items, let d):
      for p in ps.sorted() where producers.indices.contains(p) {
        for k in producers[p].products.indices where items?.contains(producers[p].products[k].item) ?? true {
          producers[p].products[k].capacity = Self.delayed(producers[p].products[k].capacity, by: d)
        }
        if items == nil {
          for l in producers[p].lines.indices {
            producers[p].lines[l].capacity = Self.delayed(producers[p].lines[l].capacity, by: d)
          }
        }
      }
    case .scaleDemand(let ks, let keys, let factor, let range):
      for k in ks.sorted() where consumers.indices.contains(k) {
        for d in consumers[k].demand.indices where keys?.contains(consumers[k].demand[d].key) ?? true {
          scale(&consumers[k].demand[d].quantity, by: factor, in: range)
        }
      }
    case .scaleMarket(let mi, let items, let factor, let range):
      guard markets.indices.contains(mi) else { return }
      for s in markets[mi].supplies.indices where items?.contains(markets[mi].supplies[s].item) ?? true {
        scale(&markets[mi].supplies[s].limit, by: factor, in: range)
      }
    case .scaleBudget(let f, let factor, let range):
      guard funders.indices.contains(f) else { return }
      scale(&funders[f].budget, by: factor, in: range)
    case .setBudget(let f, let value, let from):
      guard funders.indices.contains(f) else { return }
      for t in max(0, from)..<horizon.periods { funders[f].budget[t] = value }
    case .eligibility(let rule):
      rules.append(rule)
    case .quota(let q):
      quotas.append(q)
    case .setActive(let k, let active):
      guard consumers.indices.contains(k) else { return }
      consumers[k].active = active
    case .setCombat(let ks, let intensity, let range):
      for k in ks.sorted() where consumers.indices.contains(k) {
        for t in consumers[k].combat.indices where range.contains(t) { consumers[k].combat[t] = intensity }
      }
    case .stockpileTarget(let k, let target):
      guard consumers.indices.contains(k) else { return }
      consumers[k].targets.removeAll { $0.item == target.item && $0.period == target.period }
      consumers[k].targets.append(target)
      consumers[k].targets.sort { ($0.item, $0.period) < ($1.item, $1.period) }
    case .scalePriority(let ks, let factor):
      for k in ks.sorted() where consumers.indices.contains(k) { consumers[k].priority *= factor }
    case .withoutSystems:
      removeSystems()
    }
  }

  /// `withoutSystems`: the systems and parts that munitions are fired from or wear drop out
  /// of every consumer, and the couplings with them.
  private mutating func removeSystems() {
    let systems = systemItems
    for i in items.indices {
      items[i].firedFrom = nil
      items[i].wears = nil
      items[i].attrition = 0
    }
    for k in consumers.indices {
      consumers[k].demand.removeAll { if case .item(let i) = $0.key { systems.contains(i) } else { false } }
      consumers[k].targets.removeAll { systems.contains($0.item) }
      consumers[k].initialStock.removeAll { systems.contains($0.item) }
      consumers[k].scheduledArrivals.removeAll { systems.contains($0.item) }
    }
  }

  private func scale(_ values: inout [Double], by factor: Double, in range: PeriodRange) {
    for t in values.indices where range.contains(t) { values[t] *= factor }
  }

  /// A schedule whose rises come `d` periods late.
  ///
  /// c'(t) = min(c(t), c(t − d)), c(t − d) being the first period's level before the horizon.
  /// A slip never adds capacity: a fall (stocks running down, a plant closing) keeps its date,
  /// where shifting the whole schedule would postpone it and hand the plan capacity no source
  /// gives.
  static func delayed(_ values: [Double], by d: Int) -> [Double] {
    guard d > 0, let first = values.first else { return values }
    return values.indices.map { t in min(values[t], t - d >= 0 ? values[t - d] : first) }
  }
}

/// The content hash reports print: SHA-256 of what the data set means — the validated model,
/// its scenarios, comparisons and sweeps — not of its bytes.
///
/// Comments, spacing and the order of entries (producers, consumers, rows of a CSV file) do
/// not change it, so that the same data gives the same reports however its files are laid
/// out.
enum ContentHash {
  static func of(
    model: PlanningModel, scenarios: [Scenario], comparisons: [Comparison], sweeps: [SweepSpec],
    investments: [InvestmentQuestion] = []
  ) -> String {
    struct Content: Encodable {
      let model: PlanningModel
      let scenarios: [Scenario]
      let comparisons: [Comparison]
      let sweeps: [SweepSpec]
      let investments: [InvestmentQuestion]
    }
    var m = model
    m.contentHash = ""
    m.source = ""
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Every value here is plain data (numbers, strings, arrays), which JSONEncoder always
    // encodes; the fallback only keeps the signature total.
    let data =
      (try? encoder.encode(
        Content(model: m, scenarios: scenarios, comparisons: comparisons, sweeps: sweeps, investments: investments)))
      ?? Data()
    var hash = SHA256()
    hash.update(data)
    return hash.finalize()
  }
}

extension PlanningModel {
  /// The mean-value model of weighted variants of one model: every demand series, stockpile
  /// target level and combat intensity replaced by its probability-weighted mean over
  /// `models` (a target a variant lacks counts as level 0 there); `nil` when the variants
  /// differ in anything else, since then no single "mean demand" model stands for them.
  public static func expectation(_ models: [PlanningModel], weights: [Double]) -> PlanningModel? {
    guard var mean = models.first, models.count == weights.count else { return nil }
    func stripped(_ m: PlanningModel) -> PlanningModel {
      var m = m
      for k in m.consumers.indices {
        for d in m.consumers[k].demand.indices {
          m.consumers[k].demand[d].quantity = m.consumers[k].demand[d].quantity.map { _ in 0 }
        }
        m.consumers[k].targets = Entities([])
        m.consumers[k].combat = m.consumers[k].combat.map { _ in 0 }
      }
      return m
    }
    let reference = stripped(mean)
    guard models.dropFirst().allSatisfy({ stripped($0) == reference }) else { return nil }
    for k in mean.consumers.indices {
      for d in mean.consumers[k].demand.indices {
        mean.consumers[k].demand[d].quantity = mean.consumers[k].demand[d].quantity.indices.map { t in
          zip(models, weights).reduce(0) { $0 + $1.1 * $1.0.consumers[k].demand[d].quantity[t] }
        }
      }
      var levels: [StockpileTarget.Key: Double] = [:]
      for (m, w) in zip(models, weights) {
        for target in m.consumers[k].targets { levels[target.key, default: 0] += w * target.level }
      }
      mean.consumers[k].targets = Entities(
        levels.keys.sorted().map { StockpileTarget(item: $0.item, period: $0.period, level: levels[$0] ?? 0) })
      mean.consumers[k].combat = mean.consumers[k].combat.indices.map { t in
        zip(models, weights).reduce(0) { $0 + $1.1 * $1.0.consumers[k].combat[t] }
      }
    }
    return mean
  }
}

extension StockpileTarget {
  /// What identifies a target within a consumer: its item and date.
  public struct Key: Hashable, Comparable, Sendable {
    /// The end item.
    public let item: ItemIndex
    /// The period by whose end the level must be held.
    public let period: Int
    /// By item, then date (the order targets are kept in).
    public static func < (a: Key, b: Key) -> Bool { (a.item, a.period) < (b.item, b.period) }
  }
  /// Its item and date.
  public var key: Key { Key(item: item, period: period) }
}

extension PlanningModel {
  /// Whether this model is `other` but for limits that enter a program only as bounds.
  ///
  /// Those are products' and shared lines' capacities, markets' supply limits and funders'
  /// budgets, each positive in the same periods: such a model formulates to `other`'s
  /// columns and rows with other bounds (`Formulator.formulate(like:)`). The points of a
  /// capacity, delay, market or budget sweep are such models, unless a figure falls to zero
  /// or rises from it.
  public func differsOnlyInLimits(from other: PlanningModel) -> Bool {
    guard producers.count == other.producers.count, markets.count == other.markets.count,
      funders.count == other.funders.count
    else { return false }
    func samePositive(_ a: [Double], _ b: [Double]) -> Bool {
      a.count == b.count && zip(a, b).allSatisfy { ($0 > 0) == ($1 > 0) }
    }
    // `other` with this model's limits: equal to this model when nothing else differs.
    var probe = other
    for p in producers.indices {
      let mine = producers[p]
      let theirs = other.producers[p]
      guard mine.products.count == theirs.products.count, mine.lines.count == theirs.lines.count else { return false }
      for k in mine.products.indices where mine.products[k].capacity != theirs.products[k].capacity {
        guard samePositive(mine.products[k].capacity, theirs.products[k].capacity) else { return false }
        probe.producers[p].products[k].capacity = mine.products[k].capacity
      }
      for l in mine.lines.indices where mine.lines[l].capacity != theirs.lines[l].capacity {
        guard samePositive(mine.lines[l].capacity, theirs.lines[l].capacity) else { return false }
        probe.producers[p].lines[l].capacity = mine.lines[l].capacity
      }
    }
    for mi in markets.indices {
      guard markets[mi].supplies.count == other.markets[mi].supplies.count else { return false }
      for s in markets[mi].supplies.indices where markets[mi].supplies[s].limit != other.markets[mi].supplies[s].limit {
        guard samePositive(markets[mi].supplies[s].limit, other.markets[mi].supplies[s].limit) else { return false }
        probe.markets[mi].supplies[s].limit = markets[mi].supplies[s].limit
      }
    }
    for f in funders.indices where funders[f].budget != other.funders[f].budget {
      guard samePositive(funders[f].budget, other.funders[f].budget) else { return false }
      probe.funders[f].budget = funders[f].budget
    }
    return probe == self
  }
}
