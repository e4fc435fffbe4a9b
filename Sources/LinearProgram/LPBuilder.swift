/// Builds a `LinearProgram` incrementally, validating as it goes.
///
/// Formulation code adds columns and rows by name and attaches coefficients; every name,
/// bound and number is checked when it is added, so `build()` cannot fail and the result
/// can be loaded into GLPK without risking an abort. Repeated (row, column) entries are
/// summed, and entries that sum to exactly zero are dropped.
public struct LPBuilder: Sendable {
  /// The program's name, as given to the solver and written to files.
  public let name: String
  /// Whether the objective is minimised or maximised.
  public let sense: OptimizationSense
  /// The constant term added to the objective.
  public var objectiveConstant: Double = 0

  private var columnNames: [String] = []
  private var columnBounds: [Bounds] = []
  private var objective: [Double] = []
  private var integers: [Int] = []
  private var columnIndexByName: [String: Int] = [:]

  private var rowNames: [String] = []
  private var rowBounds: [Bounds] = []
  private var rowIndexByName: [String: Int] = [:]

  // Triplets; sorted and merged in `build()`.
  private var tripletRow: [Int32] = []
  private var tripletColumn: [Int32] = []
  private var tripletValue: [Double] = []

  /// An empty program: no rows, no columns, a zero objective.
  public init(name: String = "arsenal", sense: OptimizationSense = .minimize) {
    self.name = name
    self.sense = sense
  }

  /// How many columns have been added so far.
  public var numberOfColumns: Int { columnNames.count }
  /// How many rows have been added so far.
  public var numberOfRows: Int { rowNames.count }

  /// Adds a column (a decision variable) with a unique name, its bounds and objective
  /// coefficient; an `integer` column must take a whole-number value (a MIP).
  @discardableResult
  public mutating func addColumn(
    _ name: String, bounds: Bounds = .nonNegative, objective coefficient: Double = 0, integer: Bool = false
  ) throws(LPError) -> ColumnID {
    try Self.checkName(name, kind: .column)
    try LinearProgram.check(bounds, kind: .column, name: name)
    guard coefficient.isFinite else { throw .nonFiniteObjective(column: name, value: coefficient) }
    let index = columnNames.count
    guard columnIndexByName.updateValue(index, forKey: name) == nil else {
      throw .duplicateName(kind: .column, name: name)
    }
    columnNames.append(name)
    columnBounds.append(bounds)
    objective.append(coefficient)
    if integer { integers.append(index) }
    return ColumnID(index)
  }

  /// Adds a row (a constraint) with a unique name, bounds on its activity and optional terms.
  ///
  /// More terms can be attached later with `addTerm(_:column:row:)`.
  @discardableResult
  public mutating func addRow(
    _ name: String, bounds: Bounds, terms: [(ColumnID, Double)] = []
  ) throws(LPError) -> RowID {
    try Self.checkName(name, kind: .row)
    try LinearProgram.check(bounds, kind: .row, name: name)
    let index = rowNames.count
    guard rowIndexByName.updateValue(index, forKey: name) == nil else {
      throw .duplicateName(kind: .row, name: name)
    }
    rowNames.append(name)
    rowBounds.append(bounds)
    let row = RowID(index)
    for (column, coefficient) in terms {
      try addTerm(coefficient, column: column, row: row)
    }
    return row
  }

  /// Adds `coefficient × column` to `row`; repeated entries are summed in `build()`.
  public mutating func addTerm(_ coefficient: Double, column: ColumnID, row: RowID) throws(LPError) {
    guard row.index >= 0 && row.index < rowNames.count else {
      throw .indexOutOfRange(kind: .row, index: row.index, count: rowNames.count)
    }
    guard column.index >= 0 && column.index < columnNames.count else {
      throw .indexOutOfRange(kind: .column, index: column.index, count: columnNames.count)
    }
    guard coefficient.isFinite else {
      throw .nonFiniteCoefficient(
        row: rowNames[row.index], column: columnNames[column.index], value: coefficient)
    }
    if coefficient == 0 { return }
    tripletRow.append(Int32(row.index))
    tripletColumn.append(Int32(column.index))
    tripletValue.append(coefficient)
  }

