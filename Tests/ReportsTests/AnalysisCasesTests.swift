import Analysis
import Arsenal
import Foundation
import PlanningModel
import Reports
import Testing

/// Small hand-built data sets, one per behaviour of the analysis, with the answer derived by
/// hand in each test's comment.
struct Case {
  var periods = 1
  var leadTime = 0
  var items = """
    [[item]]
    id = "round"
    name = "rounds"
    kind = "end"
    unit = "rounds"
    """
  var producers = ""
  var consumers = """
    [[consumer]]
    id = "front"
    name = "Front line"
    class = "front-line"
    country = "AA"
    """
  var demand = "consumer,item,start,quantity\n"
  var extra: [DataSetFile: String] = [:]

  var texts: [DataSetFile: String] {
    var t = extra
    t[.dataset] = """
      name = "case"
      [horizon]
      start = "2027-01"
      periods = \(periods)
      [settings]
      default_lead_time = \(leadTime)
      [countries]
      AA = "Alphaland"
      BB = "Betaland"
      """
    t[.items] = items
    t[.producers] = producers
    t[.consumers] = consumers
    t[.demand] = demand
    return t
  }

  func run(_ policy: AllocationPolicy? = nil) throws -> RunResult {
    try Arsenal.run(RunOptions(data: "case", policy: policy), data: try DataSetLoader.load(texts: texts))
  }

  /// A producer of `item` in `country` with a monthly capacity (and price).
  static func producer(
    _ id: String, _ item: String = "round", capacity: Double, country: String = "AA", cost: Double = 0
  )
    -> String
  {
    """

    [[producer]]
    id = "\(id)"
    name = "\(id)"
    country = "\(country)"
    [[producer.product]]
    item = "\(item)"
    capacity = \(capacity)
    unit_cost = \(cost)

    """
  }
}

extension RunResult {
  /// The idle reasons of a producer's product, largest first.
  func reasons(_ producer: String, _ item: String = "round") throws -> [IdleReason] {
    let m = analysis.model
    let p = try #require(m.producerIndex(producer))
    let i = try #require(m.itemIndex(item))
    let idle = try #require(analysis.idle.first { $0.producer == p && m.producers[p].products[$0.product].item == i })
    return idle.reasons.map(\.reason)
  }
}

@Suite struct IdleReasonTests {
  /// Nobody asks for the item: no demand.
  @Test func noDemand() throws {
    var c = Case()
    c.items += "\n[[item]]\nid = \"mortar\"\nkind = \"end\"\n"
    c.producers = Case.producer("p", "mortar", capacity: 100)
    c.demand += "front,round,2027-01,10\n"
    #expect(try c.run().reasons("p", "mortar") == [.noDemand])
  }

  /// 100 made possible, 50 wanted: the other 50 stand idle because demand is met.
  @Test func demandMet() throws {
    var c = Case()
    c.producers = Case.producer("p", capacity: 100)
    c.demand += "front,round,2027-01,50\n"
    #expect(try c.run().reasons("p") == [.demandMet])
  }

  /// The only producer is in a country a rule bars from the front line: ineligible.
  @Test func ineligible() throws {
    var c = Case()
    c.producers = Case.producer("p", capacity: 100, country: "BB")
    c.demand += "front,round,2027-01,50\n"
    c.extra[.links] = "[[rule]]\nfrom = \"BB\"\nto = \"front\"\nallow = false\n"
    #expect(try c.run().reasons("p") == [.ineligible])
  }

  /// €1,000 a month buys 10 rounds at €100 of the 50 wanted: the other 90 of capacity are
  /// unfunded (the consumer's only funder is out of money).
  @Test func unfunded() throws {
    var c = Case()
    c.producers = Case.producer("p", capacity: 100, cost: 100)
    c.demand += "front,round,2027-01,50\n"
    c.extra[.funders] = "[[funder]]\nid = \"f\"\nbudget = 1000\nper = \"month\"\npays_for = \"front\"\n"
    let r = try c.run()
    #expect(try r.reasons("p") == [.unfunded])
    #expect(r.analysis.idle.first?.idle == 90)
  }

