import Formulation
import GLPKSolver
import LinearProgram
import PlanningModel

/// How to answer an investment question.
public struct InvestmentSettings: Sendable {
  /// The branch and bound of every MIP (time limit, relative gap).
  public var mip: MIPOptions
  /// EUR the portfolio may cost at most: the dual question ("the most coverage for this
  /// budget"); `nil` asks for the cheapest portfolio that reaches the goals.
  public var budget: Double?
  /// Goal levels (fractions) of the cost-coverage curve; every goal is set to each in turn.
  public var curve: [Double]

  /// Settings; by default a 60 s limit per MIP, a proven optimum, no budget and no curve.
  public init(mip: MIPOptions = MIPOptions(timeLimit: 60), budget: Double? = nil, curve: [Double] = []) {
    self.mip = mip
    self.budget = budget
    self.curve = curve
  }
}

/// How one MIP of an answer ended, without its solution.
public struct MIPSummary: Sendable, Hashable {
  /// How it ended.
  public let status: MIPOutcome.Status
  /// The LP relaxation's optimum.
  public let relaxationBound: Double?
  /// The best integer solution's objective.
  public let objective: Double?
  /// The best bound when the search stopped.
  public let bestBound: Double?
  /// Branch-and-bound nodes.
  public let nodes: Int
  /// Relative gap between objective and bound (0 when proven optimal with gap 0).
  public let gap: Double?
  /// GLPK's outcome in a sentence.
  public let message: String

  init(_ o: MIPOutcome) {
    status = o.status
    relaxationBound = o.relaxationBound
    objective = o.objective
    bestBound = o.bestBound
    nodes = o.nodes
    gap = o.gap
    message = o.message
  }

  /// Whether the optimum was proven (within the relative gap asked for).
  public var proven: Bool { status == .optimal }
}

/// A portfolio: the answer of one question (its two MIPs).
public struct PortfolioChoice: Sendable {
  /// Whether a portfolio was found at all (else the MIPs ran out of time or failed).
  public let found: Bool
  /// Whether every goal is reached in every period.
  public let reachesGoals: Bool
  /// The worst fraction of a goal's demand missed in any period (0 when every goal is
  /// reached).
  public let gap: Double
  /// EUR: capital of the lots ordered and running cost of what arrived.
  public let cost: Double
  /// Build column → lots ordered, for every column with lots.
  public let lots: [Int: Double]
  /// Coverage of each goal per period in this portfolio's solution.
  public let coverage: [[Int: Double]]
  /// Per option with lots (index into the question's options): capital and running cost, EUR.
  public let optionCost: [Int: OptionCost]
  /// The MIP that minimised the worst fraction missed.
  public let goalStage: MIPSummary?
  /// The MIP that minimised the goals' total gap with the worst held (only when the goals
  /// cannot be reached).
  public let gapStage: MIPSummary?
  /// The MIP that minimised cost with the gap held.
  public let costStage: MIPSummary?
  /// The MIP that chose the latest decisions at that cost (the tie-break).
  public let timingStage: MIPSummary?

  /// Whether every MIP proved its optimum.
  public var proven: Bool {
    (goalStage?.proven ?? false) && (gapStage?.proven ?? true) && (costStage?.proven ?? false)
      && (timingStage?.proven ?? true)
  }
}

/// What one option of a portfolio costs.
public struct OptionCost: Sendable, Hashable {
  /// EUR of capital for the lots ordered.
  public let capital: Double
  /// EUR to run what arrived, over the rest of the horizon.
  public let running: Double
  /// Both.
  public var total: Double { capital + running }
}

/// Solves investment questions on one GLPK problem: each answer changes only bounds and the
/// objective, so goals at other levels and portfolios without an option reuse it.
public final class InvestmentSolver: @unchecked Sendable {
  // Used from one task at a time; GLPKProblem confines GLPK to its own thread.
  /// The question's program.
  public let question: InvestmentProgram
  private let problem: GLPKProblem

  /// Loads the question's program into GLPK.
  public init(_ question: InvestmentProgram) throws(GLPKError) {
    self.question = question
    self.problem = try GLPKProblem(question.program)
  }

