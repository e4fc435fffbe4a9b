/// Builds a `LinearProgram` incrementally, validating as it goes.
///
/// Formulation code adds columns and rows by name and attaches coefficients; every name,
/// bound and number is checked when it is added, so `build()` cannot fail and the result
/// can be loaded into GLPK without risking an abort. Repeated (row, column) entries are
/// summed, and entries that sum to exactly zero are dropped.
public struct LPBuilder: Sendable {
  public let name: String
  public let sense: OptimizationSense
  public var objectiveConstant: Double = 0

  private var columnNames: [String] = []
  private var columnBounds: [Bounds] = []
  private var objective: [Double] = []
  private var columnIndexByName: [String: Int] = [:]

  private var rowNames: [String] = []
  private var rowBounds: [Bounds] = []
  private var rowIndexByName: [String: Int] = [:]

  // Triplets; sorted and merged in `build()`.
  private var tripletRow: [Int32] = []
  private var tripletColumn: [Int32] = []
  private var tripletValue: [Double] = []

  public init(name: String = "arsenal", sense: OptimizationSense = .minimize) {
    self.name = name
    self.sense = sense
  }

  public var numberOfColumns: Int { columnNames.count }
  public var numberOfRows: Int { rowNames.count }

  @discardableResult
  public mutating func addColumn(
    _ name: String, bounds: Bounds = .nonNegative, objective coefficient: Double = 0
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
    return ColumnID(index)
  }

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

  public mutating func setObjective(_ coefficient: Double, column: ColumnID) throws(LPError) {
    guard column.index >= 0 && column.index < columnNames.count else {
      throw .indexOutOfRange(kind: .column, index: column.index, count: columnNames.count)
    }
    guard coefficient.isFinite else {
      throw .nonFiniteObjective(column: columnNames[column.index], value: coefficient)
    }
    objective[column.index] = coefficient
  }

  public mutating func setBounds(_ bounds: Bounds, column: ColumnID) throws(LPError) {
    guard column.index >= 0 && column.index < columnNames.count else {
      throw .indexOutOfRange(kind: .column, index: column.index, count: columnNames.count)
    }
    try LinearProgram.check(bounds, kind: .column, name: columnNames[column.index])
    columnBounds[column.index] = bounds
  }

  public mutating func setBounds(_ bounds: Bounds, row: RowID) throws(LPError) {
    guard row.index >= 0 && row.index < rowNames.count else {
      throw .indexOutOfRange(kind: .row, index: row.index, count: rowNames.count)
    }
    try LinearProgram.check(bounds, kind: .row, name: rowNames[row.index])
    rowBounds[row.index] = bounds
  }

  public func column(named name: String) -> ColumnID? { columnIndexByName[name].map(ColumnID.init) }
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
      rowStart: rowStart, entryColumn: entryColumn, entryValue: entryValue)
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
