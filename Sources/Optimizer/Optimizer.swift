import Dispatch
import Formulation
import Foundation
import GLPKSolver
import LinearProgram
import PlanningModel

/// How to run a staged solve.
public struct OptimizerOptions: Sendable {
  /// Options of the first stage's cold solve; later stages and warm re-solves choose their
  /// own method (primal after an objective change, dual after bound changes).
  public var solver: SolverOptions
  /// Read the duals and GLPK's ranging of the limits at their bounds after each stage that
  /// decides coverage: the "marginal" figures reports show beside measured values.
  public var marginals: Bool
  /// At most this many limits are ranged per stage, largest dual first.
  public var maxRanged: Int
  /// The branch and bound that fixes whole-lot expansions before the stages (only when the
  /// program has integer columns).
  ///
  /// GLPK's presolver is off so that each MIP's relaxation
  /// starts from the stage's LP optimum; on, each relaxation is solved from scratch (the
  /// portfolio is the same either way: `WholeLotPathTests`). GLPK's cuts are off: on, the
  /// Aschau sweep's 19 lowest points took 35–37 s against 22 s, the latest-decision MIP's
  /// nodes thousands of iterations each, with the same portfolios (docs/PERFORMANCE.md,
  /// "Whole lots in sweeps"). It branches on the first fractional lot, which with the cost
  /// portfolio as the latest-decision MIP's first incumbent took the README's sweep's whole
  /// lots from 0.203 to 0.060 s a point, the same portfolios (GLPK's default heuristic: 0.119 s).
  public var mip = MIPOptions(presolve: false, cuts: false, branching: .firstFractional)
  /// Fix expansions bought in lots to whole lots (by the MIPs) when the LP stages leave some
  /// fractional; off, lots stay continuous (the LP relaxation: a risk draw's default, as the
  /// MIPs cost seconds a draw).
  public var wholeLots = true
  /// Where a warm re-solve starts each stage (`Optimizer.resolve`).
  public var warmRoute = WarmRoute.neighbour

  /// Options with the given cold-solve settings.
  public init(solver: SolverOptions = .init(), marginals: Bool = true, maxRanged: Int = 400) {
    self.solver = solver
    self.marginals = marginals
    self.maxRanged = maxRanged
  }
}

/// Where a warm re-solve (`Optimizer.resolve`) starts each stage: the choice depends on how
/// far apart successive points lie (docs/PERFORMANCE.md, "Warm routes").
public enum WarmRoute: Sendable {
  /// Every stage from its own optimal basis at the previous point, by the dual simplex (a
  /// later stage within an allowance, then from the stage before's optimum): for sweeps,
  /// whose neighbouring points are close.
  case neighbour
  /// The first stage from its optimal basis at the anchor — the first point this optimizer
  /// solved, cold — by the dual simplex; every later stage by the primal simplex from the
  /// stage before's optimum, as in a cold solve: for risk draws, each of which lies about as
  /// far from the undrawn model as from any other draw, so no neighbour is close.
  case anchor
}

/// The shadow price of one limit in one stage, with the range over which it holds: a
/// secondary figure (at a degenerate optimum it is one valid value among several).
public struct LimitMarginal: Sendable {
  /// Index into `Formulation.limits`.
  public let limit: Int
  /// Index into the stages.
  public let stage: Int
  /// Row dual or column reduced cost, in the stage objective's units per unit of the limit.
  public let dual: Double
  /// GLPK's ranging of the limit (activity range over which the dual holds).
  public let ranging: Ranging
}

/// The duals of the limits (and of the shipments export rules bar) in one stage that decides
/// coverage: any optimal dual bounds what relaxing them can gain, so a limit whose duals are
/// all zero gains nothing (docs/MODEL.md, relaxation analysis).
public struct LimitDuals: Sendable {
  /// Index into the stages.
  public let stage: Int
  /// Per `Formulation.limits`: the dual of its row or the reduced cost of its column when it
  /// sits at its upper bound, else 0.
  public let limits: [Double]
  /// Per barred shipment column: its reduced cost.
  public let barred: [Int: Double]
}

/// One solved stage.
public struct StageResult: Sendable {
  /// The stage.
  public let stage: Stage
  /// How GLPK's solve ended.
  public let outcome: SolveOutcome
  /// The stage objective at the final plan, in its own sense: what reports print (the
  /// same whichever path reached the plan).
  public let objective: Double
  /// GLPK's objective at the stage's own optimum, in its own sense: what later stages hold
  /// and relaxations are measured against (same solver, same tolerances).
  public let optimum: Double
  /// Some basic variable sits at a bound: the optimum is degenerate and duals not unique.
  public let degenerate: Bool
  /// Wall-clock seconds of GLPK's solve (kept out of report bodies).
  public let seconds: Double
}

/// A staged solve: every stage's result and the final plan.
public struct PlanResult: Sendable {
  /// What was solved.
  public let formulation: Formulation
  /// The stages in order (up to the first that failed).
  public let stages: [StageResult]
  /// Shadow prices of the limits at their bounds in the stages that decide coverage.
  public let marginals: [LimitMarginal]
  /// The duals of every limit in the stages that decide coverage.
  public let duals: [LimitDuals]
  /// The final plan, when every stage solved to optimality.
  public let allocation: Allocation?
  /// The final stage's solution.
  public let solution: LPSolution?
  /// Whether the chain started from the previous point's bases.
  public let warm: Bool
  /// Seconds spent before the reported stages fixing whole lots (the stages' first pass, whose
  /// lots came out fractional, and the two MIPs); 0 when no lot needed fixing.
  public internal(set) var wholeLotSeconds = 0.0
  /// Simplex iterations of that first pass.
  public internal(set) var wholeLotIterations = 0
  /// Whether the MIPs that fixed the whole lots proved their optima (`nil`: no lot needed
  /// fixing); `false` when a time limit stopped one with a portfolio in hand.
  public internal(set) var wholeLotsProven: Bool?

  /// Whether every stage reached an optimum.
  public var isOptimal: Bool { allocation != nil }
  /// The last stage's status.
  public var status: SolveStatus { stages.last?.outcome.status ?? .numericalFailure }
  /// Simplex iterations over all stages (and the pass before whole lots were fixed).
  public var iterations: Int { stages.reduce(0) { $0 + $1.outcome.iterations } + wholeLotIterations }
  /// GLPK's solve time over all stages, whole lots included.
  public var solveSeconds: Double { stages.reduce(0) { $0 + $1.seconds } + wholeLotSeconds }
  /// The failing stage and its outcome, if any.
  public var failure: StageResult? { stages.first { !$0.outcome.isOptimal } }
  /// Some stage that decides coverage has a degenerate optimum.
  public var degenerate: Bool { stages.contains { $0.degenerate && $0.stage.decidesCoverage } }
}

