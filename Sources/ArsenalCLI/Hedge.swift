import ArgumentParser
import Arsenal
import Foundation
import PlanningModel

struct HedgeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hedge",
    abstract: "One plan for the first periods that holds up over weighted scenario paths (a two-stage stochastic LP).",
    discussion: """
      Answers a question defined in the data set's uncertainty.toml ([hedge.NAME]): the \
      production, deliveries, purchases and expansion orders of the first periods are \
      common to every path, the rest re-planned per path, and every stage of the policy \
      minimises the probability-weighted objective. The report compares the hedged plan with \
      the plan for the most likely path and the plan for the mean demand (each first stage \
      fixed, every path re-planned after it: the value of the stochastic solution) and with \
      perfect information (each path planned alone). Lots are continuous (the LP relaxation).
      """)

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions
  @OptionGroup var output: OutputOptions

  @Argument(help: "A question defined in uncertainty.toml ([hedge.NAME]).", completion: Completions.hedges)
  var name: String

  @Option(
    name: .long, parsing: .upToNextOption,
    help: ArgumentHelp(
      "The paths: scenario names, each may join several with + (default: the question's).", valueName: "scenario"),
    completion: Completions.scenarios)
  var paths: [String] = []

  @Option(
    name: .long, parsing: .upToNextOption,
    help: ArgumentHelp("Each path's probability, summing to 1 (with --paths; default: the question's).", valueName: "p")
  )
  var probabilities: [Double] = []

  @Option(
    name: .long,
    help: ArgumentHelp("Periods whose decisions every path shares (default: the question's).", valueName: "k"))
  var firstPeriods: Int?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Output folder (default: Reports/hedge-<name>, with --policy-… etc. when an option changes the results).",
      valueName: "folder"))
  var out: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Worker threads (default: every core): with two, the paths alone and the mean demand are solved while the joined program is (the same plans either way).",
      valueName: "n"))
  var workers: Int?

  func validate() throws {
    if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    if !probabilities.isEmpty && paths.isEmpty {
      throw ValidationError("--probabilities needs --paths (the question's own paths keep their probabilities)")
    }
    if let firstPeriods, firstPeriods < 0 { throw ValidationError("--first-periods must be at least 0") }
    // The steps would only rename the output folder: a hedge measures no relaxation.
    if solve.step != 10 || solve.budgetStep != 100 || !solve.kindStep.isEmpty {
      throw ValidationError(
        "--step, --budget-step and --kind-step set the relaxation analysis's steps; arsenal hedge runs no relaxation analysis"
      )
    }
  }

  func run() throws {
    let base = try solve.runOptions(data: data.data, scenarios: [])
    do {
      let set = try Arsenal.load(data.data)
      let study = try Arsenal.hedgeStudy(
        name: name, paths: paths.isEmpty ? nil : paths, probabilities: probabilities.isEmpty ? nil : probabilities,
        firstPeriods: firstPeriods, data: set)
      let overridden = !paths.isEmpty || firstPeriods != nil
      let folder =
        out ?? "Reports/hedge-\(study.name)\(overridden ? "-custom" : "")\(data.resultSuffix)\(solve.resultSuffix)"
      var options = HedgeOptions(data: data.data, out: folder)
      options.method = base.method
      options.policy = base.policy
      options.command = OutputOptions.commandLine
      options.write = output.settings
      if let workers { options.workers = workers }
      let terminal = isatty(STDERR_FILENO) != 0
      if terminal { options.progress = { FileHandle.standardError.write(Data("hedge: \($0)\n".utf8)) } }
      let run = try Arsenal.hedge(study, data: set, options: options)
      let s = run.outcome.sizes
      output.say(
        String(
          format: "joined program %ld rows, %ld columns solved in %.2f s; %ld paths alone in %.2f s; %.2f s in all",
          s.joined.first ?? 0, s.joined.count > 1 ? s.joined[1] : 0, run.joinedSeconds, study.paths.count,
          run.pathSeconds, run.seconds))
      output.say("wrote \(run.files.joined(separator: ", "))")
      let written =
        (try? String(contentsOfFile: (folder as NSString).appendingPathComponent("hedge.json"), encoding: .utf8))
      output.console.emit(text: written ?? "{}")
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}
