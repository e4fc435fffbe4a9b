import LinearProgram
import PlanningModel

/// One expansion option as an investment decision: its build columns.
public struct InvestmentOption: Sendable, Hashable {
  /// The producer.
  public let producer: ProducerIndex
  /// Its option.
  public let expansion: ExpansionIndex
  /// Its build columns (every decision period and build time that arrives in the horizon).
  public let builds: [Int]
  /// Its added-capacity columns, by period.
  public let added: [Int]
}

/// The investment question's program (docs/MODEL.md, "Investment decisions").
///
/// The plan's rows and columns, and for every goal and period it holds in a goal row
///
///     Σ short[k,d,t] over the goal's demand − G[g,t] ≤ (1 − fraction) · demand[g,t],
///
/// whose gap column G ≥ 0 is the part of the goal missed, with G[g,t] ≤ W · demand[g,t] for
/// the worst fraction missed W; the total investment cost (capital of the lots ordered and
/// running cost of what has arrived, EUR million) as a row a budget bounds; and a row that
/// holds the goals' total gap at its optimum while cost is minimised.
public struct InvestmentProgram: Sendable {
  /// The plan's formulation the question is asked of.
  public let formulation: Formulation
  /// The goals, in the order given.
  public let goals: [CoverageGoal]
  /// The program: the formulation's, with the goal, cost and hold rows and the gap columns.
  public let program: LinearProgram
  /// Per goal: period → its gap column.
  public let gapColumns: [[Int: Int]]
  /// Per goal: period → its goal row.
  public let goalRows: [[Int: Int]]
  /// Per goal: period → the demand in scope, in the demand's units.
  public let goalDemand: [[Int: Double]]
  /// Per goal: period → the shortfall columns in scope.
  public let goalShortfall: [[Int: [Int]]]
  /// The worst fraction of a goal missed in any period: W, the first thing minimised.
  public let worstColumn: Int
  /// The goals' gap: Σ G[g,t] / Σ_t demand[g,t] — each goal's missed fraction, averaged over
  /// its periods by demand, summed over the goals: minimised second, with W held.
  public let gapObjective: [Term]
  /// The goals' demand served first: Σ_g Σ shortfall in g's scope / g's demand over its
  /// periods — what `InvestmentSolver.shortfall(fixing:)` minimises to measure what options add.
  public let shortfallObjective: [Term]
  /// Investment cost in EUR million: lots × capital per lot, plus running cost per period.
  public let costTerms: [Term]
  /// Σ lots × (periods − decision period): minimised last, among portfolios of equal cost,
  /// it takes every decision as late as the goals allow.
  public let timingObjective: [Term]
  /// The cost row (upper bound: the investment budget, if any).
  public let costRow: Int
  /// The row that holds the goals' gap while cost is minimised.
  public let holdRow: Int
  /// Every option with at least one build column.
  public let options: [InvestmentOption]

  /// Each goal's scope, per period: its shortfall columns and the demand they count against.
  static func scope(of goals: [CoverageGoal], in f: Formulation) -> (
    shortfall: [[Int: [Int]]], demand: [[Int: Double]]
  ) {
    let m = f.model
    var shortfall: [[Int: [Int]]] = Array(repeating: [:], count: goals.count)
    var demand: [[Int: Double]] = Array(repeating: [:], count: goals.count)
    for (j, role) in f.columnRoles.enumerated() {
      guard case .shortfall(let k, let d, let t) = role, j < f.program.numberOfColumns else { continue }
      let series = m.consumers[k].demand[d]
      for (g, goal) in goals.enumerated() where t >= goal.from && goal.covers(consumer: k, demand: series, in: m) {
        shortfall[g][t, default: []].append(j)
        demand[g][t, default: 0] += series.quantity[t]
      }
    }
    return (shortfall, demand)
  }