  /// The cheapest portfolio that reaches the goals (at `level` when given), without the
  /// options `forbidden` (indices into `question.options`), within `budget` EUR when given —
  /// or, when no portfolio reaches them, the one that comes closest and is cheapest.
  public func answer(level: Double? = nil, forbidden: Set<Int> = [], budget: Double? = nil, mip: MIPOptions)
    throws(GLPKError) -> PortfolioChoice
  {
    let q = question
    var changes = LPChanges()
    changes.rowBounds = q.goalBounds(level: level)
    changes.rowBounds.append(
      Change(RowID(q.costRow), budget.map { .atMost($0 * Formulation.moneyScale) } ?? .free))
    changes.rowBounds.append(Change(RowID(q.holdRow), .free))
    for (o, option) in q.options.enumerated() {
      for j in option.builds {
        changes.columnBounds.append(
          Change(ColumnID(j), forbidden.contains(o) ? .exactly(0) : q.program.columnBounds[j]))
      }
    }
    changes.columnBounds.append(Change(ColumnID(q.worstColumn), q.program.columnBounds[q.worstColumn]))
    try problem.apply(changes)
    // First the worst fraction missed, then (if the goals cannot be reached) the total gap
    // with it held, then cost with both held: three MIPs, lexicographically.
    try load([Term(column: q.worstColumn, coefficient: 1)])
    let goal = try problem.solveMIP(mip)
    guard goal.hasSolution, let worst = goal.objective else {
      return PortfolioChoice(
        found: false, reachesGoals: false, gap: .nan, cost: .nan, lots: [:], coverage: [], optionCost: [:],
        goalStage: MIPSummary(goal), gapStage: nil, costStage: nil, timingStage: nil)
    }
    var hold = LPChanges()
    hold.columnBounds = [Change(ColumnID(q.worstColumn), Bounds.between(0, min(1, worst + 1e-7 + 1e-6 * worst)))]
    try problem.apply(hold)
    var best = goal
    var gapStage: MIPOutcome?
    if worst > 1e-6 {
      try load(q.gapObjective)
      let total = try problem.solveMIP(mip)
      gapStage = total
      if total.hasSolution, let gap = total.objective {
        best = total
        var held = LPChanges()
        held.rowBounds = [Change(RowID(q.holdRow), Bounds.atMost(gap + 1e-7 + 1e-6 * abs(gap)))]
        try problem.apply(held)
      }
    }
    try load(q.costTerms)
    let cheapest = try problem.solveMIP(mip)
    var x = cheapest.hasSolution ? cheapest.columnValues : best.columnValues
    var timingStage: MIPOutcome?
    if cheapest.hasSolution, let cost = cheapest.objective, !q.timingObjective.isEmpty {
      // Equal cost, the latest decisions: the rule that makes the plan canonical, and the
      // dates a planner can wait for.
      var held = LPChanges()
      let limit = cost + 1e-7 + 1e-9 * abs(cost)
      held.rowBounds = [
        Change(RowID(q.costRow), Bounds.atMost(min(limit, budget.map { $0 * Formulation.moneyScale } ?? limit)))
      ]
      try problem.apply(held)
      try load(q.timingObjective)
      let latest = try problem.solveMIP(mip)
      timingStage = latest
      if latest.hasSolution { x = latest.columnValues }
    }
    var lots: [Int: Double] = [:]
    var optionCost: [Int: OptionCost] = [:]
    for (o, option) in q.options.enumerated() {
      for j in option.builds where x[j] > 1e-6 { lots[j] = Self.clean(x[j]) }
      guard option.builds.contains(where: { x[$0] > 1e-6 }) else { continue }
      let c = q.cost(ofOption: o, at: x)
      optionCost[o] = OptionCost(capital: Self.euros(c.capital), running: Self.euros(c.running))
    }
    // The gap as reported: the worst fraction missed at the solution kept, 0 below the
    // tolerance the holds allow.
    let missed = x[q.worstColumn]
    let reportedGap = missed < 1e-5 ? 0 : Allocation.significant(missed, 6)
    return PortfolioChoice(
      found: true, reachesGoals: reportedGap == 0, gap: reportedGap, cost: Self.euros(q.cost(of: x)), lots: lots,
      coverage: q.coverage(of: x), optionCost: optionCost, goalStage: MIPSummary(goal),
      gapStage: gapStage.map(MIPSummary.init), costStage: MIPSummary(cheapest),
      timingStage: timingStage.map(MIPSummary.init))
  }

  /// Units of each goal's demand short when the goals' demand is served first (the
  /// question's own priority: min Σ_g shortfall_g / demand_g, other demand as it falls), with
  /// the build columns fixed at `lots` (absent: 0) — what a portfolio lets the goals get.
  public func shortfall(fixing lots: [Int: Double]) throws(GLPKError) -> [Double] {
    let q = question
    var changes = LPChanges()
    for rows in q.goalRows {
      for row in rows.values.sorted() { changes.rowBounds.append(Change(RowID(row), .free)) }
    }
    changes.rowBounds.append(Change(RowID(q.costRow), .free))
    changes.rowBounds.append(Change(RowID(q.holdRow), .free))
    changes.columnBounds.append(Change(ColumnID(q.worstColumn), .between(0, 1)))
    for option in q.options {
      for j in option.builds { changes.columnBounds.append(Change(ColumnID(j), .exactly(lots[j] ?? 0))) }
    }
    try problem.apply(changes)
    try load(q.shortfallObjective)
    // From a fresh advanced basis each time: the figures do not depend on what ran before.
    var options = SolverOptions(method: .primal)
    options.freshBasis = true
    let outcome = try problem.solve(options)
    guard outcome.isOptimal else { throw .noOptimalBasis("the goals' shortfall with the portfolio fixed") }
    let x = problem.solution().columnValues
    return q.goals.indices.map { g in
      q.shortfallColumns(g).reduce(0) { $0 + (x[$1] < Allocation.tiny ? 0 : Allocation.snap(x[$1])) }
    }
  }

  /// Money as reports print it: whole euros.
  static func euros(_ v: Double) -> Double {
    let r = v.rounded()
    return r == 0 ? 0 : r
  }

  /// Values as plans print them: solver noise removed, whole lots whole.
  static func clean(_ v: Double) -> Double {
    let r = v.rounded()
    if abs(v - r) < 1e-6 { return r }
    return Allocation.snap(v)
  }

  private func load(_ objective: [Term]) throws(GLPKError) {
    try Optimizer.load(objective, into: problem)
  }
}
