import Arsenal
import LinearProgram
import PlanningModel
import Testing

@testable import Formulation

/// A capacity, market or budget sweep's point made from the previous point's formulation by
/// changing bounds alone (`Formulator.rebound`) is the formulation made from scratch, field
/// for field; a point whose structure or other data differ is formulated instead.
@Suite struct ReboundTests {
  /// Each point of `parameter` rebound from the base formulation: `nil` or the fresh one.
  static func check(_ parameter: String, data: DataSet) throws -> [Double: Bool] {
    let base = data.model
    let previous = try Formulator.formulate(base)
    let spec = try Arsenal.sweepSpec(parameters: [parameter], scenarios: [], policy: nil, data: data)
    var rebound: [Double: Bool] = [:]
    for point in spec.points {
      let model = base.applying([spec.parameters[0].change(point[0], horizon: base.horizon)])
      let fresh = try Formulator.formulate(model)
      let fast = Formulator.rebound(previous, to: model)
      if let fast {
        ReformulationTests.expectSame(fast, fresh, "\(parameter) × \(point[0])")
        #expect(fast.model == fresh.model && fast.plain, "\(parameter) × \(point[0]): model")
      }
      // Through the public entry, with or without the fast path, the same formulation.
      ReformulationTests.expectSame(try Formulator.formulate(model, like: previous), fresh, "like, × \(point[0])")
      rebound[point[0]] = fast != nil
    }
    return rebound
  }

  @Test func capacityPointsAreReboundAndEqualTheirFormulation() throws {
    let data = try DataSetLoader.load(folder: bundled)
    // Charges: production columns bounded by capacity, and `cap` rows where expansions add
    // to it (Aschau, Unterlüß); at × 0 the charges' columns are gone: formulated instead.
    #expect(
      try Self.check("capacity item=charge-155 values=1.5;0.5;0", data: data) == [1.5: true, 0.5: true, 0: false])
    // A producer with a shared line: its `line` rows' bounds change too.
    #expect(try Self.check("capacity producer=csg-zvs values=0.7;1.3", data: data) == [0.7: true, 1.3: true])
    // As a sweep chains them: each point rebound from the one before, not from the base.
    let spec = try Arsenal.sweepSpec(
      parameters: ["capacity producer=nitrochemie-aschau values=0.5;0.7;1.3;2.1"], scenarios: [], policy: nil,
      data: data)
    var previous = try Formulator.formulate(data.model)
    for point in spec.points {
      let model = data.model.applying([spec.parameters[0].change(point[0], horizon: data.model.horizon)])
      let next = try #require(Formulator.rebound(previous, to: model), "× \(point[0])")
      ReformulationTests.expectSame(next, try Formulator.formulate(model), "chained × \(point[0])")
      previous = next
    }
    let base = data.model
    let zvs = try #require(base.producers.firstIndex { $0.id == "csg-zvs" })
    #expect(!base.producers[zvs].lines.isEmpty)
  }

  @Test func supplyAndBudgetPointsAreRebound() throws {
    let data = try DataSetLoader.load(folder: bundled)
    // Purchase columns bounded by a supply; at × 0 the supply's columns are gone.
    #expect(try Self.check("market market=china values=0.5;2;0", data: data) == [0.5: true, 2: true, 0: false])
    // Every market (a supply several pools share, bounded by a `market` row, is in
    // FormulationTests' SharedSupplyReboundTests: the bundled data has none).
    for market in data.model.markets {
      #expect(try Self.check("market market=\(market.id) values=0.7", data: data) == [0.7: true], "\(market.id)")
    }
    // `budget` rows; at × 0 a budget is not positive where it was: formulated.
    #expect(
      try Self.check("budget funder=eu-ukraine-support values=0.8;1.5;0", data: data) == [
        0.8: true, 1.5: true, 0: false,
      ])
    // Demand decides weights and which columns exist: formulated, the same as from scratch.
    #expect(try Self.check("demand consumer=ua-front values=0.9", data: data) == [0.9: false])
    // A delayed ramp-up is a capacity change: rebound unless it moves where capacity is
    // positive (either way, the same as from scratch).
    let delayed = try Self.check("delay producer=rheinmetall-unterluss values=0;12", data: data)
    #expect(delayed[0] == true && delayed.count == 2)
  }

  @Test func aFormulationShapedByAnotherModelIsNotRebound() throws {
    let data = try DataSetLoader.load(folder: bundled)
    let base = data.model
    let spec = try Arsenal.sweepSpec(
      parameters: ["capacity item=charge-155 values=0;1.2"], scenarios: [], policy: nil, data: data)
    let none = base.applying([spec.parameters[0].change(0, horizon: base.horizon)])
    let more = base.applying([spec.parameters[0].change(1.2, horizon: base.horizon)])
    // Shaped by the base model, the model without charges keeps the charges' columns.
    let shaped = try Formulator.formulate(none, shape: base)
    #expect(!shaped.plain)
    #expect(Formulator.rebound(shaped, to: none) == nil)
    #expect(Formulator.rebound(try Formulator.formulate(base), to: more) != nil)
  }
}
