import LinearProgram
import Optimizer
import PlanningModel
import Testing

@testable import Formulation

/// A market supply two pools share is bounded by its `market` row, not by its purchase
/// columns: a point that scales it is rebound there (`Formulator.rebound`) and plans as the
/// formulation from scratch does.
@Suite struct SharedSupplyReboundTests {
  /// Rounds of 0.002 t of linters each, made in two pools (west, east) with 1,000 a month of
  /// capacity each; one market sells 0.3 t of linters a month into both: 150 rounds in all.
  static func fixture() -> Fixture {
    var f = Fixture()
    f.items = """
      [[item]]
      id = "round"
      kind = "end"
      unit = "rounds"
      bom = { linters = 0.002 }
      [[item]]
      id = "linters"
      kind = "material"
      unit = "t"
      """
    f.producers = """
      [[producer]]
      id = "west"
      country = "AA"
      pool = "west"
      [[producer.product]]
      item = "round"
      capacity = 1000
      [[producer]]
      id = "east"
      country = "AA"
      pool = "east"
      [[producer.product]]
      item = "round"
      capacity = 1000
      """
    f.demand += "front,round,2027-01,500\n"
    f.extra[.markets] = """
      [[market]]
      id = "linters-market"
      country = "BB"
      [[market.supply]]
      item = "linters"
      capacity = 0.3
      pools = ["west", "east"]
      """
    return f
  }

  @Test func aSharedSupplyIsReboundByItsRow() throws {
    let data = try Self.fixture().load()
    let base = try Formulator.formulate(data.model)
    let row = try #require(
      base.rowRoles.firstIndex { if case .marketSupply = $0 { true } else { false } }, "a market row")
    #expect(base.program.rowBounds[row] == .atMost(0.3))
    let all = PeriodRange(from: 0, until: data.model.horizon.periods)
    // × 0.5: 0.15 t, so 75 rounds.
    let half = data.model.applying([.scaleMarket(market: MarketIndex(0), items: nil, factor: 0.5, periods: all)])
    let rebound = try #require(Formulator.rebound(base, to: half))
    #expect(rebound.program.rowBounds[row] == .atMost(0.15))
    let fresh = try Formulator.formulate(half)
    #expect(rebound.program.columnBounds == fresh.program.columnBounds)
    #expect(rebound.program.rowBounds == fresh.program.rowBounds)
    #expect(
      rebound.program.entryValue == fresh.program.entryValue && rebound.program.objective == fresh.program.objective)
    #expect(rebound.columnRoles == fresh.columnRoles && rebound.rowRoles == fresh.rowRoles)
    #expect(rebound.stages == fresh.stages && rebound.model == fresh.model)
    for (j, role) in rebound.columnRoles.enumerated() {
      if case .purchase = role { #expect(rebound.program.columnBounds[j] == .nonNegative) }
    }
    let plan = try Optimizer(rebound).run()
    #expect(near(try plan.delivered("front", item: "round"), 75))
    #expect(near(try plan.totalShortfall("front"), 425))
    // × 0: no linters, no purchase columns: formulated instead.
    let none = data.model.applying([.scaleMarket(market: MarketIndex(0), items: nil, factor: 0, periods: all)])
    #expect(Formulator.rebound(base, to: none) == nil)
  }
}
