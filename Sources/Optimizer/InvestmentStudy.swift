import Formulation
import GLPKSolver
import LinearProgram
import PlanningModel

/// One option of the chosen portfolio, with what it adds to the plan.
public struct ChosenOption: Sendable {
  /// Index into the question's options.
  public let option: Int
  /// Its orders: decision period, build time, lots.
  public let builds: [Build]
  /// What it costs.
  public let cost: OptionCost
  /// Per goal: units of its demand met with the portfolio and not without this option (the
  /// other options kept), the goals' demand served first: what it adds, measured by
  /// re-solving.
  public let unitsAdded: [Double]
  /// EUR per unit added, when it adds to one goal only: its cost over what it adds there.
  public var eurPerUnit: Double? { InvestmentAnswer.perUnit(cost.total, unitsAdded) }
}

/// The cheapest portfolio without one of the chosen options.
public struct Alternative: Sendable {
  /// Index into the question's options: the option left out.
  public let without: Int
  /// The portfolio found without it.
  public let choice: PortfolioChoice
}

/// One point of the cost-coverage curve: every goal at `level`.
public struct CurvePoint: Sendable {
  /// The goal level (fraction).
  public let level: Double
  /// The cheapest portfolio reaching it (or the closest).
  public let choice: PortfolioChoice
  /// Whether the curve turns here (docs/MODEL.md, "Knees"): the cost of the next step of
  /// level is at least twice the last step's, or the next level cannot be reached.
  public let knee: Bool
}

/// An investment question answered.
public struct InvestmentAnswer: Sendable {
  /// The question.
  public let question: InvestmentProgram
  /// How it was answered.
  public let budget: Double?
  /// The relative gap and time limit each MIP ran with.
  public let mip: MIPOptions
  /// The portfolio chosen.
  public let best: PortfolioChoice
  /// Its options with what each adds.
  public let chosen: [ChosenOption]
  /// Per goal: units of its demand short in the plan with no investment.
  public let shortWithout: [Double]
  /// Per goal: units short in the plan with the portfolio.
  public let shortWith: [Double]
  /// The cheapest portfolios that do without one chosen option each, cheapest first.
  public let alternatives: [Alternative]
  /// The cost-coverage curve, by level.
  public let curve: [CurvePoint]

  /// Per goal: units the portfolio adds.
  public var unitsAdded: [Double] { zip(shortWithout, shortWith).map { max(0, $0 - $1) } }
  /// EUR per unit the whole portfolio adds, when it adds to one goal only.
  public var averageEURPerUnit: Double? { Self.perUnit(best.cost, unitsAdded) }

  /// `cost` over the units added, when exactly one goal gains (units of different goals do
  /// not add up); `nil` otherwise.
  public static func perUnit(_ cost: Double, _ added: [Double]) -> Double? {
    let gaining = added.filter { $0 > 0.5 }
    guard gaining.count == 1, let units = gaining.first else { return nil }
    return cost / units
  }
}

/// Answers an investment question: the portfolio, what each option adds (re-solves with and
/// without it, the goals' demand served first), the runner-ups and the cost-coverage curve.
public enum InvestmentStudy {
  /// Runs the whole study.
  public static func run(_ question: InvestmentProgram, settings: InvestmentSettings) throws(GLPKError)
    -> InvestmentAnswer
  {
    let solver = try InvestmentSolver(question)
    let best = try solver.answer(budget: settings.budget, mip: settings.mip)
    var chosen: [ChosenOption] = []
    var alternatives: [Alternative] = []
    var shortWith: [Double] = Array(repeating: 0, count: question.goals.count)
    var shortWithout = shortWith
    if best.found {
      let options = best.optionCost.keys.sorted()
      let plans = try measure(solver, portfolio: best.lots, without: options)
      shortWith = plans.with
      shortWithout = plans.none
      for (n, o) in options.enumerated() {
        let option = question.options[o]
        let builds = option.builds.compactMap { j -> Build? in
          guard let lots = best.lots[j], case .build(let p, let e, let t, let b) = question.formulation.columnRoles[j]
          else { return nil }
          return Build(producer: p, expansion: e, decided: t, buildTime: b, lots: lots)
        }
        chosen.append(
          ChosenOption(
            option: o, builds: builds, cost: best.optionCost[o] ?? OptionCost(capital: 0, running: 0),
            unitsAdded: zip(plans.without[n], plans.with).map { Allocation.significant(max(0, $0 - $1), 8) }))
        alternatives.append(
          Alternative(without: o, choice: try solver.answer(forbidden: [o], budget: settings.budget, mip: settings.mip))
        )
      }
      alternatives.sort { a, b in
        (a.choice.found ? 0 : 1, a.choice.gap.isNaN ? 1 : a.choice.gap, a.choice.cost, a.without)
          < (b.choice.found ? 0 : 1, b.choice.gap.isNaN ? 1 : b.choice.gap, b.choice.cost, b.without)
      }
    }
    var points: [(Double, PortfolioChoice)] = []
    // In order, each level once: the knees compare neighbours.
    for level in Set(settings.curve).sorted() {
      points.append((level, try solver.answer(level: level, mip: settings.mip)))
    }
    return InvestmentAnswer(
      question: question, budget: settings.budget, mip: settings.mip, best: best, chosen: chosen,
      shortWithout: shortWithout.map { Allocation.significant($0, 8) },
      shortWith: shortWith.map { Allocation.significant($0, 8) },
      alternatives: alternatives, curve: knees(points))
  }

  /// Marks the knees of a curve: a point where the next step of level costs at least twice
  /// as much per point of level as the step before, or after which no portfolio reaches the
  /// goals.
  static func knees(_ points: [(Double, PortfolioChoice)]) -> [CurvePoint] {
    points.indices.map { i in
      let (level, choice) = points[i]
      guard i > 0, i + 1 < points.count, choice.reachesGoals else {
        return CurvePoint(level: level, choice: choice, knee: false)
      }
      let (before, previous) = points[i - 1]
      let (after, next) = points[i + 1]
      guard next.reachesGoals else { return CurvePoint(level: level, choice: choice, knee: true) }
      guard previous.reachesGoals else { return CurvePoint(level: level, choice: choice, knee: false) }
      let slopeIn = (choice.cost - previous.cost) / (level - before)
      let slopeOut = (next.cost - choice.cost) / (after - level)
      return CurvePoint(level: level, choice: choice, knee: slopeOut > 0 && slopeOut >= 2 * max(0, slopeIn))
    }
  }

  /// Units of each goal's demand short with the portfolio, with none and without each of
  /// `without` (option indices), the goals' demand served first.
  static func measure(_ solver: InvestmentSolver, portfolio: [Int: Double], without: [Int]) throws(GLPKError)
    -> (with: [Double], none: [Double], without: [[Double]])
  {
    let q = solver.question
    let with = try solver.shortfall(fixing: portfolio)
    let none = try solver.shortfall(fixing: [:])
    var out: [[Double]] = []
    for o in without {
      let left = Set(q.options[o].builds)
      out.append(try solver.shortfall(fixing: portfolio.filter { !left.contains($0.key) }))
    }
    return (with, none, out)
  }
}
