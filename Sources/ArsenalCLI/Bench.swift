import ArgumentParser
import Arsenal

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Time each phase of a run (read, validate, formulate, hand to GLPK, solve, relaxation analysis, other analysis, report).",
    discussion: "Prints a Markdown table row per run; build with -c release to measure. See docs/PERFORMANCE.md.")

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions
  @OptionGroup var knobs: GLPKKnobOptions
  @OptionGroup var console: ConsoleOptions

  @Option(
    name: .long,
    help: ArgumentHelp("Scenarios to time, each a name or a+b (repeatable; default: baseline).", valueName: "name"),
    completion: Completions.scenarios)
  var scenario: [String] = []

  @Flag(name: .customLong("all-scenarios"), help: "Time every scenario of the data set.")
  var allScenarios = false

  @Option(name: .long, help: ArgumentHelp("Repeat each run and keep the fastest time of each phase.", valueName: "n"))
  var `repeat`: Int = 3

  @Flag(
    name: .long, inversion: .prefixedNo,
    help: "Use GLPK's presolver for the first stage (the default; as solve --no-presolve).")
  var presolve = true

  @Option(
    name: .customLong("time-limit"),
    help: ArgumentHelp("Stop each GLPK solve after this many seconds (reported, not an error).", valueName: "seconds"))
  var timeLimit: Double?

  func run() throws {
    do {
      var names = scenario.isEmpty ? ["baseline"] : scenario
      if allScenarios { names = try Arsenal.load(data.data).scenarios.map(\.name) }
      if !console.quiet && !console.json { print(BenchResult.header, terminator: "") }
      var results: [BenchResult] = []
      for name in names {
        var options = try solve.runOptions(data: data.data, scenarios: [name])
        options.timeLimit = timeLimit
        options.presolve = presolve
        options.tuning = try knobs.tuning()
        let result = try Arsenal.bench(options, repeats: `repeat`)
        if !console.quiet && !console.json { print(result.markdownRow, terminator: "") }
        results.append(result)
      }
      console.emit(.object(["runs": .array(results.map(\.json))]))
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }
}
