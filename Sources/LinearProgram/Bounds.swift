/// The interval a row activity or a column value must lie in.
///
/// An infinite `lower` or `upper` means "no bound on that side". Construction never checks;
/// `LPBuilder` refuses NaN, reversed or inverted-infinite bounds with an error that names
/// the row or column, because a solver given such bounds either aborts (GLPK) or reports a
/// misleading infeasibility.
public struct Bounds: Sendable, Hashable, CustomStringConvertible {
  /// The least allowed value; `-infinity` for none.
  public var lower: Double
  /// The greatest allowed value; `+infinity` for none.
  public var upper: Double

  /// The interval `lower ... upper`, unchecked (see `problem`).
  public init(lower: Double, upper: Double) {
    self.lower = lower
    self.upper = upper
  }

  /// No bound on either side.
  public static let free = Bounds(lower: -.infinity, upper: .infinity)
  /// `x ≥ 0`, the default for a column.
  public static let nonNegative = Bounds(lower: 0, upper: .infinity)
  /// `x ≥ value`, with no upper bound.
  public static func atLeast(_ value: Double) -> Bounds { Bounds(lower: value, upper: .infinity) }
  /// `x ≤ value`, with no lower bound.
  public static func atMost(_ value: Double) -> Bounds { Bounds(lower: -.infinity, upper: value) }
  /// `x = value`: a fixed column or an equality row.
  public static func exactly(_ value: Double) -> Bounds { Bounds(lower: value, upper: value) }
  /// `lower ≤ x ≤ upper`.
  public static func between(_ lower: Double, _ upper: Double) -> Bounds {
    Bounds(lower: lower, upper: upper)
  }

  /// Why these bounds cannot be handed to a solver, or `nil` when they can.
  public var problem: String? {
    if lower.isNaN || upper.isNaN { return "a bound is NaN" }
    if lower == .infinity { return "the lower bound is +infinity" }
    if upper == -.infinity { return "the upper bound is -infinity" }
    if lower > upper { return "the lower bound \(lower) exceeds the upper bound \(upper)" }
    return nil
  }

  /// The bounds as people read them: "free", "≥ 5.0", "≤ 5.0", "= 5.0" or "[1.0, 5.0]".
  public var description: String {
    switch (lower.isFinite, upper.isFinite) {
    case (false, false): return "free"
    case (true, false): return "≥ \(lower)"
    case (false, true): return "≤ \(upper)"
    case (true, true): return lower == upper ? "= \(lower)" : "[\(lower), \(upper)]"
    }
  }
}

/// Whether the objective is minimised or maximised.
public enum OptimizationSense: String, Sendable, Hashable {
  case minimize
  case maximize
}