  /// Replaces a column's objective coefficient, which must be finite.
  public mutating func setObjective(_ coefficient: Double, column: ColumnID) throws(LPError) {
    guard column.index >= 0 && column.index < columnNames.count else {
      throw .indexOutOfRange(kind: .column, index: column.index, count: columnNames.count)
    }
    guard coefficient.isFinite else {
      throw .nonFiniteObjective(column: columnNames[column.index], value: coefficient)
    }
    objective[column.index] = coefficient
  }

  /// Replaces a column's bounds.
  public mutating func setBounds(_ bounds: Bounds, column: ColumnID) throws(LPError) {
    guard column.index >= 0 && column.index < columnNames.count else {
      throw .indexOutOfRange(kind: .column, index: column.index, count: columnNames.count)
    }
    try LinearProgram.check(bounds, kind: .column, name: columnNames[column.index])
    columnBounds[column.index] = bounds
  }

  /// Replaces a row's bounds.
  public mutating func setBounds(_ bounds: Bounds, row: RowID) throws(LPError) {
    guard row.index >= 0 && row.index < rowNames.count else {
      throw .indexOutOfRange(kind: .row, index: row.index, count: rowNames.count)
    }
    try LinearProgram.check(bounds, kind: .row, name: rowNames[row.index])
    rowBounds[row.index] = bounds
  }

  /// The column added under `name`, or `nil` if there is none.
  public func column(named name: String) -> ColumnID? { columnIndexByName[name].map(ColumnID.init) }
  /// The row added under `name`, or `nil` if there is none.
  public func row(named name: String) -> RowID? { rowIndexByName[name].map(RowID.init) }

  /// The finished program: entries sorted by row then column, repeats summed, zeros dropped.
  public func build() -> LinearProgram {
    let m = rowNames.count
    // Counting sort by row keeps this linear in the number of entries.
    var count = [Int](repeating: 0, count: m + 1)
    for r in tripletRow { count[Int(r) + 1] += 1 }
    for i in 0..<m { count[i + 1] += count[i] }
    var next = count
    var sortedColumn = [Int32](repeating: 0, count: tripletValue.count)
    var sortedValue = [Double](repeating: 0, count: tripletValue.count)
    for k in 0..<tripletValue.count {
      let r = Int(tripletRow[k])
      sortedColumn[next[r]] = tripletColumn[k]
      sortedValue[next[r]] = tripletValue[k]
      next[r] += 1
    }
    var rowStart = [Int](repeating: 0, count: m + 1)
    var entryColumn: [Int32] = []
    var entryValue: [Double] = []
    entryColumn.reserveCapacity(tripletValue.count)
    entryValue.reserveCapacity(tripletValue.count)
    var scratch: [(Int32, Double)] = []
    for i in 0..<m {
      let range = count[i]..<count[i + 1]
      scratch.removeAll(keepingCapacity: true)
      for k in range { scratch.append((sortedColumn[k], sortedValue[k])) }
      scratch.sort { $0.0 < $1.0 }
      var k = 0
      while k < scratch.count {
        let column = scratch[k].0
        var sum = 0.0
        while k < scratch.count && scratch[k].0 == column {
          sum += scratch[k].1
          k += 1
        }
        if sum != 0 {
          entryColumn.append(column)
          entryValue.append(sum)
        }
      }
      rowStart[i + 1] = entryValue.count
    }
    return LinearProgram(
      name: name, sense: sense, objectiveConstant: objectiveConstant,
      columnNames: columnNames, columnBounds: columnBounds, objective: objective,
      rowNames: rowNames, rowBounds: rowBounds,
      rowStart: rowStart, entryColumn: entryColumn, entryValue: entryValue
    ).withIntegers(integers)
  }

  /// GLPK aborts on names over 255 bytes or with control characters; refuse them here.
  static func checkName(_ name: String, kind: LPObjectKind) throws(LPError) {
    if name.isEmpty { throw .invalidName(kind: kind, name: name, reason: "the name is empty") }
    if name.utf8.count > 255 {
      throw .invalidName(kind: kind, name: name, reason: "longer than 255 bytes")
    }
    if name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
      throw .invalidName(kind: kind, name: name, reason: "contains a control character")
    }
  }
}
