/// A column of a `LinearProgram`, by position (0-based).
public struct ColumnID: Sendable, Hashable, Comparable {
  /// The column's 0-based position in the program.
  public let index: Int
  /// The column at 0-based position `index`.
  public init(_ index: Int) { self.index = index }
  /// Orders columns by position.
  public static func < (a: ColumnID, b: ColumnID) -> Bool { a.index < b.index }
}

/// A row of a `LinearProgram`, by position (0-based).
public struct RowID: Sendable, Hashable, Comparable {
  /// The row's 0-based position in the program.
  public let index: Int
  /// The row at 0-based position `index`.
  public init(_ index: Int) { self.index = index }
  /// Orders rows by position.
  public static func < (a: RowID, b: RowID) -> Bool { a.index < b.index }
}

/// A row or a column: what a basis, a ranging result or a tableau column refers to.
public enum LPVariable: Sendable, Hashable, CustomStringConvertible {
  case row(Int)
  case column(Int)

  /// "row i" or "column j", by 0-based position, for messages.
  public var description: String {
    switch self {
    case .row(let i): return "row \(i)"
    case .column(let j): return "column \(j)"
    }
  }
}

/// A solver-independent linear program with named rows and columns and a sparse matrix.
///
///     minimise / maximise   c·x + c0
///     subject to            rowLower ≤ A x ≤ rowUpper
///                           colLower ≤ x ≤ colUpper
///
/// Built by `LPBuilder`, which validates every name, bound and coefficient, so a
/// `LinearProgram` can be handed to a solver as it is. The matrix is stored by rows
/// (compressed sparse row), each row's entries sorted by column, with no repeated entries
/// and no explicit zeros.
public struct LinearProgram: Sendable {
  /// The least magnitude of a non-zero constraint coefficient.
  ///
  /// Below about 10⁻¹⁵⁴ the squares GLPK's scaling forms underflow, its scale factors
  /// overflow, and `glp_set_sjj` aborts the process. Inputs are held far above it
  /// (docs/INPUTS.md, Limits).
  public static let smallestCoefficient = 1e-100

  /// The program's name, as given to the solver and written to files.
  public let name: String
  /// Whether the objective is minimised or maximised.
  public let sense: OptimizationSense
  /// The constant term `c0` added to the objective.
  public let objectiveConstant: Double

  /// The name of each column, by position; unique.
  public private(set) var columnNames: NameList
  /// The bounds on each column's value, by position.
  public private(set) var columnBounds: [Bounds]
  /// The objective coefficient `c` of each column, by position.
  public private(set) var objective: [Double]
  /// Columns whose value must be a whole number (a MIP), ascending; empty for an LP.
  public internal(set) var integerColumns: [Int] = []

  /// The name of each row, by position; unique.
  public private(set) var rowNames: NameList
  /// The bounds on each row's activity `A x`, by position.
  public private(set) var rowBounds: [Bounds]

  /// Row `i`'s entries are `rowStart[i] ..< rowStart[i + 1]` of `entryColumn`/`entryValue`.
  ///
  /// The matrix and the names are shared by every copy of the program as built; rows a copy
  /// appends are its own (`SharedPrefixArray`).
  public private(set) var rowStart: SharedPrefixArray<Int>
  /// The column of each matrix entry, row by row and sorted by column within a row.
  public private(set) var entryColumn: SharedPrefixArray<Int32>
  /// The coefficient of each matrix entry, parallel to `entryColumn`; never zero.
  public private(set) var entryValue: SharedPrefixArray<Double>

  init(
    name: String, sense: OptimizationSense, objectiveConstant: Double,
    columnNames: NameList, columnBounds: [Bounds], objective: [Double],
    rowNames: NameList, rowBounds: [Bounds],
    rowStart: [Int], entryColumn: [Int32], entryValue: [Double]
  ) {
    self.name = name
    self.sense = sense
    self.objectiveConstant = objectiveConstant
    self.columnNames = columnNames
    self.columnBounds = columnBounds
    self.objective = objective
    self.rowNames = rowNames
    self.rowBounds = rowBounds
    self.rowStart = SharedPrefixArray(rowStart)
    self.entryColumn = SharedPrefixArray(entryColumn)
    self.entryValue = SharedPrefixArray(entryValue)
  }

