import Formulation
import Optimizer
import PlanningModel
import Testing

/// One small, hand-computable case per constraint family (docs/MODEL.md).
@Suite struct ConstraintFamilyTests {
  /// 100 rounds/month of capacity against 150 of demand: 50 short.
  @Test func productionCapacity() throws {
    var f = Fixture()
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 100
      """
    f.demand += "front,round,2027-01,150\n"
    let (_, r) = try f.solve()
    #expect(near(try r.totalShortfall("front"), 50))
    #expect(near(try r.delivered("front", item: "round"), 100))
  }

  /// A line shared by two products (capacity 120, one line unit each): the heavier-weighted
  /// item gets its 100, the other the remaining 20.
  @Test func sharedLine() throws {
    var f = Fixture()
    f.items += """

      weight = 2
      [[item]]
      id = "mortar"
      kind = "end"
      weight = 1
      """
    f.producers = """
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
    f.demand += "front,round,2027-01,100\nfront,mortar,2027-01,100\n"
    let (_, r) = try f.solve()
    #expect(near(try r.delivered("front", item: "round"), 100))
    #expect(near(try r.delivered("front", item: "mortar"), 20))
    #expect(near(try r.totalShortfall("front"), 80))
  }

  static let assembly = """
    [[item]]
    id = "round"
    kind = "end"
    unit = "rounds"
    bom = { shell = 1, charge = 1 }
    [[item]]
    id = "shell"
    kind = "component"
    [[item]]
    id = "charge"
    kind = "component"
    bom = { linters = 0.002 }
    [[item]]
    id = "linters"
    kind = "material"
    unit = "t"
    """

  static let assemblers = """
    [[producer]]
    id = "shells"
    country = "AA"
    [[producer.product]]
    item = "shell"
    capacity = 400
    [[producer]]
    id = "charges"
    country = "AA"
    [[producer.product]]
    item = "charge"
    capacity = 180
    [[producer]]
    id = "assembler"
    country = "AA"
    [[producer.product]]
    item = "round"
    capacity = 1000
    """

  /// 400 shell bodies but 180 charges: 180 rounds, whatever the assembly capacity.
  @Test func assemblyFromComponents() throws {
    var f = Fixture()
    f.items = Self.assembly
    f.producers = Self.assemblers
    f.demand += "front,round,2027-01,500\n"
    f.extra[.markets] = """
      [[market]]
      id = "linters-market"
      country = "BB"
      [[market.supply]]
      item = "linters"
      capacity = 100
      """
    let (_, r) = try f.solve()
    #expect(near(try r.delivered("front", item: "round"), 180))
    #expect(near(try r.produced("shells", item: "shell"), 180))
    #expect(near(try r.totalShortfall("front"), 320))
  }

  /// As above (180 rounds assembled from 180 charges), plus a broker with 100 finished rounds
  /// a month in a pool of its own: it needs no shells or charges, so 280 arrive, 220 short.
  @Test func finishedProductsDrawNoInputs() throws {
    var f = Fixture()
    f.items = Self.assembly
    f.producers =
      Self.assemblers + """

        [[producer]]
        id = "broker"
        country = "AA"
        pool = "abroad"
        [[producer.product]]
        item = "round"
        finished = true
        capacity = 100
        """
    f.demand += "front,round,2027-01,500\n"
    f.extra[.markets] = """
      [[market]]
      id = "linters-market"
      country = "BB"
      [[market.supply]]
      item = "linters"
      capacity = 100
      """
    let (_, r) = try f.solve()
    #expect(near(try r.produced("broker", item: "round"), 100))
    #expect(near(try r.delivered("front", item: "round"), 280))
    #expect(near(try r.totalShortfall("front"), 220))
  }

  /// Linters limited to 0.3 t: 0.3 / 0.002 = 150 charges, so 150 rounds.
  @Test func materialLimit() throws {
    var f = Fixture()
    f.items = Self.assembly
    f.producers = Self.assemblers
    f.demand += "front,round,2027-01,500\n"
    f.extra[.markets] = """
      [[market]]
      id = "linters-market"
      country = "BB"
      [[market.supply]]
      item = "linters"
      capacity = 0.3
      """
    let (_, r) = try f.solve()
    #expect(near(try r.delivered("front", item: "round"), 150))
    #expect(near(try r.totalShortfall("front"), 350))
  }

  /// A one-month lead time: nothing can arrive in the first month; later months are covered.
  @Test func leadTime() throws {
    var f = Fixture()
    f.dataset = f.dataset.replacingOccurrences(of: "periods = 1", with: "periods = 3")
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 100
      """
    f.extra[.links] = """
      [[route]]
      from = "p"
      to = "front"
      lead_time = 1
      """
    f.demand += "front,round,2027-01,100\n"
    let (_, r) = try f.solve()
    #expect(near(try r.shortfall("front", t: 0), 100))
    #expect(near(try r.shortfall("front", t: 1), 0))
    #expect(near(try r.shortfall("front", t: 2), 0))
  }

  /// 50 a month for three months, all demand (250) in the last: stock carries 150 over,
  /// 100 short in month 3.
  @Test func inventoryCarryOver() throws {
    var f = Fixture()
    f.dataset = f.dataset.replacingOccurrences(of: "periods = 1", with: "periods = 3")
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 50
      """
    f.demand += "front,round,2027-03,250\n"
    let (_, r) = try f.solve()
    #expect(near(try r.shortfall("front", t: 2), 100))
    #expect(near(try r.totalShortfall("front"), 100))
    #expect(near(try r.produced("p", item: "round"), 150))
  }

