import CGLPK
import Foundation
import LinearProgram

/// Solving, classifying how a solve ended, and reading its results.
extension GLPKProblem {
  // MARK: Solving

  /// Solves from the stored basis (the initial one on a first call).
  public func solve(_ options: SolverOptions = .init()) throws(GLPKError) -> SolveOutcome {
    if let t = options.timeLimit, !(t > 0 && t.isFinite) {
      throw .invalidOption("time limit \(t) s; expected a positive number of seconds")
    }
    if let it = options.iterationLimit, it < 0 {
      throw .invalidOption("iteration limit \(it); expected zero or more")
    }
    return thread.sync { [self] in
      guard let p = prob else {
        return SolveOutcome(
          status: .numericalFailure, glpkReturnCode: -1, glpkStatus: 0,
          message: "The problem object is gone.", iterations: 0, log: "")
      }
      scaleIfStale(p)
      logSink.start(capturing: options.captureLog)
      let cpu = Self.threadCPUSeconds()
      lastSolveWasInterior = options.method == .interior
      let run: Classification
      if options.method == .interior {
        run = runInterior(p, options)
        hasOptimalBasis = false
      } else {
        run = runSimplex(p, options)
        hasOptimalBasis = run.status == .optimal
      }
      return SolveOutcome(
        status: run.status, glpkReturnCode: Int(run.returnCode), glpkStatus: Int(run.glpkStatus),
        message: run.message, iterations: run.iterations, log: logSink.stop(),
        cpuSeconds: Self.threadCPUSeconds() - cpu)
    }
  }

