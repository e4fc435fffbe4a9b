import CGLPK
import Foundation
import LinearProgram

/// Ranging and tableau columns of an optimal basis.
extension GLPKProblem {
  // MARK: Sensitivity

  /// Makes sure ranging-type calls are safe: an optimal simplex basis of the current
  /// program and a valid factorization (GLPK aborts without them).
  func requireFactorizedOptimum(_ what: String) -> Result<OpaquePointer, GLPKError> {
    guard let p = prob, hasOptimalBasis, glp_get_status(p) == GLP_OPT else {
      return .failure(.noOptimalBasis(what))
    }
    if glp_bf_exists(p) == 0 {
      let code = glp_factorize(p)
      if code != 0 { return .failure(.factorizationFailed(code: Int(code))) }
    }
    return .success(p)
  }

  func glpkIndex(_ v: LPVariable) -> Result<Int32, GLPKError> {
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

  func variable(_ k: Int32) -> LPVariable? {
    let m = program.numberOfRows
    if k <= 0 { return nil }
    return k <= m ? .row(Int(k) - 1) : .column(Int(k) - m - 1)
  }

  static func finite(_ x: Double) -> Double {
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
      for v in variables {
        switch glpkIndex(v) {
        case .success(let k): out.append(ranging(p, v, k))
        case .failure(let e): return .failure(e)
        }
      }
      return .success(out)
    }
    return try result.get()
  }

  /// A variable's status, value, dual and objective coefficient in the current solution.
  private struct Reading {
    let stat: Int32
    let prim: Double
    let dual: Double
    let coef: Double
  }

  /// One variable's ranging; on the problem's thread.
  private func ranging(_ p: OpaquePointer, _ v: LPVariable, _ k: Int32) -> Ranging {
    let r: Reading
    switch v {
    case .row(let i):
      let n = Int32(i + 1)
      r = Reading(stat: glp_get_row_stat(p, n), prim: glp_get_row_prim(p, n), dual: glp_get_row_dual(p, n), coef: 0)
    case .column(let j):
      let n = Int32(j + 1)
      r = Reading(
        stat: glp_get_col_stat(p, n), prim: glp_get_col_prim(p, n), dual: glp_get_col_dual(p, n),
        coef: glp_get_obj_coef(p, n))
    }
    let obj = glp_get_obj_val(p)
    let limits = r.stat == GLP_BS ? basicLimits(p, k, r, obj) : nonBasicLimits(p, k, r, obj)
    return Ranging(
      variable: v, status: Self.status(r.stat), activity: r.prim, marginal: r.dual,
      activityRange: Interval(limits.values.0, limits.values.1),
      objectiveCoefficientRange: Interval(limits.coefficients.0, limits.coefficients.1),
      objectiveAtLimits: Interval(limits.objectives.0, limits.objectives.1),
      limitingVariables: Interval(variable(limits.limiting.0), variable(limits.limiting.1)))
  }

  private typealias Limits = (
    values: (Double, Double), coefficients: (Double, Double), objectives: (Double, Double), limiting: (Int32, Int32)
  )

  /// GLPK's own threshold for "zero" in its ranges report.
  private static let tiny = 1e-9

  /// A non-basic variable: how far its value can move with the basis unchanged
  /// (`glp_analyze_bound`), and the objective there.
  private func nonBasicLimits(_ p: OpaquePointer, _ k: Int32, _ r: Reading, _ obj: Double) -> Limits {
    var value1 = 0.0
    var value2 = 0.0
    var var1: Int32 = 0
    var var2: Int32 = 0
    glp_analyze_bound(p, k, &value1, &var1, &value2, &var2)
    value1 = Self.finite(value1)
    value2 = Self.finite(value2)
    let minimize = glp_get_obj_dir(p) == GLP_MIN
    let coefficients: (Double, Double)
    if r.stat == GLP_NF {
      coefficients = (r.coef, r.coef)
    } else if r.stat == GLP_NS {
      coefficients = (-.infinity, .infinity)
    } else if (r.stat == GLP_NL && minimize) || (r.stat == GLP_NU && !minimize) {
      coefficients = (r.coef - r.dual, .infinity)
    } else {
      coefficients = (-.infinity, r.coef - r.dual)
    }
    let tiny = Self.tiny
    let obj1 =
      value1 == -.infinity
      ? (r.dual < -tiny ? .infinity : r.dual > tiny ? -.infinity : obj) : obj + r.dual * (value1 - r.prim)
    let obj2 =
      value2 == .infinity
      ? (r.dual < -tiny ? -.infinity : r.dual > tiny ? .infinity : obj) : obj + r.dual * (value2 - r.prim)
    return ((value1, value2), coefficients, (obj1, obj2), (var1, var2))
  }

  /// A basic variable: how far its objective coefficient can move with the basis unchanged
  /// (`glp_analyze_coef`), the values at those limits, and the objective there.
  private func basicLimits(_ p: OpaquePointer, _ k: Int32, _ r: Reading, _ obj: Double) -> Limits {
    var value1 = 0.0
    var value2 = 0.0
    var coef1 = 0.0
    var coef2 = 0.0
    var var1: Int32 = 0
    var var2: Int32 = 0
    glp_analyze_coef(p, k, &coef1, &var1, &value1, &coef2, &var2, &value2)
    coef1 = Self.finite(coef1)
    coef2 = Self.finite(coef2)
    value1 = Self.finite(value1)
    value2 = Self.finite(value2)
    let tiny = Self.tiny
    let obj1 =
      coef1 == -.infinity
      ? (r.prim < -tiny ? .infinity : r.prim > tiny ? -.infinity : obj) : obj + (coef1 - r.coef) * r.prim
    let obj2 =
      coef2 == .infinity
      ? (r.prim < -tiny ? -.infinity : r.prim > tiny ? .infinity : obj) : obj + (coef2 - r.coef) * r.prim
    return ((value1, value2), (coef1, coef2), (obj1, obj2), (var1, var2))
  }

  /// How the basic variables move per unit increase of the non-basic `variable`: the
  /// column of the simplex tableau (`glp_eval_tab_col`).
  ///
  /// For a binding constraint this is what one more unit of its right-hand side does to every
  /// basic variable.
  public func tableauColumn(_ variable: LPVariable) throws(GLPKError) -> [TableauEntry] {
    let result: Result<[TableauEntry], GLPKError> = thread.sync { [self] in
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
      var out: [TableauEntry] = []
      out.reserveCapacity(len)
      for t in 1...max(1, len) where t <= len {
        if let v = self.variable(ind[t]) { out.append(TableauEntry(variable: v, rate: val[t])) }
      }
      return .success(out)
    }
    return try result.get()
  }
}
