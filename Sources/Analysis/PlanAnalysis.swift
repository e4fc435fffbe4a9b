import Formulation
import LinearProgram
import Optimizer
import PlanningModel

/// Purchases of one market supply against its limit.
public struct MaterialUse: Sendable, Hashable {
  /// The market.
  public let market: MarketIndex
  /// Its supply.
  public let supply: SupplyIndex
  /// Units bought over the horizon.
  public let bought: Double
  /// Units it could sell over the horizon.
  public let limit: Double
  /// Periods in which the whole supply was bought.
  public let exhausted: [Int]
}

/// A funder's money: budget, spent, and when it ran out.
public struct BudgetUse: Sendable, Hashable {
  /// The funder.
  public let funder: FunderIndex
  /// EUR over the horizon.
  public let budget: Double
  /// EUR spent over the horizon.
  public let spent: Double
  /// EUR spent per period.
  public let perPeriod: [Double]
  /// Periods in which the funder had no money left (with carry-over: all it had by then was
  /// spent), among those in which it could pay for anything.
  ///
  /// The one definition of a binding budget that tables, summaries and the relaxation
  /// analysis share.
  public let binding: [Int]
}

/// Capacity the optimizer chose to add.
public struct Investment: Sendable, Hashable {
  /// The producer.
  public let producer: ProducerIndex
  /// Its expansion option.
  public let expansion: ExpansionIndex
  /// Capacity added per period by the end of the horizon.
  public let added: Double
  /// Period of the first decision.
  public let decided: Int
  /// Period of the first added output.
  public let arrives: Int
  /// EUR of capital for what was ordered.
  public let cost: Double
  /// Whole lots ordered (`nil` for an option bought in any fraction).
  public let lots: Int?
  /// EUR to run the added capacity over the horizon.
  public let runningCost: Double
}

/// One solved stage, as reports show it.
public struct StageSummary: Sendable, Hashable {
  /// The stage's name.
  public let name: String
  /// What it optimised.
  public let kind: Stage.Kind
  /// Its optimum (EUR million for the cost stage).
  public let objective: Double
}

/// Everything the reports say about one solved scenario: numbers and model references,
/// no sentences (Reports own every word).
public struct PlanAnalysis: Sendable {
  /// The model solved (scenarios applied).
  public let model: PlanningModel
  /// The scenarios applied, in order.
  public let scenarios: [Scenario]
  /// The allocation policy.
  public let policy: AllocationPolicy
  /// The last stage's status.
  public let status: SolveStatus
  /// The stages solved.
  public let stages: [StageSummary]
  /// LP size: rows (constraints) of the formulated LP, before any stage adds its own.
  public let lpRows: Int
  /// Columns (variables) of the formulated LP, before any stage adds its own.
  public let lpColumns: Int
  /// Non-zero constraint coefficients of the formulated LP, before any stage adds rows.
  public let lpNonZeros: Int
  /// Consumption demand against what was met, per consumer and series.
  public let demand: [DemandLine]
  /// Stockpile targets against stock held.
  public let targets: [TargetLine]
  /// The measured relaxation analysis (bottlenecks and trade-offs).
  public let relaxation: RelaxationAnalysis
  /// Idle capacity and why.
  public let idle: [IdleCapacity]
  /// Market purchases.
  public let materials: [MaterialUse]
  /// Systems and parts in service, per consumer.
  public let systems: [SystemUse]
  /// Money per funder.
  public let budgets: [BudgetUse]
  /// Expansions bought.
  public let investments: [Investment]
  /// Whether the MIPs that fixed whole lots proved their optima (`nil`: none ran).
  public let wholeLotsProven: Bool?
  /// Some stage that decides coverage has a degenerate optimum: shadow prices are not unique.
  public let degenerate: Bool
  /// The plan.
  public let allocation: Allocation
  /// Supply nodes of the formulation: which producers each shipment came from.
  public let nodes: TypedArray<SupplyNode, SupplyNode>
  /// Export rules' barred shipments (for traceability).
  public let formulation: Formulation