  /// How many columns (variables) the program has.
  public var numberOfColumns: Int { columnNames.count }
  /// How many rows (constraints) the program has.
  public var numberOfRows: Int { rowNames.count }
  /// How many non-zero coefficients the constraint matrix has.
  public var numberOfNonZeros: Int { entryValue.count }

  /// The entries of row `i` as (column, coefficient) pairs, sorted by column.
  public func terms(ofRow i: Int) -> [(column: Int, coefficient: Double)] {
    (rowStart[i]..<rowStart[i + 1]).map { (Int(entryColumn[$0]), entryValue[$0]) }
  }

  /// Looks a column up by name.
  ///
  /// A linear scan: names are for people and files; a program keeps no name index, which
  /// would cost more memory than lookups are worth.
  public func column(named name: String) throws(LPError) -> ColumnID {
    guard let j = columnNames.firstIndex(of: name) else { throw .unknownName(kind: .column, name: name) }
    return ColumnID(j)
  }

  /// Looks a row up by name, with a linear scan like `column(named:)`.
  public func row(named name: String) throws(LPError) -> RowID {
    guard let i = rowNames.firstIndex(of: name) else { throw .unknownName(kind: .row, name: name) }
    return RowID(i)
  }

  /// The name of a row or column.
  public func name(of variable: LPVariable) -> String {
    switch variable {
    case .row(let i): return rowNames[i]
    case .column(let j): return columnNames[j]
    }
  }

  // MARK: Changes that keep the structure (what a warm re-solve can absorb)

  /// Replaces a column's bounds, validated like `LPBuilder`.
  public mutating func setBounds(_ bounds: Bounds, column: ColumnID) throws(LPError) {
    try checkIndex(column.index, of: .column)
    try Self.check(bounds, kind: .column, name: columnNames[column.index])
    columnBounds[column.index] = bounds
  }

  /// Replaces a row's bounds, validated like `LPBuilder`.
  public mutating func setBounds(_ bounds: Bounds, row: RowID) throws(LPError) {
    try checkIndex(row.index, of: .row)
    try Self.check(bounds, kind: .row, name: rowNames[row.index])
    rowBounds[row.index] = bounds
  }

  /// Replaces one column's objective coefficient, which must be finite.
  public mutating func setObjective(_ coefficient: Double, column: ColumnID) throws(LPError) {
    try checkIndex(column.index, of: .column)
    guard coefficient.isFinite else {
      throw .nonFiniteObjective(column: columnNames[column.index], value: coefficient)
    }
    objective[column.index] = coefficient
  }

  /// Replaces the whole objective vector.
  public mutating func setObjective(_ coefficients: [Double]) throws(LPError) {
    guard coefficients.count == numberOfColumns else {
      throw .lengthMismatch(what: "objective", expected: numberOfColumns, actual: coefficients.count)
    }
    for (j, c) in coefficients.enumerated() where !c.isFinite {
      throw .nonFiniteObjective(column: columnNames[j], value: c)
    }
    objective = coefficients
  }

  /// Applies bound and objective changes, validated like `setBounds` and `setObjective`; on
  /// an error the program is unchanged.
  public mutating func apply(_ changes: LPChanges) throws(LPError) {
    for c in changes.rowBounds {
      try checkIndex(c.id.index, of: .row)
      try Self.check(c.value, kind: .row, name: rowNames[c.id.index])
    }
    for c in changes.columnBounds {
      try checkIndex(c.id.index, of: .column)
      try Self.check(c.value, kind: .column, name: columnNames[c.id.index])
    }
    for c in changes.objective {
      try checkIndex(c.id.index, of: .column)
      guard c.value.isFinite else { throw .nonFiniteObjective(column: columnNames[c.id.index], value: c.value) }
    }
    for c in changes.rowBounds { rowBounds[c.id.index] = c.value }
    for c in changes.columnBounds { columnBounds[c.id.index] = c.value }
    for c in changes.objective { objective[c.id.index] = c.value }
  }

  func checkIndex(_ index: Int, of kind: LPObjectKind) throws(LPError) {
    let count = kind == .row ? numberOfRows : numberOfColumns
    guard index >= 0 && index < count else {
      throw .indexOutOfRange(kind: kind, index: index, count: count)
    }
  }

  static func check(_ bounds: Bounds, kind: LPObjectKind, name: @autoclosure () -> String) throws(LPError) {
    if let reason = bounds.problem {
      throw .invalidBounds(kind: kind, name: name(), bounds: bounds, reason: reason)
    }
  }

