import CGLPK
import Foundation
import LinearProgram

/// How to run GLPK's branch and bound (`glp_intopt`).
public struct MIPOptions: Sendable, Equatable {
  /// Wall-clock limit in seconds for the branch and bound; `nil` for none.
  public var timeLimit: Double?
  /// Stop once the incumbent is proven within this fraction of the best bound (GLPK's
  /// `mip_gap`; 0 proves optimality).
  public var relativeGap: Double
  /// GLPK's MIP presolver (`presolve`), which also solves the LP relaxation itself.
  public var presolve: Bool
  /// Mixed-integer rounding and Gomory cuts (`mir_cuts`, `gmi_cuts`).
  public var cuts: Bool
  /// Capture GLPK's terminal output into the outcome's log instead of discarding it.
  public var captureLog: Bool
  /// Start the LP relaxation from the basis in the problem (one the caller restored, such as
  /// the same LP's optimal basis at the plan) instead of a fresh advanced basis; an invalid
  /// basis falls back to a fresh one.
  public var fromCurrentBasis = false
  /// The simplex method of the LP relaxation.
  ///
  /// The primal simplex suits a basis the caller
  /// knows to be feasible but not optimal under this objective (a staged solve's optimum of
  /// the same rows): from one, the dual simplex runs a long phase 1.
  public var relaxationMethod = SolverOptions.Method.dualPrimal
  /// How the branch and bound chooses the variable to branch on (GLPK's `br_tech`).
  public var branching = Branching.driebeekTomlin
  /// A solution with whole lots offered to the branch and bound as its first incumbent.
  ///
  /// The caller holds one — the previous MIP's of a chain, which the rows held since still
  /// admit — and the search prunes from its first node. GLPK does not check what it is offered
  /// (`glp_ios_heur_sol`), so it is checked here against every bound and row first and
  /// dropped unless it satisfies them all; the optimum proven is the same either way. Not
  /// offered with `presolve`, whose branch and bound works on a transformed program.
  public var incumbent: [Double]?

  /// The branching rules offered (GLPK's `br_tech`).
  public enum Branching: Sendable, Equatable {
    /// Driebeek and Tomlin's heuristic, GLPK's default (`GLP_BR_DTH`).
    case driebeekTomlin
    /// The first fractional integer column, in column order (`GLP_BR_FFV`).
    case firstFractional
  }

  /// Options; by default no time limit, a gap of 0 (proven optimum), GLPK's presolver on and
  /// cuts on.
  public init(
    timeLimit: Double? = nil, relativeGap: Double = 0, presolve: Bool = true, cuts: Bool = true,
    captureLog: Bool = false, branching: Branching = .driebeekTomlin
  ) {
    self.branching = branching
    self.timeLimit = timeLimit
    self.relativeGap = relativeGap
    self.presolve = presolve
    self.cuts = cuts
    self.captureLog = captureLog
  }
}

/// How a branch and bound ended.
public struct MIPOutcome: Sendable {
  /// The ways a MIP solve ends, in planners' terms.
  public enum Status: String, Sendable, Hashable {
    /// An integer solution proven optimal within the relative gap asked for.
    case optimal
    /// Stopped at the time limit with an integer solution whose gap to the bound is known.
    case timeLimitFeasible = "time-limit-feasible"
    /// Stopped at the time limit before finding any integer solution.
    case timeLimitNoSolution = "time-limit-no-solution"
    /// No integer solution satisfies the constraints (proven).
    case infeasible
    /// The LP relaxation has no optimum (unbounded, or the solver failed on it).
    case relaxationFailed = "relaxation-failed"
    /// GLPK failed numerically.
    case numericalFailure = "numerical-failure"
  }

