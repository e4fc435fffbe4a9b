import Analysis
import Arsenal
import Foundation
import PlanningModel
import Reports
import Testing

/// A hedge small enough to solve by hand.
///
/// Two months, a lead time of one month: only what is shipped in the first month arrives
/// inside the horizon, so every delivery is a first-stage decision. The producer makes at
/// most 100 rounds a month at €1,000; the front line needs 50 rounds in the second month
/// under path `calm` (probability 0.6) and 150 under path `surge` (0.4).
///
/// By hand, with s the rounds shipped in month 1 (s ≤ 100) and shortfall 150 − s under surge,
/// max(0, 50 − s) under calm:
/// - hedged: the expected shortfall 0.4 (150 − s) + 0.6 max(0, 50 − s) falls until s = 100:
///   ship 100; short 50 under surge, 0 under calm (the 50 extra are kept in stock).
/// - the plan for calm alone (the most likely path) ships 50: short 100 under surge.
/// - the plan for the mean demand (0.6 × 50 + 0.4 × 150 = 90) ships 90: short 60 under surge.
/// - perfect information ships 100 under surge, 50 under calm: short 50 and 0.
/// So with w the weight of a round short in month 2, E[hedged] = 0.4 × 50 w = 20 w, hedging
/// gains 0.4 × 50 w = 20 w over calm's plan, the value of the stochastic solution (against the
/// mean demand's) is 0.4 × 10 w = 4 w, and perfect information gains no shortfall but saves the 50
/// rounds calm does not need: 0.6 × 50 × €1,000 = €30,000 in expectation.
func hedgeFixture() -> [DataSetFile: String] {
  [
    .dataset: """
    name = "hedge-test"
    [horizon]
    start = "2027-01"
    periods = 2
    [settings]
    default_lead_time = 1
    [countries]
    AA = "Alphaland"
    """,
    .items: """
    [[item]]
    id = "round"
    kind = "end"
    unit = "rounds"
    """,
    .producers: """
    [[producer]]
    id = "p"
    country = "AA"
    [[producer.product]]
    item = "round"
    capacity = 100
    unit_cost = 1000
    """,
    .consumers: """
    [[consumer]]
    id = "front"
    class = "front-line"
    country = "AA"
    """,
    .demand: "consumer,item,start,quantity\nfront,round,2027-02,50\n",
    .scenarios: """
    [scenario.calm]
    description = "Demand as it is."

    [scenario.surge]
    description = "Three times the demand in February."
      [[scenario.surge.change]]
      type = "scale-demand"
      class = "front-line"
      factor = 3
      from = "2027-02"
    """,
    .uncertainty: """
    [hedge.q]
    paths = ["calm", "surge"]
    probabilities = [0.6, 0.4]
    first_periods = 1
    """,
  ]
}

@Suite(.serialized) struct HedgeTests {
  func shipped(_ a: PlanAnalysis) -> Double {
    a.allocation.shipments.filter { $0.t == 0 }.reduce(0) { $0 + $1.quantity }
  }
  func short(_ a: PlanAnalysis) -> Double { a.demand.reduce(0) { $0 + $1.total.shortfall } }

