import Formulation
import LinearProgram
import Optimizer
import PlanningModel

/// Purchases of one market supply against its limit.
public struct MaterialUse: Sendable, Hashable {
  public let market: MarketIndex
  public let supply: SupplyIndex
  public let bought: Double
  public let limit: Double
  /// Periods in which the whole supply was bought.
  public let exhausted: [Int]
}

/// A funder's money: budget, spent, and when it ran out.
public struct BudgetUse: Sendable, Hashable {
  public let funder: FunderIndex
  public let budget: Double
  public let spent: Double
  public let perPeriod: [Double]
  /// Periods whose budget row binds (with carry-over: money ran out by then).
  public let binding: [Int]
}

/// Capacity the optimizer chose to add.
public struct Investment: Sendable, Hashable {
  public let producer: ProducerIndex
  public let expansion: ExpansionIndex
  /// Capacity added per period by the end of the horizon.
  public let added: Double
  /// Period of the first decision and of the first arrival.
  public let decided: Int
  public let arrives: Int
  public let cost: Double
}

/// Everything the reports say about one solved scenario.
public struct PlanAnalysis: Sendable {
  public let model: PlanningModel
  public let scenarios: [Scenario]
  public let policy: AllocationPolicy
  public let status: SolveStatus
  public let stages: [(name: String, objective: Double, iterations: Int)]
  public let lpRows: Int
  public let lpColumns: Int
  public let lpNonZeros: Int
  public let demand: [DemandLine]
  public let targets: [TargetLine]
  public let bottlenecks: [Bottleneck]
  public let idle: [IdleCapacity]
  public let materials: [MaterialUse]
  public let budgets: [BudgetUse]
  public let investments: [Investment]
  /// Some stage's optimum is degenerate: duals (and so bottleneck values) are not unique.
  public let degenerate: Bool
  public let allocation: Allocation
  /// Supply nodes of the formulation: which producers each shipment came from.
  public let nodes: TypedArray<SupplyNode, SupplyNode>

  /// How much to derive: `full` for reports; `summary` (coverage and bottlenecks only) for
  /// sweeps, where idle capacity, materials, budgets and investments are not reported.
  public enum Detail: Sendable { case full, summary }

  public init?(_ result: PlanResult, scenarios: [Scenario], detail: Detail = .full) {
    guard let a = result.allocation, let solution = result.solution else { return nil }
    let f = result.formulation
    let m = f.model
    self.model = m
    self.scenarios = scenarios
    self.policy = f.policy
    self.status = result.status
    self.stages = result.stages.map { ($0.stage.name, $0.objective, $0.outcome.iterations) }
    self.lpRows = f.program.numberOfRows
    self.lpColumns = f.program.numberOfColumns
    self.lpNonZeros = f.program.numberOfNonZeros
    self.allocation = a
    self.nodes = f.nodes
    let lines = Self.demandLines(m, a)
    self.demand = lines
    self.targets = Self.targetLines(m, a)
    self.bottlenecks = Self.bottlenecks(f, result, lines: lines)
    self.idle = detail == .full ? Self.idleCapacity(f, a, solution) : []
    self.degenerate = result.stages.contains { $0.degenerate && !$0.sensitivity.isEmpty }
    let T = m.horizon.periods

    var materials: [MaterialUse] = []
    for (mi, market) in m.markets.indexed() where detail == .full {
      for (s, supply) in market.supplies.indexed() {
        let bought = a.purchases[mi][s]
        let exhausted = (0..<T).filter { supply.limit[$0] > 0 && bought[$0] >= supply.limit[$0] * (1 - 1e-6) }
        materials.append(
          MaterialUse(
            market: mi, supply: s, bought: bought.reduce(0, +), limit: supply.limit.reduce(0, +), exhausted: exhausted))
      }
    }
    self.materials = materials

    self.budgets = m.funders.indices.map { fu in
      BudgetUse(
        funder: fu, budget: m.funders[fu].budget.reduce(0, +), spent: a.spend[fu].reduce(0, +), perPeriod: a.spend[fu],
        binding: Self.moneyExhausted(m.funders[fu], spend: a.spend[fu]))
    }

    var investments: [Investment] = []
    for (p, producer) in m.producers.indexed() {
      for (e, expansion) in producer.expansions.indexed() {
        let added = a.expansionAdded[p][e]
        guard let last = added.last, last > 1e-6, let arrives = added.firstIndex(where: { $0 > 1e-6 }) else { continue }
        investments.append(
          Investment(
            producer: p, expansion: e, added: last, decided: arrives - expansion.leadTime, arrives: arrives,
            cost: expansion.capacity > 0 ? expansion.cost * last / expansion.capacity : 0))
      }
    }
    self.investments = investments
  }

  /// Periods in which a funder has no money left: everything available by then (with
  /// carry-over, the budget to date) is spent. Judged from spending, not from the budget
  /// rows, whose slack depends on how the LP chose to carry money forward.
  public static func moneyExhausted(_ funder: Funder, spend: [Double]) -> [Int] {
    var out: [Int] = []
    var budgetToDate = 0.0
    var spentToDate = 0.0
    for t in spend.indices {
      budgetToDate += funder.budget[t]
      spentToDate += spend[t]
      let (available, used) = funder.carryOver ? (budgetToDate, spentToDate) : (funder.budget[t], spend[t])
      if available > 0 && used >= available * (1 - 1e-6) { out.append(t) }
    }
    return out
  }

  // MARK: Aggregates the reports use

  /// Coverage of one class summed over consumers, per demand key (units are per item).
  public func coverage(of cls: ConsumerClass) -> [(name: String, unit: String, coverage: Coverage)] {
    var byName: [String: (unit: String, coverage: Coverage)] = [:]
    for line in demand where model.consumers[line.consumer].consumerClass == cls {
      byName[line.name, default: (line.unit, Coverage())].coverage = (byName[line.name]?.coverage ?? Coverage()) + line.total
    }
    return byName.keys.sorted().compactMap { name in byName[name].map { (name, $0.unit, $0.coverage) } }
  }

  /// Value-weighted coverage of a class: Σ weight × met / Σ weight × demand, the one
  /// number that can add rounds and interceptors (weights are the items' `weight`).
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

  /// Shortfall of one class per period, per demand name.
  public func shortfallTimeline(of cls: ConsumerClass) -> [(name: String, unit: String, perPeriod: [Double])] {
    var byName: [String: (unit: String, perPeriod: [Double])] = [:]
    let T = model.horizon.periods
    for line in demand where model.consumers[line.consumer].consumerClass == cls {
      var entry = byName[line.name] ?? (line.unit, [Double](repeating: 0, count: T))
      for t in 0..<T { entry.perPeriod[t] += line.coverage[t].shortfall }
      byName[line.name] = entry
    }
    return byName.keys.sorted().compactMap { name in byName[name].map { (name, $0.unit, $0.perPeriod) } }
  }

  /// Classes with at least one active consumer that has demand or targets.
  public var classesPresent: [ConsumerClass] {
    ConsumerClass.allCases.filter { cls in
      demand.contains { model.consumers[$0.consumer].consumerClass == cls }
        || targets.contains { model.consumers[$0.consumer].consumerClass == cls }
    }
  }
}