  /// How it ended.
  public let status: Status
  /// The LP relaxation's optimum: a bound no integer solution beats.
  public let relaxationBound: Double?
  /// The objective of the best integer solution found.
  public let objective: Double?
  /// The best bound when the search stopped (equal to the objective when proven optimal).
  public let bestBound: Double?
  /// Branch-and-bound nodes created.
  public let nodes: Int
  /// The best integer solution's column values.
  public let columnValues: [Double]
  /// Its row activities.
  public let rowActivities: [Double]
  /// A sentence for people.
  public let message: String
  /// GLPK's terminal output, when asked for.
  public let log: String

  /// Whether an integer solution is at hand (proven optimal or stopped at the time limit).
  public var hasSolution: Bool { status == .optimal || status == .timeLimitFeasible }

  /// |objective − bound| / max(1, |objective|): how far the solution may be from the best.
  public var gap: Double? {
    guard let objective, let bestBound else { return nil }
    return abs(objective - bestBound) / max(1, abs(objective))
  }
}

/// What the branch-and-bound callback records (reached only from GLPK's thread).
final class MIPTracker {
  var nodes = 0
  var bestBound: Double?
  /// The incumbent to offer at the first heuristic call, GLPK's way: x[1...n].
  var incumbent: [Double]?

  func record(_ tree: OpaquePointer) {
    var active: Int32 = 0
    var current: Int32 = 0
    var total: Int32 = 0
    glp_ios_tree_size(tree, &active, &current, &total)
    nodes = max(nodes, Int(total))
    let best = glp_ios_best_node(tree)
    if best != 0 { bestBound = glp_ios_node_bound(tree, best) }
  }
}

extension GLPKProblem {
  /// Solves the loaded program as a MIP (its `integerColumns` whole numbers): the LP
  /// relaxation by the simplex method first (its optimum is the bound reported), then GLPK's
  /// branch and bound.
  ///
  /// Every outcome is typed; input never makes GLPK abort (integer columns have whole-number
  /// bounds by construction, checked here again).
  public func solveMIP(_ options: MIPOptions = .init()) throws(GLPKError) -> MIPOutcome {
    if let t = options.timeLimit, !(t > 0 && t.isFinite) {
      throw .invalidOption("time limit \(t) s; expected a positive number of seconds")
    }
    guard options.relativeGap >= 0, options.relativeGap < 1 else {
      throw .invalidOption("relative gap \(options.relativeGap); expected a fraction from 0 to below 1")
    }
    for j in program.integerColumns {
      let b = program.columnBounds[j]
      for v in [b.lower, b.upper] where v.isFinite && v != v.rounded() {
        throw .invalidOption("integer column \"\(program.columnNames[j])\" has a bound of \(v), not a whole number")
      }
    }
    return thread.sync { [self] in
      guard let p = prob else {
        return MIPOutcome(
          status: .numericalFailure, relaxationBound: nil, objective: nil, bestBound: nil, nodes: 0, columnValues: [],
          rowActivities: [], message: "The problem object is gone.", log: "")
      }
      logSink.start(capturing: options.captureLog)
      let outcome = runMIP(p, options)
      // The stored simplex solution is the relaxation's, not the program's as bounds stand.
      hasOptimalBasis = false
      return MIPOutcome(
        status: outcome.status, relaxationBound: outcome.relaxationBound, objective: outcome.objective,
        bestBound: outcome.bestBound, nodes: outcome.nodes, columnValues: outcome.columnValues,
        rowActivities: outcome.rowActivities, message: outcome.message, log: logSink.stop())
    }
  }

