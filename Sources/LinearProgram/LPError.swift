/// Which kind of LP object an error or a reference is about.
public enum LPObjectKind: String, Sendable, Hashable {
  case row
  case column
}

/// Why a linear program could not be built, changed or read.
///
/// Every case names the row or column involved, so a formulation bug or a bad sweep value
/// can be traced to its source without a debugger.
public indirect enum LPError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A name is empty, longer than 255 bytes or contains control characters (GLPK refuses
  /// such names by aborting the process, so they are caught here).
  case invalidName(kind: LPObjectKind, name: String, reason: String)
  /// Two rows or two columns share a name.
  case duplicateName(kind: LPObjectKind, name: String)
  /// A constraint coefficient is NaN or infinite.
  case nonFiniteCoefficient(row: String, column: String, value: Double)
  /// A constraint coefficient so close to zero that GLPK's scaling of the matrix breaks
  /// (its scale factors overflow and it aborts the process; `LinearProgram.smallestCoefficient`).
  case tinyCoefficient(row: String, column: String, value: Double)
  /// An objective coefficient is NaN or infinite.
  case nonFiniteObjective(column: String, value: Double)
  /// Bounds are NaN, reversed, or infinite on the wrong side.
  case invalidBounds(kind: LPObjectKind, name: String, bounds: Bounds, reason: String)
  /// An index that does not belong to this program.
  case indexOutOfRange(kind: LPObjectKind, index: Int, count: Int)
  /// A name that does not belong to this program.
  case unknownName(kind: LPObjectKind, name: String)
  /// A vector whose length does not match the number of rows or columns.
  case lengthMismatch(what: String, expected: Int, actual: Int)

  /// A one-line message naming the row or column and what is wrong with it.
  public var description: String {
    switch self {
    case .invalidName(let kind, let name, let reason):
      return "invalid \(kind.rawValue) name \"\(name.prefix(60))\": \(reason)"
    case .duplicateName(let kind, let name):
      return "two \(kind.rawValue)s are both named \"\(name)\"; names must be unique"
    case .nonFiniteCoefficient(let row, let column, let value):
      return "coefficient of column \"\(column)\" in row \"\(row)\" is \(value); expected a finite number"
    case .tinyCoefficient(let row, let column, let value):
      return
        "coefficient of column \"\(column)\" in row \"\(row)\" is \(value); expected 0 or a magnitude of at least \(LinearProgram.smallestCoefficient)"
    case .nonFiniteObjective(let column, let value):
      return "objective coefficient of column \"\(column)\" is \(value); expected a finite number"
    case .invalidBounds(let kind, let name, let bounds, let reason):
      return
        "\(kind.rawValue) \"\(name)\" has invalid bounds (lower \(bounds.lower), upper \(bounds.upper)): \(reason)"
    case .indexOutOfRange(let kind, let index, let count):
      return "\(kind.rawValue) index \(index) is out of range; the program has \(count) \(kind.rawValue)s"
    case .unknownName(let kind, let name):
      return "no \(kind.rawValue) is named \"\(name)\""
    case .lengthMismatch(let what, let expected, let actual):
      return "\(what) has \(actual) entries; expected \(expected)"
    }
  }
}
