import CGLPK
import Foundation
import LinearProgram

/// A `LinearProgram` loaded into GLPK, living on its own OS thread.
///
/// This file and its neighbours in `GLPKSolver` are the only code in Arsenal that calls
/// `glp_*`. Every index, bound and number is validated in Swift before it reaches C,
/// because GLPK reports misuse by calling `abort()`. The GLPK object is created, used and
/// deleted on one dedicated thread (see `ConfinedThread`); each public method hops onto that
/// thread and blocks until it is done, so instances are safe to share between tasks.
public final class GLPKProblem: @unchecked Sendable {
  private let thread: ConfinedThread
  private let logSink: LogSink
  // Everything below is touched only on `thread`.
  private var prob: OpaquePointer?
  private var program: LinearProgram
  /// True when the stored simplex solution is optimal for the program as it stands.
  private var hasOptimalBasis = false
  /// Whether the last solve was interior point (its solution has no basis).
  private var lastSolveWasInterior = false
  /// Whether a simplex solve has run (after which the stored basis is worth keeping).
  private var simplexHasRun = false
  /// Whether GLPK has been given the names (see `nameEverything`).
  private var named = false

  /// The version of the GLPK library Arsenal is linked against, e.g. "5.0".
  public static var glpkVersion: String { String(cString: glp_version()) }

  /// Loads `program` into a new GLPK problem object on a new dedicated thread.
  public init(_ program: LinearProgram) throws(GLPKError) {
    // GLPK indexes with Int32 and keeps 1-based arrays: refuse what does not fit.
    let limit = Int(Int32.max) - 1
    guard program.numberOfRows < limit, program.numberOfColumns < limit,
      program.numberOfNonZeros < limit
    else {
      throw .tooLarge(
        "\(program.numberOfRows) rows, \(program.numberOfColumns) columns, \(program.numberOfNonZeros) non-zeros")
    }
    let sink = LogSink()
    self.logSink = sink
    self.program = program
    let context = Unmanaged.passUnretained(sink).toOpaque()
    let contextBits = UInt(bitPattern: context)
    self.thread = ConfinedThread(
      name: "glpk",
      setUp: {
        // Terminal output is per thread: route it to this problem's sink, which discards
        // it unless a solve asked to capture it.
        let pointer = UnsafeMutableRawPointer(bitPattern: contextBits)
        glp_term_hook({ info, text in
          guard let info, let text else { return 1 }
          Unmanaged<LogSink>.fromOpaque(info).takeUnretainedValue().append(String(cString: text))
          return 1  // non-zero: GLPK prints nothing itself
        }, pointer)
      },
      tearDown: {
        // A thread that exits without this leaks GLPK's whole environment.
        glp_free_env()
      })
    thread.sync { [self] in load() }
  }

  deinit {
    thread.sync { [self] in
      if let prob { glp_delete_prob(prob) }
      prob = nil
    }
    thread.stop()
  }

  // MARK: Loading

  private func load() {
    guard let p = glp_create_prob() else { return }
    prob = p
    glp_set_prob_name(p, program.name)
    glp_set_obj_dir(p, program.sense == .minimize ? GLP_MIN : GLP_MAX)
    glp_set_obj_coef(p, 0, program.objectiveConstant)
    let m = program.numberOfRows
    let n = program.numberOfColumns
    if m > 0 { glp_add_rows(p, Int32(m)) }
    if n > 0 { glp_add_cols(p, Int32(n)) }
    // Names are handed to GLPK only when a file needs them (`export`, the ranges report):
    // on large programs they would double the memory names take and slow the load.
    for i in 0..<m { setRowBounds(p, i, program.rowBounds[i]) }
    for j in 0..<n {
      setColumnBounds(p, j, program.columnBounds[j])
      glp_set_obj_coef(p, Int32(j + 1), program.objective[j])
    }
    let nz = program.numberOfNonZeros
    if nz > 0 {
      // 1-based triplets; element 0 is ignored by GLPK. LPBuilder guarantees no repeats.
      var ia = [Int32](repeating: 0, count: nz + 1)
      var ja = [Int32](repeating: 0, count: nz + 1)
      var ar = [Double](repeating: 0, count: nz + 1)
      for i in 0..<m {
        for k in program.rowStart[i]..<program.rowStart[i + 1] {
          ia[k + 1] = Int32(i + 1)
          ja[k + 1] = program.entryColumn[k] + 1
          ar[k + 1] = program.entryValue[k]
        }
      }
      glp_load_matrix(p, Int32(nz), ia, ja, ar)
    }
    // Scale once; GLPK keeps the factors for every later solve of this object.
    glp_scale_prob(p, GLP_SF_AUTO)
  }

