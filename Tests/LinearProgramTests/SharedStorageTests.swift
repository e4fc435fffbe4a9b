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

  @Test func rowsAppendedToACopyOfAProgramAreTheCopysOwn() throws {
    var b = LPBuilder()
    let x = try b.addColumn("x")
    let y = try b.addColumn("y")
    try b.addRow("r", bounds: .atMost(4), terms: [(x, 1), (y, 2)])
    let built = b.build()
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