  func runMIP(_ p: OpaquePointer, _ options: MIPOptions) -> MIPOutcome {
    func ended(_ status: MIPOutcome.Status, _ message: String, relaxation: Double? = nil) -> MIPOutcome {
      MIPOutcome(
        status: status, relaxationBound: relaxation, objective: nil, bestBound: nil, nodes: 0, columnValues: [],
        rowActivities: [], message: message, log: "")
    }
    let started = Date()
    scaleIfStale(p)
    // The relaxation first, from an advanced basis: its optimum is the bound reported, and
    // glp_intopt without its presolver needs an optimal basis.
    var lp = simplexParameters(
      SolverOptions(captureLog: options.captureLog), method: options.relaxationMethod, presolve: false)
    if let t = options.timeLimit { lp.tm_lim = GLPKProblem.milliseconds(t) }
    if !options.fromCurrentBasis, program.numberOfRows > 0 { glp_adv_basis(p, 0) }
    simplexHasRun = true
    var ret = glp_simplex(p, &lp)
    if options.fromCurrentBasis, ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND {
      if program.numberOfRows > 0 { glp_adv_basis(p, 0) }
      ret = glp_simplex(p, &lp)
    }
    let relaxation = classifySimplex(p, ret)
    guard relaxation.status == .optimal else {
      if relaxation.status == .infeasible {
        return ended(.infeasible, "No solution satisfies the constraints, even with fractional lots.")
      }
      if relaxation.status == .timeLimit {
        return ended(.timeLimitNoSolution, "The time limit ran out while solving the LP relaxation.")
      }
      return ended(.relaxationFailed, "The LP relaxation did not solve: \(relaxation.message)")
    }
    let bound = glp_get_obj_val(p)
    for j in program.integerColumns { glp_set_col_kind(p, Int32(j + 1), GLP_IV) }
    defer { for j in program.integerColumns { glp_set_col_kind(p, Int32(j + 1), GLP_CV) } }
    let tracker = MIPTracker()
    var parm = branchAndBoundParameters(options, started: started, tracker: tracker)
    let r = withExtendedLifetime(tracker) { glp_intopt(p, &parm) }
    let stat = glp_mip_status(p)
    let hasIncumbent = stat == GLP_OPT || stat == GLP_FEAS
    let objective = hasIncumbent ? glp_mip_obj_val(p) : nil
    let n = program.numberOfColumns
    let m = program.numberOfRows
    let values = hasIncumbent ? (0..<n).map { glp_mip_col_val(p, Int32($0 + 1)) } : []
    let activities = hasIncumbent ? (0..<m).map { glp_mip_row_val(p, Int32($0 + 1)) } : []
    let (status, message) = Self.classifyMIP(r, stat, gapAsked: options.relativeGap > 0)
    // The search tree is empty when proven optimal (a gap reached returns GLP_EMIPGAP): the
    // bound is the objective.
    var best = r == 0 && stat == GLP_OPT ? objective : tracker.bestBound
    // The bound lies between the relaxation's and the solution's.
    if let b = best, let z = objective, program.sense == .minimize { best = min(max(b, bound), z) }
    if let b = best, let z = objective, program.sense == .maximize { best = max(min(b, bound), z) }
    return MIPOutcome(
      status: status, relaxationBound: bound, objective: objective, bestBound: hasIncumbent ? best : nil,
      nodes: tracker.nodes, columnValues: values, rowActivities: activities, message: message, log: "")
  }

  /// GLPK's branch-and-bound parameters for `options`, the time left after the relaxation
  /// (begun at `started`), and the callback that records the tree and offers the incumbent.
  func branchAndBoundParameters(_ options: MIPOptions, started: Date, tracker: MIPTracker) -> glp_iocp {
    var parm = glp_iocp()
    glp_init_iocp(&parm)
    parm.msg_lev = options.captureLog ? GLP_MSG_ALL : GLP_MSG_OFF
    parm.presolve = options.presolve ? GLP_ON : GLP_OFF
    parm.mip_gap = options.relativeGap
    if options.cuts {
      parm.mir_cuts = GLP_ON
      parm.gmi_cuts = GLP_ON
    }
    if let t = options.timeLimit {
      let left = max(0.001, t - Date().timeIntervalSince(started))
      parm.tm_lim = GLPKProblem.milliseconds(left)
    }
    parm.br_tech = options.branching == .firstFractional ? GLP_BR_FFV : GLP_BR_DTH
    // GLPK's presolver hands the branch and bound a transformed program, whose columns are
    // not the caller's: an incumbent is offered only without it.
    if !options.presolve, let x = options.incumbent.flatMap(admissible) { tracker.incumbent = [0] + x }
    parm.cb_info = Unmanaged.passUnretained(tracker).toOpaque()
    parm.cb_func = { tree, info in
      guard let tree, let info else { return }
      let tracker = Unmanaged<MIPTracker>.fromOpaque(info).takeUnretainedValue()
      if glp_ios_reason(tree) == GLP_IHEUR, let x = tracker.incumbent {
        tracker.incumbent = nil
        // Rejected only when an incumbent at least as good is known already.
        _ = x.withUnsafeBufferPointer { glp_ios_heur_sol(tree, $0.baseAddress) }
      }
      tracker.record(tree)
    }
    return parm
  }