  private func setRowBounds(_ p: OpaquePointer, _ i: Int, _ b: Bounds) {
    let (type, lb, ub) = Self.glpkBounds(b)
    glp_set_row_bnds(p, Int32(i + 1), type, lb, ub)
  }

  private func setColumnBounds(_ p: OpaquePointer, _ j: Int, _ b: Bounds) {
    let (type, lb, ub) = Self.glpkBounds(b)
    glp_set_col_bnds(p, Int32(j + 1), type, lb, ub)
  }

  private static func glpkBounds(_ b: Bounds) -> (Int32, Double, Double) {
    switch (b.lower.isFinite, b.upper.isFinite) {
    case (false, false): return (GLP_FR, 0, 0)
    case (true, false): return (GLP_LO, b.lower, 0)
    case (false, true): return (GLP_UP, 0, b.upper)
    case (true, true): return b.lower == b.upper ? (GLP_FX, b.lower, b.upper) : (GLP_DB, b.lower, b.upper)
    }
  }

  // MARK: What is loaded

  /// The program as currently loaded, including bound and objective changes.
  public var currentProgram: LinearProgram { thread.sync { [self] in program } }

  // MARK: Changes (kept structure, so the stored basis stays usable)

  /// Applies bound and objective changes; the stored basis is kept for a warm re-solve.
  public func apply(_ changes: LPChanges) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      // Validate everything against a copy first, so a bad change leaves no partial update.
      var updated = program
      do throws(LPError) {
        for (row, bounds) in changes.rowBounds { try updated.setBounds(bounds, row: row) }
        for (column, bounds) in changes.columnBounds { try updated.setBounds(bounds, column: column) }
        for (column, c) in changes.objective { try updated.setObjective(c, column: column) }
      } catch {
        return .failure(.invalidProgram(error))
      }
      guard let p = prob else { return .failure(.noOptimalBasis("a change")) }
      for (row, bounds) in changes.rowBounds { setRowBounds(p, row.index, bounds) }
      for (column, bounds) in changes.columnBounds { setColumnBounds(p, column.index, bounds) }
      for (column, c) in changes.objective { glp_set_obj_coef(p, Int32(column.index + 1), c) }
      program = updated
      if !changes.isEmpty { hasOptimalBasis = false }
      return .success(())
    }
    try result.get()
  }

  /// Makes the loaded program equal to `newProgram`, which must have the same structure,
  /// by applying only the differing bounds and objective coefficients. Returns them.
  @discardableResult
  public func update(to newProgram: LinearProgram) throws(GLPKError) -> LPChanges {
    guard let changes = currentProgram.changes(to: newProgram) else { throw .structureMismatch }
    try apply(changes)
    return changes
  }

  /// Appends rows, keeping the basis: each new row's auxiliary variable enters as basic,
  /// so the next simplex call starts warm.
  public func appendRows(_ rows: [LinearProgram.NewRow]) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      let updated: LinearProgram
      do throws(LPError) {
        updated = try program.appending(rows)
      } catch {
        return .failure(.invalidProgram(error))
      }
      guard let p = prob, !rows.isEmpty else { return .success(()) }
      let first = program.numberOfRows
      glp_add_rows(p, Int32(rows.count))
      for (n, r) in rows.enumerated() {
        let i = first + n
        if named { glp_set_row_name(p, Int32(i + 1), r.name) }
        setRowBounds(p, i, r.bounds)
        let range = updated.rowStart[i]..<updated.rowStart[i + 1]
        var ind = [Int32](repeating: 0, count: range.count + 1)
        var val = [Double](repeating: 0, count: range.count + 1)
        for (k, e) in range.enumerated() {
          ind[k + 1] = updated.entryColumn[e] + 1
          val[k + 1] = updated.entryValue[e]
        }
        glp_set_mat_row(p, Int32(i + 1), Int32(range.count), ind, val)
        glp_set_row_stat(p, Int32(i + 1), GLP_BS)
      }
      program = updated
      hasOptimalBasis = false
      return .success(())
    }
    try result.get()
  }

  /// Removes every row after the first `count` (rows `appendRows` added). Removed rows
  /// are basic, so the remaining basis stays valid.
  public func keepRows(_ count: Int) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      let m = program.numberOfRows
      guard count >= 0 && count <= m else {
        return .failure(.invalidProgram(.indexOutOfRange(kind: .row, index: count, count: m)))
      }
      guard let p = prob, count < m else { return .success(()) }
      let doomed = (count + 1)...m
      var num = [Int32](repeating: 0, count: doomed.count + 1)
      for (k, i) in doomed.enumerated() { num[k + 1] = Int32(i) }
      glp_del_rows(p, Int32(doomed.count), num)
      program = program.keepingRows(count)
      hasOptimalBasis = false
      return .success(())
    }
    try result.get()
  }

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
      logSink.start(capturing: options.captureLog)
      lastSolveWasInterior = options.method == .interior
      let outcome: (SolveStatus, Int32, Int32, String, Int)
      if options.method == .interior {
        outcome = runInterior(p, options)
        hasOptimalBasis = false
      } else {
        outcome = runSimplex(p, options)
        hasOptimalBasis = outcome.0 == .optimal
      }
      return SolveOutcome(
        status: outcome.0, glpkReturnCode: Int(outcome.1), glpkStatus: Int(outcome.2),
        message: outcome.3, iterations: outcome.4, log: logSink.stop())
    }
  }

  private func simplexParameters(_ options: SolverOptions, method: SolverOptions.Method, presolve: Bool) -> glp_smcp {
    var parm = glp_smcp()
    glp_init_smcp(&parm)
    parm.msg_lev = options.captureLog ? GLP_MSG_ALL : GLP_MSG_OFF
    switch method {
    case .primal: parm.meth = GLP_PRIMAL
    case .dualPrimal: parm.meth = GLP_DUALP
    case .dual, .interior: parm.meth = GLP_DUAL
    }
    parm.presolve = presolve ? GLP_ON : GLP_OFF
    if let t = options.timeLimit { parm.tm_lim = Int32(clamping: Int((t * 1000).rounded(.up))) }
    if let it = options.iterationLimit { parm.it_lim = Int32(clamping: it) }
    return parm
  }

  private func runSimplex(_ p: OpaquePointer, _ options: SolverOptions) -> (SolveStatus, Int32, Int32, String, Int) {
    let before = glp_get_it_cnt(p)
    if options.advancedBasis && !simplexHasRun && !options.presolve && program.numberOfRows > 0 {
      glp_adv_basis(p, 0)
    }
    simplexHasRun = true
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
    if status.0 == .infeasibleOrUnbounded && options.method != .primal {
      // The dual simplex stops at "no dual feasible basis" without deciding whether the
      // primal is infeasible or unbounded; primal simplex decides.
      var primal = simplexParameters(options, method: .primal, presolve: false)
      ret = glp_simplex(p, &primal)
      status = classifySimplex(p, ret)
    }
    if status.0 == .optimal && options.verifyExact {
      let floating = glp_get_obj_val(p)
      var exact = simplexParameters(options, method: .primal, presolve: false)
      let exactRet = glp_exact(p, &exact)
      let exactStatus = glp_get_status(p)
      let value = glp_get_obj_val(p)
      if exactRet != 0 || exactStatus != GLP_OPT {
        status = (.verificationFailed, exactRet, exactStatus,
                  "Exact arithmetic did not confirm the optimum (glp_exact returned \(exactRet), status \(exactStatus)).")
      } else if abs(value - floating) > 1e-7 * max(1, abs(value)) {
        status = (.verificationFailed, exactRet, exactStatus,
                  "Exact arithmetic moved the objective from \(floating) to \(value).")
      } else {
        status.3 += " Exact rational arithmetic confirmed it."
      }
    }
    let iterations = Int(glp_get_it_cnt(p) - before)
    return (status.0, status.1, status.2, status.3, iterations)
  }

  private func classifySimplex(_ p: OpaquePointer, _ ret: Int32) -> (SolveStatus, Int32, Int32, String) {
    let stat = glp_get_status(p)
    switch ret {
    case 0:
      switch stat {
      case GLP_OPT: return (.optimal, ret, stat, "GLPK found an optimal solution.")
      case GLP_NOFEAS:
        return (.infeasible, ret, stat, "GLPK proved that no solution satisfies all constraints.")
      case GLP_UNBND:
        return (.unbounded, ret, stat, "GLPK proved that the objective can improve without limit.")
      default:
        if glp_get_prim_stat(p) == GLP_NOFEAS {
          return (.infeasible, ret, stat, "GLPK proved that no solution satisfies all constraints.")
        }
        if glp_get_dual_stat(p) == GLP_NOFEAS {
          if glp_get_prim_stat(p) == GLP_FEAS {
            return (.unbounded, ret, stat, "GLPK proved that the objective can improve without limit.")
          }
          return (.infeasibleOrUnbounded, ret, stat,
                  "GLPK found no dual feasible basis: the problem is infeasible or unbounded.")
        }
        return (.numericalFailure, ret, stat, "GLPK stopped without an optimal solution (status \(stat)).")
      }
    case GLP_EITLIM:
      return (.iterationLimit, ret, stat, "GLPK stopped at the iteration limit before reaching an optimum.")
    case GLP_ETMLIM:
      return (.timeLimit, ret, stat, "GLPK stopped at the time limit before reaching an optimum.")
    case GLP_ENOPFS:
      return (.infeasible, ret, stat, "GLPK's presolver proved that no solution satisfies all constraints.")
    case GLP_ENODFS:
      return (.infeasibleOrUnbounded, ret, stat,
              "GLPK's presolver found no dual feasible solution: infeasible or unbounded.")
    case GLP_ESING, GLP_ECOND:
      return (.numericalFailure, ret, stat,
              "The simplex basis became singular or ill-conditioned (GLPK code \(ret)).")
    case GLP_EBADB:
      return (.numericalFailure, ret, stat, "GLPK rejected the starting basis as invalid.")
    case GLP_EBOUND:
      return (.numericalFailure, ret, stat, "GLPK rejected a double-bounded variable's bounds.")
    default:
      return (.numericalFailure, ret, stat, "The simplex solver failed (GLPK code \(ret)).")
    }
  }

  private func runInterior(_ p: OpaquePointer, _ options: SolverOptions) -> (SolveStatus, Int32, Int32, String, Int) {
    var parm = glp_iptcp()
    glp_init_iptcp(&parm)
    parm.msg_lev = options.captureLog ? GLP_MSG_ALL : GLP_MSG_OFF
    if program.numberOfRows == 0 || program.numberOfColumns == 0 {
      return (.numericalFailure, GLP_EFAIL, 0, "Interior point needs at least one row and one column.", 0)
    }
    let ret = glp_interior(p, &parm)
    let stat = glp_ipt_status(p)
    switch ret {
    case 0:
      switch stat {
      case GLP_OPT: return (.optimal, ret, stat, "GLPK's interior-point method found an optimal solution.", 0)
      case GLP_NOFEAS:
        return (.infeasibleOrUnbounded, ret, stat,
                "GLPK's interior-point method found no primal or dual feasible solution.", 0)
      default:
        return (.numericalFailure, ret, stat, "The interior-point method stopped without an optimum (status \(stat)).", 0)
      }
    case GLP_ENOFEAS:
      return (.infeasibleOrUnbounded, ret, stat,
              "GLPK's interior-point method found no primal or dual feasible solution.", 0)
    case GLP_EITLIM:
      return (.iterationLimit, ret, stat, "The interior-point method reached its iteration limit.", 0)
    case GLP_ENOCVG, GLP_EINSTAB:
      return (.numericalFailure, ret, stat, "The interior-point method did not converge (GLPK code \(ret)).", 0)
    default:
      return (.numericalFailure, ret, stat, "The interior-point method failed (GLPK code \(ret)).", 0)
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

  private static func status(_ s: Int32) -> BasisStatus {
    switch s {
    case GLP_BS: return .basic
    case GLP_NL: return .atLower
    case GLP_NU: return .atUpper
    case GLP_NF: return .free
    default: return .fixed
    }
  }

  private static func glpkStatus(_ s: BasisStatus) -> Int32 {
    switch s {
    case .basic: return GLP_BS
    case .atLower: return GLP_NL
    case .atUpper: return GLP_NU
    case .free: return GLP_NF
    case .fixed: return GLP_NS
    }
  }

  // MARK: Basis

  /// The current basis, to restore later (for example one stage of a staged solve).
  public func basis() -> Basis {
    thread.sync { [self] in
      guard let p = prob else { return Basis(rowStatus: [], columnStatus: []) }
      return Basis(
        rowStatus: (0..<program.numberOfRows).map { Self.status(glp_get_row_stat(p, Int32($0 + 1))) },
        columnStatus: (0..<program.numberOfColumns).map { Self.status(glp_get_col_stat(p, Int32($0 + 1))) })
    }
  }

  /// Restores a basis saved from this problem; the next simplex solve starts from it.
  public func restore(_ basis: Basis) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      guard basis.rowStatus.count == program.numberOfRows else {
        return .failure(.invalidProgram(.lengthMismatch(
          what: "basis rows", expected: program.numberOfRows, actual: basis.rowStatus.count)))
      }
      guard basis.columnStatus.count == program.numberOfColumns else {
        return .failure(.invalidProgram(.lengthMismatch(
          what: "basis columns", expected: program.numberOfColumns, actual: basis.columnStatus.count)))
      }
      guard let p = prob else { return .success(()) }
      // GLPK adjusts a status that does not fit the variable's bounds; a wrong number of
      // basic variables makes the next solve report GLP_EBADB, which runSimplex repairs.
      for (i, s) in basis.rowStatus.enumerated() { glp_set_row_stat(p, Int32(i + 1), Self.glpkStatus(s)) }
      for (j, s) in basis.columnStatus.enumerated() { glp_set_col_stat(p, Int32(j + 1), Self.glpkStatus(s)) }
      hasOptimalBasis = false
      simplexHasRun = true
      return .success(())
    }
    try result.get()
  }

  // MARK: Sensitivity

  /// Makes sure ranging-type calls are safe: an optimal simplex basis of the current
  /// program and a valid factorization (GLPK aborts without them).
  private func requireFactorizedOptimum(_ what: String) -> Result<OpaquePointer, GLPKError> {
    guard let p = prob, hasOptimalBasis, glp_get_status(p) == GLP_OPT else {
      return .failure(.noOptimalBasis(what))
    }
    if glp_bf_exists(p) == 0 {
      let code = glp_factorize(p)
      if code != 0 { return .failure(.factorizationFailed(code: Int(code))) }
    }
    return .success(p)
  }

  private func glpkIndex(_ v: LPVariable) -> Result<Int32, GLPKError> {
    let m = program.numberOfRows
    let n = program.numberOfColumns
    switch v {
    case .row(let i):
      guard i >= 0 && i < m else { return .failure(.invalidProgram(.indexOutOfRange(kind: .row, index: i, count: m))) }
      return .success(Int32(i + 1))
    case .column(let j):
      guard j >= 0 && j < n else {
        return .failure(.invalidProgram(.indexOutOfRange(kind: .column, index: j, count: n)))
      }
      return .success(Int32(m + j + 1))
    }
  }

  private func variable(_ k: Int32) -> LPVariable? {
    let m = program.numberOfRows
    if k <= 0 { return nil }
    return k <= m ? .row(Int(k) - 1) : .column(Int(k) - m - 1)
  }

  private static func finite(_ x: Double) -> Double {
    if x >= .greatestFiniteMagnitude { return .infinity }
    if x <= -.greatestFiniteMagnitude { return -.infinity }
    return x
  }

  /// Ranging of the given rows and columns, as GLPK's `glp_print_ranges` computes it.
  public func ranging(_ variables: [LPVariable]) throws(GLPKError) -> [Ranging] {
    let result: Result<[Ranging], GLPKError> = thread.sync { [self] in
      let p: OpaquePointer
      switch requireFactorizedOptimum("ranging") {
      case .success(let q): p = q
      case .failure(let e): return .failure(e)
      }
      var out: [Ranging] = []
      out.reserveCapacity(variables.count)
      let obj = glp_get_obj_val(p)
      let minimize = glp_get_obj_dir(p) == GLP_MIN
      // GLPK's own threshold for "zero" in its ranges report.
      let tiny = 1e-9
      for v in variables {
        let k: Int32
        switch glpkIndex(v) {
        case .success(let x): k = x
        case .failure(let e): return .failure(e)
        }
        let stat: Int32
        let prim: Double
        let dual: Double
        let coef: Double
        switch v {
        case .row(let i):
          stat = glp_get_row_stat(p, Int32(i + 1))
          prim = glp_get_row_prim(p, Int32(i + 1))
          dual = glp_get_row_dual(p, Int32(i + 1))
          coef = 0
        case .column(let j):
          stat = glp_get_col_stat(p, Int32(j + 1))
          prim = glp_get_col_prim(p, Int32(j + 1))
          dual = glp_get_col_dual(p, Int32(j + 1))
          coef = glp_get_obj_coef(p, Int32(j + 1))
        }
        var value1 = 0.0, value2 = 0.0, coef1 = 0.0, coef2 = 0.0, obj1 = 0.0, obj2 = 0.0
        var var1: Int32 = 0, var2: Int32 = 0
        if stat != GLP_BS {
          glp_analyze_bound(p, k, &value1, &var1, &value2, &var2)
          value1 = Self.finite(value1)
          value2 = Self.finite(value2)
          if stat == GLP_NF {
            (coef1, coef2) = (coef, coef)
          } else if stat == GLP_NS {
            (coef1, coef2) = (-.infinity, .infinity)
          } else if (stat == GLP_NL && minimize) || (stat == GLP_NU && !minimize) {
            (coef1, coef2) = (coef - dual, .infinity)
          } else {
            (coef1, coef2) = (-.infinity, coef - dual)
          }
          if value1 == -.infinity {
            obj1 = dual < -tiny ? .infinity : dual > tiny ? -.infinity : obj
          } else {
            obj1 = obj + dual * (value1 - prim)
          }
          if value2 == .infinity {
            obj2 = dual < -tiny ? -.infinity : dual > tiny ? .infinity : obj
          } else {
            obj2 = obj + dual * (value2 - prim)
          }
        } else {
          glp_analyze_coef(p, k, &coef1, &var1, &value1, &coef2, &var2, &value2)
          coef1 = Self.finite(coef1)
          coef2 = Self.finite(coef2)
          value1 = Self.finite(value1)
          value2 = Self.finite(value2)
          if coef1 == -.infinity {
            obj1 = prim < -tiny ? .infinity : prim > tiny ? -.infinity : obj
          } else {
            obj1 = obj + (coef1 - coef) * prim
          }
          if coef2 == .infinity {
            obj2 = prim < -tiny ? -.infinity : prim > tiny ? .infinity : obj
          } else {
            obj2 = obj + (coef2 - coef) * prim
          }
        }
        out.append(
          Ranging(
            variable: v, status: Self.status(stat), activity: prim, marginal: dual,
            activityRange: (value1, value2), objectiveCoefficientRange: (coef1, coef2),
            objectiveAtLimits: (obj1, obj2), limitingVariables: (variable(var1), variable(var2))))
      }
      return .success(out)
    }
    return try result.get()
  }

  /// How the basic variables move per unit increase of the non-basic `variable`: the
  /// column of the simplex tableau (`glp_eval_tab_col`). For a binding constraint this is
  /// what one more unit of its right-hand side does to every basic variable.
  public func tableauColumn(_ variable: LPVariable) throws(GLPKError) -> [(variable: LPVariable, rate: Double)] {
    let result: Result<[(variable: LPVariable, rate: Double)], GLPKError> = thread.sync { [self] in
      let p: OpaquePointer
      switch requireFactorizedOptimum("a tableau column") {
      case .success(let q): p = q
      case .failure(let e): return .failure(e)
      }
      let k: Int32
      switch glpkIndex(variable) {
      case .success(let x): k = x
      case .failure(let e): return .failure(e)
      }
      let stat: Int32
      switch variable {
      case .row(let i): stat = glp_get_row_stat(p, Int32(i + 1))
      case .column(let j): stat = glp_get_col_stat(p, Int32(j + 1))
      }
      guard stat != GLP_BS else { return .failure(.variableIsBasic(program.name(of: variable))) }
      let m = program.numberOfRows
      var ind = [Int32](repeating: 0, count: m + 1)
      var val = [Double](repeating: 0, count: m + 1)
      let len = Int(glp_eval_tab_col(p, k, &ind, &val))
      var out: [(variable: LPVariable, rate: Double)] = []
      out.reserveCapacity(len)
      for t in 1...max(1, len) where t <= len {
        if let v = self.variable(ind[t]) { out.append((v, val[t])) }
      }
      return .success(out)
    }
    return try result.get()
  }

  // MARK: Files

  public enum ExportFormat: String, Sendable {
    /// CPLEX LP format (`glp_write_lp`).
    case cplexLP = "lp"
    /// Free MPS format (`glp_write_mps`).
    case mps
  }

  /// Gives GLPK the row and column names (once), for files that show them.
  private func nameEverything(_ p: OpaquePointer) {
    guard !named else { return }
    named = true
    for i in 0..<program.numberOfRows { glp_set_row_name(p, Int32(i + 1), program.rowNames[i]) }
    for j in 0..<program.numberOfColumns { glp_set_col_name(p, Int32(j + 1), program.columnNames[j]) }
  }

  /// Writes the program as loaded (with its current bounds and objective) in `format`.
  /// The file appears complete or not at all: GLPK writes a temporary file that is then
  /// renamed into place.
  public func export(_ format: ExportFormat, to path: String) throws(GLPKError) {
    let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
    let code: Int32 = thread.sync { [self] in
      guard let p = prob else { return -1 }
      nameEverything(p)
      switch format {
      case .cplexLP: return glp_write_lp(p, nil, temporary)
      case .mps: return glp_write_mps(p, GLP_MPS_FILE, nil, temporary)
      }
    }
    try Self.finish(temporary: temporary, path: path, ok: code == 0, what: format == .mps ? "MPS file" : "CPLEX LP file")
  }

  /// Writes GLPK's own sensitivity report (`glp_print_ranges`) for every row and column.
  public func writeRangesReport(to path: String) throws(GLPKError) {
    let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
    let result: Result<Int32, GLPKError> = thread.sync { [self] in
      switch requireFactorizedOptimum("GLPK's ranges report") {
      case .failure(let e): return .failure(e)
      case .success(let p):
        nameEverything(p)
        return .success(glp_print_ranges(p, 0, nil, 0, temporary))
      }
    }
    let code = try result.get()
    try Self.finish(temporary: temporary, path: path, ok: code == 0, what: "ranges report")
  }

  private static func finish(temporary: String, path: String, ok: Bool, what: String) throws(GLPKError) {
    guard ok, rename(temporary, path) == 0 else {
      unlink(temporary)
      throw .writeFailed(path: path, what: what)
    }
  }
}

/// Collects GLPK's terminal output for one problem while a solve asks for it.
final class LogSink: @unchecked Sendable {
  private let lock = NSLock()
  private var capturing = false
  private var text = ""

  func start(capturing: Bool) {
    lock.lock()
    self.capturing = capturing
    text = ""
    lock.unlock()
  }

  func append(_ s: String) {
    lock.lock()
    if capturing { text += s }
    lock.unlock()
  }

  /// Stops capturing and returns what was captured.
  @discardableResult
  func stop() -> String {
    lock.lock()
    defer { lock.unlock() }
    capturing = false
    return text
  }
}
