import ArgumentParser
import Arsenal
import Foundation
import PlanningModel
import Reports

struct Invest: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Find the cheapest expansion portfolio that reaches coverage goals (a MIP solved by GLPK).",
    discussion: """
      Goals read SCOPE [ITEM] >= PERCENT% [from YYYY-MM]: SCOPE is a class (front-line, readiness, \
      reassurance, competing), a consumer id or all; ITEM an item or substitution-group id. Example: \
      arsenal invest --scenario materials-restricted --goal "front-line 155mm >= 90% from 2028-01". \
      With --budget, the question turns round: the most progress towards the goals for that much. \
      Writes invest.md, portfolio.csv, curve.csv and invest.json (docs/OUTPUTS.md).
      """)

  @OptionGroup var data: DataOptions
  @OptionGroup var output: OutputOptions

  @Argument(
    help: ArgumentHelp(
      "A question the data set names ([investment.NAME] in scenarios.toml); or give --goal.", valueName: "name"),
    completion: Completions.investments)
  var name: String?

  @Option(
    name: .long,
    help: ArgumentHelp("A scenario to apply (repeatable, applied in order; a+b joins several).", valueName: "name"),
    completion: Completions.scenarios)
  var scenario: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A coverage goal, SCOPE [ITEM] >= PERCENT% [from YYYY-MM] (repeatable; every goal must hold).",
      valueName: "goal"))
  var goal: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Ask for the most progress towards the goals for at most this much, in EUR million.", valueName: "EUR-million"))
  var budget: Double?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Goal levels of the cost-coverage curve, FROM:TO:STEP in percent, or none (default: 50:100:5).",
      valueName: "from:to:step"))
  var curve: String?

  @Option(
    name: .customLong("time-limit"),
    help: ArgumentHelp("Seconds each MIP may take (the best portfolio found is kept).", valueName: "seconds"))
  var timeLimit: Double = 60

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Relative gap in percent at which branch and bound stops (0 proves the optimum).", valueName: "percent"))
  var gap: Double = 0

  @Option(
    name: .long,
    help: ArgumentHelp("Output folder (default: Reports/invest-<scenarios>).", valueName: "folder"))
  var out: String?

  /// The curve's levels as fractions, or a usage problem.
  static func levels(_ text: String) throws -> [Double] {
    if text == "none" { return [] }
    let parts = text.split(separator: ":").map { Double($0) }
    guard parts.count == 3, let from = parts[0], let to = parts[1], let step = parts[2], step > 0, from > 0,
      to <= 100, from <= to, (to - from) / step <= 200
    else {
      throw ValidationError(
        "--curve \"\(text)\": expected FROM:TO:STEP in percent, 0 < FROM ≤ TO ≤ 100, at most 200 steps, or none")
    }
    var out: [Double] = []
    var k = 0.0
    while from + k * step <= to + 1e-9 {
      out.append(((from + k * step) * 1e6).rounded() / 1e8)
      k += 1
    }
    return out
  }

  func validate() throws {
    if let curve { _ = try Self.levels(curve) }
    if name != nil {
      guard goal.isEmpty, budget == nil, scenario.isEmpty else {
        throw ValidationError("a named question brings its own goals, budget and scenarios; give either NAME or --goal")
      }
    } else if goal.isEmpty {
      throw ValidationError("give a question's NAME or at least one --goal, e.g. --goal \"front-line 155mm >= 90%\"")
    }
    if let budget, !(budget >= 0 && budget.isFinite) {
      throw ValidationError("--budget \(budget): expected EUR million ≥ 0")
    }
    guard timeLimit > 0, timeLimit.isFinite else {
      throw ValidationError("--time-limit \(timeLimit): expected seconds > 0")
    }
    guard gap >= 0, gap < 100 else { throw ValidationError("--gap \(gap): expected a percent from 0 to below 100") }
  }

  func run() throws {
    var options: InvestOptions
    let label: String
    if let name {
      let dataSet: DataSet
      do {
        dataSet = try Arsenal.load(data.data)
      } catch {
        throw fail(error, code: error.exitCode)
      }
      guard let question = dataSet.investment(named: name) else {
        let known = dataSet.investments.map(\.name)
        throw fail(
          ArsenalError.usage(
            "unknown investment question \"\(name)\"; the data set defines: "
              + (known.isEmpty ? "none" : known.joined(separator: ", "))), code: Exit.usage)
      }
      options = InvestOptions(question, data: data.data, timeLimit: timeLimit, gap: gap / 100)
      if let curve { options.curve = try Self.levels(curve) }
      label = name
    } else {
      let scenarios = scenario.isEmpty ? ["baseline"] : scenario
      options = InvestOptions(
        data: data.data, scenarios: scenarios, goals: goal, budget: budget.map { $0 * 1e6 },
        curve: try Self.levels(curve ?? "50:100:5"), timeLimit: timeLimit, gap: gap / 100)
      label = scenarios.flatMap { $0.split(separator: "+").map(String.init) }.joined(separator: "+")
    }
    options.write = output.settings
    let folder = out ?? "Reports/invest-\(label)\(data.resultSuffix)"
    let target = try output.take(folder, madeFrom: options.madeFrom(label))
    Interrupts.installExit("nothing was written to \(folder)")
    do {
      let result = try Arsenal.invest(options)
      do {
        try target.publish(result.files)
      } catch {
        throw ArsenalError.write(error)
      }
      output.console.emit(text: result.files.contents(of: "invest.json") ?? "{}")
      let best = result.answer.best
      output.say(
        "\(result.name): "
          + (best.reachesGoals ? "goals reached for " : "goals not reachable; the closest portfolio costs ")
          + "\(Fmt.money(best.cost)); \(best.proven ? "proven optimal" : "not proven optimal")")
      output.say("wrote \(folder)/invest.md and \(result.files.files.count - 1) companion files")
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }
}
