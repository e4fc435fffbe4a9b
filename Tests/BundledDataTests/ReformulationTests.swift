import Arsenal
import Formulation
import LinearProgram
import PlanningModel
import Testing

/// A sweep point formulated with an earlier point's names (`Formulator.formulate(like:)`) is
/// the formulation made from scratch, field for field; one whose structure differs falls back
/// to formulating from scratch.
@Suite struct ReformulationTests {
  static func expectSame(_ a: Formulation, _ b: Formulation, _ what: String) {
    let p = a.program
    let q = b.program
    #expect(p.name == q.name && p.sense == q.sense && p.objectiveConstant == q.objectiveConstant, "\(what): program")
    #expect(p.columnNames == q.columnNames, "\(what): column names")
    #expect(p.rowNames == q.rowNames, "\(what): row names")
    #expect(p.columnBounds == q.columnBounds, "\(what): column bounds")
    #expect(p.rowBounds == q.rowBounds, "\(what): row bounds")
    #expect(p.objective == q.objective, "\(what): objective")
    #expect(p.rowStart == q.rowStart && p.entryColumn == q.entryColumn, "\(what): matrix pattern")
    #expect(p.entryValue == q.entryValue, "\(what): matrix values")
    #expect(p.integerColumns == q.integerColumns, "\(what): integer columns")
    #expect(a.columnRoles == b.columnRoles && a.rowRoles == b.rowRoles, "\(what): roles")
    #expect(a.limits == b.limits, "\(what): limits")
    #expect(a.stages.count == b.stages.count, "\(what): stages")
    for (s, t) in zip(a.stages, b.stages) {
      #expect(s.name == t.name && s.objective == t.objective, "\(what): stage \(s.name)")
      #expect(s.kind == t.kind && s.sense == t.sense && s.holds == t.holds, "\(what): stage \(s.name) kind")
      #expect(s.block?.columns.map(\.name) == t.block?.columns.map(\.name), "\(what): \(s.name) block")
      #expect(s.block?.columns.map(\.bounds) == t.block?.columns.map(\.bounds), "\(what): \(s.name) block bounds")
      #expect(s.block?.rows.map(\.terms) == t.block?.rows.map(\.terms), "\(what): \(s.name) block rows")
      #expect(s.block?.rows.map(\.bounds) == t.block?.rows.map(\.bounds), "\(what): \(s.name) block row bounds")
    }
    #expect(a.nodes == b.nodes && a.routeOfShipment == b.routeOfShipment, "\(what): nodes")
    #expect(a.barredShipments == b.barredShipments && a.payersOfShipment == b.payersOfShipment, "\(what): rules")
  }

  @Test func aPointFormulatedLikeTheLastIsTheFormulationFromScratch() throws {
    let data = try DataSetLoader.load(folder: bundled)
    let base = data.model
    let previous = try Formulator.formulate(base)
    let spec = try Arsenal.sweepSpec(
      parameters: ["capacity item=charge-155 values=1.5;0.5;0"], scenarios: [], policy: nil, data: data)
    for point in spec.points {
      let model = base.applying([spec.parameters[0].change(point[0], horizon: base.horizon)])
      let fresh = try Formulator.formulate(model)
      let reused = try Formulator.formulate(model, like: previous)
      Self.expectSame(reused, fresh, "× \(point[0])")
    }
    // At × 0 the charges' production columns are gone: a structure of its own.
    let none = base.applying([spec.parameters[0].change(0, horizon: base.horizon)])
    #expect(try Formulator.formulate(none).program.numberOfColumns < previous.program.numberOfColumns)
  }

  @Test func aBuilderThatReusesNamesRefusesAnotherShape() throws {
    var named = LPBuilder()
    let x = try named.addColumn("x", bounds: .between(0, 1))
    try named.addRow("r", bounds: .atMost(1), terms: [(x, 1)])
    let program = named.build()

    var same = LPBuilder(reusingNamesOf: program)
    let y = try same.addColumn("never built", bounds: .between(0, 2))
    try same.addRow("never built", bounds: .atMost(3), terms: [(y, 2)])
    #expect(same.hasReusedShape)
    let again = same.build()
    #expect(again.columnNames == ["x"] && again.rowNames == ["r"])
    #expect(again.columnBounds == [.between(0, 2)] && again.rowBounds == [.atMost(3)] && again.entryValue == [2])

    var more = LPBuilder(reusingNamesOf: program)
    _ = try more.addColumn("", bounds: .nonNegative)
    #expect(throws: LPError.indexOutOfRange(kind: .column, index: 1, count: 1)) {
      try more.addColumn("", bounds: .nonNegative)
    }
    var fewer = LPBuilder(reusingNamesOf: program)
    _ = try fewer.addColumn("", bounds: .nonNegative)
    #expect(!fewer.hasReusedShape, "no row yet")
    #expect(fewer.build().rowNames.isEmpty && fewer.build().columnNames == ["c1"])
  }
}
