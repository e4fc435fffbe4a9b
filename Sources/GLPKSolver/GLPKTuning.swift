import CGLPK

/// GLPK's own control parameters beyond the method and presolver, for measuring them.
///
/// Set with `arsenal bench --glpk KEY=VALUE` (docs/PERFORMANCE.md, "GLPK's knobs"). Every
/// field left `nil` keeps GLPK's default, which is what Arsenal uses: none of the alternatives
/// won when measured. Scaling is the one exception: GLPK's automatic choice with its factors
/// rounded to powers of two (`Scaling.powersOfTwo`).
public struct GLPKTuning: Sendable, Hashable {
  /// `glp_scale_prob`'s flags.
  public enum Scaling: String, Sendable, CaseIterable {
    /// GLPK's automatic choice (`GLP_SF_AUTO`): geometric mean scaling, then equilibration,
    /// skipped when the matrix is well scaled already; the factors are not rounded.
    case auto
    case none, geometric, equilibrium
    /// Geometric mean scaling, then equilibration, factors not rounded.
    case geometricEquilibrium = "geometric-equilibrium"
    /// As `auto`, with every factor rounded to the nearest power of two: Arsenal's default.
    /// Scaling by a power of two changes no digit of a coefficient, and such factors are kept
    /// a byte each for the matrices a problem scales again (`GLPKProblem.scale`); measured,
    /// the same iterations within a few percent as `auto` (docs/PERFORMANCE.md, "GLPK's knobs").
    case powersOfTwo = "2n"

    /// What Arsenal scales with unless told otherwise.
    public static let arsenal = Scaling.powersOfTwo

    var flags: Int32 {
      switch self {
      case .auto: return GLP_SF_AUTO
      case .none: return 0
      case .geometric: return GLP_SF_GM
      case .equilibrium: return GLP_SF_EQ
      case .geometricEquilibrium: return GLP_SF_GM | GLP_SF_EQ
      case .powersOfTwo: return GLP_SF_GM | GLP_SF_EQ | GLP_SF_SKIP | GLP_SF_2N
      }
    }
  }

  /// The basis factorisation (`glp_bfcp.type`).
  public enum Factorization: String, Sendable, CaseIterable {
    /// LU with Forrest–Tomlin updates: GLPK's default.
    case forrestTomlin = "ft"
    /// LU with Bartels–Golub updates.
    case bartelsGolub = "bg"
    /// LU with Givens rotation updates.
    case givens = "gr"
    /// Block-triangular LU with Bartels–Golub updates.
    case blockTriangularBartelsGolub = "btf-bg"
    /// Block-triangular LU with Givens rotation updates.
    case blockTriangularGivens = "btf-gr"

    var type: Int32 {
      switch self {
      case .forrestTomlin: return GLP_BF_LUF | GLP_BF_FT
      case .bartelsGolub: return GLP_BF_LUF | GLP_BF_BG
      case .givens: return GLP_BF_LUF | GLP_BF_GR
      case .blockTriangularBartelsGolub: return GLP_BF_BTF | GLP_BF_BG
      case .blockTriangularGivens: return GLP_BF_BTF | GLP_BF_GR
      }
    }
  }

  /// Scaling of the loaded matrix.
  public var scaling: Scaling = .arsenal
  /// The basis factorisation.
  public var factorization: Factorization?
  /// `excl`: leave fixed variables out of the working LP (GLPK's default on).
  public var excludeFixed: Bool?
  /// `shift`: shift bounds of variables towards zero (default on).
  public var shiftBounds: Bool?
  /// `aorn`: keep the constraint matrix row-wise as well (`true`, GLPK's default `GLP_USE_AT`)
  /// or column-wise only (`false`, `GLP_USE_NT`).
  public var rowWiseMatrix: Bool?
  /// `pricing`: projected steepest edge (`true`, the default) or textbook Dantzig (`false`).
  public var steepestEdge: Bool?
  /// `r_test`: the ratio test.
  public enum RatioTest: String, Sendable, CaseIterable {
    /// Harris's two-pass ratio test: GLPK's default.
    case harris = "har"
    /// The textbook ratio test.
    case textbook = "std"
    /// The long-step (bound flipping) ratio test.
    case longStep = "flip"
  }

