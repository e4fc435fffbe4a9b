import Dispatch
import Formulation
import GLPKSolver
import LinearProgram
import PlanningModel

/// How to run a staged solve.
public struct OptimizerOptions: Sendable {
  /// Options of the first stage's (cold) solve; later stages re-solve warm.
  public var solver: SolverOptions
  /// Compute bottleneck sensitivity (ranging and tableau columns) after each shortfall stage.
  public var sensitivity: Bool
  /// At most this many binding limits are analysed per stage, largest marginal first.
  public var maxLimitsPerStage: Int
  /// At most this many degenerate limits per stage get their value measured by a warm
  /// re-solve with the limit relaxed (largest marginal first); the rest keep the tableau
  /// rate, flagged as degenerate.
  public var maxMeasuredPerStage: Int

  public init(
    solver: SolverOptions = .init(), sensitivity: Bool = true, maxLimitsPerStage: Int = 400,
    maxMeasuredPerStage: Int = 12
  ) {
    self.solver = solver
    self.sensitivity = sensitivity
    self.maxLimitsPerStage = maxLimitsPerStage
    self.maxMeasuredPerStage = maxMeasuredPerStage
  }
}

/// What relaxing one binding limit by one unit does, in one stage.
public struct LimitSensitivity: Sendable {
  /// Index into `Formulation.limits`.
  public let limit: Int
  /// Row dual or reduced cost, in the stage objective's units.
  public let marginal: Double
  public let ranging: Ranging
  /// Change per unit of relaxation of each demand column (shortfall or target gap) the
  /// stage decides; negative means less shortfall.
  public let effects: [(column: Int, rate: Double)]
  /// Units of demand covered per unit of relaxation: −Σ effects.
  public let covered: Double
  /// The basis changes as soon as the limit moves up: the tableau rate need not hold.
  public let degenerate: Bool
  /// For degenerate limits: the relaxation used to measure `covered` by re-solving (the
  /// value is then the average over that step, not a tableau rate). `nil` when the value
  /// comes from the tableau.
  public let measuredStep: Double?
}

public struct StageResult: Sendable {
  public let stage: Stage
  public let outcome: SolveOutcome
  /// The stage objective at its optimum (in its own sense).
  public let objective: Double
  public let sensitivity: [LimitSensitivity]
  /// Some basic variable sits at a bound: the optimum is degenerate and duals not unique.
  public let degenerate: Bool
  /// Wall-clock seconds of GLPK's solve (kept out of report bodies).
  public let seconds: Double
  /// Wall-clock seconds of the sensitivity analysis (ranging, tableau columns, measured
  /// re-solves) after the solve.
  public let sensitivitySeconds: Double
}

public struct PlanResult: Sendable {
  public let formulation: Formulation
  public let stages: [StageResult]
  /// The final plan, when every stage solved to optimality.
  public let allocation: Allocation?
  public let solution: LPSolution?

  public var isOptimal: Bool { allocation != nil }
  public var status: SolveStatus { stages.last?.outcome.status ?? .numericalFailure }
  public var iterations: Int { stages.reduce(0) { $0 + $1.outcome.iterations } }
  public var solveSeconds: Double { stages.reduce(0) { $0 + $1.seconds } }
  public var sensitivitySeconds: Double { stages.reduce(0) { $0 + $1.sensitivitySeconds } }
  /// The failing stage's outcome, if any.
  public var failure: (stage: Stage, outcome: SolveOutcome)? {
    stages.first { !$0.outcome.isOptimal }.map { ($0.stage, $0.outcome) }
  }
}

/// Runs a formulation's stages on one GLPK problem, re-solving warm from stage to stage
/// and, for sweeps, from point to point.
public final class Optimizer: @unchecked Sendable {
  // Used from one task at a time (a sweep worker or a single run); GLPKProblem itself
  // confines GLPK to its own thread.
  public private(set) var formulation: Formulation
  public let problem: GLPKProblem
  private var firstStageBasis: Basis?

  public init(_ formulation: Formulation) throws(GLPKError) {
    self.formulation = formulation
    self.problem = try GLPKProblem(formulation.program)
  }

  /// Solves all stages of the loaded formulation.
  public func run(_ options: OptimizerOptions = .init()) throws(GLPKError) -> PlanResult {
    try runStages(options, warm: false)
  }

  /// Re-solves for a new formulation of the same structure (a sweep point): only bounds
  /// change, so the stored first-stage basis of the previous point is restored and dual
  /// simplex continues from it. Falls back to a cold load when the structure differs.
  /// Returns `nil` when the structure differs; the caller then builds a new optimizer.
  public func resolve(_ next: Formulation, options: OptimizerOptions = .init()) throws(GLPKError) -> PlanResult? {
    guard next.program.hasSameStructure(as: formulation.program), next.stages == formulation.stages else {
      return nil
    }
    // Back to the first stage's rows (the held stages were appended), then the new bounds.
    try problem.keepRows(formulation.program.numberOfRows)
    try problem.update(to: next.program)
    formulation = next
    if let basis = firstStageBasis { try problem.restore(basis) }
    return try runStages(options, warm: firstStageBasis != nil)
  }

