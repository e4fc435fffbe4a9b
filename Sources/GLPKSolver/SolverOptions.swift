import LinearProgram

/// How to solve a loaded program.
public struct SolverOptions: Sendable, Equatable {
  /// Which GLPK algorithm solves the program.
  public enum Method: String, Sendable, CaseIterable {
    /// Dual simplex: the default, and what warm re-solves after bound changes use.
    case dual
    /// Primal simplex: what re-solves after objective changes use.
    case primal
    /// Dual simplex, switching to primal if the dual fails (GLPK's `GLP_DUALP`).
    case dualPrimal = "dual-primal"
    /// Interior point: no basis, hence no ranging and no warm start.
    case interior
  }

  /// The algorithm to use; dual simplex by default.
  public var method: Method
  /// GLPK's LP presolver.
  ///
  /// It discards the basis, so warm re-solves turn it off.
  public var presolve: Bool
  /// Wall-clock limit in seconds; `nil` for none.
  public var timeLimit: Double?
  /// Simplex iteration limit; `nil` for none.
  public var iterationLimit: Int?
  /// Re-solve the simplex optimum in exact rational arithmetic (`glp_exact`) to verify it.
  public var verifyExact: Bool
  /// Capture GLPK's terminal output into `SolveOutcome.log` instead of discarding it.
  public var captureLog: Bool
  /// GLPK's other control parameters (all at GLPK's defaults unless measured otherwise).
  public var tuning = GLPKTuning()
  /// Before the first solve of a problem, build GLPK's advanced initial basis
  /// (`glp_adv_basis`) instead of starting from all slacks.
  ///
  /// Later solves always start from the stored basis.
  public var advancedBasis: Bool
  /// Discard the stored basis and start this solve from a new advanced basis
  /// (`glp_adv_basis`): the recovery when a solve from the stored basis fails numerically.
  public var freshBasis: Bool = false

  /// Solver options; the defaults are dual simplex, no presolve, no limits, no exact check, no
  /// captured log and no advanced initial basis.
  public init(
    method: Method = .dual, presolve: Bool = false, timeLimit: Double? = nil,
    iterationLimit: Int? = nil, verifyExact: Bool = false, captureLog: Bool = false, advancedBasis: Bool = false
  ) {
    self.method = method
    self.presolve = presolve
    self.timeLimit = timeLimit
    self.iterationLimit = iterationLimit
    self.verifyExact = verifyExact
    self.captureLog = captureLog
    self.advancedBasis = advancedBasis
  }

  /// Options for re-solving from the stored basis after bound changes: dual simplex, no
  /// presolve (presolve would throw the basis away).
  public static func warmAfterBoundChanges(from options: SolverOptions = .init()) -> SolverOptions {
    var o = options
    o.method = .dual
    o.presolve = false
    return o
  }

  /// Options for re-solving from the stored basis after objective changes: primal simplex,
  /// which keeps the (still primal feasible) basis.
  public static func warmAfterObjectiveChanges(from options: SolverOptions = .init()) -> SolverOptions {
    var o = options
    o.method = .primal
    o.presolve = false
    return o
  }
}

/// How a call to the solver ended, with GLPK's own codes and a sentence for people.
public struct SolveOutcome: Sendable {
  /// How the solve ended, in solver-independent terms.
  public let status: SolveStatus
  /// What `glp_simplex`/`glp_interior` returned (0 or one of GLPK's `GLP_E…` codes).
  public let glpkReturnCode: Int
  /// GLPK's solution status (`GLP_OPT` = 5, `GLP_NOFEAS` = 4, `GLP_UNBND` = 6, …).
  public let glpkStatus: Int
  /// A sentence for people saying how the solve ended.
  public let message: String
  /// Simplex iterations this call took (GLPK's own counter is cumulative).
  public let iterations: Int
  /// GLPK's terminal output, when `SolverOptions.captureLog` was set.
  public let log: String
  /// CPU seconds GLPK's thread spent in this call: unlike wall time, not inflated by other
  /// processes on a shared machine (benchmarks print both; reports never do).
  public var cpuSeconds: Double = 0

  /// Whether the solve reached an optimum, the only outcome whose values and duals can be trusted.
  public var isOptimal: Bool { status == .optimal }

  /// This outcome counting also the iterations and log of an earlier attempt of the same solve.
  public func after(_ earlier: SolveOutcome) -> SolveOutcome {
    SolveOutcome(
      status: status, glpkReturnCode: glpkReturnCode, glpkStatus: glpkStatus, message: message,
      iterations: earlier.iterations + iterations, log: earlier.log + log,
      cpuSeconds: earlier.cpuSeconds + cpuSeconds)
  }
}

/// Why the solver layer refused a request.
///
/// GLPK itself is never given the chance to abort.
public indirect enum GLPKError: Error, Sendable, Equatable, CustomStringConvertible {
  case invalidProgram(LPError)
  case invalidOption(String)
  /// Ranging, tableau columns and GLPK's ranges report need an optimal simplex basis of
  /// the program as it stands (not changed since it was solved).
  case noOptimalBasis(String)
  /// A request that needs a non-basic variable (a binding constraint, a column at a bound).
  case variableIsBasic(String)
  case factorizationFailed(code: Int)
  /// The new program differs from the loaded one in rows, columns or matrix.
  case structureMismatch
  case tooLarge(String)
  case writeFailed(path: String, what: String)

  /// A one-line message saying what was refused and why.
  public var description: String {
    switch self {
    case .invalidProgram(let e): return e.description
    case .invalidOption(let s): return "invalid solver option: \(s)"
    case .noOptimalBasis(let s): return "\(s) needs an optimal simplex basis of the current program"
    case .variableIsBasic(let name): return "\"\(name)\" is basic; the request needs a non-basic variable"
    case .factorizationFailed(let code): return "GLPK could not factorize the basis (code \(code))"
    case .structureMismatch:
      return "the new program has different rows, columns or coefficients; load it afresh"
    case .tooLarge(let s): return "the program is too large for GLPK: \(s)"
    case .writeFailed(let path, let what): return "could not write \(what) to \(path)"
    }
  }
}
