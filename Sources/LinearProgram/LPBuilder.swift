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

  /// The program whose names this builder reuses instead of making its own (`init(reusingNamesOf:)`).
  private let reused: LinearProgram?

  private var columnNames = NameList()
  private var columnBounds: [Bounds] = []
  private var objective: [Double] = []
  private var integers: [Int] = []
  private var columnIndex = NameIndex()

  private var rowNames = NameList()
  private var rowBounds: [Bounds] = []
  private var rowIndex = NameIndex()

  // Triplets; sorted and merged in `build()`.
  private var tripletRow: [Int32] = []
  private var tripletColumn: [Int32] = []
  private var tripletValue: [Double] = []

  /// An empty program: no rows, no columns, a zero objective.
  public init(name: String = "arsenal", sense: OptimizationSense = .minimize) {
    self.name = name
    self.sense = sense
    self.reused = nil
  }

  /// An empty program that takes its names from `program`, a program of the same shape (the
  /// same rows and columns in the same order, its numbers aside): the names passed to
  /// `addColumn` and `addRow` are then never built, checked or indexed — they are most of the
  /// cost of building a program again for new numbers (docs/PERFORMANCE.md, "Where a warm
  /// point's time goes").
  ///
  /// Adding more columns or rows than `program` has throws `LPError.indexOutOfRange`;
  /// `hasReusedShape` says whether the counts came out the same.
  public init(reusingNamesOf program: LinearProgram) {
    self.name = program.name
    self.sense = program.sense
    self.reused = program
  }

  /// How many columns have been added so far.
  public var numberOfColumns: Int { columnBounds.count }
  /// How many rows have been added so far.
  public var numberOfRows: Int { rowBounds.count }

  /// Whether this builder reuses names (`init(reusingNamesOf:)`) and has as many columns and
  /// rows as the program it took them from.
  public var hasReusedShape: Bool {
    reused.map { $0.numberOfColumns == numberOfColumns && $0.numberOfRows == numberOfRows } ?? false
  }

  /// Column `j`'s name, for messages.
  private func columnName(_ j: Int) -> String {
    if let reused { return j < reused.numberOfColumns ? reused.columnNames[j] : "column \(j + 1)" }
    return columnNames[j]
  }

  /// Row `i`'s name, for messages.
  private func rowName(_ i: Int) -> String {
    if let reused { return i < reused.numberOfRows ? reused.rowNames[i] : "row \(i + 1)" }
    return rowNames[i]
  }

  /// Adds a column (a decision variable) with a unique name, its bounds and objective
  /// coefficient; an `integer` column must take a whole-number value (a MIP).
  @discardableResult
  public mutating func addColumn(
    _ makeName: @autoclosure () -> String, bounds: Bounds = .nonNegative, objective coefficient: Double = 0,
    integer: Bool = false
  ) throws(LPError) -> ColumnID {
    let index = columnBounds.count
    try Self.register(
      makeName, kind: .column, index: index, reused: reused, names: &columnNames, positions: &columnIndex)
    try LinearProgram.check(bounds, kind: .column, name: columnName(index))
    guard coefficient.isFinite else { throw .nonFiniteObjective(column: columnName(index), value: coefficient) }
    columnBounds.append(bounds)
    objective.append(coefficient)
    if integer { integers.append(index) }
    return ColumnID(index)
  }

  /// Checks and indexes the name of the `index`th column or row and appends it to `names`;
  /// in a builder that reuses names, only checks that `index` exists in the program it reuses.
  private static func register(
    _ makeName: () -> String, kind: LPObjectKind, index: Int, reused: LinearProgram?, names: inout NameList,
    positions: inout NameIndex
  ) throws(LPError) {
    if let reused {
      let count = kind == .row ? reused.numberOfRows : reused.numberOfColumns
      guard index < count else { throw .indexOutOfRange(kind: kind, index: index, count: count) }
      return
    }
    let name = makeName()
    try checkName(name, kind: kind)
    names.append(name)
    guard positions.insertLast(of: names) else {
      names.keepFirst(names.count - 1)
      throw .duplicateName(kind: kind, name: name)
    }
  }

  /// Adds a row (a constraint) with a unique name, bounds on its activity and optional terms.
  ///
  /// More terms can be attached later with `addTerm(_:column:row:)`.
  @discardableResult
  public mutating func addRow(
    _ makeName: @autoclosure () -> String, bounds: Bounds, terms: [(ColumnID, Double)] = []
  ) throws(LPError) -> RowID {
    let index = rowBounds.count
    try Self.register(makeName, kind: .row, index: index, reused: reused, names: &rowNames, positions: &rowIndex)
    try LinearProgram.check(bounds, kind: .row, name: rowName(index))
    rowBounds.append(bounds)
    let row = RowID(index)
    for (column, coefficient) in terms {
      try addTerm(coefficient, column: column, row: row)
    }
    return row
  }

  /// Adds `coefficient × column` to `row`; repeated entries are summed in `build()`.
  public mutating func addTerm(_ coefficient: Double, column: ColumnID, row: RowID) throws(LPError) {
    guard row.index >= 0 && row.index < numberOfRows else {
      throw .indexOutOfRange(kind: .row, index: row.index, count: numberOfRows)
    }
    guard column.index >= 0 && column.index < numberOfColumns else {
      throw .indexOutOfRange(kind: .column, index: column.index, count: numberOfColumns)
    }
    guard coefficient.isFinite else {
      throw .nonFiniteCoefficient(row: rowName(row.index), column: columnName(column.index), value: coefficient)
    }
    if coefficient == 0 { return }
    guard abs(coefficient) >= LinearProgram.smallestCoefficient else {
      throw .tinyCoefficient(row: rowName(row.index), column: columnName(column.index), value: coefficient)
    }
    tripletRow.append(Int32(row.index))
    tripletColumn.append(Int32(column.index))
    tripletValue.append(coefficient)
  }

  /// Replaces a column's objective coefficient, which must be finite.
  public mutating func setObjective(_ coefficient: Double, column: ColumnID) throws(LPError) {
    guard column.index >= 0 && column.index < numberOfColumns else {
      throw .indexOutOfRange(kind: .column, index: column.index, count: numberOfColumns)
    }
    guard coefficient.isFinite else {
      throw .nonFiniteObjective(column: columnName(column.index), value: coefficient)
    }
    objective[column.index] = coefficient
  }

  /// Replaces a column's bounds.
  public mutating func setBounds(_ bounds: Bounds, column: ColumnID) throws(LPError) {
    guard column.index >= 0 && column.index < numberOfColumns else {
      throw .indexOutOfRange(kind: .column, index: column.index, count: numberOfColumns)
    }
    try LinearProgram.check(bounds, kind: .column, name: columnName(column.index))
    columnBounds[column.index] = bounds
  }

  /// Replaces a row's bounds.
  public mutating func setBounds(_ bounds: Bounds, row: RowID) throws(LPError) {
    guard row.index >= 0 && row.index < numberOfRows else {
      throw .indexOutOfRange(kind: .row, index: row.index, count: numberOfRows)
    }
    try LinearProgram.check(bounds, kind: .row, name: rowName(row.index))
    rowBounds[row.index] = bounds
  }

  /// The column added under `name`, or `nil` if there is none (always `nil` in a builder that
  /// reuses names).
  public func column(named name: String) -> ColumnID? {
    columnIndex.position(of: name, in: columnNames).map(ColumnID.init)
  }
  /// The row added under `name`, or `nil` if there is none (always `nil` in a builder that
  /// reuses names).
  public func row(named name: String) -> RowID? { rowIndex.position(of: name, in: rowNames).map(RowID.init) }

  /// The finished program: entries sorted by row then column, repeats summed, zeros dropped.
  ///
  /// A builder that reuses names takes them from its program when `hasReusedShape`; one of
  /// another shape gets positional names ("c1", "r1", as GLPK's files number them).
  public func build() -> LinearProgram {
    let m = numberOfRows
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
    var columnNames = columnNames
    var rowNames = rowNames
    if let reused {
      columnNames =
        hasReusedShape ? reused.columnNames : NameList((0..<numberOfColumns).lazy.map { "c\($0 + 1)" })
      rowNames = hasReusedShape ? reused.rowNames : NameList((0..<m).lazy.map { "r\($0 + 1)" })
    } else {
      columnNames.share()
      rowNames.share()
    }
    return LinearProgram(
      name: name, sense: sense, objectiveConstant: objectiveConstant,
      columnNames: columnNames, columnBounds: columnBounds.withExactCapacity(),
      objective: objective.withExactCapacity(),
      rowNames: rowNames, rowBounds: rowBounds.withExactCapacity(),
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