/// What one relaxation's warm re-solve found: every stage's optimum and the values of the
/// columns asked for, from the final (canonical) plan.
package struct MeasuredPlan: Sendable {
  /// Stage objectives in their own sense.
  package let objectives: [Double]
  /// Values of the requested columns, or what the task's `summarize` kept of them.
  package let values: [Double]
  /// Simplex iterations it took.
  package let iterations: Int
  /// The stages (indices) whose attempt from their own basis ran out of its allowance or
  /// failed, so that they took the cold route (`Optimizer.solveWarm`).
  package var coldRoutes: [Int] = []
  /// The first stage's optimal basis, by its differences from the plan's (a one-stage
  /// measurement's; a measurement through more stages is the last of its relaxation).
  ///
  /// Where a later measurement of the same relaxation through more stages starts
  /// (`MeasureTask.start`), so that its first stage is not solved again. The same whichever
  /// worker measured it, and when: every measurement starts from the same state
  /// (`Optimizer.measureHere`).
  package var firstOptimum: BasisDelta?
  /// A warm attempt alone (`MeasureTask.Route.warm`) that fell short by the path.
  ///
  /// With iterations left, the relaxation is measured by its cold solve (`joined`); only
  /// `iterations` is meaningful here.
  package var fellShort = false

  /// The relaxation measured as `solveFirstMeasured` measures it.
  ///
  /// This warm attempt, which fell short, then `cold`, the cold solve measured apart within
  /// the whole `limit`, kept only if it took no more than the attempt left of the limit.
  /// `nil`: not measured.
  package func joined(_ cold: MeasuredPlan?, limit: Int) -> MeasuredPlan? {
    guard let cold, cold.iterations <= max(1, limit - iterations) else { return nil }
    var joined = MeasuredPlan(
      objectives: cold.objectives, values: cold.values, iterations: iterations + cold.iterations)
    joined.coldRoutes = [0]
    joined.firstOptimum = cold.firstOptimum
    return joined
  }
}

/// Runs a formulation's stages on one GLPK problem, each stage warm from its own optimal basis
/// of the previous point (a sweep point, a relaxation), so that a bound change costs a few
/// dual simplex iterations per stage.
public final class Optimizer: @unchecked Sendable {
  // Used from one task at a time (a sweep worker or a single run); GLPKProblem itself
  // confines GLPK to its own thread.
  /// The formulation loaded.
  public private(set) var formulation: Formulation
  /// The GLPK problem it is solved in.
  package let problem: GLPKProblem
  /// Each stage's optimal basis at the last point (its rows: the program's plus the held rows
  /// and blocks of the earlier stages).
  private var bases: [Basis] = []
  /// Each stage's iterations in the cold solve: what a warm start may spend before the
  /// stage falls back to the cold route (see `solveWarm`).
  private var coldIterations: [Int] = []
  /// The options of the cold run those iterations came from: a measured relaxation's cold
  /// route for its first stage (`solveFirstMeasured`).
  private var coldSolver: SolverOptions?
  /// How long the first stage of that cold run took, in seconds (wall time): for a plan
  /// re-solved warm (a sweep point), the cold solve its bases descend from; `nil` without one.
  package private(set) var coldFirstStageSeconds: Double?
  /// The bounds that fix the whole-lot columns at the chosen portfolio (empty without any).
  private var wholeLots = LPChanges()
  /// The first stage's optimal basis at the first point solved (`WarmRoute.anchor`).
  private var anchor: Basis?
  /// The bounds of the rows and columns `restrictToFace` fixed, to put back on `reset`:
  /// rows and columns with the bounds they had, except the columns in `faceFixedOwn`.
  private var faceFixes = LPChanges()
  /// The columns `restrictToFace` fixed that had their own bounds (`OwnBounds`): most of them,
  /// kept by position alone (4 bytes, not 24: up to 6 MB on generated large while the later
  /// stages of a breakdown run).
  private var faceFixedOwn: [Int32] = []

  /// Loads `formulation` into a new GLPK problem, its matrix scaled by `scaling`.
  public init(_ formulation: Formulation, scaling: GLPKTuning.Scaling = .arsenal) throws(GLPKError) {
    self.formulation = formulation
    self.problem = try GLPKProblem(formulation.program, scaling: scaling)
  }

  private init(copying other: Optimizer) throws(GLPKError) {
    formulation = other.formulation
    problem = try GLPKProblem(formulation.program, scaling: other.problem.scaling, scalesOf: other.problem)
  }

  /// Another optimizer on its own GLPK problem with this one's program and bases: relaxations
  /// measured on it give exactly what they give here.
  public func clone() throws(GLPKError) -> Optimizer {
    let other = try Optimizer(copying: self)
    other.bases = bases
    other.coldIterations = coldIterations
    other.coldSolver = coldSolver
    other.coldFirstStageSeconds = coldFirstStageSeconds
    other.wholeLots = wholeLots
    other.anchor = anchor
    try other.problem.apply(wholeLots)
    return other
  }

  /// Solves all stages from scratch.
  public func run(_ options: OptimizerOptions = .init()) throws(GLPKError) -> PlanResult {
    try problem.batch { [self] () throws(GLPKError) -> PlanResult in
      try reset()
      bases = []
      return try runWhole(options, warm: false)
    }
  }

  /// Re-solves for a formulation of the same structure (a sweep point): only bounds and
  /// coefficients change, so every stage starts from its own basis of the previous point.
  ///
  /// Returns `nil` when the structure differs; the caller then builds a new optimizer.
  public func resolve(_ next: Formulation, options: OptimizerOptions = .init()) throws(GLPKError) -> PlanResult? {
    guard next.program.hasSameStructure(as: formulation.program),
      next.stages.count == formulation.stages.count,
      zip(next.stages, formulation.stages).allSatisfy({ $0.hasSameStructure(as: $1) })
    else { return nil }
    return try problem.batch { [self] () throws(GLPKError) -> PlanResult in
      try reset()
      try problem.update(to: next.program)
      formulation = next
      if options.warmRoute == .anchor, let anchor, !bases.isEmpty { bases[0] = anchor }
      return try runWhole(options, warm: bases.count == next.stages.count)
    }
  }