  /// How `glp_intopt` ended (its return code `r` and `glp_mip_status`), in planners' terms.
  static func classifyMIP(_ r: Int32, _ stat: Int32, gapAsked: Bool) -> (MIPOutcome.Status, String) {
    switch (r, stat) {
    case (0, GLP_OPT):
      return (.optimal, "GLPK's branch and bound proved the solution optimal\(gapAsked ? " within the gap" : "").")
    case (0, GLP_NOFEAS), (GLP_ENOPFS, _):
      return (.infeasible, "GLPK proved that no solution with whole lots satisfies the constraints.")
    case (GLP_EMIPGAP, GLP_FEAS):
      return (.optimal, "GLPK's branch and bound proved the solution within the relative gap asked for.")
    case (GLP_ETMLIM, GLP_FEAS):
      return (.timeLimitFeasible, "The time limit ran out; the best solution found is kept, with its gap to the bound.")
    case (GLP_ETMLIM, _):
      return (.timeLimitNoSolution, "The time limit ran out before branch and bound found a solution with whole lots.")
    default:
      return (.numericalFailure, "GLPK's branch and bound failed (code \(r), status \(stat)).")
    }
  }
}

extension GLPKProblem {
  /// `x` with its integer columns rounded to whole numbers, when it has a value for every
  /// column and satisfies every bound and row of the program loaded within 10⁻⁷ relative
  /// (GLPK's own feasibility tolerance); `nil` otherwise.
  func admissible(_ x: [Double]) -> [Double]? {
    guard x.count == program.numberOfColumns else { return nil }
    func within(_ v: Double, _ b: Bounds) -> Bool {
      let tolerance = 1e-7 * max(1, abs(v))
      return v.isFinite && v >= b.lower - tolerance && v <= b.upper + tolerance
    }
    var x = x
    for j in program.integerColumns {
      let whole = x[j].rounded()
      guard abs(x[j] - whole) <= 1e-9 else { return nil }
      x[j] = whole
    }
    for j in x.indices where !within(x[j], program.columnBounds[j]) { return nil }
    for i in 0..<program.numberOfRows {
      var activity = 0.0
      for k in program.rowStart[i]..<program.rowStart[i + 1] {
        activity += program.entryValue[k] * x[Int(program.entryColumn[k])]
      }
      guard within(activity, program.rowBounds[i]) else { return nil }
    }
    return x
  }
}

extension MIPOutcome {
  /// The outcome in an LP solve's terms: what a chain of stages reports when its integer
  /// decisions could not be fixed.
  public var asSolveOutcome: SolveOutcome {
    let s: SolveStatus
    switch status {
    case .optimal, .timeLimitFeasible: s = .optimal
    case .timeLimitNoSolution: s = .timeLimit
    case .infeasible: s = .infeasible
    case .relaxationFailed, .numericalFailure: s = .numericalFailure
    }
    return SolveOutcome(
      status: s, glpkReturnCode: 0, glpkStatus: 0, message: message, iterations: 0, log: log)
  }
}