  @Test func hedgedPlanValueOfTheStochasticSolutionAndPerfectInformationByHand() throws {
    let data = try DataSetLoader.load(texts: hedgeFixture())
    let study = try Arsenal.hedgeStudy(name: "q", paths: nil, probabilities: nil, firstPeriods: nil, data: data)
    let (outcome, _, _) = try Arsenal.hedgeOutcome(study, data: data, options: HedgeOptions(out: "unused"))
    #expect(outcome.mostLikely == 0)
    let hedged = try #require(outcome.evaluated(.hedged))
    let bet = try #require(outcome.evaluated(.bet(path: 0)))
    let mean = try #require(outcome.evaluated(.meanDemand))
    let perfect = try #require(outcome.evaluated(.perfectInformation))
    #expect(hedged.paths.map(shipped) == [100, 100])
    #expect(hedged.paths.map(short) == [0, 50])
    #expect(bet.paths.map(shipped) == [50, 50])
    #expect(bet.paths.map(short) == [0, 100])
    #expect(mean.paths.map(shipped) == [90, 90])
    #expect(mean.paths.map(short) == [0, 60])
    #expect(perfect.paths.map(shipped) == [50, 100])
    #expect(perfect.paths.map(short) == [0, 50])

    let report = HedgeReport(
      outcome: outcome, model: data.model,
      provenance: Provenance(glpkVersion: "5.0", method: .simplex("primal"), arsenalVersion: "test"))
    // w: the weight of one round short in month 2, read from perfect information's surge path.
    let w = try #require(perfect.paths[1].stages.first?.objective) / 50
    #expect(w > 0)
    let eh = report.expected(hedged, \.objective)
    #expect(abs(eh - 20 * w) < 1e-6 * w)
    #expect(abs(report.gap(report.expected(bet, \.objective), eh) - 20 * w) < 1e-6 * w)
    #expect(abs(report.gap(report.expected(mean, \.objective), eh) - 4 * w) < 1e-6 * w)
    #expect(report.gap(eh, report.expected(perfect, \.objective)) == 0)
    #expect(abs(report.expected(hedged, \.cost) - report.expected(perfect, \.cost) - 30_000) < 1e-3)
    // The first stage at its price: 100 rounds hedged, 50 betting on calm.
    #expect(report.figures(hedged.paths[0]).firstStage == 100_000)
    #expect(report.figures(bet.paths[0]).firstStage == 50_000)

    // The summary says what the tables hold.
    let summary = report.summary().joined(separator: "\n")
    #expect(summary.contains("buys €100,000 of deliveries and expansion orders"))
    #expect(summary.contains("buys €50,000, so the hedge costs €50,000 more now"))
    #expect(summary.contains("saves \(Fmt.value(20 * w)) of expected weighted shortfall"))
    #expect(summary.contains("saves \(Fmt.value(4 * w)) of expected weighted shortfall"))
    #expect(summary.contains("would not lower the expected weighted shortfall"))
    #expect(summary.contains("costs €50,000 more in expectation"))
    #expect(summary.contains("would save €30,000 in expectation"))
  }

  /// The same files twice, the second time on one worker (the paths alone and the mean
  /// demand solved after the joined program, not beside it).
  @Test func reportFilesAreWrittenAndRepeatable() throws {
    let data = try DataSetLoader.load(texts: hedgeFixture())
    let study = try Arsenal.hedgeStudy(name: "q", paths: nil, probabilities: nil, firstPeriods: nil, data: data)
    var texts: [String] = []
    for run in 0..<2 {
      let out = temporary("hedge-\(run)")
      var options = HedgeOptions(out: out)
      options.workers = run == 0 ? 2 : 1
      options.write.force = true
      _ = try Arsenal.hedge(study, data: data, options: options)
      let csv = try String(contentsOfFile: out + "/hedge.csv", encoding: .utf8)
      let md = try String(contentsOfFile: out + "/hedge.md", encoding: .utf8)
      texts.append(csv + md)
      #expect(csv.contains("hedged,expected,1,"))
      #expect(FileManager.default.fileExists(atPath: out + "/hedge.json"))
      #expect(FileManager.default.fileExists(atPath: out + "/hedge.html"))
    }
    #expect(texts[0] == texts[1])
  }

  @Test func overridesAreChecked() throws {
    let data = try DataSetLoader.load(texts: hedgeFixture())
    #expect(throws: ArsenalError.self) {
      try Arsenal.hedgeStudy(name: "nope", paths: nil, probabilities: nil, firstPeriods: nil, data: data)
    }
    #expect(throws: ArsenalError.self) {
      try Arsenal.hedgeStudy(
        name: "q", paths: ["calm", "surge"], probabilities: [0.5, 0.6], firstPeriods: nil, data: data)
    }
    #expect(throws: ArsenalError.self) {
      try Arsenal.hedgeStudy(
        name: "q", paths: ["calm", "storm"], probabilities: [0.5, 0.5], firstPeriods: nil, data: data)
    }
    #expect(throws: ArsenalError.self) {
      try Arsenal.hedgeStudy(name: "q", paths: nil, probabilities: nil, firstPeriods: 3, data: data)
    }
  }
}