  /// Rounds need charges, which only a market sells, 100 a month: assembly capacity beyond
  /// 100 is starved of charges.
  @Test func starved() throws {
    var c = Case()
    c.items = """
      [[item]]
      id = "round"
      kind = "end"
      bom = { charge = 1 }
      [[item]]
      id = "charge"
      kind = "component"
      """
    c.producers = Case.producer("p", capacity: 500)
    c.demand += "front,round,2027-01,1000\n"
    c.extra[.markets] =
      "[[market]]\nid = \"m\"\ncountry = \"AA\"\n[[market.supply]]\nitem = \"charge\"\ncapacity = 100\n"
    let r = try c.run()
    let charge = try #require(r.analysis.model.itemIndex("charge"))
    #expect(try r.reasons("p") == [.starved(input: charge)])
  }

  /// Rounds need charges, which nothing makes or sells in the producer's pool: its capacity
  /// has no source of charges, although demand is short — the reason comes before every
  /// reason about consumers.
  @Test func noSourceInThePool() throws {
    var c = Case()
    c.items = """
      [[item]]
      id = "round"
      kind = "end"
      bom = { charge = 1 }
      [[item]]
      id = "charge"
      kind = "component"
      """
    c.producers = Case.producer("p", capacity: 500)
    c.demand += "front,round,2027-01,1000\n"
    let r = try c.run()
    let charge = try #require(r.analysis.model.itemIndex("charge"))
    #expect(try r.reasons("p") == [.noSource(input: charge)])
    #expect(r.analysis.idle.first?.idle == 500)
  }

  /// 40,000 shell bodies but 18,000 charges: idle bodies wait for charges (companion short);
  /// 40,000 charges and assembly for only 18,000: idle charges have no assembly left.
  @Test func companionShortAndAssemblyFull() throws {
    let short = try run(chargesCase)
    let charge = try #require(short.analysis.model.itemIndex("charge"))
    #expect(try short.reasons("shellworks", "shell") == [.companionShort(input: charge)])
    var texts = chargesCase
    texts[.producers] = texts[.producers]?.replacingOccurrences(of: "capacity = 18000", with: "capacity = 40000")
      .replacingOccurrences(of: "capacity = 100000", with: "capacity = 18000")
    let full = try DataSetLoader.load(texts: texts)
    let r = try Arsenal.run(RunOptions(data: "test"), data: full)
    let round = try #require(r.analysis.model.itemIndex("155mm"))
    #expect(try r.reasons("nitrochemie", "charge") == [.assemblyFull(item: round)])
  }

  /// 40,000 shell bodies, 18,000 charges and 18,000 rounds wanted: every charge is used, but
  /// the idle bodies wait for nothing anyone needs — demand is met.
  @Test func aComponentBesideAUsedUpCompanionIsIdleBecauseDemandIsMet() throws {
    var texts = chargesCase
    texts[.demand] = "consumer,item,start,quantity\nfront,155mm,2027-01,18000\n"
    let r = try run(texts)
    #expect(try r.reasons("shellworks", "shell") == [.demandMet])
  }

  /// Rounds need charges, charges need nitrocellulose, which one market sells, 100 a month.
  ///
  /// 1,000 rounds wanted. The charge plant (300) makes 100 and is starved of nitrocellulose;
  /// the round plant (500) makes 100 and is starved of charges, although the charge plant
  /// has capacity to spare: that capacity has no nitrocellulose.
  @Test func starvationFollowsTheChain() throws {
    var c = Case()
    c.items = """
      [[item]]
      id = "round"
      kind = "end"
      bom = { charge = 1 }
      [[item]]
      id = "charge"
      kind = "component"
      bom = { nc = 1 }
      [[item]]
      id = "nc"
      kind = "material"
      """
    c.producers = Case.producer("p", capacity: 500) + Case.producer("c", "charge", capacity: 300)
    c.demand += "front,round,2027-01,1000\n"
    c.extra[.markets] = "[[market]]\nid = \"m\"\ncountry = \"AA\"\n[[market.supply]]\nitem = \"nc\"\ncapacity = 100\n"
    let r = try c.run()
    let charge = try #require(r.analysis.model.itemIndex("charge"))
    let nc = try #require(r.analysis.model.itemIndex("nc"))
    #expect(try r.reasons("p") == [.starved(input: charge)])
    #expect(try r.reasons("c", "charge") == [.starved(input: nc)])
  }