  /// CPU time of the calling thread (GLPK's own, inside `thread.sync`).
  static func threadCPUSeconds() -> Double {
    var t = timespec()
    guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0 else { return 0 }
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// Seconds as GLPK's millisecond limit, clamped before any conversion so that no value
  /// can trap (a limit beyond 24 days is no limit in practice).
  static func milliseconds(_ seconds: Double) -> Int32 {
    Int32(max(1, min(Double(Int32.max), (seconds * 1000).rounded(.up))))
  }

  func simplexParameters(_ options: SolverOptions, method: SolverOptions.Method, presolve: Bool) -> glp_smcp {
    var parm = glp_smcp()
    glp_init_smcp(&parm)
    parm.msg_lev = options.captureLog ? GLP_MSG_ALL : GLP_MSG_OFF
    switch method {
    case .primal: parm.meth = GLP_PRIMAL
    case .dualPrimal: parm.meth = GLP_DUALP
    case .dual, .interior: parm.meth = GLP_DUAL
    }
    parm.presolve = presolve ? GLP_ON : GLP_OFF
    if let t = options.timeLimit { parm.tm_lim = GLPKProblem.milliseconds(t) }
    if let it = options.iterationLimit { parm.it_lim = Int32(clamping: it) }
    options.tuning.apply(to: &parm)
    return parm
  }

  func runSimplex(_ p: OpaquePointer, _ given: SolverOptions) -> Classification {
    var options = given
    var merged = 0
    if options.presolve && options.tuning.mergeIdenticalColumns, let run = solveMerged(p, options) {
      // What the merged solve spent counts against the limits; from its optimum, `p` is
      // solved without the presolver, which would discard the basis.
      merged = run.iterations
      if let t = options.timeLimit { options.timeLimit = max(0.001, t - run.seconds) }
      if let it = options.iterationLimit { options.iterationLimit = max(0, it - run.iterations) }
      if run.optimal {
        options.presolve = false
        options.advancedBasis = false
        options.freshBasis = false
      }
    }
    let before = glp_get_it_cnt(p)
    let firstSolve = options.advancedBasis && !simplexHasRun
    if (firstSolve || options.freshBasis) && !options.presolve && program.numberOfRows > 0 {
      glp_adv_basis(p, 0)
    }
    simplexHasRun = true
    options.tuning.applyFactorization(to: p)
    var parm = simplexParameters(options, method: options.method, presolve: options.presolve)
    var ret = glp_simplex(p, &parm)
    if ret == GLP_EBADB {
      // The stored basis is invalid (it should not be; be robust): rebuild and retry once.
      glp_adv_basis(p, 0)
      ret = glp_simplex(p, &parm)
    }
    if options.presolve && (ret == GLP_ENOPFS || ret == GLP_ENODFS) {
      // The presolver proves "no feasible primal or dual" but not which, and leaves no
      // basis; the plain simplex run tells infeasible from unbounded.
      parm.presolve = GLP_OFF
      ret = glp_simplex(p, &parm)
    }
    var status = classifySimplex(p, ret)
    if status.status == .infeasibleOrUnbounded && options.method != .primal {
      // The dual simplex stops at "no dual feasible basis" without deciding whether the
      // primal is infeasible or unbounded; primal simplex decides.
      var primal = simplexParameters(options, method: .primal, presolve: false)
      ret = glp_simplex(p, &primal)
      status = classifySimplex(p, ret)
    }
    if status.status == .optimal && options.verifyExact {
      let floating = glp_get_obj_val(p)
      var exact = simplexParameters(options, method: .primal, presolve: false)
      let exactRet = glp_exact(p, &exact)
      let exactStatus = glp_get_status(p)
      let value = glp_get_obj_val(p)
      if exactRet != 0 || exactStatus != GLP_OPT {
        status = Classification(
          .verificationFailed, exactRet, exactStatus,
          "Exact arithmetic did not confirm the optimum (glp_exact returned \(exactRet), status \(exactStatus)).")
      } else if abs(value - floating) > 1e-7 * max(1, abs(value)) {
        status = Classification(
          .verificationFailed, exactRet, exactStatus,
          "Exact arithmetic moved the objective from \(floating) to \(value).")
      } else {
        status.message += " Exact rational arithmetic confirmed it."
      }
    }
    status.iterations = Int(glp_get_it_cnt(p) - before) + merged
    return status
  }

  func classifySimplex(_ p: OpaquePointer, _ ret: Int32) -> Classification {
    let stat = glp_get_status(p)
    switch ret {
    case 0:
      switch stat {
      case GLP_OPT: return Classification(.optimal, ret, stat, "GLPK found an optimal solution.")
      case GLP_NOFEAS:
        return Classification(.infeasible, ret, stat, "GLPK proved that no solution satisfies all constraints.")
      case GLP_UNBND:
        return Classification(.unbounded, ret, stat, "GLPK proved that the objective can improve without limit.")
      default:
        if glp_get_prim_stat(p) == GLP_NOFEAS {
          return Classification(.infeasible, ret, stat, "GLPK proved that no solution satisfies all constraints.")
        }
        if glp_get_dual_stat(p) == GLP_NOFEAS {
          if glp_get_prim_stat(p) == GLP_FEAS {
            return Classification(.unbounded, ret, stat, "GLPK proved that the objective can improve without limit.")
          }
          return Classification(
            .infeasibleOrUnbounded, ret, stat,
            "GLPK found no dual feasible basis: the problem is infeasible or unbounded.")
        }
        return Classification(
          .numericalFailure, ret, stat, "GLPK stopped without an optimal solution (status \(stat)).")
      }
    case GLP_EITLIM:
      return Classification(
        .iterationLimit, ret, stat, "GLPK stopped at the iteration limit before reaching an optimum.")
    case GLP_ETMLIM:
      return Classification(.timeLimit, ret, stat, "GLPK stopped at the time limit before reaching an optimum.")
    case GLP_ENOPFS:
      return Classification(
        .infeasible, ret, stat, "GLPK's presolver proved that no solution satisfies all constraints.")
    case GLP_ENODFS:
      return Classification(
        .infeasibleOrUnbounded, ret, stat,
        "GLPK's presolver found no dual feasible solution: infeasible or unbounded.")
    case GLP_ESING, GLP_ECOND:
      return Classification(
        .numericalFailure, ret, stat,
        "The simplex basis became singular or ill-conditioned (GLPK code \(ret)).")
    case GLP_EBADB:
      return Classification(.numericalFailure, ret, stat, "GLPK rejected the starting basis as invalid.")
    case GLP_EBOUND:
      return Classification(.numericalFailure, ret, stat, "GLPK rejected a double-bounded variable's bounds.")
    default:
      return Classification(.numericalFailure, ret, stat, "The simplex solver failed (GLPK code \(ret)).")
    }
  }

  func runInterior(_ p: OpaquePointer, _ options: SolverOptions) -> Classification {
    var parm = glp_iptcp()
    glp_init_iptcp(&parm)
    parm.msg_lev = options.captureLog ? GLP_MSG_ALL : GLP_MSG_OFF
    if program.numberOfRows == 0 || program.numberOfColumns == 0 {
      return Classification(.numericalFailure, GLP_EFAIL, 0, "Interior point needs at least one row and one column.")
    }
    let ret = glp_interior(p, &parm)
    let stat = glp_ipt_status(p)
    switch ret {
    case 0:
      switch stat {
      case GLP_OPT:
        return Classification(.optimal, ret, stat, "GLPK's interior-point method found an optimal solution.")
      case GLP_NOFEAS:
        return Classification(
          .infeasibleOrUnbounded, ret, stat, "GLPK's interior-point method found no primal or dual feasible solution.")
      default:
        return Classification(
          .numericalFailure, ret, stat, "The interior-point method stopped without an optimum (status \(stat)).")
      }
    case GLP_ENOFEAS:
      return Classification(
        .infeasibleOrUnbounded, ret, stat, "GLPK's interior-point method found no primal or dual feasible solution.")
    case GLP_EITLIM:
      return Classification(.iterationLimit, ret, stat, "The interior-point method reached its iteration limit.")
    case GLP_ENOCVG, GLP_EINSTAB:
      return Classification(
        .numericalFailure, ret, stat, "The interior-point method did not converge (GLPK code \(ret)).")
    default:
      return Classification(.numericalFailure, ret, stat, "The interior-point method failed (GLPK code \(ret)).")
    }
  }

  // MARK: Results

  /// Values, duals and (after a simplex solve) the basis of the last solve.
  public func solution() -> LPSolution {
    thread.sync { [self] in
      let m = program.numberOfRows
      let n = program.numberOfColumns
      guard let p = prob else {
        return LPSolution(
          objective: .nan, columnValues: [], rowActivities: [], rowDuals: [], reducedCosts: [],
          rowStatus: [], columnStatus: [])
      }
      if lastSolveWasInterior {
        // Interior-point solution: no basis.
        return LPSolution(
          objective: glp_ipt_obj_val(p),
          columnValues: (0..<n).map { glp_ipt_col_prim(p, Int32($0 + 1)) },
          rowActivities: (0..<m).map { glp_ipt_row_prim(p, Int32($0 + 1)) },
          rowDuals: (0..<m).map { glp_ipt_row_dual(p, Int32($0 + 1)) },
          reducedCosts: (0..<n).map { glp_ipt_col_dual(p, Int32($0 + 1)) },
          rowStatus: [], columnStatus: [])
      }
      return LPSolution(
        objective: glp_get_obj_val(p),
        columnValues: (0..<n).map { glp_get_col_prim(p, Int32($0 + 1)) },
        rowActivities: (0..<m).map { glp_get_row_prim(p, Int32($0 + 1)) },
        rowDuals: (0..<m).map { glp_get_row_dual(p, Int32($0 + 1)) },
        reducedCosts: (0..<n).map { glp_get_col_dual(p, Int32($0 + 1)) },
        rowStatus: (0..<m).map { Self.status(glp_get_row_stat(p, Int32($0 + 1))) },
        columnStatus: (0..<n).map { Self.status(glp_get_col_stat(p, Int32($0 + 1))) })
    }
  }

  /// The objective value of the last solve.
  public var objectiveValue: Double {
    thread.sync { [self] in
      guard let p = prob else { return .nan }
      return lastSolveWasInterior ? glp_ipt_obj_val(p) : glp_get_obj_val(p)
    }
  }

  /// Whether the last solve left a basis (simplex, not interior point): ranging, tableau
  /// columns and warm starts need one.
  public var hasBasis: Bool { thread.sync { [self] in !lastSolveWasInterior } }

  /// Values of selected columns only (cheaper than `solution()` on large programs).
  public func values(of columns: [ColumnID]) throws(GLPKError) -> [Double] {
    let n = currentProgram.numberOfColumns
    for c in columns where c.index < 0 || c.index >= n {
      throw .invalidProgram(.indexOutOfRange(kind: .column, index: c.index, count: n))
    }
    return thread.sync { [self] in
      guard let p = prob else { return [] }
      return columns.map { glp_get_col_prim(p, Int32($0.index + 1)) }
    }
  }

  static func status(_ s: Int32) -> BasisStatus {
    switch s {
    case GLP_BS: return .basic
    case GLP_NL: return .atLower
    case GLP_NU: return .atUpper
    case GLP_NF: return .free
    default: return .fixed
    }
  }

  static func glpkStatus(_ s: BasisStatus) -> Int32 {
    switch s {
    case .basic: return GLP_BS
    case .atLower: return GLP_NL
    case .atUpper: return GLP_NU
    case .free: return GLP_NF
    case .fixed: return GLP_NS
    }
  }
}

/// How one GLPK call ended, read from its return code and the solution status.
struct Classification {
  var status: SolveStatus
  /// What `glp_simplex`/`glp_interior` returned.
  var returnCode: Int32
  /// `glp_get_status` / `glp_ipt_status`.
  var glpkStatus: Int32
  var message: String
  /// Simplex iterations of this call (0 for interior point).
  var iterations = 0

  init(_ status: SolveStatus, _ returnCode: Int32, _ glpkStatus: Int32, _ message: String) {
    self.status = status
    self.returnCode = returnCode
    self.glpkStatus = glpkStatus
    self.message = message
  }
}