  /// Back to the program's own rows and columns (held rows and blocks removed), with the
  /// bounds the optimal faces fixed put back.
  private func reset() throws(GLPKError) {
    let m = formulation.program.numberOfRows
    let n = formulation.program.numberOfColumns
    try problem.keepRows(m)
    try problem.keepColumns(n)
    var back = LPChanges()
    back.rowBounds = faceFixes.rowBounds.filter { $0.id.index < m }
    back.columnBounds = faceFixedColumns().filter { $0.id.index < n }
    faceFixes = LPChanges()
    faceFixedOwn = []
    try problem.apply(back)
  }

  /// Every column `restrictToFace` fixed, with the bounds it had.
  private func faceFixedColumns() -> [Change<ColumnID, Bounds>] {
    var out = faceFixes.columnBounds
    out.reserveCapacity(out.count + faceFixedOwn.count)
    let own = OwnBounds(formulation)
    for j in faceFixedOwn {
      if let b = own[Int(j)] { out.append(Change(ColumnID(Int(j)), b)) }
    }
    return out
  }

  /// The bounds the formulation gives each column of the loaded program.
  ///
  /// The program's, then those of the stage blocks in stage order, as `prepare` appends them;
  /// `nil` beyond them. Made once per pass over the columns, not looked up through the
  /// formulation per column.
  private struct OwnBounds {
    let program: [Bounds]
    let blocks: [[LinearProgram.NewColumn]]

    init(_ f: Formulation) {
      program = f.program.columnBounds
      blocks = f.stages.compactMap { $0.block?.columns }
    }

    subscript(j: Int) -> Bounds? {
      if j < program.count { return program[j] }
      var start = program.count
      for columns in blocks {
        if j < start + columns.count { return columns[j - start].bounds }
        start += columns.count
      }
      return nil
    }
  }

  /// The last stage that decides coverage: the stages after it are solved on its optimal face
  /// (`restrictToFace`), those up to it with their held rows alone, so that their duals and
  /// ranging are those of the program as docs/MODEL.md writes it.
  private var lastCoverageStage: Int { coverageStages - 1 }

  /// Restricts the program to the optimal face of the stage just solved, before the next.
  ///
  /// A column whose reduced cost is non-zero at the optimum, or a row whose dual is, lies at
  /// its bound in every optimal plan of the stage (complementary slackness holds between any
  /// optimal plan and any optimal dual solution), so it is fixed there. Whatever optimal dual
  /// solution the path to this optimum reached, the fixed program is the same face: the
  /// stage's optimal plans. The held row alone leaves a sliver of slack (its tolerance) that a
  /// later stage could trade for its own objective by different amounts on different paths;
  /// on the face it cannot. Fewer free variables also make the later stages shorter (the
  /// fairness stages of 40 risk draws: 1,184 iterations instead of 24,515;
  /// docs/PERFORMANCE.md). Values within 10⁻⁹ of the objective's largest coefficient count
  /// as zero: rounding noise, not a price.
  private func restrictToFace(_ stage: Stage, _ x: LPSolution) throws(GLPKError) {
    let zero = 1e-9 * (stage.objective.map { abs($0.coefficient) }.max() ?? 0)
    guard zero > 0 else { return }
    let program = problem.currentProgram
    let own = OwnBounds(formulation)
    var fix = LPChanges()
    for j in 0..<min(x.columnStatus.count, x.reducedCosts.count, program.numberOfColumns)
    where abs(x.reducedCosts[j]) > zero {
      if let v = Self.activeBound(x.columnStatus[j], program.columnBounds[j]) {
        fix.columnBounds.append(Change(ColumnID(j), .exactly(v)))
        if program.columnBounds[j] == own[j] {
          faceFixedOwn.append(Int32(truncatingIfNeeded: j))
        } else {
          faceFixes.columnBounds.append(Change(ColumnID(j), program.columnBounds[j]))
        }
      }
    }
    for i in 0..<min(x.rowStatus.count, x.rowDuals.count, program.numberOfRows) where abs(x.rowDuals[i]) > zero {
      if let v = Self.activeBound(x.rowStatus[i], program.rowBounds[i]) {
        fix.rowBounds.append(Change(RowID(i), .exactly(v)))
        faceFixes.rowBounds.append(Change(RowID(i), program.rowBounds[i]))
      }
    }
    try problem.apply(fix)
  }

  /// The bound a non-basic variable stands at, unless it is fixed already.
  static func activeBound(_ status: BasisStatus, _ b: Bounds) -> Double? {
    guard b.lower != b.upper else { return nil }
    switch status {
    case .atLower: return b.lower.isFinite ? b.lower : nil
    case .atUpper: return b.upper.isFinite ? b.upper : nil
    case .basic, .free, .fixed: return nil
    }
  }

  /// The stages that decide coverage, from the first: what a relaxation's value needs.
  package var coverageStages: Int {
    (formulation.stages.lastIndex { $0.decidesCoverage } ?? -1) + 1
  }

  /// The stages up to and including cost: what a relaxation's breakdown and money need (the
  /// tie-break only picks among equal plans).
  package var stagesThroughCost: Int {
    (formulation.stages.firstIndex { $0.isCost } ?? (formulation.stages.count - 1)) + 1
  }

  /// Re-solves the first `stages` stages once per relaxation (bound changes to the loaded
  /// program), warm from this point's bases, and reads `columns` from each relaxed solution;
  /// the program is put back after each.
  ///
  /// A relaxation whose stages need more than `iterationLimit` iterations in all, or fail,
  /// gives `nil`. A relaxation given a basis in `starts` (the `firstOptimum` an earlier
  /// measurement of it found) starts its first stage there rather than from the plan's. With
  /// `workers` > 1 the relaxations are shared as in `measure(workers:_:)`.
  package func measure(
    _ relaxations: [LPChanges], stages: Int, columns: [ColumnID], iterationLimit: Int, workers: Int = 1,
    starts: [BasisDelta?] = []
  ) throws(GLPKError) -> [MeasuredPlan?] {
    guard !relaxations.isEmpty else { return [] }
    let tasks = relaxations.indices.map {
      MeasureTask(
        relaxations[$0], stages: stages, columns: columns, iterationLimit: iterationLimit,
        start: $0 < starts.count ? starts[$0] : nil)
    }
    var results: [MeasuredPlan?] = []
    try measure(workers: min(workers, tasks.count)) { queue throws(GLPKError) in
      results = try queue.results(queue.add(tasks))
    }
    return results
  }

