import Testing

@testable import LinearProgram

/// Names and the matrix as one block shared by copies: what a copy appends or removes is its
/// own, and reads back as a plain array would.
@Suite struct SharedStorageTests {
  @Test func namesReadBackAsTheyWereAppended() {
    var names = NameList()
    for name in ["prod[p1,round,2027-01]", "é", "x", "a name of some length, with spaces"] { names.append(name) }
    #expect(Array(names) == ["prod[p1,round,2027-01]", "é", "x", "a name of some length, with spaces"])
    #expect(names.count == 4 && names[1] == "é" && names.firstIndex(of: "x") == 2)
    names.share()
    names.append("after")
    #expect(names[3] == "a name of some length, with spaces" && names[4] == "after")
    #expect(names == ["prod[p1,round,2027-01]", "é", "x", "a name of some length, with spaces", "after"])
  }

  @Test func aCopyAppendsAndRemovesWithoutChangingTheOriginal() {
    let original: NameList = ["a", "bb", "ccc"]
    var copy = original
    copy.append("dddd")
    #expect(original == ["a", "bb", "ccc"] && copy == ["a", "bb", "ccc", "dddd"])
    // Back to the original's length: equal again, and hashed alike.
    copy.keepFirst(3)
    #expect(copy == original && copy.hashValue == original.hashValue)
    // Below the shared names, then appending again: the shared block is left as it was.
    copy.keepFirst(1)
    copy.append("z")
    #expect(copy == ["a", "z"] && original == ["a", "bb", "ccc"])
    #expect(copy != original)
    copy.keepFirst(0)
    #expect(copy.isEmpty && copy == [])
  }

  @Test func aRangeAcrossTheSharedPrefixAndTheTailIsReadWhole() {
    var numbers = SharedPrefixArray([1, 2, 3])
    numbers.append(4)
    #expect(numbers.withContiguous(1..<4) { Array($0) } == [2, 3, 4])
    #expect(numbers.withContiguous(0..<2) { Array($0) } == [1, 2])
    #expect(numbers.withContiguous(3..<4) { Array($0) } == [4])
  }

  /// Blocks appended whole are read, cut and compared as if they had been copied.
  @Test func sharedBlocksReadBackAsAppendedElements() {
    var a = SharedPrefixArray([1, 2, 3])
    a.append(4)
    let block = [5, 6, 7]
    a.append(sharing: block)
    a.append(8)
    var other = SharedPrefixArray([9])
    other.append(10)
    a.append(sharing: other)
    #expect(Array(a) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] && a.count == 10)
    #expect(a == SharedPrefixArray([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
    #expect(a[3] == 4 && a[4] == 5 && a[6] == 7 && a[7] == 8 && a[9] == 10)
    #expect(a.withContiguous(4..<7) { Array($0) } == [5, 6, 7])
    #expect(a.withContiguous(5..<9) { Array($0) } == [6, 7, 8, 9])
    // Cut inside the block, then appended again: the block's storage is left as it was.
    var cut = a
    cut.keepFirst(6)
    #expect(Array(cut) == [1, 2, 3, 4, 5, 6] && block == [5, 6, 7])
    cut.append(0)
    #expect(Array(cut) == [1, 2, 3, 4, 5, 6, 0] && Array(a) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    cut.keepFirst(2)
    #expect(Array(cut) == [1, 2])
    // All in one prefix again, equal either way.
    var whole = a
    whole.share()
    #expect(whole == a && Array(whole) == Array(a))
  }

