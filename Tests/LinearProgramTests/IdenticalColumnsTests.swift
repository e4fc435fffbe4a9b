import LinearProgram
import Testing

/// Which columns merge, and how a merged column's status is shared out again.
@Suite struct IdenticalColumnsTests {
  /// Seven columns of one pool row and one stock row; only a, b and d are one variable.
  ///
  /// a, b, d: 1 in pool, 2 in stock, cost 3, 0 ≤ x ≤ u. c: another cost. e: another stock
  /// coefficient. f: no upper bound. g: whole numbers. h: a lower bound. i: a, b, d's entries
  /// in the pool row only. j and k: alike, with i's other-row partner.
  @Test func groupsOnlyColumnsEqualInEveryRowAndTheObjective() throws {
    var lp = LPBuilder(name: "pool", sense: .minimize)
    var pool: [(ColumnID, Double)] = []
    var stock: [(ColumnID, Double)] = []
    var other: [(ColumnID, Double)] = []
    func column(
      _ name: String, cost: Double = 3, bounds: Bounds = .between(0, 10), integer: Bool = false,
      stockCoefficient: Double? = 2, otherCoefficient: Double? = nil
    ) throws {
      let c = try lp.addColumn(name, bounds: bounds, objective: cost, integer: integer)
      pool.append((c, 1))
      if let s = stockCoefficient { stock.append((c, s)) }
      if let o = otherCoefficient { other.append((c, o)) }
    }
    try column("a")
    try column("b", bounds: .between(0, 4))
    try column("c", cost: 4)
    try column("d", bounds: .between(0, 7))
    try column("e", stockCoefficient: 2.5)
    try column("f", bounds: .nonNegative)
    try column("g", integer: true)
    try column("h", bounds: .between(1, 10))
    try column("i", stockCoefficient: nil)
    try column("j", stockCoefficient: nil, otherCoefficient: 1)
    try column("k", stockCoefficient: nil, otherCoefficient: 1)
    try lp.addRow("pool", bounds: .atLeast(5), terms: pool)
    try lp.addRow("stock", bounds: .atMost(30), terms: stock)
    try lp.addRow("other", bounds: .atMost(8), terms: other)
    let identical = IdenticalColumns(lp.build())
    #expect(identical.groups == [[0, 1, 3], [9, 10]])
    #expect(identical.merged == 3)
  }

  @Test func aProgramWithoutEqualColumnsMergesNothing() throws {
    var lp = LPBuilder(name: "none", sense: .minimize)
    let x = try lp.addColumn("x", bounds: .between(0, 1), objective: 1)
    let y = try lp.addColumn("y", bounds: .between(0, 1), objective: 2)
    try lp.addRow("r", bounds: .atLeast(1), terms: [(x, 1), (y, 1)])
    #expect(IdenticalColumns(lp.build()).groups.isEmpty)
  }

  /// Parts of upper bounds 3, 4 and 5 (merged: 0 ≤ X ≤ 12) fill in order.
  @Test(arguments: [
    (2.5, [BasisStatus.basic, .atLower, .atLower]),
    (0.0, [.basic, .atLower, .atLower]),
    (3.0, [.atUpper, .basic, .atLower]),
    (8.0, [.atUpper, .atUpper, .basic]),
    (12.0, [.atUpper, .atUpper, .basic]),
  ])
  func aBasicMergedColumnFillsItsPartsInOrder(value: Double, expected: [BasisStatus]) {
    #expect(IdenticalColumns.split(status: .basic, value: value, uppers: [3, 4, 5]) == expected)
  }

  @Test func aMergedColumnAtABoundPutsEveryPartThere() {
    #expect(IdenticalColumns.split(status: .atUpper, value: 12, uppers: [3, 4, 5]) == [.atUpper, .atUpper, .atUpper])
    #expect(IdenticalColumns.split(status: .atLower, value: 0, uppers: [3, 4, 5]) == [.atLower, .atLower, .atLower])
  }
}