  /// Measures the tasks `coordinate` adds to a queue, on `workers` clones of this optimizer,
  /// each on its own thread taking the next task when it is free, until `coordinate` returns.
  ///
  /// A far relaxation (a cold route costs about the plan's first stage) does not hold back
  /// the others, and the coordinator may add tasks as results come in. Which worker measures
  /// a task, and when, does not change what it measures: each starts from a canonical state
  /// (`measureHere`), and RelaxationSplitTests requires the same values and iterations on
  /// one, two and three workers.
  package func measure(workers: Int, _ coordinate: (MeasureQueue) throws(GLPKError) -> Void) throws(GLPKError) {
    guard bases.count == formulation.stages.count else { throw .noOptimalBasis("a relaxation") }
    var optimizers: [Optimizer] = [self]
    for _ in 1..<max(1, workers) { optimizers.append(try clone()) }
    let queue = MeasureQueue()
    let group = DispatchGroup()
    for optimizer in optimizers {
      group.enter()
      // A thread of its own rather than a pool's: a worker blocks for minutes on its GLPK
      // thread, and a pool need not start the others meanwhile.
      Thread {
        defer { group.leave() }
        do throws(GLPKError) {
          try optimizer.measureHere(queue)
        } catch {
          queue.fail(error)
        }
      }.start()
    }
    var failure: GLPKError?
    do throws(GLPKError) {
      try coordinate(queue)
    } catch {
      failure = error
    }
    queue.close()
    group.wait()
    if let error = failure ?? queue.failure() { throw error }
  }

  /// Measures the tasks `queue` hands out until it closes, each from the same state: the
  /// program as formulated with the relaxation's bounds, the scale factors of that matrix
  /// (`GLPKProblem.scaleIfStale`), and its start or the plan's basis factorized afresh.
  private func measureHere(_ queue: MeasureQueue) throws(GLPKError) {
    let base = formulation.program
    // One stage, no held rows: the stage is prepared once for a run of such tasks. Each
    // starts from its own start or the plan's basis rather than from the last one's optimum,
    // so that where it starts does not depend on which relaxation its worker measured
    // before. Measured on generated large: 63,783 iterations for the values and 13,568 for
    // the curves, against 66,545 and 19,695 chained (docs/performance-history.md).
    var firstStagePrepared = false
    while let (i, task) = queue.next() {
      try problem.batch { [self] () throws(GLPKError) in
        try measureHere(task, at: i, base: base, firstStagePrepared: &firstStagePrepared, queue: queue)
      }
    }
  }

  /// One task of `measureHere`, on the problem's thread.
  private func measureHere(
    _ task: MeasureTask, at i: Int, base: LinearProgram, firstStagePrepared: inout Bool, queue: MeasureQueue
  ) throws(GLPKError) {
    let undo = Self.undo(task.changes, base)
    let start = task.start.map { $0.basis(from: bases[0]) }
    if task.stages == 1 {
      if !firstStagePrepared {
        try reset()
        try prepare(formulation.stages[0])
        firstStagePrepared = true
      }
      try problem.apply(task.changes)
      try problem.restore(start ?? bases[0], refactorizing: true)
      let outcome: SolveOutcome
      var coldRoute = task.route == .cold
      switch task.route {
      case .whole:
        (outcome, coldRoute) = try solveFirstMeasured(
          budget: task.iterationLimit, start: start, method: task.firstMethod)
      case .warm: outcome = try solveFirstWarm(budget: task.iterationLimit, method: task.firstMethod)
      case .cold: outcome = try solveFirstCold(budget: task.iterationLimit)
      }
      var measured: MeasuredPlan?
      if task.route == .warm && Self.pathFailures.contains(outcome.status) && task.iterationLimit > outcome.iterations {
        measured = MeasuredPlan(objectives: [], values: [], iterations: outcome.iterations)
        measured?.fellShort = true
      } else if outcome.isOptimal {
        let value = (formulation.stages[0].sense == .minimize ? 1 : -1) * problem.objectiveValue
        measured = MeasuredPlan(
          objectives: [value], values: try task.values(problem), iterations: outcome.iterations)
        if coldRoute { measured?.coldRoutes = [0] }
        measured?.firstOptimum = BasisDelta(problem.basis(), from: bases[0])
      }
      try problem.apply(undo)
      queue.store(i, measured)
    } else {
      firstStagePrepared = false
      try reset()
      try problem.apply(task.changes)
      let measured = try chain(task, start: start)
      try reset()
      try problem.apply(undo)
      queue.store(i, measured)
    }
  }

  /// The changes that put `relax`'s bounds back to the program's.
  static func undo(_ relax: LPChanges, _ base: LinearProgram) -> LPChanges {
    var undo = LPChanges()
    for c in relax.rowBounds { undo.rowBounds.append(Change(c.id, base.rowBounds[c.id.index])) }
    for c in relax.columnBounds { undo.columnBounds.append(Change(c.id, base.columnBounds[c.id.index])) }
    return undo
  }

  /// The task's first `stages` stages warm from the saved bases (the first from `start` when
  /// given), within its iteration budget, without keeping their bases.
  private func chain(_ task: MeasureTask, start: Basis?) throws(GLPKError) -> MeasuredPlan? {
    let (count, limit, method) = (task.stages, task.iterationLimit, task.firstMethod)
    var objectives: [Double] = []
    var spent = 0
    var routes: [Int] = []
    for (s, stage) in formulation.stages.prefix(count).enumerated() {
      try prepare(stage)
      let (outcome, coldRoute) = try solveWarm(
        stage, index: s, options: SolverOptions.warmAfterBoundChanges(), budget: limit - spent, measuring: true,
        start: start, firstMethod: method)
      if coldRoute { routes.append(s) }
      spent += outcome.iterations
      guard outcome.isOptimal else { return nil }
      let value = (stage.sense == .minimize ? 1 : -1) * problem.objectiveValue
      objectives.append(value)
      if stage.holds && s + 1 < count {
        try hold(stage, at: value, index: s)
        if s >= lastCoverageStage { try restrictToFace(stage, problem.solution()) }
      }
    }
    var measured = MeasuredPlan(objectives: objectives, values: try task.values(problem), iterations: spent)
    measured.coldRoutes = routes
    return measured
  }