  /// How much to derive: `full` for reports; `summary` (coverage only) for sweeps.
  public enum Detail: Sendable { case full, summary }

  /// The analysis of a solved plan; `nil` when the plan did not solve.
  public init?(
    _ result: PlanResult, scenarios: [Scenario], relaxation: RelaxationAnalysis = .none(RelaxationSettings()),
    detail: Detail = .full
  ) {
    guard let a = result.allocation, let solution = result.solution else { return nil }
    let f = result.formulation
    let m = f.model
    self.model = m
    self.formulation = f
    self.scenarios = scenarios
    self.policy = f.policy
    self.status = result.status
    self.stages = result.stages.map { StageSummary(name: $0.stage.name, kind: $0.stage.kind, objective: $0.objective) }
    self.lpRows = f.program.numberOfRows
    self.lpColumns = f.program.numberOfColumns
    self.lpNonZeros = f.program.numberOfNonZeros
    self.allocation = a
    self.nodes = f.nodes
    let startUp = StartUp(f)
    self.demand = Self.demandLines(m, a, startUp)
    self.targets = Self.targetLines(m, a, startUp)
    self.relaxation = relaxation
    self.degenerate = result.degenerate
    self.wholeLotsProven = result.wholeLotsProven
    self.budgets = Self.budgetUse(f, a)
    self.idle = detail == .full ? Self.idleCapacity(f, a, solution, budgets: budgets) : []
    self.materials = detail == .full ? Self.materialUse(m, a) : []
    self.systems = detail == .full ? Self.systemUse(f, a, solution) : []
    self.investments = Self.investments(m, a)
  }

  static func materialUse(_ m: PlanningModel, _ a: Allocation) -> [MaterialUse] {
    var out: [MaterialUse] = []
    for (mi, market) in m.markets.indexed() {
      for (s, supply) in market.supplies.indexed() {
        let bought = a.purchases[mi][s]
        let exhausted = (0..<m.horizon.periods).filter {
          supply.limit[$0] > 0 && bought[$0] >= supply.limit[$0] * (1 - 1e-6)
        }
        out.append(
          MaterialUse(
            market: mi, supply: s, bought: bought.reduce(0, +), limit: supply.limit.reduce(0, +), exhausted: exhausted))
      }
    }
    return out
  }

  static func budgetUse(_ f: Formulation, _ a: Allocation) -> [BudgetUse] {
    let m = f.model
    var rows: [FunderIndex: Set<Int>] = [:]
    for limit in f.limits { if case .funder(let fu) = limit.subject { rows[fu, default: []].insert(limit.t) } }
    return m.funders.indices.map { fu in
      let binding = moneyExhausted(m.funders[fu], spend: a.spend[fu]).filter { rows[fu]?.contains($0) ?? false }
      return BudgetUse(
        funder: fu, budget: m.funders[fu].budget.reduce(0, +), spent: a.spend[fu].reduce(0, +), perPeriod: a.spend[fu],
        binding: binding)
    }
  }

  static func investments(_ m: PlanningModel, _ a: Allocation) -> [Investment] {
    var out: [Investment] = []
    for (p, producer) in m.producers.indexed() {
      for (e, expansion) in producer.expansions.indexed() {
        let builds = a.builds.filter { $0.producer == p && $0.expansion == e }
        guard let first = builds.min(by: { ($0.arrives, $0.decided) < ($1.arrives, $1.decided) }) else { continue }
        let lots = builds.reduce(0) { $0 + $1.lots }
        let count = Double(expansion.lots ?? 1)
        let added = a.expansionAdded[p][e]
        let running = expansion.capacity > 0 ? added.reduce(0, +) * expansion.runningCost / expansion.capacity : 0
        out.append(
          Investment(
            producer: p, expansion: e, added: expansion.capacity * lots / count, decided: first.decided,
            arrives: first.arrives, cost: expansion.cost * lots / count,
            lots: expansion.lots.map { _ in Int(lots.rounded()) }, runningCost: running))
      }
    }
    return out
  }

