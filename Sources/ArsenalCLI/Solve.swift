import ArgumentParser
import Arsenal
import Foundation
import Reports

struct Solve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Solve scenarios of a data set and write the report.",
    discussion: """
      With no arguments, solves the bundled data set's baseline and writes Reports/baseline/.
      Scenarios apply in the order given: --scenario ceasefire-full --scenario reassurance-40k.
      """)

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions
  @OptionGroup var knobs: GLPKKnobOptions
  @OptionGroup var output: OutputOptions

  @Option(
    name: .long,
    help: ArgumentHelp("A scenario to apply (repeatable, applied in order; a+b joins several).", valueName: "name"),
    completion: Completions.scenarios)
  var scenario: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Output folder (default: Reports/<scenarios>, with --policy-…, --data-… etc. when an option changes the results).",
      valueName: "folder"))
  var out: String?

  @Option(
    name: .customLong("export-lp"),
    help: ArgumentHelp(
      "Also write the first stage's LP in CPLEX LP format, every number exact (for glpsol --lp and other solvers).",
      valueName: "file"))
  var exportLP: String?

  @Option(
    name: .customLong("export-mps"),
    help: ArgumentHelp(
      "Also write the first stage's LP in free MPS format, every number exact (a maximisation adds OBJSENSE MAX).",
      valueName: "file"))
  var exportMPS: String?

  @Flag(
    name: .long, inversion: .prefixedNo,
    help: ArgumentHelp(
      "Use GLPK's presolver for the first stage (the default: as fast on the bundled data, 1.4-2.5× faster on larger LPs).",
      discussion:
        "The plan and the measured values are the same either way on the bundled data (not yet on very large LPs: docs/MODEL.md, Tie-break); shadow prices' validity ranges follow the basis the solve ends at."
    ))
  var presolve = true

  @Option(
    name: .customLong("time-limit"),
    help: ArgumentHelp("Stop each GLPK solve after this many seconds.", valueName: "seconds"))
  var timeLimit: Double?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Threads of the relaxation analysis (default: every core); each holds its own copy of the LP.",
      discussion:
        "--workers 1 uses the least memory and takes about twice the analysis's time; the results are the same.",
      valueName: "n"))
  var workers: Int?

  @Flag(name: .long, help: "Show GLPK's log and phase timings on stderr.")
  var verbose = false

  func validate() throws {
    if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) {
      throw ValidationError("--time-limit must be a number of seconds above 0")
    }
  }

  func run() throws {
    Allocator.returnFreedMemory()
    var options = try solve.runOptions(data: data.data, scenarios: scenario.isEmpty ? ["baseline"] : scenario)
    options.presolve = presolve
    options.tuning = try knobs.tuning()
    options.timeLimit = timeLimit
    options.verbose = verbose
    if let workers { options.workers = workers }
    options.exportLP = exportLP
    options.exportMPS = exportMPS
    let name = (scenario.isEmpty ? ["baseline"] : scenario).flatMap { $0.split(separator: "+").map(String.init) }
      .joined(separator: "+")
    let folder = out ?? "Reports/\(name)\(data.resultSuffix)\(solve.resultSuffix)"
    // Locked, and known to be writable, before the solve; written whole after it.
    output.apply(to: &options)
    let target = try output.take(folder, madeFrom: options.madeFrom("scenarios \(name)"))
    Interrupts.installExit("nothing was written to \(folder)")
    do {
      let result = try Arsenal.run(options)
      do {
        try target.publish(result.files)
      } catch {
        throw ArsenalError.write(error)
      }
      if verbose {
        FileHandle.standardError.write(Data(result.log.utf8))
        let t = result.times
        let line = String(
          format:
            "timings: load %.3f s, formulate %.3f s, to GLPK %.3f s, solve %.3f s, relaxation %.3f s, analysis %.3f s, report %.3f s\n",
          t.load, t.formulate, t.handToGLPK, t.solve, t.relaxation, t.analysis, t.report)
        FileHandle.standardError.write(Data(line.utf8))
        let peaks = t.peakKiB.map { "\($0.phase) \(($0.kib + 512) / 1024) MiB" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("peak memory after: \(peaks)\n".utf8))
        for p in result.analysis.relaxation.phases {
          let routes = p.coldRoutes.isEmpty ? "none" : p.coldRoutes.map(String.init).joined(separator: "/")
          let text = String(
            format:
              "relaxation %@: %ld re-solves, %ld iterations, %.3f s; %ld not measured; cold routes by stage: %@\n",
            p.name, p.solves, p.iterations, p.seconds, p.failed, routes)
          FileHandle.standardError.write(Data(text.utf8))
        }
        let relaxation = result.analysis.relaxation
        if relaxation.coldAhead > 0 {
          let text =
            "relaxation: \(relaxation.coldAhead) values' cold solves started before their warm attempts ran out\n"
          FileHandle.standardError.write(Data(text.utf8))
        }
        if relaxation.aheadUnused > 0 {
          let text =
            "relaxation: \(relaxation.aheadUnused) re-solves measured ahead while a value was still to come, not needed\n"
          FileHandle.standardError.write(Data(text.utf8))
        }
        for stage in result.plan.stages {
          let text = String(
            format: "stage %@: %ld iterations, %.3f s (CPU %.3f s), objective %.10g\n", stage.stage.name,
            stage.outcome.iterations, stage.seconds, stage.outcome.cpuSeconds, stage.objective)
          FileHandle.standardError.write(Data(text.utf8))
        }
      }
      // The report's own machine-readable summary, as written to the folder.
      output.console.emit(text: result.files.contents(of: "summary.json") ?? "{}")
      let a = result.analysis
      output.say(
        "\(result.name): \(a.status.rawValue); \(a.lpRows) rows, \(a.lpColumns) columns, \(a.lpNonZeros) non-zeros")
      output.say("wrote \(folder)/report.md and \(result.files.files.count - 1) companion files")
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }
}