  /// A stage re-solved at a new point (only bounds moved).
  ///
  /// The first stage starts from its own basis of the previous point with the dual simplex:
  /// that basis is still dual feasible, and the re-solve is short. A later stage tries the
  /// same, but its own basis can lie far from the new optimum once the earlier stages moved
  /// (measured: 24,501 iterations against 1,109 for the fairness stage on the baseline's
  /// relaxations, 24,118 against 3,963 for the cost stage on generated medium); so it may
  /// spend only what the stage took cold, then falls back to the cold route — the primal
  /// simplex from the stage before's optimum, which costs about what the cold solve did. It
  /// falls back too when the attempt ends "infeasible", which a later stage cannot be
  /// (`recover`; measured on generated large: a fairness stage after 7,183 iterations).
  ///
  /// With `measuring` (a relaxation measured through several stages), the first stage follows
  /// `solveFirstMeasured` from `start`, or from the plan's basis. The same steps each time:
  /// the result does not depend on the machine. On the anchor route a later stage takes the cold route at once: between risk
  /// draws the attempt from its own basis failed so often that it cost more than it saved.
  private func solveWarm(
    _ stage: Stage, index s: Int, options base: SolverOptions, budget: Int?, route: WarmRoute = .neighbour,
    measuring: Bool = false, start: Basis? = nil, firstMethod: SolverOptions.Method = .dualPrimal
  ) throws(GLPKError) -> (outcome: SolveOutcome, coldRoute: Bool) {
    var options = base
    if measuring && s == 0 {
      try problem.restore(start ?? bases[0], refactorizing: true)
      return try solveFirstMeasured(budget: budget, start: start, method: firstMethod)
    }
    if route == .anchor && s > 0 {
      options.method = .primal
      options.iterationLimit = budget.map { max(1, $0) }
      return (try problem.solve(options), false)
    }
    options.method = .dualPrimal
    guard s > 0, s < coldIterations.count else {
      try problem.restore(bases[s], refactorizing: measuring)
      options.iterationLimit = budget.map { max(1, $0) }
      return (try problem.solve(options), false)
    }
    let previous = problem.basis()
    try problem.restore(bases[s], refactorizing: measuring)
    // A breakdown's relaxation moves coverage, and the money follows: from the plan's cost
    // basis the attempt either ends within a quarter of what the stage took cold (generated
    // medium: 9 breakdowns of 10, large 1 of 10) or runs out (the bundled baseline: 2 of 2,
    // after 1,020 iterations), so it may spend a quarter, as a measured first stage may.
    let allowance = measuring && stage.isCost ? coldIterations[s] / 4 : coldIterations[s]
    return try attempt(options, allowance: max(50, allowance), budget: budget) { left throws(GLPKError) in
      try problem.restore(previous, refactorizing: measuring)
      options.method = .primal
      options.iterationLimit = left
      return try problem.solve(options)
    }
  }

  /// Solves with `options` (from the basis loaded) within `allowance` iterations and the
  /// `budget`; when that ends short by the path (`pathFailures`) and budget is left, solves
  /// by `coldRoute`, given the iterations left, and counts both.
  private func attempt(
    _ options: SolverOptions, allowance: Int, budget: Int?,
    coldRoute: (_ left: Int?) throws(GLPKError) -> SolveOutcome
  ) throws(GLPKError) -> (outcome: SolveOutcome, coldRoute: Bool) {
    var options = options
    options.iterationLimit = max(1, min(allowance, budget ?? allowance))
    let first = try problem.solve(options)
    guard Self.pathFailures.contains(first.status), budget.map({ $0 > first.iterations }) ?? true else {
      return (first, false)
    }
    return (try coldRoute(budget.map { max(1, $0 - first.iterations) }).after(first), true)
  }

  /// How an attempt from a stage's own basis can end short of the optimum when the stage has
  /// one: out of its allowance, or "infeasible" through the path (every stage is feasible:
  /// the first by its shortfall columns, the later ones by `recover`'s argument).
  static let pathFailures: Set<SolveStatus> = [.iterationLimit, .infeasible, .infeasibleOrUnbounded, .numericalFailure]

  /// The first stage of a measured relaxation, within `budget` iterations, from the basis
  /// loaded (the plan's, or the last relaxation's optimum).
  ///
  /// A relaxation far from the plan can take far longer warm than cold (measured on generated
  /// large: 128,549 dual simplex iterations from the plan's basis, about 7 ms each, against
  /// 40,448 presolved ones at 2 ms for the cold solve). So the dual simplex may spend a quarter
  /// of what the first stage took cold — about the cold solve's cost at those prices — and the
  /// stage is then solved cold with the cold run's options (presolver, identical columns
  /// merged). Every route ends at the stage's unique optimum value.
  private func solveFirstMeasured(budget: Int?, start: Basis?, method: SolverOptions.Method) throws(GLPKError) -> (
    outcome: SolveOutcome, coldRoute: Bool
  ) {
    var options = SolverOptions.warmAfterBoundChanges()
    options.method = method
    guard var cold = coldSolver, let allowance = firstAllowance else {
      options.iterationLimit = budget.map { max(1, $0) }
      return (try problem.solve(options), false)
    }
    return try attempt(options, allowance: allowance, budget: budget) { left throws(GLPKError) in
      // From where the attempt started, so that the cold solve measures the same whether
      // it follows the attempt or runs apart (`MeasureTask.Route.cold`).
      try problem.restore(start ?? bases[0], refactorizing: true)
      cold.iterationLimit = left
      return try problem.solve(cold)
    }
  }

  /// What a measured relaxation's first stage may spend warm before its cold route: a quarter
  /// of what the stage took cold (`solveFirstMeasured`); `nil` without a cold solve to go by.
  private var firstAllowance: Int? {
    guard coldSolver != nil, let took = coldIterations.first else { return nil }
    return max(50, took / 4)
  }

  /// Whether a one-stage measurement's route can be measured as two tasks
  /// (`MeasureTask.Route`): there is a cold route to take.
  package var splitsFirstRoute: Bool { firstAllowance != nil }

  /// The warm attempt of `solveFirstMeasured` alone, from the basis loaded.
  private func solveFirstWarm(budget: Int, method: SolverOptions.Method) throws(GLPKError) -> SolveOutcome {
    var options = SolverOptions.warmAfterBoundChanges()
    options.method = method
    options.iterationLimit = max(1, min(firstAllowance ?? budget, budget))
    return try problem.solve(options)
  }

  /// The cold solve of `solveFirstMeasured` alone, from the basis loaded, within `budget`
  /// iterations.
  private func solveFirstCold(budget: Int) throws(GLPKError) -> SolveOutcome {
    guard var cold = coldSolver else { throw .noOptimalBasis("a relaxation's cold route") }
    cold.iterationLimit = max(1, budget)
    return try problem.solve(cold)
  }

