import Analysis
import Arsenal
import Formulation
import Foundation
import PlanningModel
import Reports
import Testing

/// One month; 40,000 shell bodies, 18,000 propellant charges, plenty of assembly; the front
/// line wants 30,000 rounds.
///
/// Charges bind: one more charge is one more round, until the charges reach the demand
/// (30,000) or fall to nothing (0).
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

/// The cells of the first Markdown table row whose first cell is `first`.
func tableRow(_ markdown: String, first: String) -> [String]? {
  for line in markdown.split(separator: "\n") where line.hasPrefix("|") {
    let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
      .map { $0.trimmingCharacters(in: .whitespaces) }
    if cells.first == first { return cells }
  }
  return nil
}

func run(_ texts: [DataSetFile: String], policy: AllocationPolicy? = nil, scenarios: [String] = ["baseline"]) throws
  -> RunResult
{
  let data = try DataSetLoader.load(texts: texts)
  return try Arsenal.run(RunOptions(data: "test", scenarios: scenarios, policy: policy), data: data)
}

@Suite struct ReportTests {
  /// 18,000 charges bind 155 mm at 18,000 of 30,000: +10 % of the charges (1,800) covers
  /// 1,800 rounds, value 1,800 (every weight 1); +25 % covers 4,500, +50 % 9,000.
  ///
  /// Prices are zero, so the step costs nothing. The shadow price is 1 a charge, valid while
  /// the limit stays between 0 and 30,000 (GLPK's ranging).
  @Test func chargesMeasuredStepAndShadowPrice() throws {
    let r = try run(chargesCase)
    let top = try #require(r.analysis.relaxation.bottlenecks.first)
    #expect(r.analysis.relaxation.bottlenecks.count == 1)
    guard case .limit(.product(let p, _)) = top.candidate.subject else {
      Issue.record("the top bottleneck is not a product's capacity")
      return
    }
    #expect(r.analysis.model.producers[p].id == "nitrochemie")
    #expect(top.value == 1800)
    #expect(top.money == 0)
    #expect(top.effects.map(\.units) == [1800])
    #expect(top.curve.map(\.value) == [4500, 9000])
    let marginal = try #require(top.marginal)
    #expect(abs(abs(marginal.dual) - 1) < 1e-9)
    #expect(abs(marginal.ranging.activityRange.lower - 0) < 1e-6)
    #expect(abs(marginal.ranging.activityRange.upper - 30000) < 1e-6)

    let report = try #require(r.files.contents(of: "report.md"))
    #expect(
      tableRow(report, first: "1") == [
        "1", "propellant charges, Nitrochemie Aschau", "component", "2027-01",
        "+10 % in the month it binds (+1,800 charges in all)", "1,800",
        "1,800 rounds of 155 mm rounds for the front line",
        "€0", "—", "+25 %: 4,500; +50 %: 9,000", "1.00 in 2027-01, valid +12,000 / −18,000",
      ])
    let csv = try #require(r.files.contents(of: "bottlenecks.csv"))
    #expect(
      csv.contains(
        "1,bottleneck,product:nitrochemie:charge,\"propellant charges, Nitrochemie Aschau\",component,2027-01,1800,charges,1800,0,,front-line: 155mm 1800,x2.5: 4500; x5: 9000,-1,2027-01,0,30000"
      ))
    // Shell bodies are plentiful (their step covers nothing), and idle shells wait for charges.
    #expect(!report.contains("shell bodies, Shellworks |"))
    #expect(report.contains("waiting for propellant charges (short)"))
  }

  /// €4 M a month buys 10,000 drones at €400 of the 20,000 wanted.
  ///
  /// The budget binds: +€100 M covers the 10,000 still short (the rest of the step stays
  /// unspent) and buyers pay €4 M more, €400 a drone. The 40,000 drones of idle capacity are
  /// unfunded.
  @Test func budgetStepIsMeasuredInRoundsAndEuros() throws {
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
    let budget = try #require(r.analysis.relaxation.bottlenecks.first)
    #expect(budget.candidate.kind == .budget)
    #expect(budget.value == 10000)
    #expect(budget.money == 4_000_000)
    #expect(budget.eurosPerUnit == 400)
    #expect(
      report.contains(
        "raised +€100.0 M from 2027-01, it covers 10,000 drones of FPV drones for the front line, at €400 a drone."))
  }

  /// A cheap maker (50,000 drones a month at €400) and a dear one (10,000 at €600) make 60,000
  /// of the 62,000 wanted: both bind.
  ///
  /// +10 % at the cheap maker (5,000) covers the 2,000 short and lets the cost stage buy 3,000
  /// fewer from the dear one: 5,000 more at €400 (€2.0 M), 3,000 fewer at €600 (€1.8 M less),
  /// €200,000 in all — €100 a drone net, where every drone costs €400 or more. +10 % at the
  /// dear maker (1,000) covers 1,000 at €600, which nothing bought fewer lowers.
  @Test func aPriceNetOfMakersThatDeliverFewerSaysSo() throws {
    var texts = chargesCase
    texts[.producers] =
      Case.producer("cheapfab", "drone", capacity: 50000, cost: 400)
      + Case.producer("dearfab", "drone", capacity: 10000, cost: 600)
    texts[.items] = "[[item]]\nid = \"drone\"\nname = \"FPV drones\"\nkind = \"end\"\nunit = \"drones\"\n"
    texts[.demand] = "consumer,item,start,quantity\nfront,drone,2027-01,62000\n"
    texts[.scenarios] = nil
    let r = try run(texts)
    let b = r.analysis.relaxation.bottlenecks
    try #require(b.count == 2)
    #expect(b[0].value == 2000 && b[0].money == 200_000 && b[0].eurosPerUnit == 100)
    #expect(b[0].principalMoneyShift?.more == 2_000_000 && b[0].principalMoneyShift?.less == -1_800_000)
    #expect(b[1].value == 1000 && b[1].money == 600_000 && b[1].eurosPerUnit == 600)
    #expect(b[1].principalMoneyShift?.more == 600_000 && b[1].principalMoneyShift?.less == 0)
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(
      report.contains(
        "it covers 2,000 drones of FPV drones for the front line, at €100 a drone net (with 3,000 fewer bought at €600)."
      ))
    #expect(
      report.contains("for €200,000 more (€100 a drone net: 5,000 more at €400 and 3,000 fewer at €600)."))
    #expect(
      report.contains("it covers 1,000 drones of FPV drones for the front line, for €600,000 more (€600 a drone)."))
    let csv = try #require(r.files.contents(of: "bottlenecks.csv"))
    #expect(
      csv.contains(",100,front-line: drone 2000,")
        && csv.contains(",2000000,-1800000,5000 at 400; -3000 at 600,,,,,,,,,\n"))
    #expect(csv.contains(",600,front-line: drone 1000,") && csv.contains(",600000,0,1000 at 600,,,,,,,,,\n"))
  }

  /// A step on one calibre covers another through the input they share, and says so.
  ///
  /// 150 t of nitrocellulose a month go into two calibres, a tonne a round: 152 mm (weight 2,
  /// 100 wanted, 40 of them bought abroad finished) and 155 mm (weight 1, 100 wanted). The plan
  /// makes 60 of 152 mm and 90 of 155 mm: 10 of 155 mm short.
  ///
  /// +10 % abroad (4 rounds of 152 mm) covers 4 rounds of 155 mm — not made from 152 mm rounds —
  /// by moving 4 t of nitrocellulose from 152 mm to 155 mm; +10 % nitrocellulose (15 t) covers
  /// the 10 short of 155 mm, made from it, with no move to explain.
  @Test func aStepOnAnotherItemSaysThroughWhichInput() throws {
    var texts = chargesCase
    texts[.items] = """
      [[item]]
      id = "a152"
      name = "152 mm rounds"
      kind = "end"
      unit = "rounds"
      weight = 2
      bom = { nc = 1 }
      [[item]]
      id = "b155"
      name = "155 mm rounds"
      kind = "end"
      unit = "rounds"
      bom = { nc = 1 }
      [[item]]
      id = "nc"
      name = "nitrocellulose"
      kind = "material"
      unit = "t"
      """
    texts[.producers] =
      Case.producer("ncfab", "nc", capacity: 150) + Case.producer("afab", "a152", capacity: 1000)
      + Case.producer("bfab", "b155", capacity: 1000) + Case.producer("abroad", "a152", capacity: 40)
      + "finished = true\n"
    texts[.demand] = "consumer,item,start,quantity\nfront,a152,2027-01,100\nfront,b155,2027-01,100\n"
    texts[.scenarios] = nil
    let r = try run(texts)
    let b = r.analysis.relaxation.bottlenecks
    let m = r.analysis.model
    let p = try #require(m.producers.indices.first { m.producers[$0].id == "abroad" })
    let abroad = try #require(
      b.first { $0.candidate.subject == .limit(.product(producer: p, product: ProductIndex(0))) })
    #expect(abroad.value == 4 && abroad.effects.map(\.units) == [4])
    let shift = try #require(abroad.inputShift)
    #expect(m.items[shift.input].id == "nc" && m.items[shift.from].id == "a152" && m.items[shift.to].id == "b155")
    #expect(shift.units == 4)
    let nc = try #require(b.first { $0.value == 10 })
    #expect(nc.inputShift == nil)
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(
      report.contains(
        "it covers 4.00 rounds of 155 mm rounds for the front line, by moving 4.00 t of nitrocellulose from 152 mm rounds to 155 mm rounds."
      ))
    let csv = try #require(r.files.contents(of: "bottlenecks.csv"))
    #expect(csv.contains(",nc,a152,b155,4,,,,,\n"))
  }

  /// A step's loss through a budget with no money left says which budget, and how much moves.
  ///
  /// A treasury with €1,000 a month pays for the front line's bombs (€10, weight 1: 0.1 a
  /// euro) and missiles (€100, weight 5: 0.05 a euro). It buys all 50 bombs made (€500) and 5
  /// missiles (€500) of 100 and 10 wanted, and has no money left. +10 % of the bomb plant (5
  /// bombs) buys 5 more bombs with €50 the missiles no longer get: 5 bombs gained (value 5),
  /// 0.5 missiles lost (2.5), value 2.5, €0 more in all. The budget's own step (+€100 M)
  /// covers the 5 missiles short (value 25) and loses nothing, so it names no budget.
  @Test func aLossThroughABudgetSaysWhichBudget() throws {
    var texts = chargesCase
    texts[.items] = """
      [[item]]
      id = "bomb"
      name = "mortar bombs"
      kind = "end"
      unit = "bombs"
      [[item]]
      id = "missile"
      name = "missiles"
      kind = "end"
      unit = "missiles"
      weight = 5
      """
    texts[.producers] =
      Case.producer("bombfab", "bomb", capacity: 50, cost: 10)
      + Case.producer("missilefab", "missile", capacity: 10, cost: 100)
    texts[.demand] = "consumer,item,start,quantity\nfront,bomb,2027-01,100\nfront,missile,2027-01,10\n"
    texts[.funders] = """
      [[funder]]
      id = "treasury"
      name = "Treasury"
      budget = 1000
      per = "month"
      pays_for = "front"
      """
    texts[.scenarios] = nil
    let r = try run(texts)
    let b = r.analysis.relaxation.bottlenecks
    let m = r.analysis.model
    try #require(b.count == 2)
    #expect(b[0].candidate.kind == .budget && b[0].value == 25 && b[0].budgetShift == nil)
    #expect(b[1].value == 2.5 && b[1].money == 0 && b[1].effects.map(\.units) == [5, -0.5])
    let shift = try #require(b[1].budgetShift)
    #expect(m.funders[shift.funder].id == "treasury" && m.consumers[shift.consumer].id == "front")
    #expect(m.items[shift.from].id == "missile" && m.items[shift.to].id == "bomb" && shift.euros == 50)
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(
      report.contains(
        "it covers 5.00 bombs of mortar bombs for the front line, at €10 a bomb; at the cost of 0.500 missiles of missiles for the front line, whose funder (Treasury) has no money left in 2027-01: €50 it paid for them goes to mortar bombs instead."
      ))
    let csv = try #require(r.files.contents(of: "bottlenecks.csv"))
    #expect(csv.contains(",treasury,front,missile,bomb,50\n"))
  }

  /// What a scenario adds says how much of it is used.
  ///
  /// 50,000 drones a month at €400, €4 M a month to buy them, 20,000 wanted. The scenario
  /// doubles the plant (100,000) and sets the budget to €10 M: 20,000 are made and bought
  /// (€8 M), 80,000 of the capacity stands idle as demand is met, and the budget never runs
  /// out.
  @Test func whatAScenarioAddsSaysHowMuchIsUsed() throws {
    var texts = chargesCase
    texts[.producers] = Case.producer("dronefab", "drone", capacity: 50000, cost: 400)
    texts[.items] = "[[item]]\nid = \"drone\"\nname = \"FPV drones\"\nkind = \"end\"\nunit = \"drones\"\n"
    texts[.demand] = "consumer,item,start,quantity\nfront,drone,2027-01,20000\n"
    texts[.funders] = """
      [[funder]]
      id = "treasury"
      name = "Treasury"
      budget = 4000000
      per = "month"
      pays_for = "front"
      """
    texts[.scenarios] = """
      [scenario.bigger]
      description = "Twice the plant, €10 M a month."
      [[scenario.bigger.change]]
      type = "scale-capacity"
      producer = "dronefab"
      factor = 2
      [[scenario.bigger.change]]
      type = "set-budget"
      funder = "treasury"
      amount = 10000000
      per = "month"
      from = "2027-01"
      """
    let report = try #require(try run(texts, scenarios: ["bigger"]).files.contents(of: "report.md"))
    #expect(
      report.contains(
        "Of the end-item capacity the scenario sets or scales up, FPV drones at dronefab makes 20,000 of 100,000 drones (idle: demand already met)."
      ))
    #expect(
      report.contains(
        "Of the budgets the scenario changes, Treasury spends €8.0 M of €10.0 M (80.0 %), never running out."))
    let baseline = try #require(try run(texts).files.contents(of: "report.md"))
    #expect(!baseline.contains("Of the end-item capacity") && !baseline.contains("Of the budgets"))
  }

  /// With one class, weighted and lexicographic value the same step alike.
  @Test func weightedAndLexicographicValuesAgree() throws {
    let weighted = try run(chargesCase, policy: .weighted)
    let lexicographic = try run(chargesCase, policy: .lexicographic)
    let w = try #require(weighted.analysis.relaxation.bottlenecks.first)
    let l = try #require(lexicographic.analysis.relaxation.bottlenecks.first)
    #expect(w.value == 1800 && l.value == 1800)
    #expect(w.effects.map(\.units) == l.effects.map(\.units))
  }

  @Test func comparisonDeltas() throws {
    let data = try DataSetLoader.load(texts: chargesCase)
    let (report, _) = try Arsenal.compare(["baseline", "more-charges"], options: RunOptions(data: "test"), data: data)
    let csv = report.csv()
    // 18,000 → 27,000 charges: shortfall 12,000 → 3,000.
    #expect(csv.contains("front-line,Front line,shortfall,155mm,155 mm rounds: shortfall,rounds,12000,3000,-9000"))
    #expect(csv.contains("front-line,Front line,coverage,155mm,155 mm rounds: coverage,fraction,0.6,0.9,0.3"))
    let md = report.markdown()
    #expect(
      md.contains(
        "| Front line | 155 mm rounds: shortfall | rounds |   12,000 |        3,000 |                     −9,000 |"))
  }

  /// Runs solved side by side share the analysis's workers: as many runs as cores, each with
  /// every core's worth, would hold cores² copies of the program in GLPK.
  @Test func runsSideBySideShareTheAnalysisWorkers() {
    #expect(Arsenal.workersPerRun(2, runs: 5, cores: 2) == 1)
    #expect(Arsenal.workersPerRun(32, runs: 5, cores: 32) == 6)
    #expect(Arsenal.workersPerRun(32, runs: 40, cores: 32) == 1)
    #expect(Arsenal.workersPerRun(8, runs: 1, cores: 8) == 8)
    #expect(Arsenal.workersPerRun(1, runs: 3, cores: 8) == 1)
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
