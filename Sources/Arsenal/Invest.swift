import Formulation
import Foundation
import GLPKSolver
import LinearProgram
import Optimizer
import PlanningModel
import Reports

/// An investment question (`arsenal invest`): goals to reach at least cost, or the most
/// progress towards them for a budget.
public struct InvestOptions: Sendable {
  /// Path of the data set folder.
  public var data: String
  /// Scenario names applied in order; an element may join several with `+`.
  public var scenarios: [String]
  /// The goals, as planners write them ("front-line 155mm >= 95% from 2028-07").
  public var goals: [String]
  /// EUR the portfolio may cost: the dual question; `nil` asks for the cheapest portfolio.
  public var budget: Double?
  /// Goal levels of the cost-coverage curve, as fractions.
  public var curve: [Double]
  /// Seconds each MIP may take.
  public var timeLimit: Double
  /// Relative gap at which branch and bound stops (0 proves optimality).
  public var gap: Double
  /// How the output folder is written.
  public var write = WriteSettings()

  /// A question on the bundled baseline; the curve runs from 50 % to 100 % in steps of 5.
  public init(
    data: String = "Inputs/europe-2027", scenarios: [String] = ["baseline"],
    goals: [String], budget: Double? = nil, curve: [Double] = InvestOptions.defaultCurve, timeLimit: Double = 60,
    gap: Double = 0
  ) {
    self.data = data
    self.scenarios = scenarios
    self.goals = goals
    self.budget = budget
    self.curve = curve
    self.timeLimit = timeLimit
    self.gap = gap
  }

  /// The data set's question `question`.
  public init(
    _ question: InvestmentQuestion, data: String, timeLimit: Double = 60,
    gap: Double = 0
  ) {
    self.init(
      data: data, scenarios: question.scenarios, goals: question.goals, budget: question.budget,
      curve: question.curve, timeLimit: timeLimit, gap: gap)
    self.title = question.description
  }

  /// What the question asks, for the report's title (a named question's description).
  public var title = ""

  /// 50 %, 55 %, … 100 %.
  public static let defaultCurve: [Double] = (10...20).map { Double($0) * 0.05 }

  /// What an investment report is made from, as its folder's marker records it.
  public func madeFrom(_ name: String) -> String {
    let dataName = URL(fileURLWithPath: data).standardizedFileURL.lastPathComponent
    var parts = [
      "investment \(name)", "data set \(dataName)",
      "goals \(goals.joined(separator: "; "))",
    ]
    if let budget { parts.append("budget EUR \(Fmt.plain(budget))") }
    parts.append("curve \(curve.map { Fmt.plain($0 * 100) }.joined(separator: ","))")
    parts.append("gap \(Fmt.plain(gap)), time limit \(Fmt.plain(timeLimit)) s")
    return parts.joined(separator: "; ")
  }
}

/// An answered investment question and its rendered files.
public struct InvestResult: Sendable {
  /// The answer.
  public let answer: InvestmentAnswer
  /// The report set, not yet written.
  public let files: FileSet
  /// The scenarios' name.
  public let name: String
}

extension Arsenal {
  /// The MIPs of an investment question, each started where the previous one ended.
  ///
  /// Each relaxation starts from the basis the previous MIP left
  /// (the same rows; only the objective and the held bounds change), by the primal simplex,
  /// with GLPK's MIP presolver off — on, every MIP's relaxation was solved from scratch, twice
  /// (once to bound, once presolved inside `glp_intopt`). Measured on the bundled questions,
  /// the same answers and files but the nodes counted, three runs each, alternating: `invest
  /// baseline-2028` 7.8–9.2 → 1.1–1.3 s, `invest stated-need-2028` 23.2–26.4 → 1.0–1.4 s
  /// (docs/PERFORMANCE.md).
  static func investmentMIP(timeLimit: Double?, gap: Double) -> MIPOptions {
    var options = MIPOptions(timeLimit: timeLimit, relativeGap: gap, presolve: false)
    options.fromCurrentBasis = true
    options.relaxationMethod = .primal
    return options
  }

  /// Loads the data set, applies the scenarios, reads the goals, answers the question and
  /// renders its report.
  public static func invest(_ options: InvestOptions, data preloaded: DataSet? = nil) throws(ArsenalError)
    -> InvestResult
  {
    let data: DataSet
    if let preloaded {
      data = preloaded
    } else {
      data = try load(options.data)
    }
    let chosen = try scenarios(options.scenarios, in: data)
    let model = data.model.applying(chosen)
    var goals: [CoverageGoal] = []
    var problems: [String] = []
    for text in options.goals {
      switch CoverageGoal.parse(text, model: model) {
      case .success(let g): goals.append(g)
      case .failure(let p): problems.append(p.description)
      }
    }
    if goals.isEmpty && problems.isEmpty { problems.append("give at least one --goal") }
    if let b = options.budget, !(b >= 0 && b <= Limits.money) {
      problems.append("budget \(b): expected EUR from 0 to \(Fmt.plain(Limits.money))")
    }
    for level in options.curve where !(level > 0 && level <= 1) {
      problems.append("curve level \(Fmt.plain(level * 100)) %: expected above 0 and at most 100")
    }
    if !(options.timeLimit > 0 && options.timeLimit.isFinite) {
      problems.append("time limit \(options.timeLimit): expected a positive number of seconds")
    }
    if !(options.gap >= 0 && options.gap < 1) { problems.append("gap \(options.gap): expected a fraction from 0 to 1") }
    guard problems.isEmpty else { throw .usage(problems.joined(separator: "\n")) }
    let formulation: Formulation
    do {
      // The policy does not enter the investment MIPs (their objectives are the question's).
      formulation = try Formulator.formulate(model)
    } catch {
      throw .formulation(error)
    }
    let question: InvestmentProgram
    do {
      question = try InvestmentProgram(formulation, goals: goals)
    } catch {
      throw .solver(.invalidProgram(error))
    }
    let empty = question.goals.indices.filter { question.totalDemand($0) <= 0 }
    guard empty.isEmpty else {
      throw .usage(
        empty.map { g in
          "goal \"\(options.goals[g])\": its scope has no demand from \(model.horizon.label(goals[g].from)) on; "
            + "expected a class, consumer and item with demand (demand.csv)"
        }.joined(separator: "\n"))
    }
    guard !question.options.isEmpty else {
      throw .usage("the data set has no expansion option that could arrive within the horizon: nothing to invest in")
    }
    let settings = InvestmentSettings(
      mip: Self.investmentMIP(timeLimit: options.timeLimit, gap: options.gap), budget: options.budget,
      curve: options.curve)
    let answer: InvestmentAnswer
    do {
      answer = try InvestmentStudy.run(question, settings: settings)
    } catch {
      throw .solver(error)
    }
    guard answer.best.found else {
      throw .noPortfolio(answer.best.goalStage?.message ?? "GLPK's branch and bound found no portfolio.")
    }
    let name = runName(chosen)
    let files = InvestReport(
      answer, scenarios: name, title: options.title, provenance: provenance(RunOptions(data: options.data))
    ).files()
    return InvestResult(answer: answer, files: files, name: name)
  }
}