  /// Solves a later stage again after a failure that cannot be real.
  ///
  /// The earlier stage's optimum satisfies the held rows (they allow a tolerance above it) and every block adds
  /// free deviation columns, so a later stage is always feasible and bounded. GLPK's
  /// "infeasible" there comes from the path (a perturbed phase 1 from an ill-suited basis),
  /// so the stage is re-solved from a fresh advanced basis, primal then dual simplex.
  private func recover(_ failed: SolveOutcome, options: SolverOptions) throws(GLPKError) -> SolveOutcome {
    let numerical: Set<SolveStatus> = [.infeasible, .infeasibleOrUnbounded, .numericalFailure]
    guard numerical.contains(failed.status) else { return failed }
    var outcome = failed
    for method in [SolverOptions.Method.primal, .dual] {
      var o = options
      o.method = method
      o.presolve = false
      o.iterationLimit = nil
      o.freshBasis = true
      outcome = try problem.solve(o).after(outcome)
      if outcome.isOptimal { break }
    }
    return outcome
  }

  /// Appends the stage's block, if any, and loads its objective.
  private func prepare(_ stage: Stage) throws(GLPKError) {
    if let block = stage.block {
      try problem.appendColumns(block.columns)
      try problem.appendRows(block.rows)
    }
    // GLPK minimises here throughout; a maximising stage is solved as min −objective.
    try Self.load(stage.objective, sign: stage.sense == .minimize ? 1 : -1, into: problem)
  }

  /// Loads `objective` (times `sign`) into `problem`, changing only the coefficients that
  /// differ from those loaded (its `currentProgram`'s, rather than a copy kept here: 1.7 MB on
  /// generated large).
  static func load(_ objective: [Term], sign: Double = 1, into problem: GLPKProblem) throws(GLPKError) {
    let loaded = problem.currentProgram.objective
    var target = [Double](repeating: 0, count: loaded.count)
    for t in objective where t.column < target.count { target[t.column] = sign * t.coefficient }
    var changes = LPChanges()
    for j in target.indices where target[j] != loaded[j] { changes.objective.append(Change(ColumnID(j), target[j])) }
    try problem.apply(changes)
  }

  /// Appends the stage's objective as a row held near its optimum.
  ///
  /// An LP stage's bound is rounded outward to a grid far finer than the tolerance, so that
  /// optima differing only by floating-point noise (warm against cold) hold the next
  /// stage to the same bound. A MIP stage (`mip`) is held to 10⁻⁷ plus 10⁻⁶ relative, as
  /// `arsenal invest` holds its stages: GLPK's branch and bound proves optima only to its
  /// integrality and objective tolerances, so a tighter hold would let the path decide which
  /// equal portfolios stay feasible.
  private func hold(_ stage: Stage, at value: Double, index s: Int, mip: Bool = false) throws(GLPKError) {
    let bounds: Bounds
    if mip {
      let slack = 1e-7 + 1e-6 * abs(value)
      bounds = stage.sense == .minimize ? .atMost(value + slack) : .atLeast(value - slack)
    } else {
      let slack = formulation.model.settings.stageTolerance * max(1, abs(value))
      let grid = Self.grid(for: value)
      bounds =
        stage.sense == .minimize
        ? .atMost(((value + slack) / grid).rounded(.up) * grid)
        : .atLeast(((value - slack) / grid).rounded(.down) * grid)
    }
    let name = "\(mip ? "mip-" : "")stage[\(s + 1),\(String(stage.name.map { $0 == " " ? "-" : $0 }))]"
    try problem.appendRows([LinearProgram.NewRow(name: name, bounds: bounds, terms: stage.objective)])
  }

  /// A power of ten about 10⁻¹¹ of the value's magnitude.
  static func grid(for value: Double) -> Double {
    let magnitude = max(1, abs(value))
    var g = 1e-11
    while g * 10 <= magnitude * 1e-11 { g *= 10 }
    return g
  }

  /// Whole-lot decisions (docs/MODEL.md, "Whole lots in a plan").
  ///
  /// A MIP per stage from the first through cost, each held at its optimum while the next
  /// runs — the LP stages' own order, so that a plan whose lots come out whole from the LPs
  /// is the one this chain gives — then the integer columns fixed at that portfolio, so that
  /// every stage, its duals and ranging are those of an LP given the portfolio. Returns the
  /// first MIP's outcome when it found no portfolio, and whether every MIP proved its optimum.
  private func fixWholeLots(_ options: OptimizerOptions) throws(GLPKError) -> (failed: MIPOutcome?, proven: Bool) {
    let f = formulation
    let last = f.stages.firstIndex { $0.isCost } ?? (f.stages.count - 1)
    var mip = options.mip
    mip.timeLimit = mip.timeLimit ?? options.solver.timeLimit
    var kept: MIPOutcome?
    var proven = true
    for (s, stage) in f.stages.prefix(last + 1).enumerated() {
      try prepare(stage)
      let outcome = try problem.solveMIP(warmed(mip, stage: s))
      guard outcome.hasSolution, let z = outcome.objective else {
        // A later stage that finds nothing keeps the earlier stage's portfolio, unproven.
        if kept == nil { return (outcome, false) }
        proven = false
        break
      }
      proven = proven && outcome.status == .optimal
      kept = outcome
      // GLPK minimises here throughout; a maximising stage was loaded as −objective.
      let value = (stage.sense == .minimize ? 1 : -1) * z
      if stage.holds && s < last { try hold(stage, at: value, index: s, mip: true) }
      if s == last,
        let timed = try latestDecisions(after: stage, at: value, index: s, options: mip, from: outcome.columnValues)
      {
        proven = proven && timed.status == .optimal
        kept = timed
      }
    }
    try reset()
    var fix = LPChanges()
    if let kept {
      for j in f.program.integerColumns where j < kept.columnValues.count {
        fix.columnBounds.append(Change(ColumnID(j), .exactly(kept.columnValues[j].rounded())))
      }
    }
    try problem.apply(fix)
    wholeLots = fix
    return (nil, proven)
  }

  /// `options` with the relaxation started from the stage's own LP optimum at this plan, when
  /// GLPK's presolver is off: the rows and columns are laid out as in the LP stages (only
  /// the held bounds differ), so the root takes a few dual simplex iterations instead of a
  /// cold solve (docs/PERFORMANCE.md, "Whole lots in sweeps").
  private func warmed(_ options: MIPOptions, stage s: Int) throws(GLPKError) -> MIPOptions {
    var o = options
    guard !o.presolve else { return o }
    try restoreStageBasis(s)
    o.fromCurrentBasis = true
    o.relaxationMethod = Self.fromStageOptimum
    return o
  }