  /// Two products share a line of 120: the heavier item takes its 100, the other 20; the
  /// second product's other 80 stand idle because the line is full.
  @Test func lineFull() throws {
    var c = Case()
    c.items = "[[item]]\nid = \"round\"\nkind = \"end\"\nweight = 2\n[[item]]\nid = \"mortar\"\nkind = \"end\"\n"
    c.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 100
      [[producer.product]]
      item = "mortar"
      capacity = 100
      [[producer.line]]
      id = "big"
      capacity = 120
      usage = { round = 1, mortar = 1 }
      """
    c.demand += "front,round,2027-01,100\nfront,mortar,2027-01,100\n"
    let r = try c.run()
    let p = try #require(r.analysis.model.producerIndex("p"))
    #expect(try r.reasons("p", "mortar") == [.lineFull(producer: p, line: LineIndex(0))])
  }

  /// Three months, one month to deliver, 150 wanted and 100 made a month: what the third
  /// month makes would arrive after the horizon, while shortfall remains to its end.
  @Test func endOfHorizon() throws {
    var c = Case()
    c.periods = 3
    c.leadTime = 1
    c.producers = Case.producer("p", capacity: 100)
    c.demand += "front,round,2027-01,150\n"
    let r = try c.run()
    #expect(try r.reasons("p") == [.tooLate])
    #expect(r.analysis.idle.first?.periods.map(\.reason) == [nil, nil, .tooLate])
  }

  /// A quota of 30 a month from the producer to the front line: the other 70 of capacity
  /// stand idle behind it.
  @Test func routeOrQuota() throws {
    var c = Case()
    c.producers = Case.producer("p", capacity: 100)
    c.demand += "front,round,2027-01,100\n"
    c.extra[.links] = "[[quota]]\nid = \"q\"\nfrom = \"p\"\nto = \"front\"\nmax = 30\n"
    #expect(try c.run().reasons("p") == [.routeOrQuota])
  }

  /// A demand that counts for nothing (weight 0): the plan has no reason to cover it, and
  /// the capacity is not needed by the chosen plan.
  @Test func notNeededByThePlan() throws {
    var c = Case()
    c.items = "[[item]]\nid = \"round\"\nkind = \"end\"\nweight = 0\n"
    c.producers = Case.producer("p", capacity: 100, cost: 10)
    c.demand += "front,round,2027-01,100\n"
    #expect(try c.run().reasons("p") == [.other])
  }

  /// The documented order: a readiness force short only in the last month, which output of
  /// that month cannot reach, and barred by a rule too — the end of the horizon wins.
  @Test func endOfHorizonWinsOverIneligible() throws {
    var c = Case()
    c.periods = 2
    c.leadTime = 1
    c.producers = Case.producer("p", capacity: 100, country: "BB")
    c.demand += "front,round,2027-01,100\n"
    c.extra[.links] = "[[rule]]\nfrom = \"BB\"\nto = \"front\"\nallow = false\n"
    let r = try c.run()
    // Month 1's output could arrive in month 2 but the rule bars it; month 2's could not
    // arrive at all.
    #expect(r.analysis.idle.first?.periods.map(\.reason) == [.ineligible, .tooLate])
  }
}

@Suite struct RelaxationCaseTests {
  /// 50 made at home, 100 wanted; a producer abroad is barred by a rule.
  ///
  /// Lifting the rule covers the 50 still short (value 50); +10 % of the home plant
  /// covers 5 (value 5).
  @Test func liftingAnExportRuleIsMeasured() throws {
    var c = Case()
    c.producers = Case.producer("home", capacity: 50) + Case.producer("abroad", capacity: 100, country: "BB")
    c.demand += "front,round,2027-01,100\n"
    c.extra[.links] = "[[rule]]\nfrom = \"BB\"\nto = \"front\"\nallow = false\n"
    let r = try c.run()
    let values = r.analysis.relaxation.bottlenecks.map { ($0.candidate.kind, $0.value) }
    #expect(values.map(\.0) == [.exportRule, .productionCapacity])
    #expect(values.map(\.1) == [50, 5])
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(
      report.contains(
        "export rule BB → front (export rule, binding 2027-01): lifted for every delivery it bars, it covers 50.00 rounds of rounds for the front line."
      ))
  }

  /// Limits in series are raised together as the item's supply chain.
  ///
  /// 100 rounds a month assembled from 100 charges made by another plant, 150 wanted. +10 %
  /// of either alone makes no more rounds (value 0, no bottleneck); the round's supply chain —
  /// both limits raised together, each +10 % — makes 10 more, value 10.
  @Test func limitsInSeriesAreRaisedTogetherAsASupplyChain() throws {
    var c = Case()
    c.items = """
      [[item]]
      id = "round"
      name = "rounds"
      kind = "end"
      unit = "rounds"
      bom = { charge = 1 }
      [[item]]
      id = "charge"
      name = "charges"
      kind = "component"
      unit = "charges"
      """
    c.producers = Case.producer("p", capacity: 100) + Case.producer("q", "charge", capacity: 100)
    c.demand += "front,round,2027-01,150\n"
    let r = try c.run()
    let bottlenecks = r.analysis.relaxation.bottlenecks
    #expect(bottlenecks.map(\.candidate.kind) == [.supplyChain])
    #expect(bottlenecks.map(\.value) == [10])
    #expect(bottlenecks.first.map { $0.effects.reduce(0) { $0 + $1.units } } == 10)
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(
      report.contains(
        "The top bottleneck is rounds supply chain, its binding limits together (supply chain, binding 2027-01): raised "
          + "+10 % of each of its 2 limits in the months each binds, it covers 10.00 rounds of rounds for the front line"
      ))
    #expect(report.contains("Its limits: rounds at p; charges at q."))
  }

  /// The same rule over 80 months, measured by the cold route.
  ///
  /// Lifted, the rule lets abroad's 100 a month reach the front line, where home's 50 leave
  /// 50 short each month. With the urgency weight 1 + 0.001 (79 − t) of
  /// month t (docs/MODEL.md), its value is 50 × Σ (1 + 0.001 (79 − t)) = 50 × 83.16 = 4,158,
  /// and it covers 50 × 80 = 4,000 rounds; home's +10 % is worth 5 × 83.16 = 415.8 and covers
  /// 400.
  ///
  /// From the plan's basis the lifted rule's first stage needs more dual simplex iterations
  /// than a quarter of what the cold solve took, so its value takes the cold route
  /// (`Optimizer.solveFirstMeasured`), and its breakdown starts from that optimum
  /// (`MeasuredPlan.coldStart`) instead of solving the same stage again: neither may change
  /// the figures above.
  @Test func aFarRelaxationIsMeasuredByTheColdRoute() throws {
    var c = Case()
    c.periods = 80
    c.producers = Case.producer("home", capacity: 50) + Case.producer("abroad", capacity: 100, country: "BB")
    for month in 0..<80 {
      c.demand += "front,round,\(2027 + month / 12)-\(String(format: "%02d", month % 12 + 1)),100\n"
    }
    c.extra[.links] = "[[rule]]\nfrom = \"BB\"\nto = \"front\"\nallow = false\n"
    let r = try c.run()
    let values = try #require(r.analysis.relaxation.phases.first { $0.name == "values" })
    #expect(values.coldRoutes.first ?? 0 == 1)
    let breakdowns = try #require(r.analysis.relaxation.phases.first { $0.name == "breakdowns" })
    #expect(breakdowns.solves == 2)
    #expect(breakdowns.failed == 0)
    #expect(breakdowns.coldRoutes.first ?? 0 == 0)
    let bottlenecks = r.analysis.relaxation.bottlenecks
    #expect(bottlenecks.map(\.candidate.kind) == [.exportRule, .productionCapacity])
    #expect(bottlenecks.map { ($0.value * 1e6).rounded() / 1e6 } == [4_158, 415.8])
    #expect(bottlenecks.map(\.detailed) == [true, true])
    #expect(bottlenecks.map { $0.effects.reduce(0) { $0 + $1.units } } == [4_000, 400])
  }

  /// 100 missiles wanted, 1,000 made, but the front line's 2 launchers fire 30 a month each:
  /// 40 short for want of launchers, not missiles.
  ///
  /// The fire row is the bottleneck, a limit of kind systems in service whose level is what
  /// the fleet fires (60): +10 % lets 6 more be fired, value 6. The missiles' own capacity
  /// does not bind.
  @Test func aLauncherShortageReadsAsSuch() throws {
    var c = Case()
    c.items = """
      [[item]]
      id = "missile"
      name = "missiles"
      kind = "end"
      unit = "missiles"
      fired_from = "launcher"
      fire_rate = 30
      [[item]]
      id = "launcher"
      name = "Launcher"
      kind = "end"
      unit = "fire units"
      """
    c.consumers += "\ninitial_stock = { launcher = 2 }\n"
    c.producers = Case.producer("home", "missile", capacity: 1000)
    c.demand += "front,missile,2027-01,100\n"
    let r = try c.run()
    let top = try #require(r.analysis.relaxation.bottlenecks.first)
    #expect(r.analysis.relaxation.bottlenecks.count == 1)
    #expect(top.candidate.kind == .systemsInService)
    #expect(top.candidate.levels == [60])
    // The 940 missiles not made are idle because the front line cannot fire them.
    #expect(r.analysis.idle.first?.periods.map(\.reason) == [.fleetFull])
    #expect(abs(top.value - 6) < 1e-9)
    #expect(abs(top.gains.map(\.units).reduce(0, +) - 6) < 1e-9)
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(
      report.contains(
        "Launcher held by Front line, firing missiles (systems in service, binding 2027-01): raised +10 % in the month it binds (+6 missiles in all), it covers 6.00 missiles of missiles for the front line"
      ))
  }

  /// A drone takes 4 motors and a battery, both from one market selling 100 motors and 25
  /// batteries a month: 25 drones of 100 wanted.
  ///
  /// +10 % of motors alone or batteries alone makes no more drones; +10 % of both together
  /// (110 motors, 27.5 batteries) makes 27.5: the market as a whole is the bottleneck,
  /// value 2.5, and the only one.
  @Test func complementsFromOneMarketAreRelaxedTogether() throws {
    var c = Case()
    c.items = """
      [[item]]
      id = "drone"
      name = "drones"
      kind = "end"
      unit = "drones"
      bom = { motor = 4, battery = 1 }
      [[item]]
      id = "motor"
      name = "Motor"
      kind = "material"
      unit = "motors"
      [[item]]
      id = "battery"
      name = "Battery"
      kind = "material"
      unit = "packs"
      """
    c.producers = Case.producer("home", "drone", capacity: 1000)
    c.extra[.markets] = """
      [[market]]
      id = "parts"
      name = "Parts"
      country = "BB"
      [[market.supply]]
      item = "motor"
      capacity = 100
      [[market.supply]]
      item = "battery"
      capacity = 25
      """
    c.demand += "front,drone,2027-01,100\n"
    let r = try c.run()
    let top = try #require(r.analysis.relaxation.bottlenecks.first)
    #expect(r.analysis.relaxation.bottlenecks.count == 1)
    #expect(abs(top.value - 2.5) < 1e-9)
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(report.contains("**Battery and Motor from Parts, together** (raw material; binds 2027-01)"))
    #expect(report.contains("Of 2 raw-material chains, 2 bind: Battery (bottleneck 1) and Motor (bottleneck 1)."))
  }

  /// Two months, 10 rounds wanted in each; 10 can be made in the first month only and kept
  /// at the plant; the route carries 5 a month, so 5 arrive in each month.
  ///
  /// Raising the route by 10 % lets 5.5 arrive in the first month and 4.5 in the second: the
  /// same 10 are covered, sooner — a step with a value (earlier shortfall weighs a little
  /// more) that covers nothing more.
  @Test func coveringSoonerIsNotABottleneck() throws {
    var c = Case()
    c.periods = 2
    c.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 10
      """
    c.extra[.capacity] = "producer,item,start,capacity\np,round,2027-02,0\n"
    c.demand += "front,round,2027-01,10\n"
    c.extra[.links] = """
      [[route]]
      from = "p"
      to = "front"
      lead_time = 0
      capacity = 5
      """
    let r = try c.run()
    #expect(r.analysis.relaxation.bottlenecks.allSatisfy { $0.candidate.kind != .route })
    let earlier = r.analysis.relaxation.tradeOffs.first { $0.candidate.kind == .route }
    #expect(earlier?.category == .earlier)
  }
}

