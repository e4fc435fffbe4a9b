import Analysis
import Arsenal
import Foundation
import PlanningModel
import Reports
import Testing

/// One month; 40,000 shell bodies, 18,000 propellant charges, plenty of assembly; the front
/// line wants 30,000 rounds. Charges bind: one more charge is one more round, until the
/// charges reach the demand (30,000) or fall to nothing (0).
let chargesCase: [DataSetFile: String] = [
  .dataset: """
    name = "charges"
    [horizon]
    start = "2027-01"
    periods = 1
    [settings]
    default_lead_time = 0
    [countries]
    AA = "Alphaland"
    """,
  .items: """
    [[item]]
    id = "155mm"
    name = "155 mm rounds"
    kind = "end"
    unit = "rounds"
    bom = { shell = 1, charge = 1 }
    [[item]]
    id = "shell"
    name = "shell bodies"
    kind = "component"
    unit = "bodies"
    [[item]]
    id = "charge"
    name = "propellant charges"
    kind = "component"
    unit = "charges"
    """,
  .producers: """
    [[producer]]
    id = "shellworks"
    name = "Shellworks"
    country = "AA"
    [[producer.product]]
    item = "shell"
    capacity = 40000
    [[producer]]
    id = "nitrochemie"
    name = "Nitrochemie Aschau"
    country = "AA"
    [[producer.product]]
    item = "charge"
    capacity = 18000
    [[producer]]
    id = "assembly"
    name = "Assembly plant"
    country = "AA"
    [[producer.product]]
    item = "155mm"
    capacity = 100000
    """,
  .consumers: """
    [[consumer]]
    id = "front"
    name = "Front line"
    class = "front-line"
    country = "AA"
    """,
  .demand: "consumer,item,start,quantity\nfront,155mm,2027-01,30000\n",
  .scenarios: """
    [scenario.more-charges]
    description = "Half as many charges again."
    [[scenario.more-charges.change]]
    type = "scale-capacity"
    producer = "nitrochemie"
    factor = 1.5
    """,
]

func run(_ texts: [DataSetFile: String], policy: AllocationPolicy? = nil, scenarios: [String] = ["baseline"]) throws -> RunResult {
  let data = try DataSetLoader.load(texts: texts)
  return try Arsenal.run(RunOptions(data: "test", scenarios: scenarios, policy: policy), data: data)
}

@Suite struct ReportTests {
  @Test func chargesBindWithValueOneAndGLPKsRange() throws {
    let r = try run(chargesCase)
    let charges = try #require(r.analysis.bottlenecks.first { $0.name == "propellant charges, Nitrochemie Aschau" })
    #expect(r.analysis.bottlenecks.first?.name == charges.name)
    let span = try #require(charges.spans.first)
    #expect(abs(span.value - 1) < 1e-9)
    #expect(span.effects.map(\.what) == ["155 mm rounds"])
    // GLPK's ranging of the charge capacity bound, straight from the solver.
    let sensitivity = try #require(r.plan.stages[0].sensitivity.first { r.plan.formulation.limits[$0.limit].kind == .component })
    #expect(abs(sensitivity.ranging.activityRange.lower - 0) < 1e-6)
    #expect(abs(sensitivity.ranging.activityRange.upper - 30000) < 1e-6)
    #expect(abs(span.level - span.rangeDown) < 1e-6 && abs(span.level + span.rangeUp - 30000) < 1e-6)
    // Shell bodies are plentiful: never a bottleneck.
    #expect(!r.analysis.bottlenecks.contains { $0.name.hasPrefix("shell bodies") })

    let report = try #require(r.files.contents(of: "report.md"))
    #expect(report.contains("| 1 | propellant charges, Nitrochemie Aschau | component |"))
    #expect(report.contains("1.00 round of 155 mm rounds"))
    #expect(report.contains("+12,000 / −18,000"))
    let csv = try #require(r.files.contents(of: "bottlenecks.csv"))
    #expect(csv.contains("\"propellant charges, Nitrochemie Aschau\",2027-01,2027-01,18000,charges a month,-1,1,rounds,0,30000,no,"))
    // Idle shells wait for charges.
    #expect(report.contains("waiting for propellant charges (short)"))
  }

  @Test func budgetBoundCapacityIsReportedUnfunded() throws {
    var texts = chargesCase
    texts[.producers] = """
      [[producer]]
      id = "dronefab"
      name = "Drone workshop"
      country = "AA"
      [[producer.product]]
      item = "drone"
      capacity = 50000
      unit_cost = 400
      """
    texts[.items] = "[[item]]\nid = \"drone\"\nname = \"FPV drones\"\nkind = \"end\"\nunit = \"drones\"\n"
    texts[.demand] = "consumer,item,start,quantity\nfront,drone,2027-01,20000\n"
    texts[.scenarios] = nil
    texts[.funders] = """
      [[funder]]
      id = "treasury"
      name = "Treasury"
      budget = 4000000
      per = "month"
      pays_for = "front"
      """
    let r = try run(texts)
    let idle = try #require(r.analysis.idle.first)
    #expect(abs(idle.idle - 40000) < 1e-3)
    #expect(idle.reasons.first?.reason == .unfunded)
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(report.contains("unfunded: the consumers who are short have no budget left for it (100.0 %)"))
    // The budget binds: one more EUR million buys 2,500 drones.
    let budget = try #require(r.analysis.bottlenecks.first)
    #expect(budget.kind == .budget)
    #expect(abs((budget.spans.first?.value ?? 0) - 2500) < 1e-6)
  }

  /// With one class, weighted and lexicographic optimise the same thing, so the charges'
  /// value must agree (1 round per charge), though one comes out of the weights and the
  /// other out of the class's own stage.
  @Test func weightedAndLexicographicValuesAgree() throws {
    let weighted = try run(chargesCase, policy: .weighted)
    let lexicographic = try run(chargesCase, policy: .lexicographic)
    let w = try #require(weighted.analysis.bottlenecks.first)
    let l = try #require(lexicographic.analysis.bottlenecks.first)
    #expect(w.name == l.name)
    #expect(l.stage == "front-line shortfall" && w.stage == "weighted shortfall")
    #expect(abs((w.spans.first?.value ?? 0) - (l.spans.first?.value ?? -1)) < 1e-9)
    #expect(abs((l.spans.first?.value ?? 0) - 1) < 1e-9)
  }

  @Test func comparisonDeltas() throws {
    let data = try DataSetLoader.load(texts: chargesCase)
    let (report, _) = try Arsenal.compare(["baseline", "more-charges"], options: RunOptions(data: "test"), data: data)
    let csv = report.csv()
    // 18,000 → 27,000 charges: shortfall 12,000 → 3,000.
    #expect(csv.contains("Front line,155 mm rounds: shortfall,rounds,12000,3000,-9000"))
    #expect(csv.contains("Front line,155 mm rounds: coverage,%,0.6,0.9,0.3"))
    let md = report.markdown()
    #expect(md.contains("| Front line | 155 mm rounds: shortfall | rounds |   12,000 |        3,000 |                     −9,000 |"))
  }

  @Test func sameInputSameBytes() throws {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/small").path
    let first = try Arsenal.run(RunOptions(data: fixture))
    let second = try Arsenal.run(RunOptions(data: fixture))
    #expect(first.files.files.map(\.name) == second.files.files.map(\.name))
    for (a, b) in zip(first.files.files, second.files.files) {
      #expect(a.contents == b.contents, "\(a.name) differs between runs")
    }
  }
}
