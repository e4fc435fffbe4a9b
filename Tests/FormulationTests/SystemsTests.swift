import Formulation
import Foundation
import Optimizer
import PlanningModel
import Testing

/// Systems in service (docs/MODEL.md): attrition of what consumers hold, interceptors fired
/// from fire units, rounds wearing out barrels — each on a case small enough to solve by hand.
@Suite struct SystemsTests {
  /// A missile fired from a launcher (30 a month per launcher), made 1,000 a month; the
  /// front line wants 100 a month and holds `launchers`; a launcher line makes `made` a month.
  static func launchers(
    _ launchers: Int, made: Int, periods: Int = 1, attrition: Double = 0, consumer: String = "front"
  )
    -> Fixture
  {
    var f = Fixture()
    f.dataset = f.dataset.replacingOccurrences(of: "periods = 1", with: "periods = \(periods)")
    f.items = """
      [[item]]
      id = "missile"
      kind = "end"
      unit = "missiles"
      fired_from = "launcher"
      fire_rate = 30
      [[item]]
      id = "launcher"
      kind = "end"
      unit = "fire units"
      attrition = \(attrition)
      """
    f.consumers = """
      [[consumer]]
      id = "front"
      class = "front-line"
      country = "AA"
      initial_stock = { launcher = \(launchers) }
      [[consumer]]
      id = "army"
      class = "readiness"
      country = "AA"
      initial_stock = { launcher = \(launchers) }
      """
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "missile"
      capacity = 1000
      """
    if made > 0 {
      f.producers += """

        [[producer.product]]
        item = "launcher"
        capacity = \(made)
        """
    }
    f.demand += "\(consumer),missile,2027-01,100\n"
    return f
  }

  /// Two launchers fire at most 60 of the 100 missiles wanted: 40 short, however many are made.
  ///
  /// One more launcher a month makes it 90: 10 short.
  @Test func fireUnitsLimitInterceptorUse() throws {
    let (_, without) = try Self.launchers(2, made: 0).solve()
    #expect(near(try without.totalShortfall("front"), 40, 1e-9))
    #expect(near(try without.delivered("front", item: "missile"), 60, 1e-9))
    let (_, with) = try Self.launchers(2, made: 1).solve()
    #expect(near(try with.totalShortfall("front"), 10, 1e-9))
    #expect(near(try with.delivered("front", item: "launcher"), 1, 1e-9))
    #expect(near(try with.delivered("front", item: "missile"), 90, 1e-9))
    #expect(with.formulation.program.rowNames.contains("fire[front,missile,2027-01]"))
  }

  /// The scenario change `without-systems` drops the coupling and the systems: all 100
  /// missiles are fired, no launcher is delivered, and there is no fire row.
  @Test func withoutSystemsDropsTheCoupling() throws {
    var f = Self.launchers(2, made: 1)
    f.extra[.scenarios] = """
      [scenario.munitions-only]
      description = "No systems."
        [[scenario.munitions-only.change]]
        type = "without-systems"
      """
    let (m, plan) = try f.solve(scenarios: ["munitions-only"])
    #expect(near(try plan.totalShortfall("front"), 0, 1e-9))
    #expect(near(try plan.delivered("front", item: "launcher"), 0, 1e-9))
    #expect(!plan.formulation.program.rowNames.contains { $0.hasPrefix("fire[") })
    #expect(m.consumers.allSatisfy { $0.initialStock.isEmpty })
  }

  /// Three launchers losing 10 % a month in combat fire fewer missiles each month.
  ///
  /// 2.7, 2.43 and 2.187 at the ends of three months fire at most 81, 72.9 and 65.61 of 100 a
  /// month: 19, 27.1 and 34.39 short. A readiness consumer is not in combat and loses none:
  /// its three fire 90 a month.
  @Test func attritionDepletesSystemsInCombat() throws {
    let (_, front) = try Self.launchers(3, made: 0, periods: 3, attrition: 0.1).solve()
    #expect(near(try front.shortfall("front", t: 0), 19, 1e-9))
    #expect(near(try front.shortfall("front", t: 1), 27.1, 1e-9))
    #expect(near(try front.shortfall("front", t: 2), 34.39, 1e-9))
    var f = Self.launchers(3, made: 0, periods: 3, attrition: 0.1, consumer: "army")
    f.demand = "consumer,item,start,quantity\narmy,missile,2027-01,100\n"
    let (_, army) = try f.solve()
    #expect(near(try army.totalShortfall("army"), 30, 1e-9))
  }

  /// A front-line ceasefire from February (`combat` change, intensity 0).
  static let calm = """
      [scenario.calm]
      description = "Ceasefire from February."
        [[scenario.calm.change]]
        type = "combat"
        class = "front-line"
        intensity = 0
        from = "2027-02"
    """

  /// A ceasefire from the second month (`combat` change, intensity 0) stops the losses.
  ///
  /// 2.7 launchers are left after the first month and stay: 81 missiles fired a month,
  /// 19 short in each of the three. At intensity 0.5 the second and third months lose 5 %:
  /// 2.565 and 2.43675 launchers, 76.95 and 73.1025 fired, 19 + 23.05 + 26.8975 short.
  @Test func aCeasefireStopsCombatLosses() throws {
    var f = Self.launchers(3, made: 0, periods: 3, attrition: 0.1)
    f.extra[.scenarios] =
      Self.calm + "\n" + """
        [scenario.half]
        description = "Half the fighting from February."
          [[scenario.half.change]]
          type = "combat"
          consumer = "front"
          intensity = 0.5
          from = "2027-02"
        """
    let (_, calm) = try f.solve(scenarios: ["calm"])
    for t in 0..<3 { #expect(near(try calm.shortfall("front", t: t), 19, 1e-9)) }
    let (_, half) = try f.solve(scenarios: ["half"])
    #expect(near(try half.shortfall("front", t: 1), 23.05, 1e-9))
    #expect(near(try half.shortfall("front", t: 2), 26.8975, 1e-9))
  }

  /// The hedge's mean-demand model averages combat intensity as it averages demand.
  @Test func theMeanModelAveragesCombat() throws {
    var f = Self.launchers(3, made: 0, periods: 3, attrition: 0.1)
    f.extra[.scenarios] = Self.calm
    let data = try f.load()
    let calm = try #require(data.scenario(named: "calm"))
    let mean = try #require(PlanningModel.expectation([data.model, data.model.applying([calm])], weights: [0.6, 0.4]))
    let front = try #require(mean.consumerIndex("front"))
    #expect(mean.consumers[front].combat == [1, 0.6, 0.6])
  }

  /// A round wears out a barrel every 100 fired: one barrel held fires 100 of the 300 wanted.
  ///
  /// A barrel a month makes two: 200 fired, 100 short.
  @Test func roundsWearOutBarrels() throws {
    func fixture(barrelsMade: Int) -> Fixture {
      var f = Fixture()
      f.items = """
        [[item]]
        id = "round"
        kind = "end"
        unit = "rounds"
        wears = "barrel"
        wear_life = 100
        [[item]]
        id = "barrel"
        kind = "end"
        unit = "barrels"
        """
      f.consumers = """
        [[consumer]]
        id = "front"
        class = "front-line"
        country = "AA"
        initial_stock = { barrel = 1 }
        """
      f.producers = """
        [[producer]]
        id = "p"
        country = "AA"
        [[producer.product]]
        item = "round"
        capacity = 1000
        [[producer.product]]
        item = "barrel"
        capacity = \(barrelsMade)
        """
      f.demand += "front,round,2027-01,300\n"
      return f
    }
    let (_, none) = try fixture(barrelsMade: 0).solve()
    #expect(near(try none.totalShortfall("front"), 200, 1e-9))
    let (_, one) = try fixture(barrelsMade: 1).solve()
    #expect(near(try one.totalShortfall("front"), 100, 1e-9))
    #expect(near(try one.delivered("front", item: "barrel"), 1, 1e-9))
  }
}

/// A producer's own route to an item (`[[producer.product]] bom`): nitrocellulose from cotton
/// linters at one plant and from wood pulp at another, each chain with its own market.
@Suite struct RouteTests {
  /// 100 rounds wanted, each needing 1 t of nitrocellulose; linters sell 30 t a month, wood
  /// pulp 50 t.
  static func propellant(pulpRoute: Bool, linters: Int = 30) -> Fixture {
    var f = Fixture()
    f.items = """
      [[item]]
      id = "round"
      kind = "end"
      unit = "rounds"
      bom = { nc = 1 }
      [[item]]
      id = "nc"
      kind = "component"
      unit = "t"
      bom = { linters = 1 }
      [[item]]
      id = "linters"
      kind = "material"
      unit = "t"
      [[item]]
      id = "pulp"
      kind = "material"
      unit = "t"
      """
    f.producers = """
      [[producer]]
      id = "assembly"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 1000
      [[producer]]
      id = "cotton-plant"
      country = "AA"
      [[producer.product]]
      item = "nc"
      capacity = 1000
      [[producer]]
      id = "pulp-plant"
      country = "AA"
      [[producer.product]]
      item = "nc"
      capacity = 1000
      \(pulpRoute ? "bom = { pulp = 1 }" : "")
      """
    f.extra[.markets] = """
      [[market]]
      id = "cotton"
      country = "BB"
      [[market.supply]]
      item = "linters"
      capacity = \(linters)
      [[market]]
      id = "nordic-pulp"
      country = "BB"
      [[market.supply]]
      item = "pulp"
      capacity = 50
      """
    f.demand += "front,round,2027-01,100\n"
    return f
  }

  /// On linters alone 30 rounds are made (70 short); the wood-pulp plant adds 50 (20 short),
  /// and with no linters at all the pulp route still makes 50.
  @Test func woodPulpIsASecondRouteToNitrocellulose() throws {
    let (_, cotton) = try Self.propellant(pulpRoute: false).solve()
    #expect(near(try cotton.totalShortfall("front"), 70, 1e-9))
    let (_, both) = try Self.propellant(pulpRoute: true).solve()
    #expect(near(try both.totalShortfall("front"), 20, 1e-9))
    #expect(near(try both.produced("pulp-plant", item: "nc"), 50, 1e-9))
    #expect(near(try both.produced("cotton-plant", item: "nc"), 30, 1e-9))
    let (_, cut) = try Self.propellant(pulpRoute: true, linters: 0).solve()
    #expect(near(try cut.totalShortfall("front"), 50, 1e-9))
  }

  /// A drone grounded for want of Chinese motors.
  ///
  /// A drone takes 4 motors and a battery; China sells 300 motors a month, Taiwan 100, and
  /// batteries are plentiful. 100 drones are wanted and the plant could make 1,000.
  ///
  /// Open markets: 400 motors, 100 drones, none short. The scenario that cuts China's motors
  /// leaves 100 motors: 25 drones, 75 short; halving them, 250 motors: 62.5 drones, 37.5
  /// short. The cut reaches the drones through the bill of materials alone.
  @Test func cuttingChineseMotorsGroundsDrones() throws {
    var f = Fixture()
    f.items = """
      [[item]]
      id = "drone"
      kind = "end"
      unit = "drones"
      bom = { motor = 4, battery = 1 }
      [[item]]
      id = "motor"
      kind = "material"
      unit = "motors"
      [[item]]
      id = "battery"
      kind = "material"
      unit = "packs"
      """
    f.producers = """
      [[producer]]
      id = "drone-maker"
      country = "AA"
      [[producer.product]]
      item = "drone"
      capacity = 1000
      """
    f.extra[.markets] = """
      [[market]]
      id = "china"
      country = "BB"
      [[market.supply]]
      item = "motor"
      capacity = 300
      [[market.supply]]
      item = "battery"
      capacity = 1000
      [[market]]
      id = "taiwan"
      country = "BB"
      [[market.supply]]
      item = "motor"
      capacity = 100
      """
    f.extra[.scenarios] = """
      [scenario.cut]
      description = "China stops selling motors."
        [[scenario.cut.change]]
        type = "scale-market"
        market = "china"
        item = "motor"
        factor = 0
      [scenario.half]
      description = "China sells half its motors."
        [[scenario.half.change]]
        type = "scale-market"
        market = "china"
        item = "motor"
        factor = 0.5
      """
    f.demand += "front,drone,2027-01,100\n"
    let (_, open) = try f.solve()
    #expect(near(try open.totalShortfall("front"), 0, 1e-9))
    let (_, cut) = try f.solve(scenarios: ["cut"])
    #expect(near(try cut.totalShortfall("front"), 75, 1e-9))
    #expect(near(try cut.produced("drone-maker", item: "drone"), 25, 1e-9))
    let (_, half) = try f.solve(scenarios: ["half"])
    #expect(near(try half.totalShortfall("front"), 37.5, 1e-9))
  }
}