  /// A row to append to a program that already exists (a staged solve's fixed objective).
  public struct NewRow: Sendable {
    /// Its name (unique in the program).
    public let name: String
    /// The bounds on its activity.
    public let bounds: Bounds
    /// Its coefficients, each column at most once.
    public let terms: [Term]

    /// A new row; checked only when it is appended.
    public init(name: String, bounds: Bounds, terms: [Term]) {
      self.name = name
      self.bounds = bounds
      self.terms = terms
    }
  }

  /// Rows to append, kept as a program keeps its own rows: names as one block of text
  /// (`NameList`) and coefficients row by row, sorted by column.
  ///
  /// As `[NewRow]` (a `String` and a `[Term]` a row) a stage block's 43,000 fairness rows on
  /// generated large took about 9.7 MB for as long as the run (docs/PERFORMANCE.md, "Memory").
  /// Names and bounds are checked as each row is added; columns when the rows are appended to
  /// a program (`LinearProgram.append`).
  public struct NewRows: Sendable, RandomAccessCollection {
    /// Each row's name.
    public private(set) var names = NameList()
    /// Each row's bounds.
    public private(set) var bounds: [Bounds] = []
    /// Where each row's coefficients start in `entryColumn` and `entryValue` (one more than
    /// there are rows).
    private(set) var rowStart: [Int] = [0]
    private(set) var entryColumn: [Int32] = []
    private(set) var entryValue: [Double] = []

    /// No rows.
    public init() {}

    /// The rows of `rows`, in order, in storage of exactly their size: a program they are
    /// appended to shares it (`LinearProgram.append`).
    public init(_ rows: some Collection<NewRow>) throws(LPError) {
      let entries = rows.reduce(0) { $0 + $1.terms.count }
      bounds.reserveCapacity(rows.count)
      rowStart.reserveCapacity(rows.count + 1)
      entryColumn.reserveCapacity(entries)
      entryValue.reserveCapacity(entries)
      for row in rows { try append(row) }
    }

    /// The first position, 0.
    public var startIndex: Int { 0 }
    /// One past the last position: the count.
    public var endIndex: Int { bounds.count }

    /// Row `i` (0-based), its terms sorted by column.
    public subscript(i: Int) -> NewRow {
      let terms = (rowStart[i]..<rowStart[i + 1]).map {
        Term(column: Int(entryColumn[$0]), coefficient: entryValue[$0])
      }
      return NewRow(name: names[i], bounds: bounds[i], terms: terms)
    }

    /// Adds `row` after the others; its name and bounds are checked as `LPBuilder` checks
    /// them.
    public mutating func append(_ row: NewRow) throws(LPError) {
      try LPBuilder.checkName(row.name, kind: .row)
      try LinearProgram.check(row.bounds, kind: .row, name: row.name)
      let terms = row.terms.sorted(by: { $0.column < $1.column })
      // Columns are kept in 32 bits, as a program keeps them; the rest is checked on appending.
      if let far = terms.first(where: { Int32(exactly: $0.column) == nil }) {
        throw .indexOutOfRange(kind: .column, index: far.column, count: Int(Int32.max))
      }
      names.append(row.name)
      bounds.append(row.bounds)
      for term in terms {
        entryColumn.append(Int32(truncatingIfNeeded: term.column))
        entryValue.append(term.coefficient)
      }
      rowStart.append(entryValue.count)
    }

    /// The same rows in storage of exactly their size (`Array.withExactCapacity`).
    public func withExactCapacity() -> NewRows {
      var rows = self
      rows.names.share()
      rows.bounds = bounds.withExactCapacity()
      rows.rowStart = rowStart.withExactCapacity()
      rows.entryColumn = entryColumn.withExactCapacity()
      rows.entryValue = entryValue.withExactCapacity()
      return rows
    }

    /// Whether the two have the same coefficient pattern: the same columns in each row.
    public func hasSamePattern(as other: NewRows) -> Bool {
      rowStart == other.rowStart && entryColumn == other.entryColumn
    }
  }

  /// This program with `rows` added after the existing ones, validated like `LPBuilder`.
  public func appending(_ rows: [NewRow]) throws(LPError) -> LinearProgram {
    var p = self
    try p.append(rows)
    return p
  }