  /// Periods in which a funder has no money left: everything available by then (with
  /// carry-over, the budget to date) is spent — a funder with no money at all has none left
  /// from the start.
  ///
  /// Judged from spending, not from the budget rows, whose slack depends on how the LP
  /// chose to carry money forward.
  public static func moneyExhausted(_ funder: Funder, spend: [Double]) -> [Int] {
    var out: [Int] = []
    var budgetToDate = 0.0
    var spentToDate = 0.0
    for t in spend.indices {
      budgetToDate += funder.budget[t]
      spentToDate += spend[t]
      let (available, used) = funder.carryOver ? (budgetToDate, spentToDate) : (funder.budget[t], spend[t])
      // Money is counted in EUR; a euro left is none left.
      if used >= available - max(1, 1e-9 * available) { out.append(t) }
    }
    return out
  }

  // MARK: Aggregates the reports use

  /// Coverage of one class summed over consumers, per demand key (units are per item).
  public func coverage(of cls: ConsumerClass) -> [KeyCoverage] {
    var byKey: [Demand.Key: KeyCoverage] = [:]
    for line in demand where model.consumers[line.consumer].consumerClass == cls {
      let old = byKey[line.key] ?? KeyCoverage(key: line.key, coverage: Coverage(), unavoidable: 0)
      byKey[line.key] = KeyCoverage(
        key: line.key, coverage: old.coverage + line.total, unavoidable: old.unavoidable + line.unavoidableTotal)
    }
    return byKey.keys.sorted().compactMap { byKey[$0] }
  }

  /// Coverage of a class's demand per item family, value-weighted within the family (item
  /// weights), with the family's worst-covered item.
  public func familyCoverage(of cls: ConsumerClass) -> [FamilyCoverage] {
    var byFamily: [String: [KeyCoverage]] = [:]
    for c in coverage(of: cls) { byFamily[family(of: c.key), default: []].append(c) }
    return byFamily.keys.sorted().compactMap { name in
      guard let members = byFamily[name], !members.isEmpty else { return nil }
      var weighted = Coverage()
      for c in members {
        let w = model.describe(c.key).weight
        weighted = weighted + Coverage(demand: c.coverage.demand * w, met: c.coverage.met * w)
      }
      let worst = members.min { ($0.coverage.fraction, $0.key) < ($1.coverage.fraction, $1.key) }
      return FamilyCoverage(family: name, weighted: weighted, members: members, worst: worst)
    }
  }

  /// The family of a demand key: the item's, or for a group its first member's.
  public func family(of key: Demand.Key) -> String {
    guard let first = model.items(meeting: key).first else { return "other" }
    return model.items[first].family
  }

  /// Value-weighted coverage of a class: Σ weight × met / Σ weight × demand.
  public func weightedCoverage(of cls: ConsumerClass) -> Coverage? {
    var c = Coverage()
    var any = false
    for line in demand where model.consumers[line.consumer].consumerClass == cls {
      let t = line.total
      c = c + Coverage(demand: t.demand * line.weight, met: t.met * line.weight)
      any = true
    }
    return any ? c : nil
  }

  /// Value-weighted stock held against a class's targets within each item family, by family
  /// name, with how many targets each has and misses.
  ///
  /// A class-wide figure lets a family with many units (155 mm rounds) hide another's missed
  /// (missiles).
  public func targetAttainmentByFamily(of cls: ConsumerClass) -> [FamilyTargets] {
    var byFamily: [String: FamilyTargets] = [:]
    for t in targets where model.consumers[t.consumer].consumerClass == cls {
      let family = model.items[t.item].family
      let w = model.items[t.item].weight
      var entry = byFamily[family] ?? FamilyTargets(family: family, weighted: Coverage(), count: 0, missed: 0)
      entry.weighted = entry.weighted + Coverage(demand: t.coverage.demand * w, met: t.coverage.met * w)
      entry.count += 1
      if t.isMissed { entry.missed += 1 }
      byFamily[family] = entry
    }
    return byFamily.keys.sorted().compactMap { byFamily[$0] }
  }