@Suite struct FairnessAndStartUpTests {
  /// Two readiness forces of equal priority, targets of 100 and 300 rounds, 200 made: any
  /// split is as good in the shortfall stage; the fairness rule gives each the same share,
  /// 50 % (a gap of 50 and of 150).
  @Test func equalPriorityConsumersShareInProportion() throws {
    var c = Case()
    c.consumers = """
      [[consumer]]
      id = "a"
      class = "readiness"
      country = "AA"
      [[consumer]]
      id = "b"
      class = "readiness"
      country = "AA"
      """
    c.producers = Case.producer("p", capacity: 200)
    c.extra[.targets] = "consumer,item,date,level\na,round,2027-01,100\nb,round,2027-01,300\n"
    let r = try c.run()
    let gaps = r.analysis.targets.map { ($0.consumer, $0.coverage.shortfall) }
    #expect(gaps.map(\.1) == [50, 150])
  }

  /// One month to deliver; 100 wanted a month for three months; 30 in stock and 20 arriving
  /// in the first month: 50 of the first month are short whatever the plan (unavoidable);
  /// plenty of capacity covers the rest.
  @Test func startUpShortfallIsUnavoidable() throws {
    var c = Case()
    c.periods = 3
    c.leadTime = 1
    c.consumers += "\ninitial_stock = { round = 30 }\n"
    c.producers = Case.producer("p", capacity: 1000)
    c.demand += "front,round,2027-01,100\n"
    c.extra[.deliveries] = "consumer,item,arrives,quantity\nfront,round,2027-01,20\n"
    let r = try c.run()
    let line = try #require(r.analysis.demand.first)
    #expect(line.coverage.map(\.shortfall) == [50, 0, 0])
    #expect(line.unavoidable == [50, 0, 0])
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(tableRow(report, first: "rounds")?[2...5] == ["300", "250", "50", "50"])
    #expect(report.contains("Every front line shortfall is unavoidable"))
  }