  /// A readiness stock target of 200 by month 3 with 50 a month: 150 held, 50 missing.
  @Test func stockpileTarget() throws {
    var f = Fixture()
    f.dataset = f.dataset.replacingOccurrences(of: "periods = 1", with: "periods = 3")
    f.consumers = """
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
      capacity = 50
      """
    f.extra[.targets] = "consumer,item,date,level\narmy,round,2027-03,200\n"
    let (m, r) = try f.solve()
    let k = try #require(m.consumerIndex("army"))
    #expect(near(try r.plan.targetGap[k][TargetIndex(0)], 50))
    #expect(near(try r.plan.consumerStock[k][ItemIndex(0)]?[2] ?? -1, 150))
  }

  static let twoCountries = """
    [[producer]]
    id = "home"
    country = "AA"
    [[producer.product]]
    item = "round"
    capacity = 100
    [[producer]]
    id = "abroad"
    country = "BB"
    [[producer.product]]
    item = "round"
    capacity = 100
    """

  /// Betaland may not deliver: only the 100 made at home arrive, 50 short.
  @Test func eligibility() throws {
    var f = Fixture()
    f.producers = Self.twoCountries
    f.demand += "front,round,2027-01,150\n"
    f.extra[.links] = """
      [[rule]]
      from = "BB"
      to = "front"
      allow = false
      note = "export ban"
      """
    let (_, r) = try f.solve()
    #expect(near(try r.totalShortfall("front"), 50))
    #expect(near(try r.produced("abroad", item: "round"), 0))
  }

  /// A quota of 20 a month from Betaland: 120 arrive, 30 short.
  @Test func quota() throws {
    var f = Fixture()
    f.producers = Self.twoCountries
    f.demand += "front,round,2027-01,150\n"
    f.extra[.links] = """
      [[quota]]
      id = "bb-cap"
      from = "BB"
      to = "front"
      max = 20
      """
    let (_, r) = try f.solve()
    #expect(near(try r.totalShortfall("front"), 30))
    #expect(near(try r.produced("abroad", item: "round"), 20))
  }

  /// A route from Betaland carrying 30 a month: 130 arrive, 20 short.
  @Test func routeCapacity() throws {
    var f = Fixture()
    f.producers = Self.twoCountries
    f.demand += "front,round,2027-01,150\n"
    f.extra[.links] = """
      [[route]]
      from = "BB"
      to = "front"
      lead_time = 0
      capacity = 30
      """
    let (_, r) = try f.solve()
    #expect(near(try r.totalShortfall("front"), 20))
    #expect(near(try r.delivered("front", item: "round"), 130))
  }

  /// €1M a month at €10,000 a round buys 100 rounds although 200 could be made: 50 short,
  /// and the spend is exactly the budget.
  @Test func budget() throws {
    var f = Fixture()
    f.producers = Fixture.producer(capacity: 200, unitCost: 10000)
    f.demand += "front,round,2027-01,150\n"
    f.extra[.funders] = """
      [[funder]]
      id = "treasury"
      budget = 1000000
      per = "month"
      pays_for = "front"
      carry_over = false
      """
    let (_, r) = try f.solve()
    #expect(near(try r.totalShortfall("front"), 50))
    #expect(near(try r.plan.spend[FunderIndex(0)][0], 1_000_000, 1e-6))
  }

  /// No capacity at first; an expansion of 100 a month arrives after one month.
  ///
  /// Month 1 is short; the cost stage buys exactly 100 of capacity.
  @Test func expansionWithLeadTime() throws {
    var f = Fixture()
    f.dataset = f.dataset.replacingOccurrences(of: "periods = 1", with: "periods = 3")
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 0
      [[producer.expansion]]
      id = "new-line"
      item = "round"
      capacity = 150
      lead_time = 1
      cost = 1500000
      """
    f.demand += "front,round,2027-01,100\n"
    let (m, r) = try f.solve()
    #expect(near(try r.shortfall("front", t: 0), 100))
    #expect(near(try r.totalShortfall("front"), 100))
    let p = try #require(m.producerIndex("p"))
    #expect(near(try r.plan.expansionAdded[p][ExpansionIndex(0)][1], 100))
    #expect(near(try r.plan.expansionAdded[p][ExpansionIndex(0)][2], 100))
  }
}

extension String {
  func replacingOccurrences(of a: String, with b: String) -> String {
    split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
  }
}