  private func runStages(_ options: OptimizerOptions, warm: Bool) throws(GLPKError) -> PlanResult {
    let f = formulation
    var results: [StageResult] = []
    var current = problem.currentProgram.objective
    var solution: LPSolution?
    for (s, stage) in f.stages.enumerated() {
      // GLPK minimises here throughout; a maximising stage is solved as min −objective.
      let sign = stage.sense == .minimize ? 1.0 : -1.0
      var target = [Double](repeating: 0, count: f.program.numberOfColumns)
      for (j, c) in stage.objective { target[j] = sign * c }
      var changes = LPChanges()
      for j in 0..<target.count where target[j] != current[j] { changes.objective.append((ColumnID(j), target[j])) }
      try problem.apply(changes)
      current = target

      let solverOptions: SolverOptions
      if s == 0 {
        solverOptions = warm ? .warmAfterBoundChanges(from: options.solver) : options.solver
      } else {
        solverOptions = .warmAfterObjectiveChanges(from: options.solver)
      }
      let started = DispatchTime.now().uptimeNanoseconds
      let outcome = try problem.solve(solverOptions)
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
      guard outcome.isOptimal else {
        results.append(
          StageResult(
            stage: stage, outcome: outcome, objective: .nan, sensitivity: [], degenerate: false, seconds: seconds,
            sensitivitySeconds: 0))
        return PlanResult(formulation: f, stages: results, allocation: nil, solution: nil)
      }
      if s == 0 { firstStageBasis = problem.basis() }
      let value = sign * problem.objectiveValue
      let stageSolution = problem.solution()
      var sensitivity: [LimitSensitivity] = []
      let sensitivityStart = DispatchTime.now().uptimeNanoseconds
      // Interior point leaves no basis: no ranging, no tableau (the report says so).
      if options.sensitivity, problem.hasBasis, case .shortfall = stage.kind {
        // Measured re-solves share an iteration budget proportional to the stage's own
        // iterations, so sensitivity stays a fraction of the solve on large programs and
        // — unlike a time budget — gives the same values on every run.
        let budget = max(2_000, outcome.iterations / 5)
        sensitivity = try analyse(
          stage: stage, solution: stageSolution, max: options.maxLimitsPerStage, measure: options.maxMeasuredPerStage,
          solver: options.solver, iterationBudget: budget)
      }
      results.append(
        StageResult(
          stage: stage, outcome: outcome, objective: value, sensitivity: sensitivity,
          degenerate: Self.isDegenerate(problem.currentProgram, stageSolution), seconds: seconds,
          sensitivitySeconds: Double(DispatchTime.now().uptimeNanoseconds - sensitivityStart) / 1e9))
      solution = stageSolution
      // Hold this stage near its optimum while later stages run: its objective becomes a
      // row (appended as basic, so the next stage starts from this basis).
      if stage.holds {
        let slack = f.model.settings.stageTolerance * max(1, abs(value))
        let bounds: Bounds = stage.sense == .minimize ? .atMost(value + slack) : .atLeast(value - slack)
        let name = "stage[\(s + 1),\(String(stage.name.map { $0 == " " ? "-" : $0 }))]"
        try problem.appendRows([LinearProgram.NewRow(name: name, bounds: bounds, terms: stage.objective)])
      }
    }
    guard let solution else { return PlanResult(formulation: f, stages: results, allocation: nil, solution: nil) }
    let allocation = Allocation(formulation: f, columnValues: solution.columnValues, rowActivities: solution.rowActivities)
    return PlanResult(formulation: f, stages: results, allocation: allocation, solution: solution)
  }