  /// The only producer barred by an export rule: the 50 short are not unavoidable — lifting
  /// the rule, a limit the analysis relaxes, would cover them — so the summary names the gap
  /// and the rule as its bottleneck.
  @Test func whatARuleBarsIsAvoidable() throws {
    var c = Case()
    c.producers = Case.producer("p", capacity: 100, country: "BB")
    c.demand += "front,round,2027-01,50\n"
    c.extra[.links] = "[[rule]]\nfrom = \"BB\"\nto = \"front\"\nallow = false\n"
    let r = try c.run()
    let line = try #require(r.analysis.demand.first)
    #expect(line.coverage.map(\.shortfall) == [50])
    #expect(line.unavoidable == [0])
    let report = try #require(r.files.contents(of: "report.md"))
    #expect(
      report.contains(
        "The largest front line gap by value (units short × item weight) is in rounds: 50 rounds short of 50 (0.0 % covered)"
      ))
    #expect(!report.contains("unavoidable within the horizon"))
  }

  /// A delivery scheduled for a month outside the horizon is an input error, with a hint.
  @Test func deliveriesBeforeTheHorizonAreRejected() throws {
    var c = Case()
    c.producers = Case.producer("p", capacity: 10)
    c.extra[.deliveries] = "consumer,item,arrives,quantity\nfront,round,2026-12,20\n"
    #expect(throws: InputErrors.self) { try DataSetLoader.load(texts: c.texts) }
    do {
      _ = try DataSetLoader.load(texts: c.texts)
    } catch {
      #expect(error.description.contains("stock that has arrived belongs in initial_stock"))
    }
  }
}
