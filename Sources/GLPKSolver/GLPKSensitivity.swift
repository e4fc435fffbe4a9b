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