  /// Binding limits with a non-zero marginal, their ranging, and what one more unit of
  /// each does to the demand this stage decides (from the simplex tableau; for degenerate
  /// limits, measured by re-solving with the limit relaxed).
  private func analyse(
    stage: Stage, solution x: LPSolution, max: Int, measure: Int, solver: SolverOptions, iterationBudget: Int
  ) throws(GLPKError) -> [LimitSensitivity] {
    let f = formulation
    let counted = Set(f.demandColumns(of: Set(stage.classes)))
    var candidates: [(Int, Double)] = []
    for (l, limit) in f.limits.enumerated() {
      guard x.status(of: limit.variable) == .atUpper else { continue }
      let marginal = x.marginal(of: limit.variable)
      if abs(marginal) > 1e-9 { candidates.append((l, marginal)) }
    }
    candidates.sort { (abs($0.1), -$0.0) > (abs($1.1), -$1.0) }
    if candidates.count > max { candidates.removeLast(candidates.count - max) }
    candidates.sort { $0.0 < $1.0 }
    let ranges = try problem.ranging(candidates.map { f.limits[$0.0].variable })
    var out: [LimitSensitivity] = []
    var degenerate: [(index: Int, marginal: Double)] = []
    for (n, (l, marginal)) in candidates.enumerated() {
      let column = try problem.tableauColumn(f.limits[l].variable)
      var effects: [(column: Int, rate: Double)] = []
      var covered = 0.0
      for entry in column {
        let rate = entry.rate
        guard case .column(let j) = entry.variable, counted.contains(j), abs(rate) > 1e-12 else { continue }
        effects.append((j, rate))
        covered -= rate
      }
      effects.sort { $0.column < $1.column }
      let r = ranges[n]
      let isDegenerate = !(r.activityRange.upper > r.activity + 1e-9 * Swift.max(1, abs(r.activity)))
      if isDegenerate { degenerate.append((out.count, marginal)) }
      out.append(
        LimitSensitivity(
          limit: l, marginal: marginal, ranging: r, effects: effects, covered: covered, degenerate: isDegenerate,
          measuredStep: nil))
    }
    // Where the basis changes at once, the tableau rate may not be what relaxing the limit
    // buys: measure it by re-solving (warm, dual simplex) with the limit raised by a step.
    let chosen = degenerate.sorted { (abs($0.marginal), -$0.index) > (abs($1.marginal), -$1.index) }.prefix(measure)
    if !chosen.isEmpty {
      let basis = problem.basis()
      let columns = counted.sorted()
      let before = try problem.values(of: columns.map(ColumnID.init))
      var spent = 0
      for (index, _) in chosen where spent < iterationBudget {
        let s = out[index]
        let limit = f.limits[s.limit]
        let level = s.ranging.activity
        let step = Swift.max(1, 0.01 * abs(level))
        let (measured, iterations) = try measureRelaxation(
          limit.variable, step: step, columns: columns, before: before, solver: solver,
          iterationLimit: iterationBudget - spent)
        spent += iterations
        try problem.restore(basis)
        guard let measured else { continue }
        out[index] = LimitSensitivity(
          limit: s.limit, marginal: s.marginal, ranging: s.ranging, effects: measured.effects, covered: measured.covered,
          degenerate: true, measuredStep: step)
      }
      // Back to the stage optimum (same basis: no iterations), so later calls see it.
      try problem.restore(basis)
      _ = try problem.solve(.warmAfterBoundChanges(from: solver))
    }
    return out
  }

  /// Raises a limit by `step`, re-solves warm, and returns the change of the demand
  /// columns per unit of the step; the limit is put back before returning.
  private func measureRelaxation(
    _ variable: LPVariable, step: Double, columns: [Int], before: [Double], solver: SolverOptions, iterationLimit: Int
  ) throws(GLPKError) -> (result: (effects: [(column: Int, rate: Double)], covered: Double)?, iterations: Int) {
    let program = problem.currentProgram
    var relax = LPChanges()
    var undo = LPChanges()
    switch variable {
    case .row(let i):
      let b = program.rowBounds[i]
      relax.rowBounds = [(RowID(i), Bounds(lower: b.lower, upper: b.upper + step))]
      undo.rowBounds = [(RowID(i), b)]
    case .column(let j):
      let b = program.columnBounds[j]
      relax.columnBounds = [(ColumnID(j), Bounds(lower: b.lower, upper: b.upper + step))]
      undo.columnBounds = [(ColumnID(j), b)]
    }
    try problem.apply(relax)
    var options = SolverOptions.warmAfterBoundChanges(from: solver)
    options.iterationLimit = Swift.max(1, iterationLimit)
    options.timeLimit = nil
    let outcome = try problem.solve(options)
    var result: (effects: [(column: Int, rate: Double)], covered: Double)?
    if outcome.isOptimal {
      let after = try problem.values(of: columns.map(ColumnID.init))
      var effects: [(column: Int, rate: Double)] = []
      var covered = 0.0
      for (n, j) in columns.enumerated() {
        let rate = (after[n] - before[n]) / step
        if abs(rate) > 1e-9 {
          effects.append((j, rate))
          covered -= rate
        }
      }
      result = (effects, covered)
    }
    try problem.apply(undo)
    return (result, outcome.iterations)
  }

  /// Whether a basic variable sits at one of its bounds (a degenerate vertex).
  static func isDegenerate(_ lp: LinearProgram, _ x: LPSolution) -> Bool {
    func atBound(_ v: Double, _ b: Bounds) -> Bool {
      let tol = 1e-9 * max(1, abs(v))
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
