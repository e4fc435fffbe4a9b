import Testing

@testable import LinearProgram

@Suite struct LPBuilderTests {
  @Test func repeatedEntriesAreSummedAndZerosDropped() throws {
    var b = LPBuilder(name: "t", sense: .minimize)
    let x = try b.addColumn("x")
    let y = try b.addColumn("y")
    let r = try b.addRow("r", bounds: .atMost(4), terms: [(y, 1), (x, 2), (x, 3), (y, -1)])
    let lp = b.build()
    #expect(lp.numberOfNonZeros == 1)
    let terms = lp.terms(ofRow: r.index)
    #expect(terms.count == 1)
    #expect(terms[0].column == 0 && terms[0].coefficient == 5)
  }

  @Test func entriesAreSortedByRowThenColumn() throws {
    var b = LPBuilder()
    let cols = try (0..<4).map { try b.addColumn("c\($0)") }
    let r0 = try b.addRow("r0", bounds: .atLeast(1))
    let r1 = try b.addRow("r1", bounds: .atLeast(1))
    try b.addTerm(1, column: cols[3], row: r1)
    try b.addTerm(2, column: cols[0], row: r0)
    try b.addTerm(3, column: cols[2], row: r1)
    try b.addTerm(4, column: cols[1], row: r0)
    let lp = b.build()
    #expect(lp.rowStart == [0, 2, 4])
    #expect(lp.entryColumn == [0, 1, 2, 3])
    #expect(lp.entryValue == [2, 4, 3, 1])
  }

  @Test func nonFiniteCoefficientsAreRefusedWithNames() throws {
    var b = LPBuilder()
    let x = try b.addColumn("prod[a,b,1]")
    let r = try b.addRow("cap[a,1]", bounds: .atMost(1))
    #expect(throws: LPError.nonFiniteCoefficient(row: "cap[a,1]", column: "prod[a,b,1]", value: .infinity)) {
      try b.addTerm(.infinity, column: x, row: r)
    }
    #expect(throws: LPError.nonFiniteObjective(column: "y", value: .infinity)) {
      try b.addColumn("y", objective: .infinity)
    }
    #expect {
      try b.addTerm(.nan, column: x, row: r)
    } throws: { error in
      guard case LPError.nonFiniteCoefficient(let row, let column, let value) = error else { return false }
      return row == "cap[a,1]" && column == "prod[a,b,1]" && value.isNaN
    }
    // GLPK's scaling aborts the process on such a coefficient (its factors overflow).
    #expect(throws: LPError.tinyCoefficient(row: "cap[a,1]", column: "prod[a,b,1]", value: 5e-324)) {
      try b.addTerm(5e-324, column: x, row: r)
    }
    try b.addTerm(1e-100, column: x, row: r)
  }

  @Test(arguments: [
    (Bounds(lower: 2, upper: 1), "exceeds"),
    (Bounds(lower: .nan, upper: 1), "NaN"),
    (Bounds(lower: .infinity, upper: .infinity), "+infinity"),
    (Bounds(lower: -.infinity, upper: -.infinity), "-infinity"),
  ])
  func contradictoryBoundsAreRefused(bounds: Bounds, fragment: String) throws {
    var b = LPBuilder()
    do {
      try b.addColumn("x", bounds: bounds)
      Issue.record("bounds \(bounds) were accepted")
    } catch {
      guard case .invalidBounds(let kind, let name, _, let reason) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(kind == .column && name == "x")
      #expect(reason.contains(fragment))
    }
    #expect(throws: LPError.self) { try b.addRow("r", bounds: bounds) }
  }

  @Test func duplicateAndInvalidNamesAreRefused() throws {
    var b = LPBuilder()
    try b.addColumn("x")
    #expect(throws: LPError.duplicateName(kind: .column, name: "x")) { try b.addColumn("x") }
    #expect(throws: LPError.self) { try b.addColumn("") }
    #expect(throws: LPError.self) { try b.addColumn(String(repeating: "a", count: 256)) }
    #expect(throws: LPError.self) { try b.addRow("bad\nname", bounds: .free) }
  }

  @Test func unknownNamesAndIndicesAreTypedErrors() throws {
    var b = LPBuilder()
    let x = try b.addColumn("x")
    #expect(throws: LPError.indexOutOfRange(kind: .row, index: 3, count: 0)) {
      try b.addTerm(1, column: x, row: RowID(3))
    }
    var lp = b.build()
    #expect(throws: LPError.unknownName(kind: .column, name: "nope")) { try lp.column(named: "nope") }
    #expect(throws: LPError.unknownName(kind: .row, name: "nope")) { try lp.row(named: "nope") }
    #expect(throws: LPError.indexOutOfRange(kind: .column, index: 7, count: 1)) {
      try lp.setBounds(.free, column: ColumnID(7))
    }
  }

  @Test func changesBetweenProgramsOfTheSameStructure() throws {
    var b = LPBuilder()
    let x = try b.addColumn("x", objective: 1)
    let r = try b.addRow("r", bounds: .atMost(4), terms: [(x, 1)])
    let base = b.build()
    var changed = base
    try changed.setBounds(.atMost(5), row: r)
    try changed.setObjective(2, column: x)
    let delta = try #require(base.changes(to: changed))
    #expect(delta.rowBounds.count == 1 && delta.rowBounds[0].value == .atMost(5))
    #expect(delta.objective.count == 1 && delta.objective[0].value == 2)
    #expect(delta.columnBounds.isEmpty)

    var other = LPBuilder()
    let y = try other.addColumn("x", objective: 1)
    try other.addRow("r", bounds: .atMost(4), terms: [(y, 2)])
    #expect(base.changes(to: other.build()) == nil)
  }
}