  /// The ratio test.
  public var ratioTest: RatioTest?
  /// `tol_bnd`: the primal feasibility tolerance.
  public var primalTolerance: Double?
  /// `tol_dj`: the dual feasibility tolerance.
  public var dualTolerance: Double?
  /// `tol_piv`: the pivot tolerance.
  public var pivotTolerance: Double?
  /// Not GLPK's but Arsenal's: before a presolved (cold) solve, merge columns that differ
  /// only in their upper bounds (`IdenticalColumns`; on by default, as it won when measured).
  public var mergeIdenticalColumns = true

  /// GLPK's defaults.
  public init() {}

  /// The keys `set(_:)` accepts, for help texts.
  public static let keys =
    "scale=auto|none|geometric|equilibrium|geometric-equilibrium|2n, "
    + "bf=ft|bg|gr|btf-bg|btf-gr, excl=on|off, shift=on|off, aorn=at|nt, pricing=pse|std, "
    + "ratio=har|std|flip, tol_bnd=X, tol_dj=X, tol_piv=X, merge=on|off"

  /// Sets one parameter from "KEY=VALUE"; a sentence saying what was expected when the text
  /// is not one.
  public mutating func set(_ text: String) -> String? {
    let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { return "\"\(text)\": expected KEY=VALUE, one of \(Self.keys)" }
    let (key, value) = (parts[0], parts[1])
    func onOff() -> Bool? { value == "on" ? true : value == "off" ? false : nil }
    func tolerance() -> Double? {
      guard let x = Double(value), x > 0, x < 1 else { return nil }
      return x
    }
    var ok = true
    /// Sets `field` to `value` when there is one (a rejected value leaves the setting alone).
    func take<T>(_ value: T?, _ field: inout T?) {
      if let value { field = value } else { ok = false }
    }
    switch key {
    case "scale": if let s = Scaling(rawValue: value) { scaling = s } else { ok = false }
    case "bf": take(Factorization(rawValue: value), &factorization)
    case "excl": take(onOff(), &excludeFixed)
    case "shift": take(onOff(), &shiftBounds)
    case "aorn": take(value == "at" ? true : value == "nt" ? false : nil, &rowWiseMatrix)
    case "pricing": take(value == "pse" ? true : value == "std" ? false : nil, &steepestEdge)
    case "ratio": take(RatioTest(rawValue: value), &ratioTest)
    case "tol_bnd": take(tolerance(), &primalTolerance)
    case "tol_dj": take(tolerance(), &dualTolerance)
    case "tol_piv": take(tolerance(), &pivotTolerance)
    case "merge":
      if let on = onOff() { mergeIdenticalColumns = on } else { ok = false }
    default: return "\"\(key)\": not a GLPK parameter Arsenal sets; expected one of \(Self.keys)"
    }
    return ok ? nil : "\"\(text)\": the value is not one GLPK takes; expected \(Self.keys) (tolerances between 0 and 1)"
  }

  /// Applies the simplex fields to `parm`.
  func apply(to parm: inout glp_smcp) {
    if let excludeFixed { parm.excl = excludeFixed ? GLP_ON : GLP_OFF }
    if let shiftBounds { parm.shift = shiftBounds ? GLP_ON : GLP_OFF }
    if let rowWiseMatrix { parm.aorn = rowWiseMatrix ? GLP_USE_AT : GLP_USE_NT }
    if let steepestEdge { parm.pricing = steepestEdge ? GLP_PT_PSE : GLP_PT_STD }
    switch ratioTest {
    case .textbook: parm.r_test = GLP_RT_STD
    case .longStep: parm.r_test = GLP_RT_FLIP
    case .harris: parm.r_test = GLP_RT_HAR
    case nil: break
    }
    if let primalTolerance { parm.tol_bnd = primalTolerance }
    if let dualTolerance { parm.tol_dj = dualTolerance }
    if let pivotTolerance { parm.tol_piv = pivotTolerance }
  }

  /// Sets the basis factorisation of `p`, if asked and not set already: `glp_set_bfcp`
  /// discards the current factorisation, which a warm re-solve would then build again.
  func applyFactorization(to p: OpaquePointer) {
    guard let factorization else { return }
    var b = glp_bfcp()
    glp_get_bfcp(p, &b)
    guard b.type != factorization.type else { return }
    b.type = factorization.type
    glp_set_bfcp(p, &b)
  }
}