  /// Stockpile targets of a class: units held against units targeted, value-weighted.
  public func targetAttainment(of cls: ConsumerClass) -> Coverage? {
    var c = Coverage()
    var any = false
    for t in targets where model.consumers[t.consumer].consumerClass == cls {
      let w = model.items[t.item].weight
      c = c + Coverage(demand: t.coverage.demand * w, met: t.coverage.met * w)
      any = true
    }
    return any ? c : nil
  }

  /// Shortfall of one class per period, per demand key, with its unavoidable part.
  public func shortfallTimeline(of cls: ConsumerClass) -> [KeyTimeline] {
    var byKey: [Demand.Key: KeyTimeline] = [:]
    let periodCount = model.horizon.periods
    for line in demand where model.consumers[line.consumer].consumerClass == cls {
      var entry =
        byKey[line.key]
        ?? KeyTimeline(
          key: line.key, shortfall: [Double](repeating: 0, count: periodCount),
          unavoidable: [Double](repeating: 0, count: periodCount))
      for t in 0..<periodCount {
        entry.shortfall[t] += line.coverage[t].shortfall
        entry.unavoidable[t] += line.unavoidable[t]
      }
      byKey[line.key] = entry
    }
    return byKey.keys.sorted().compactMap { byKey[$0] }
  }

  /// Classes with at least one active consumer that has demand or targets.
  public var classesPresent: [ConsumerClass] {
    ConsumerClass.allCases.filter { cls in
      demand.contains { model.consumers[$0.consumer].consumerClass == cls }
        || targets.contains { model.consumers[$0.consumer].consumerClass == cls }
    }
  }

  /// Classes in the order the policy serves them (rank, then the fixed order).
  public var classesByRank: [ConsumerClass] {
    classesPresent.sorted { (model.classSettings($0).rank, $0) < (model.classSettings($1).rank, $1) }
  }
}

/// A class's coverage of one demand key, summed over its consumers.
public struct KeyCoverage: Sendable, Hashable {
  /// The item or group.
  public let key: Demand.Key
  /// Demand and met over the horizon.
  public let coverage: Coverage
  /// Unavoidable shortfall over the horizon (start-up).
  public let unavoidable: Double

  /// Shortfall a decision inside the horizon could have avoided.
  public var avoidable: Double { max(0, coverage.shortfall - unavoidable) }
}

/// A class's coverage of one item family.
public struct FamilyCoverage: Sendable, Hashable {
  /// The family's name as the data set gives it.
  public let family: String
  /// Demand and met, each unit weighted by its item's weight.
  public let weighted: Coverage
  /// The family's items.
  public let members: [KeyCoverage]
  /// The member with the lowest coverage.
  public let worst: KeyCoverage?
}

/// A class's shortfall of one demand key per period.
public struct KeyTimeline: Sendable, Hashable {
  /// The item or group.
  public let key: Demand.Key
  /// Units short per period.
  public var shortfall: [Double]
  /// Of which unavoidable (start-up), per period.
  public var unavoidable: [Double]
}

extension TargetLine {
  /// Whether the target counts as missed: exactly when its table shows less than 100.0 %
  /// reached (one rule for the table, the summary and the JSON).
  public var isMissed: Bool { coverage.fraction < 0.9995 }
}

/// A class's stockpile targets within one item family.
public struct FamilyTargets: Sendable, Hashable {
  /// The family.
  public let family: String
  /// Stock held against the targets, value-weighted (item weight × units).
  public internal(set) var weighted: Coverage
  /// Targets.
  public internal(set) var count: Int
  /// Of them, missed.
  public internal(set) var missed: Int
}