  /// The question for `goals` on `formulation`.
  public init(_ formulation: Formulation, goals: [CoverageGoal]) throws(LPError) {
    let f = formulation
    let m = f.model
    let periods = m.horizon.periods
    let (shortfall, demand) = Self.scope(of: goals, in: f)
    var columns: [LinearProgram.NewColumn] = []
    var rows: [LinearProgram.NewRow] = []
    var gapColumns: [[Int: Int]] = Array(repeating: [:], count: goals.count)
    var goalRows: [[Int: Int]] = Array(repeating: [:], count: goals.count)
    var gapObjective: [Term] = []
    let n = f.program.numberOfColumns
    let r = f.program.numberOfRows
    let worst = n
    columns.append(.init(name: "goal-gap[worst]", bounds: .between(0, 1)))
    for (g, goal) in goals.enumerated() {
      // Summed in period order: the same bits whatever the dictionary's order.
      let total = demand[g].keys.sorted().reduce(0) { $0 + (demand[g][$1] ?? 0) }
      for t in 0..<periods {
        guard let columnsInScope = shortfall[g][t], let d = demand[g][t], d > 0 else { continue }
        let gap = n + columns.count
        columns.append(.init(name: "goal-gap[\(g + 1),\(m.horizon.label(t))]", bounds: .nonNegative))
        gapColumns[g][t] = gap
        goalRows[g][t] = r + rows.count
        rows.append(
          .init(
            name: "goal[\(g + 1),\(m.horizon.label(t))]", bounds: .atMost((1 - goal.fraction) * d),
            terms: columnsInScope.sorted().map { Term(column: $0, coefficient: 1) } + [
              Term(column: gap, coefficient: -1)
            ]))
        rows.append(
          .init(
            name: "goal-worst[\(g + 1),\(m.horizon.label(t))]", bounds: .atMost(0),
            terms: [Term(column: worst, coefficient: -d), Term(column: gap, coefficient: 1)]))
        gapObjective.append(Term(column: gap, coefficient: 1 / total))
      }
    }
    var cost: [Int: Double] = [:]
    var timing: [Term] = []
    var options: [Int: [Int: [Int]]] = [:]
    var added: [Int: [Int: [Int]]] = [:]
    for (j, role) in f.columnRoles.enumerated() where j < n {
      switch role {
      case .build(let p, let e, let d, _):
        let x = m.producers[p].expansions[e]
        timing.append(Term(column: j, coefficient: f.lateness(decided: d)))
        cost[j, default: 0] += x.cost / Double(x.lots ?? 1) * Formulation.moneyScale
        options[p.rawValue, default: [:]][e.rawValue, default: []].append(j)
      case .expansion(let p, let e, _):
        let x = m.producers[p].expansions[e]
        added[p.rawValue, default: [:]][e.rawValue, default: []].append(j)
        if x.runningCost > 0, x.capacity > 0 {
          cost[j, default: 0] += x.runningCost / x.capacity * Formulation.moneyScale
        }
      default: continue
      }
    }
    let costTerms = cost.keys.sorted().compactMap { j in cost[j].map { Term(column: j, coefficient: $0) } }
    let costRow = r + rows.count
    rows.append(.init(name: "investment[total]", bounds: .free, terms: costTerms))
    let holdRow = r + rows.count
    rows.append(.init(name: "hold[goal-gap]", bounds: .free, terms: gapObjective))
    var program = try f.program.appending(columns: columns)
    program = try program.appending(rows)
    self.formulation = f
    self.goals = goals
    self.program = program
    self.gapColumns = gapColumns
    self.goalRows = goalRows
    self.goalDemand = demand
    self.goalShortfall = shortfall
    self.gapObjective = gapObjective
    self.worstColumn = worst
    var served: [(ColumnID, Double)] = []
    for g in goals.indices {
      let total = demand[g].keys.sorted().reduce(0) { $0 + (demand[g][$1] ?? 0) }
      guard total > 0 else { continue }
      for t in shortfall[g].keys.sorted() {
        for j in shortfall[g][t] ?? [] { served.append((ColumnID(j), 1 / total)) }
      }
    }
    self.shortfallObjective = Objectives.merged(served)
    self.timingObjective = timing
    self.costTerms = costTerms
    self.costRow = costRow
    self.holdRow = holdRow
    self.options = options.keys.sorted().flatMap { p in
      (options[p] ?? [:]).keys.sorted().map { e in
        InvestmentOption(
          producer: ProducerIndex(p), expansion: ExpansionIndex(e), builds: options[p]?[e]?.sorted() ?? [],
          added: added[p]?[e]?.sorted() ?? [])
      }
    }
  }

  /// The goal rows' bounds with every goal at its own fraction, or all at `level`.
  public func goalBounds(level: Double? = nil) -> [Change<RowID, Bounds>] {
    var out: [Change<RowID, Bounds>] = []
    for (g, goal) in goals.enumerated() {
      let fraction = level ?? goal.fraction
      for (t, row) in goalRows[g].sorted(by: { $0.key < $1.key }) {
        out.append(Change(RowID(row), .atMost((1 - fraction) * (goalDemand[g][t] ?? 0))))
      }
    }
    return out
  }

  /// Investment cost (EUR) of a solution's column values.
  public func cost(of x: [Double]) -> Double {
    costTerms.reduce(0) { $0 + $1.coefficient * (($1.column < x.count) ? x[$1.column] : 0) } / Formulation.moneyScale
  }

  /// Goal `g`'s demand over its periods, summed in period order.
  public func totalDemand(_ g: Int) -> Double {
    goalDemand[g].keys.sorted().reduce(0) { $0 + (goalDemand[g][$1] ?? 0) }
  }

  /// Goal `g`'s shortfall columns, in period order.
  public func shortfallColumns(_ g: Int) -> [Int] {
    goalShortfall[g].keys.sorted().flatMap { goalShortfall[g][$0] ?? [] }
  }

  /// Capital and running cost (EUR) of option `o` at the column values `x`.
  public func cost(ofOption o: Int, at x: [Double]) -> (capital: Double, running: Double) {
    let option = options[o]
    let e = formulation.model.producers[option.producer].expansions[option.expansion]
    let lots = option.builds.reduce(0) { $0 + ($1 < x.count ? x[$1] : 0) }
    let added = option.added.reduce(0) { $0 + ($1 < x.count ? x[$1] : 0) }
    return (
      e.cost * lots / Double(e.lots ?? 1), e.capacity > 0 ? e.runningCost * added / e.capacity : 0
    )
  }

  /// Coverage of each goal in each period it holds in, at the shortfall values `x`.
  public func coverage(of x: [Double]) -> [[Int: Double]] {
    goals.indices.map { g in
      var out: [Int: Double] = [:]
      for (t, columns) in goalShortfall[g] {
        guard let d = goalDemand[g][t], d > 0 else { continue }
        let short = columns.reduce(0) { $0 + ($1 < x.count ? max(0, x[$1]) : 0) }
        out[t] = max(0, min(1, 1 - short / d))
      }
      return out
    }
  }
}