  /// Adds `rows` after the existing ones, validated like `LPBuilder`; on an error the
  /// program is unchanged.
  public mutating func append(_ rows: [NewRow]) throws(LPError) {
    try append(NewRows(rows))
  }

  /// Adds `rows` after the existing ones, their columns validated like `LPBuilder`'s (their
  /// names and bounds were, when they were made); on an error the program is unchanged.
  ///
  /// In place: a staged solve appends and removes a few rows at every stage of every point,
  /// and copying the whole matrix each time cost more than the rows themselves.
  public mutating func append(_ rows: NewRows) throws(LPError) {
    var added = 0
    for i in rows.indices {
      let range = rows.rowStart[i]..<rows.rowStart[i + 1]
      for k in range {
        let (j, v) = (Int(rows.entryColumn[k]), rows.entryValue[k])
        guard j >= 0 && j < numberOfColumns else {
          throw .indexOutOfRange(kind: .column, index: j, count: numberOfColumns)
        }
        guard v.isFinite else {
          throw .nonFiniteCoefficient(row: rows.names[i], column: columnNames[j], value: v)
        }
        guard v == 0 || abs(v) >= Self.smallestCoefficient else {
          throw .tinyCoefficient(row: rows.names[i], column: columnNames[j], value: v)
        }
        // Sorted, so a repeated column is the one just before.
        guard k == range.lowerBound || rows.entryColumn[k - 1] != j else {
          throw .duplicateName(kind: .column, name: columnNames[j])
        }
        if v != 0 { added += 1 }
      }
    }
    rowBounds.reserveCapacity(rowBounds.count + rows.count)
    rowStart.reserveCapacity(rowStart.count + rows.count)
    if added == rows.entryValue.count {
      // Nothing to leave out: the block's coefficients are shared, not copied (a stage block
      // the formulation keeps, appended again at every point).
      let base = entryValue.count
      entryColumn.append(sharing: rows.entryColumn)
      entryValue.append(sharing: rows.entryValue)
      rowStart.append(contentsOf: rows.rowStart.dropFirst().lazy.map { $0 + base })
    } else {
      // Exactly what is added: grown by doubling, the arrays held up to twice the matrix
      // (docs/PERFORMANCE.md, "Memory"); a later append of as much reuses the capacity.
      entryColumn.reserveCapacity(entryColumn.count + added)
      entryValue.reserveCapacity(entryValue.count + added)
      for i in rows.indices {
        for k in rows.rowStart[i]..<rows.rowStart[i + 1] where rows.entryValue[k] != 0 {
          entryColumn.append(rows.entryColumn[k])
          entryValue.append(rows.entryValue[k])
        }
        rowStart.append(entryValue.count)
      }
    }
    rowNames.append(contentsOf: rows.names)
    rowBounds.append(contentsOf: rows.bounds)
  }

  /// A column to append to a program that already exists (a stage's own variables).
  public struct NewColumn: Sendable {
    /// Its name (unique in the program).
    public let name: String
    /// Its bounds.
    public let bounds: Bounds

    /// A new column.
    public init(name: String, bounds: Bounds) {
      self.name = name
      self.bounds = bounds
    }
  }

  /// This program with `columns` added after the existing ones (with no entries and a zero
  /// objective; rows appended later refer to them), validated like `LPBuilder`.
  public func appending(columns: [NewColumn]) throws(LPError) -> LinearProgram {
    var p = self
    try p.append(columns: columns)
    return p
  }

  /// Adds `columns` after the existing ones (with no entries and a zero objective), validated
  /// like `LPBuilder`; on an error the program is unchanged.
  public mutating func append(columns: [NewColumn]) throws(LPError) {
    for c in columns {
      try LPBuilder.checkName(c.name, kind: .column)
      try Self.check(c.bounds, kind: .column, name: c.name)
    }
    columnBounds.reserveCapacity(columnBounds.count + columns.count)
    objective.reserveCapacity(objective.count + columns.count)
    var names = NameList()
    for c in columns {
      names.append(c.name)
      columnBounds.append(c.bounds)
      objective.append(0)
    }
    columnNames.append(contentsOf: names)
  }

  /// This program with only its first `count` columns; no row may refer to the others.
  public func keepingColumns(_ count: Int) throws(LPError) -> LinearProgram {
    var p = self
    try p.keepColumns(count)
    return p
  }

