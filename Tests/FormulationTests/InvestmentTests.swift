import Formulation
import GLPKSolver
import LinearProgram
import Optimizer
import PlanningModel
import Testing

/// Investment questions small enough to solve by hand (docs/MODEL.md, "Investment decisions").
///
/// Four months; the front line draws 100 rounds a month; nothing makes rounds until an
/// option arrives. Options, each one lot bought whole, ordered in month 1 and arriving in
/// month 2 (lead time one month):
///
///     A  60 a month  €6.0 M      B  50 a month  €4.0 M
///     C  40 a month  €3.5 M      D  30 a month  €3.0 M
@Suite struct InvestmentTests {
  static func fixture(lead: [String: Int] = [:], extra: String = "") -> Fixture {
    var f = Fixture()
    f.dataset = f.dataset.replacingOccurrences(of: "periods = 1", with: "periods = 4")
    var producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 0

      """
    for (id, capacity, cost) in [
      ("a", 60, 6_000_000), ("b", 50, 4_000_000), ("c", 40, 3_500_000), ("d", 30, 3_000_000),
    ] {
      producers += """
        [[producer.expansion]]
        id = "\(id)"
        item = "round"
        capacity = \(capacity)
        lead_time = \(lead[id] ?? 1)
        cost = \(cost)
        lots = 1

        """
    }
    f.producers = producers + extra
    f.demand += "front,round,2027-01,100\n"
    return f
  }

  static func answer(_ f: Fixture, goals: [String], budget: Double? = nil, curve: [Double] = []) throws
    -> InvestmentAnswer
  {
    let data = try f.load()
    let formulation = try Formulator.formulate(data.model)
    let parsed = try goals.map { text in try CoverageGoal.parse(text, model: data.model).get() }
    let question = try InvestmentProgram(formulation, goals: parsed)
    return try InvestmentStudy.run(
      question, settings: InvestmentSettings(mip: MIPOptions(timeLimit: 30), budget: budget, curve: curve))
  }

  /// The ids of a portfolio's options.
  static func ids(_ a: InvestmentAnswer, _ c: PortfolioChoice) -> [String] {
    c.optionCost.keys.sorted().map { o in
      let option = a.question.options[o]
      return a.question.formulation.model.producers[option.producer].expansions[option.expansion].id
    }
  }

  /// The cheapest whole portfolio for 95 rounds a month from month 2.
  ///
  /// B + C make only 90; A + C (100) at €9.5 M beats A + B
  /// (€10 M) and B + C + D (€10.5 M). The LP relaxation takes B and C whole and 5 more at
  /// €100,000 a round (A or D): €8.0 M.
  @Test func cheapestWholePortfolio() throws {
    let a = try Self.answer(Self.fixture(), goals: ["front-line round >= 95% from 2027-02"])
    #expect(a.best.found && a.best.reachesGoals && a.best.proven)
    #expect(a.best.cost == 9_500_000)
    #expect(Self.ids(a, a.best) == ["a", "c"])
    let cost = try #require(a.best.costStage)
    // EUR million, to GLPK's tolerance (the goals are held to 10⁻⁷ of their demand).
    #expect(near(try #require(cost.relaxationBound), 8.0, 1e-6))
    #expect(near(try #require(cost.objective), 9.5, 1e-6))
    // Ordered in month 1, whole.
    #expect(a.chosen.flatMap(\.builds).map(\.decided) == [0, 0])
    #expect(a.chosen.flatMap(\.builds).map(\.lots) == [1, 1])
    // Measured: with A and C the plan meets all 300 rounds of months 2–4; without any
    // option none; without A, C's 40 a month leaves 180 short; without C, A leaves 120.
    #expect(a.shortWithout == [300])
    #expect(a.shortWith == [0])
    #expect(near(try #require(a.averageEURPerUnit), 9_500_000 / 300.0))
    #expect(a.chosen.map(\.unitsAdded) == [[180], [120]])
    #expect(near(try #require(a.chosen[0].eurPerUnit), 6_000_000 / 180.0))
    #expect(near(try #require(a.chosen[1].eurPerUnit), 3_500_000 / 120.0))
    // Runner-ups: without C, A + B (€10 M); without A, B + C + D (€10.5 M).
    #expect(a.alternatives.map { Self.ids(a, $0.choice) } == [["a", "b"], ["b", "c", "d"]])
    #expect(a.alternatives.map(\.choice.cost) == [10_000_000, 10_500_000])
  }

  /// The cost-coverage curve and its knee.
  ///
  /// 50 % is B alone (€4 M), 90 % B + C (€7.5 M), 95 % and 100 % A + C (€9.5 M).
  /// 90 % is the knee: the step to 95 % costs €0.4 M a point against €0.0875 M a point before.
  @Test func costCoverageCurve() throws {
    let a = try Self.answer(
      Self.fixture(), goals: ["front-line round >= 95% from 2027-02"], curve: [0.5, 0.9, 0.95, 1.0])
    #expect(a.curve.map(\.choice.cost) == [4_000_000, 7_500_000, 9_500_000, 9_500_000])
    #expect(a.curve.map(\.knee) == [false, true, false, false])
    let allReached = a.curve.allSatisfy { $0.choice.reachesGoals }
    #expect(allReached)
  }

  /// The dual question: €8 M buys B + C (90 a month), the closest to 95 that money allows;
  /// the worst month misses 5 of its 100 below the goal.
  @Test func mostCoverageForABudget() throws {
    let a = try Self.answer(Self.fixture(), goals: ["front-line round >= 95% from 2027-02"], budget: 8_000_000)
    #expect(!a.best.reachesGoals)
    #expect(Self.ids(a, a.best) == ["b", "c"])
    #expect(a.best.cost == 7_500_000)
    #expect(near(a.best.gap, 0.05, 1e-5))
  }

  /// Timing: A arrives a month too late for a goal from month 2 (lead time 2), so although
  /// A + C would be cheapest, the portfolio is B + C + D.
  @Test func anOptionThatArrivesTooLateIsNotChosen() throws {
    let a = try Self.answer(Self.fixture(lead: ["a": 2]), goals: ["front-line round >= 95% from 2027-02"])
    #expect(a.best.reachesGoals)
    #expect(Self.ids(a, a.best) == ["b", "c", "d"])
    #expect(a.best.cost == 10_500_000)
  }

  /// A goal from month 1 cannot be reached: nothing arrives before month 2.
  ///
  /// The answer is
  /// the closest (the whole of month 1 missed), not a failed solve; among portfolios that
  /// close to it, the cheapest is none.
  @Test func anUnreachableGoalIsReportedAsSuch() throws {
    let a = try Self.answer(Self.fixture(), goals: ["front-line round >= 95% from 2027-01"])
    #expect(a.best.found && !a.best.reachesGoals)
    // The worst month misses 95 of its 100 below the goal.
    #expect(near(a.best.gap, 0.95))
    #expect(near(a.best.coverage[0][0] ?? -1, 0))
  }

  /// Capital paid evenly over the build and an investment budget of €1 M a month: a €3 M
  /// option built in one month (€3 M a month) or two (€1.5 M) breaks the budget; built in
  /// three (its longest), it pays €1 M a month and arrives in month 4.
  @Test func aSlowerBuildSpreadsTheCapital() throws {
    var f = Fixture()
    f.dataset = f.dataset.replacingOccurrences(of: "periods = 1", with: "periods = 5")
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 0
      [[producer.expansion]]
      id = "plant"
      item = "round"
      capacity = 100
      lead_time = 1
      max_lead_time = 3
      cost = 3000000
      lots = 1
      funder = "treasury"
      """
    f.extra[.funders] = """
      [[funder]]
      id = "treasury"
      budget = 1000000000
      investment_budget = 12000000
      per = "year"
      pays_for = "front"
      """
    f.demand += "front,round,2027-04,100\n"
    let a = try Self.answer(f, goals: ["front-line round >= 100% from 2027-04"])
    #expect(a.best.reachesGoals)
    let build = try #require(a.chosen.first?.builds.first)
    #expect(build.decided == 0 && build.buildTime == 3 && build.arrives == 3)
    #expect(a.best.cost == 3_000_000)
  }