  /// Rows appended from a block share its names and coefficients, and read back the same.
  @Test func aBlockOfRowsAppendedIsShared() throws {
    var program = try Self.oneRow()
    try program.append([
      LinearProgram.NewRow(name: "held", bounds: .atLeast(1), terms: [Term(column: 0, coefficient: 3)])
    ])
    let block = try LinearProgram.NewRows([
      LinearProgram.NewRow(
        name: "f1", bounds: .atMost(1), terms: [Term(column: 1, coefficient: 5), Term(column: 0, coefficient: 4)]),
      LinearProgram.NewRow(name: "f2", bounds: .atMost(2), terms: [Term(column: 1, coefficient: 6)]),
    ])
    try program.append(block)
    #expect(program.rowNames == ["r", "held", "f1", "f2"])
    #expect(Array(program.rowStart) == [0, 2, 3, 5, 6])
    #expect(Array(program.entryColumn) == [0, 1, 0, 0, 1, 1] && Array(program.entryValue) == [1, 2, 3, 4, 5, 6])
    program.keepRows(2)
    #expect(program.rowNames == ["r", "held"] && Array(program.entryValue) == [1, 2, 3])
    try program.append(block)
    #expect(program.rowNames == ["r", "held", "f1", "f2"] && Array(program.entryValue) == [1, 2, 3, 4, 5, 6])
  }

  @Test func namesSplitDifferentlyCompareByTheirText() {
    var appended = NameList()
    for name in ["a", "bc"] { appended.append(name) }
    let shared: NameList = ["a", "bc"]
    #expect(appended == shared)
    // The same bytes cut into other names are other names.
    #expect(appended != ["ab", "c"])
    #expect(Set([appended, shared]).count == 1)
  }

  @Test func theBuilderRefusesARepeatedNameAndFindsEachName() throws {
    var b = LPBuilder()
    for j in 0..<3_000 { try b.addColumn("x[\(j)]") }
    #expect(throws: LPError.duplicateName(kind: .column, name: "x[1234]")) { try b.addColumn("x[1234]") }
    // The refused name is not kept: the next column is the 3,001st.
    #expect(try b.addColumn("y").index == 3_000)
    #expect(b.column(named: "x[2999]")?.index == 2_999 && b.column(named: "y")?.index == 3_000)
    #expect(b.column(named: "x[3000]") == nil)
    let r = try b.addRow("r", bounds: .atMost(1))
    #expect(throws: LPError.duplicateName(kind: .row, name: "r")) { try b.addRow("r", bounds: .atMost(1)) }
    #expect(b.row(named: "r") == r && b.row(named: "s") == nil)
    let lp = b.build()
    #expect(lp.numberOfColumns == 3_001 && lp.columnNames[2_999] == "x[2999]" && lp.columnNames[3_000] == "y")
  }

  /// Columns x and y, one row r: x + 2y ≤ 4.
  static func oneRow() throws -> LinearProgram {
    var b = LPBuilder()
    let x = try b.addColumn("x")
    let y = try b.addColumn("y")
    try b.addRow("r", bounds: .atMost(4), terms: [(x, 1), (y, 2)])
    return b.build()
  }

  @Test func rowsAppendedToACopyOfAProgramAreTheCopysOwn() throws {
    let built = try Self.oneRow()
    var copy = built
    try copy.append([LinearProgram.NewRow(name: "held", bounds: .atLeast(1), terms: [Term(column: 1, coefficient: 3)])])
    #expect(copy.rowStart == [0, 2, 3] && copy.entryColumn == [0, 1, 1] && copy.entryValue == [1, 2, 3])
    #expect(copy.rowNames == ["r", "held"])
    #expect(built.rowStart == [0, 2] && built.entryValue == [1, 2] && built.rowNames == ["r"])
    #expect(!copy.hasSameStructure(as: built))
    copy.keepRows(1)
    #expect(copy.hasSameStructure(as: built))
    // Below what was built: the first row goes, and a row appended after it is the copy's.
    copy.keepRows(0)
    try copy.append([LinearProgram.NewRow(name: "other", bounds: .atMost(2), terms: [Term(column: 0, coefficient: 5)])])
    #expect(copy.rowStart == [0, 1] && copy.entryColumn == [0] && copy.entryValue == [5] && copy.rowNames == ["other"])
    #expect(built.rowStart == [0, 2] && built.entryColumn == [0, 1] && built.rowNames == ["r"])
  }
}