  /// Removes every column after the first `count`; no row may refer to them (else the
  /// program is unchanged and this throws).
  public mutating func keepColumns(_ count: Int) throws(LPError) {
    let n = max(0, min(count, numberOfColumns))
    guard n < numberOfColumns else { return }
    if let j = entryColumn.first(where: { Int($0) >= n }) {
      throw .indexOutOfRange(kind: .column, index: Int(j), count: n)
    }
    columnNames.keepFirst(n)
    columnBounds.removeLast(columnBounds.count - n)
    objective.removeLast(objective.count - n)
    if integerColumns.contains(where: { $0 >= n }) { integerColumns.removeAll { $0 >= n } }
  }

  /// This program with only its first `count` rows.
  public func keepingRows(_ count: Int) -> LinearProgram {
    var p = self
    p.keepRows(count)
    return p
  }

  /// Removes every row after the first `count`.
  public mutating func keepRows(_ count: Int) {
    let m = max(0, min(count, numberOfRows))
    guard m < numberOfRows else { return }
    let end = rowStart[m]
    rowNames.keepFirst(m)
    rowBounds.removeLast(rowBounds.count - m)
    rowStart.keepFirst(m + 1)
    entryColumn.keepFirst(end)
    entryValue.keepFirst(end)
  }

  /// This program with `columns` (valid indices, ascending) required to be whole numbers.
  func withIntegers(_ columns: [Int]) -> LinearProgram {
    var p = self
    p.integerColumns = columns
    return p
  }

  /// The same program with every column continuous: its LP relaxation.
  public var relaxation: LinearProgram { withIntegers([]) }

  /// Whether some column must be a whole number.
  public var isMIP: Bool { !integerColumns.isEmpty }

  /// Whether `other` has the same rows, columns and matrix, so that only bounds and
  /// objective coefficients differ and a solver can re-solve from its previous basis.
  public func hasSameStructure(as other: LinearProgram) -> Bool {
    sense == other.sense && rowStart == other.rowStart && entryColumn == other.entryColumn
      && entryValue == other.entryValue && columnNames == other.columnNames
      && rowNames == other.rowNames && integerColumns == other.integerColumns
  }

  /// The bound and objective changes that turn this program into `other`, or `nil` when
  /// the two differ in structure (rows, columns, matrix or sense).
  public func changes(to other: LinearProgram) -> LPChanges? {
    guard hasSameStructure(as: other) else { return nil }
    var changes = LPChanges()
    for i in 0..<numberOfRows where rowBounds[i] != other.rowBounds[i] {
      changes.rowBounds.append(Change(RowID(i), other.rowBounds[i]))
    }
    for j in 0..<numberOfColumns {
      if columnBounds[j] != other.columnBounds[j] {
        changes.columnBounds.append(Change(ColumnID(j), other.columnBounds[j]))
      }
      if objective[j] != other.objective[j] {
        changes.objective.append(Change(ColumnID(j), other.objective[j]))
      }
    }
    return changes
  }
}

/// One coefficient of a row or an objective: a column (by index) and its coefficient.
public struct Term: Sendable, Hashable {
  /// The column's index in the program.
  public let column: Int
  /// Its coefficient.
  public let coefficient: Double

  /// The term `coefficient × column`.
  public init(column: Int, coefficient: Double) {
    self.column = column
    self.coefficient = coefficient
  }
}

/// A new value for one row or column: a bound or an objective coefficient.
public struct Change<ID: Sendable & Hashable, Value: Sendable & Hashable>: Sendable, Hashable {
  /// The row or column that changes.
  public let id: ID
  /// Its new value.
  public let value: Value

  /// `id` takes `value`.
  public init(_ id: ID, _ value: Value) {
    self.id = id
    self.value = value
  }
}

/// Bound and objective changes to a loaded program: what a warm re-solve absorbs.
public struct LPChanges: Sendable {
  /// Rows whose bounds change, with their new bounds.
  public var rowBounds: [Change<RowID, Bounds>] = []
  /// Columns whose bounds change, with their new bounds.
  public var columnBounds: [Change<ColumnID, Bounds>] = []
  /// Columns whose objective coefficient changes, with the new coefficient.
  public var objective: [Change<ColumnID, Double>] = []

  /// No changes.
  public init() {}

  /// Whether nothing changes, in which case a loaded program's optimal solution stays optimal.
  public var isEmpty: Bool { rowBounds.isEmpty && columnBounds.isEmpty && objective.isEmpty }
}