  /// The method of a whole-lot MIP's relaxation from a stage's LP optimum: that basis is
  /// feasible for the relaxation but not dual feasible under the MIP's objective, and the dual
  /// simplex ran thousands of phase-1 iterations from it (docs/PERFORMANCE.md, "Whole lots in
  /// sweeps").
  static let fromStageOptimum = SolverOptions.Method.primal

  /// Restores stage `s`'s optimal basis at this point when it fits the rows and columns
  /// loaded now (the whole-lot MIPs hold their own optima in the rows the LP stages held
  /// theirs in).
  private func restoreStageBasis(_ s: Int) throws(GLPKError) {
    let program = problem.currentProgram
    guard s < bases.count, bases[s].rowStatus.count == program.numberOfRows,
      bases[s].columnStatus.count == program.numberOfColumns
    else { return }
    try problem.restore(bases[s])
  }

  /// `basis` as a basis of the program without the optimal faces' fixes (`restrictToFace`):
  /// a variable the face fixed stands at the bound it was fixed at.
  ///
  /// Saved as GLPK reports it ("fixed"), GLPK would put such a variable at its lower bound
  /// once its bounds are back: a whole-lot MIP's relaxation, which has no face fixed, then
  /// started from a point that is not the stage's optimum, and a sweep's next point from a
  /// worse basis (measured: whole lots 2.74 s a point against 1.52 s, on Aschau's low points;
  /// docs/PERFORMANCE.md, "Whole lots in sweeps"). Where the face fixes the variable again,
  /// GLPK reads either status as fixed.
  private func unrestricted(_ basis: Basis) -> Basis {
    guard !faceFixes.rowBounds.isEmpty || !faceFixes.columnBounds.isEmpty || !faceFixedOwn.isEmpty else {
      return basis
    }
    let program = problem.currentProgram
    var rows = basis.rowStatus
    var columns = basis.columnStatus
    for c in faceFixedColumns() where c.id.index < columns.count && columns[c.id.index] == .fixed {
      columns[c.id.index] = program.columnBounds[c.id.index].lower == c.value.upper ? .atUpper : .atLower
    }
    for c in faceFixes.rowBounds where c.id.index < rows.count && rows[c.id.index] == .fixed {
      rows[c.id.index] = program.rowBounds[c.id.index].lower == c.value.upper ? .atUpper : .atLower
    }
    return Basis(rowStatus: rows, columnStatus: columns)
  }

  /// Among portfolios of equal cost, the one whose decisions come latest.
  ///
  /// Min Σ (T − d) B_edb over the lots, the cost held: the rule `arsenal invest` uses, so
  /// that the portfolio does not depend on the path GLPK's branch and bound takes. `nil` when no lot can be timed or
  /// the MIP found nothing (the cost stage's portfolio is kept). The cost stage's portfolio
  /// (`costPortfolio`) satisfies the held cost and is the branch and bound's first incumbent:
  /// on the Aschau sweep's 19 lowest points the timing MIPs took 12 nodes instead of 23 on
  /// average, by GLPK's default branching rule (docs/PERFORMANCE.md, "Whole lots in sweeps").
  private func latestDecisions(
    after stage: Stage, at value: Double, index s: Int, options: MIPOptions, from costPortfolio: [Double]
  ) throws(GLPKError) -> MIPOutcome? {
    let f = formulation
    let integer = Set(f.program.integerColumns)
    var timing: [Term] = []
    var largest = 0.0
    for (j, role) in f.columnRoles.enumerated() where integer.contains(j) {
      if case .build(_, _, let d, _) = role {
        let weight = f.lateness(decided: d)
        timing.append(Term(column: j, coefficient: weight))
        largest += weight * min(f.program.columnBounds[j].upper, 1e6)
      }
    }
    guard !timing.isEmpty else { return nil }
    // The stage's own LP optimum at this point costs no more than the portfolio: a feasible
    // start for the relaxation (the basis the last MIP left can be slightly infeasible).
    if !options.presolve { try restoreStageBasis(s) }
    // Portfolios of equal lateness (one lot a quarter earlier, another a quarter later) are
    // told apart by each column's name: a perturbation below half a quarter in all, so it
    // never outweighs lateness.
    let epsilon = 0.5 / max(1, largest)
    timing = timing.map { t in
      Term(
        column: t.column,
        coefficient: t.coefficient * (1 + epsilon * (TieBreak.weight(f.program.columnNames[t.column]) - 1)))
    }
    try hold(stage, at: value, index: s, mip: true)
    try Self.load(timing, into: problem)
    var o = options
    o.fromCurrentBasis = !o.presolve
    if o.fromCurrentBasis { o.relaxationMethod = Self.fromStageOptimum }
    o.incumbent = costPortfolio
    let outcome = try problem.solveMIP(o)
    return outcome.hasSolution ? outcome : nil
  }

  /// The stages, with whole lots: when the plan's lots come out whole from the LP stages they
  /// are the MIPs' answer too (an integral optimum of each relaxation in turn is optimal for
  /// its MIP), so the MIPs run only when some lot is fractional; the stages then run again
  /// with the lots fixed.
  private func runWhole(_ options: OptimizerOptions, warm: Bool) throws(GLPKError) -> PlanResult {
    // A portfolio fixed by an earlier run on this problem is undone first.
    var free = LPChanges()
    for j in formulation.program.integerColumns {
      free.columnBounds.append(Change(ColumnID(j), formulation.program.columnBounds[j]))
    }
    try problem.apply(free)
    wholeLots = LPChanges()
    let started = DispatchTime.now().uptimeNanoseconds
    let plan = try runStages(options, warm: warm)
    let integer = formulation.program.integerColumns
    guard options.wholeLots, !integer.isEmpty, plan.isOptimal, let x = plan.solution?.columnValues,
      integer.contains(where: { $0 < x.count && abs(x[$0] - x[$0].rounded()) > 1e-6 })
    else { return plan }
    try reset()
    let (failed, proven) = try fixWholeLots(options)
    if let failed, let first = formulation.stages.first {
      bases = []
      return PlanResult(
        formulation: formulation,
        stages: [
          StageResult(
            stage: first, outcome: failed.asSolveOutcome, objective: .nan, optimum: .nan, degenerate: false,
            seconds: 0)
        ], marginals: [], duals: [], allocation: nil, solution: nil, warm: warm)
    }
    try reset()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    var fixed = try runStages(options, warm: bases.count == formulation.stages.count)
    fixed.wholeLotSeconds = seconds
    fixed.wholeLotIterations = plan.iterations
    fixed.wholeLotsProven = proven
    return fixed
  }