  /// One producer with no capacity but one option of 150 a month (lead time one month,
  /// €1.5 M, `lots` as given); the front line draws 100 a month from `demandFrom`.
  static func oneLine(periods: Int, lots: String, demandFrom: String) -> Fixture {
    var f = Fixture()
    f.dataset = f.dataset.replacingOccurrences(of: "periods = 1", with: "periods = \(periods)")
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 0
      [[producer.expansion]]
      id = "line"
      item = "round"
      capacity = 150
      lead_time = 1
      cost = 1500000
      \(lots)
      """
    f.demand += "front,round,\(demandFrom),100\n"
    return f
  }

  /// In a plan (`arsenal solve`), an option bought in lots is bought whole.
  ///
  /// One lot of 150 a month where 100 would do, at its full €1.5 M; the same option in any
  /// fraction adds 100. Under every policy (a maximising first stage, fair share's floor, holds its sign).
  @Test(arguments: [AllocationPolicy.weighted, .lexicographic, .fairShare])
  func wholeLotsInAPlan(_ policy: AllocationPolicy) throws {
    for lots in ["lots = 1", ""] {
      let f = Self.oneLine(periods: 3, lots: lots, demandFrom: "2027-01")
      let (m, r) = try f.solve(policy: policy)
      let p = try #require(m.producerIndex("p"))
      let added = try r.plan.expansionAdded[p][ExpansionIndex(0)]
      #expect(near(added[2], lots.isEmpty ? 100 : 150))
      #expect(near(try r.totalShortfall("front"), 100))
      let bought = try r.plan.builds.map(\.lots).reduce(0, +)
      #expect(near(bought, lots.isEmpty ? 100.0 / 150.0 : 1))
    }
  }

  /// Among whole-lot portfolios of equal cost, a plan takes the one whose decisions come
  /// latest, whichever path GLPK's branch and bound takes (docs/MODEL.md, "Whole lots in a
  /// plan").
  ///
  /// Demand of 100 a month from month 4 only; one lot of 150 a month, lead time one month,
  /// €1.5 M. Ordered in month 1, 2 or 3 it covers the demand in full at the same cost (the
  /// LP buys 2/3 of a lot, so the MIPs run); the rule picks month 3, arriving in month 4 —
  /// with GLPK's presolver off (each relaxation warm from the stage's LP optimum, the
  /// default) and on (each solved from scratch).
  @Test func equalCostPortfoliosTakeTheLatestDecisions() throws {
    let f = Self.oneLine(periods: 5, lots: "lots = 1", demandFrom: "2027-04")
    let data = try f.load()
    let formulation = try Formulator.formulate(data.model)
    for presolve in [false, true] {
      var options = OptimizerOptions()
      options.mip.presolve = presolve
      let r = try Optimizer(formulation).run(options)
      #expect(r.isOptimal)
      #expect(r.wholeLotsProven == true, "the MIPs ran and proved their optima")
      #expect(near(try r.totalShortfall("front"), 0))
      let builds = try r.plan.builds
      #expect(builds.count == 1 && builds.allSatisfy { $0.decided == 2 && near($0.lots, 1) }, "\(builds)")
    }
  }

  /// Goals read as planners write them, and refused with the reason.
  @Test func goalsParseAndRefuse() throws {
    let data = try Self.fixture().load()
    let g = try CoverageGoal.parse("front-line round ≥ 95 % from 2027-02", model: data.model).get()
    #expect(g.fraction == 0.95 && g.from == 1 && g.text == "front-line round ≥ 95 % from 2027-02")
    #expect(try CoverageGoal.parse("front >= 50%", model: data.model).get().scope == .consumer(ConsumerIndex(0)))
    for (bad, why) in [
      ("front-line shells >= 90%", "unknown item \"shells\""), ("navy round >= 90%", "unknown scope \"navy\""),
      ("front-line round >= 120%", "expected a percentage above 0"), ("front-line round 90%", "expected SCOPE"),
      ("front-line round >= 90% from 2031-01", "outside the horizon"),
    ] {
      guard case .failure(let p) = CoverageGoal.parse(bad, model: data.model) else {
        Issue.record("\(bad) was accepted")
        continue
      }
      #expect(p.problem.contains(why), "\(p.problem)")
    }
  }
}
