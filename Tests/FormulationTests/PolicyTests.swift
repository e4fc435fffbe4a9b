import Formulation
import Foundation
import Optimizer
import PlanningModel
import Testing

/// The three allocation policies on cases where their answers differ by hand.
@Suite struct PolicyTests {
  /// 100 rounds, 100 demanded by the front line and 100 by a readiness consumer.
  ///
  /// Classes: front line weight 1 rank 1, readiness weight 5 rank 2.
  static func contested() -> Fixture {
    var f = Fixture()
    f.dataset += """

      [classes.front-line]
      weight = 1
      rank = 1
      [classes.readiness]
      weight = 5
      rank = 2
      """
    f.consumers += """

      [[consumer]]
      id = "army"
      class = "readiness"
      country = "AA"
      """
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 100
      """
    f.demand += "front,round,2027-01,100\narmy,round,2027-01,100\n"
    return f
  }

  /// Weighted: readiness weighs 5 against 1, so it gets all 100.
  @Test func weightedFollowsWeights() throws {
    let (_, r) = try Self.contested().solve(policy: .weighted)
    #expect(near(try r.totalShortfall("army"), 0))
    #expect(near(try r.totalShortfall("front"), 100))
    #expect(near(r.stages[0].objective, 100))  // 100 short × weight 1
  }

  /// Lexicographic: the front line ranks first whatever the weights.
  @Test func lexicographicFollowsRanks() throws {
    let (_, r) = try Self.contested().solve(policy: .lexicographic)
    #expect(near(try r.totalShortfall("front"), 0))
    #expect(near(try r.totalShortfall("army"), 100))
    #expect(r.stages.map(\.stage.name) == ["front-line shortfall", "readiness shortfall", "cost", "tie-break"])
    #expect(near(r.stages[0].objective, 0))
    #expect(near(r.stages[1].objective, 100))
  }

  /// Fair share: two readiness consumers want 100 and 50 of 90 rounds.
  ///
  /// The smallest coverage is largest when both get 60 %: 60 and 30.
  @Test func fairShareEqualisesCoverage() throws {
    var f = Fixture()
    f.consumers = """
      [[consumer]]
      id = "a"
      class = "readiness"
      country = "AA"
      [[consumer]]
      id = "b"
      class = "readiness"
      country = "BB"
      """
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 90
      """
    f.demand += "a,round,2027-01,100\nb,round,2027-01,50\n"
    let (_, r) = try f.solve(policy: .fairShare)
    #expect(near(try r.delivered("a", item: "round"), 60))
    #expect(near(try r.delivered("b", item: "round"), 30))
    #expect(near(try r.plan.coverageFloor[.readiness] ?? -1, 0.6))
  }
}

/// The stages after the shortfall stages choose among plans that cover exactly as much.
@Suite struct OptimalFaceTests {
  /// 100 rounds at €10 can be made, 150 are demanded: the plan makes all 100 and 50 are short.
  ///
  /// With a stage tolerance of 1 %, the held shortfall row alone would let the cost stage
  /// buy half a round less (shortfall 50.5, €5 saved); on the optimal face it cannot.
  @Test func laterStagesDoNotTradeTheTolerance() throws {
    var f = Fixture()
    f.dataset = f.dataset.replacingOccurrences(
      of: "default_lead_time = 0", with: "default_lead_time = 0\nstage_tolerance = 0.01")
    f.producers = Fixture.producer(capacity: 100, unitCost: 10)
    f.demand += "front,round,2027-01,150\n"
    let (_, r) = try f.solve(policy: .weighted)
    #expect(try r.totalShortfall("front") == 50)
    #expect(try r.delivered("front", item: "round") == 100)
    #expect(r.stages.map(\.stage.name) == ["weighted shortfall", "cost", "tie-break"])
  }
}