  private func runStages(_ options: OptimizerOptions, warm: Bool) throws(GLPKError) -> PlanResult {
    let f = formulation
    var results: [StageResult] = []
    var marginals: [LimitMarginal] = []
    var duals: [LimitDuals] = []
    var newBases: [Basis] = []
    var solution: LPSolution?
    for (s, stage) in f.stages.enumerated() {
      try prepare(stage)
      let started = DispatchTime.now().uptimeNanoseconds
      var outcome: SolveOutcome
      if warm {
        var o = SolverOptions.warmAfterBoundChanges()
        o.timeLimit = options.solver.timeLimit
        o.captureLog = options.solver.captureLog
        outcome = try solveWarm(stage, index: s, options: o, budget: nil, route: options.warmRoute).outcome
      } else {
        outcome = try problem.solve(s == 0 ? options.solver : .warmAfterObjectiveChanges(from: options.solver))
      }
      if !outcome.isOptimal && s > 0 { outcome = try recover(outcome, options: options.solver) }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
      guard outcome.isOptimal else {
        results.append(
          StageResult(
            stage: stage, outcome: outcome, objective: .nan, optimum: .nan, degenerate: false, seconds: seconds))
        bases = []
        return PlanResult(
          formulation: f, stages: results, marginals: marginals, duals: duals, allocation: nil, solution: nil,
          warm: warm)
      }
      // One read of GLPK's results: the objective and the basis come with the solution.
      let stageSolution = problem.solution()
      let value = (stage.sense == .minimize ? 1 : -1) * stageSolution.objective
      if stageSolution.hasBasis {
        newBases.append(
          unrestricted(Basis(rowStatus: stageSolution.rowStatus, columnStatus: stageSolution.columnStatus)))
      }
      if stage.decidesCoverage, stageSolution.hasBasis {
        duals.append(Self.limitDuals(f, stage: s, solution: stageSolution))
        if options.marginals {
          marginals += try collectMarginals(stage: s, solution: stageSolution, max: options.maxRanged)
        }
      }
      results.append(
        StageResult(
          stage: stage, outcome: outcome, objective: value, optimum: value,
          degenerate: Self.isDegenerate(problem.currentProgram, stageSolution), seconds: seconds))
      solution = stageSolution
      if stage.holds {
        try hold(stage, at: value, index: s)
        if s >= lastCoverageStage && s + 1 < f.stages.count { try restrictToFace(stage, stageSolution) }
      }
    }
    bases = newBases.count == f.stages.count ? newBases : []
    if !warm || coldIterations.count != f.stages.count {
      coldIterations = results.map(\.outcome.iterations)
      coldSolver = warm ? nil : options.solver
      coldFirstStageSeconds = warm ? nil : results.first?.seconds
    }
    if !warm, anchor == nil { anchor = bases.first }
    guard let solution else {
      return PlanResult(
        formulation: f, stages: results, marginals: marginals, duals: duals, allocation: nil, solution: nil, warm: warm)
    }
    let allocation = Allocation(
      formulation: f, columnValues: solution.columnValues, rowActivities: solution.rowActivities)
    // Each stage's objective as reported: evaluated at the final plan, whose values are the
    // same whichever path reached it, rather than GLPK's figure at the stage's own optimum,
    // whose last digits depend on the path (warm or cold, the basis it ended in).
    let reported = results.map { r in
      StageResult(
        stage: r.stage, outcome: r.outcome, objective: Self.evaluate(r.stage, at: solution.columnValues),
        optimum: r.optimum, degenerate: r.degenerate, seconds: r.seconds)
    }
    return PlanResult(
      formulation: f, stages: reported, marginals: marginals, duals: duals, allocation: allocation, solution: solution,
      warm: warm)
  }

  /// A stage's objective, in its own sense, at the plan `x` (each value snapped as reports
  /// print it, summed in column order).
  static func evaluate(_ stage: Stage, at x: [Double]) -> Double {
    var total = 0.0
    for t in stage.objective where t.column < x.count { total += t.coefficient * Allocation.snap(x[t.column]) }
    return (stage.sense == .minimize ? 1 : -1) * total
  }

  /// Duals and ranging of the limits at their upper bound with a non-zero dual.
  private func collectMarginals(stage: Int, solution x: LPSolution, max: Int) throws(GLPKError) -> [LimitMarginal] {
    let f = formulation
    var candidates: [(limit: Int, dual: Double)] = []
    for (l, limit) in f.limits.enumerated() where x.status(of: limit.variable) == .atUpper {
      let dual = x.marginal(of: limit.variable)
      if abs(dual) > 1e-9 { candidates.append((l, dual)) }
    }
    candidates.sort { (abs($0.dual), -$0.limit) > (abs($1.dual), -$1.limit) }
    if candidates.count > max { candidates.removeLast(candidates.count - max) }
    candidates.sort { $0.limit < $1.limit }
    let ranges = try problem.ranging(candidates.map { f.limits[$0.limit].variable })
    return zip(candidates, ranges).map { LimitMarginal(limit: $0.limit, stage: stage, dual: $0.dual, ranging: $1) }
  }

  static func limitDuals(_ f: Formulation, stage: Int, solution x: LPSolution) -> LimitDuals {
    let limits = f.limits.map { limit in
      x.status(of: limit.variable)?.isBasic == false ? x.marginal(of: limit.variable) : 0
    }
    var barred: [Int: Double] = [:]
    for j in f.barredShipments.keys { barred[j] = x.reducedCosts[j] }
    return LimitDuals(stage: stage, limits: limits, barred: barred)
  }

  /// Whether a basic variable sits at one of its bounds (a degenerate vertex).
  static func isDegenerate(_ lp: LinearProgram, _ x: LPSolution) -> Bool {
    func atBound(_ v: Double, _ b: Bounds) -> Bool {
      let tol = 1e-9 * Swift.max(1, abs(v))
      return (b.lower.isFinite && abs(v - b.lower) <= tol) || (b.upper.isFinite && abs(v - b.upper) <= tol)
    }
    for (j, s) in x.columnStatus.enumerated() where s == .basic && atBound(x.columnValues[j], lp.columnBounds[j]) {
      return true
    }
    for (i, s) in x.rowStatus.enumerated() where s == .basic && atBound(x.rowActivities[i], lp.rowBounds[i]) {
      return true
    }
    return false
  }
}
