import Arsenal
import ArgumentParser
import Dispatch
import Foundation
import GLPKSolver
import PlanningModel
import Reports

/// The `arsenal` command: a thin layer of argument parsing over the Arsenal library.
struct ArsenalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arsenal",
    abstract: "Defence-industrial capacity optimizer: allocation scenarios, bottlenecks and sweeps, solved with GLPK.",
    version: "arsenal \(arsenalVersion) (GLPK \(GLPKProblem.glpkVersion))",
    subcommands: [Solve.self, Check.self, Scenarios.self, Compare.self, SweepCommand.self, RegenerateReports.self, Bench.self, Generate.self],
    defaultSubcommand: nil)
}

/// Exits with a planner-readable message on stderr.
func fail(_ error: Error, code: Int32 = 1) -> ExitCode {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  return ExitCode(code)
}

struct DataOptions: ParsableArguments {
  @Option(name: .long, help: "The data set folder.")
  var data = "Inputs/europe-2027"
}

struct Solve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Solve scenarios of a data set and write the report.",
    discussion: """
      With no arguments, solves the bundled data set's baseline and writes Reports/baseline/.
      Scenarios apply in the order given: --scenario ceasefire-full --scenario reassurance-40k.
      """)

  @OptionGroup var data: DataOptions

  @Option(name: .long, help: "A scenario to apply (repeatable, applied in order; a+b joins several).")
  var scenario: [String] = []

  @Option(name: .long, help: "Allocation policy: weighted, lexicographic or fair-share (default: the data set's).")
  var policy: String?

  @Option(name: .long, help: "Output folder (default: Reports/<scenarios>).")
  var out: String?

  @Option(name: .customLong("export-lp"), help: "Also write the LP solved (first stage) in CPLEX LP format.")
  var exportLP: String?

  @Option(name: .customLong("export-mps"), help: "Also write the LP solved (first stage) in free MPS format.")
  var exportMPS: String?

  @Option(name: .long, help: "Simplex method: primal (default, fastest cold on these models), dual, dual-primal; or interior.")
  var method = "primal"

  @Flag(name: .long, help: "Use GLPK's presolver for the first stage.")
  var presolve = false

  @Option(name: .customLong("time-limit"), help: "Stop each GLPK solve after this many seconds.")
  var timeLimit: Double?

  @Flag(name: .long, help: "Show GLPK's log and phase timings on stderr.")
  var verbose = false

  func run() throws {
    guard let methodValue = parseMethod(method) else {
      throw ValidationError("unknown method \"\(method)\"; expected dual, primal, dual-primal or interior")
    }
    var policyValue: AllocationPolicy?
    if let policy {
      guard let p = AllocationPolicy(rawValue: policy) else {
        throw ValidationError("unknown policy \"\(policy)\"; expected weighted, lexicographic or fair-share")
      }
      policyValue = p
    }
    let options = RunOptions(
      data: data.data, scenarios: scenario.isEmpty ? ["baseline"] : scenario, policy: policyValue, method: methodValue,
      presolve: presolve, timeLimit: timeLimit, verbose: verbose)
    let exportLP = self.exportLP
    let exportMPS = self.exportMPS
    do {
      let result = try Arsenal.run(options) { problem in
        if let exportLP { try problem.export(.cplexLP, to: exportLP) }
        if let exportMPS { try problem.export(.mps, to: exportMPS) }
      }
      let folder = out ?? "Reports/\(result.name)"
      do {
        try result.files.write(to: folder)
      } catch {
        throw ArsenalError.write(error.description)
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
        for stage in result.plan.stages {
          let text = String(
            format: "stage %@: %ld iterations, %.3f s, objective %.10g\n", stage.stage.name, stage.outcome.iterations,
            stage.seconds, stage.objective)
          FileHandle.standardError.write(Data(text.utf8))
        }
      }
      let a = result.analysis
      print("\(result.name): \(a.status.rawValue); \(a.lpRows) rows, \(a.lpColumns) columns, \(a.lpNonZeros) non-zeros")
      print("wrote \(folder)/report.md and \(result.files.files.count - 1) companion files")
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }
}

/// Parses a method name without exposing GLPK's types in the command's signature.
func parseMethod(_ name: String) -> SolverOptions.Method? { SolverOptions.Method(rawValue: name) }

extension ArsenalError {
  var exitCode: Int32 {
    switch self {
    case .input, .unknownScenario, .usage: return 1
    case .solver: return 2
    case .write: return 3
    }
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Validate a data set and its scenarios; list every problem at once.")

  @OptionGroup var data: DataOptions

  func run() throws {
    do {
      let set = try Arsenal.load(data.data)
      let m = set.model
      let products = m.producers.reduce(0) { $0 + $1.products.count }
      print(
        "\(data.data): OK — \(m.items.count) items, \(m.producers.count) producers (\(products) products), \(m.consumers.count) consumers, \(m.markets.count) markets, \(m.funders.count) funders, \(set.scenarios.count) scenarios; \(m.horizon.periods) \(m.horizon.length.rawValue)s from \(m.horizon.start)"
      )
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}

struct Scenarios: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the data set's scenarios with a one-line description each.")

  @OptionGroup var data: DataOptions

  func run() throws {
    do {
      let set = try Arsenal.load(data.data)
      let width = set.scenarios.map(\.name.count).max() ?? 0
      for s in set.scenarios {
        print(s.name + String(repeating: " ", count: width - s.name.count) + "  " + s.description)
      }
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}

/// Shared by commands that solve: policy and method parsing.
struct SolveOptions: ParsableArguments {
  @Option(name: .long, help: "Allocation policy: weighted, lexicographic or fair-share (default: the data set's).")
  var policy: String?

  @Option(name: .long, help: "Simplex method: primal (default, fastest cold on these models), dual, dual-primal; or interior.")
  var method = "primal"

  func runOptions(data: String, scenarios: [String]) throws -> RunOptions {
    guard let methodValue = parseMethod(method) else {
      throw ValidationError("unknown method \"\(method)\"; expected dual, primal, dual-primal or interior")
    }
    var policyValue: AllocationPolicy?
    if let policy {
      guard let p = AllocationPolicy(rawValue: policy) else {
        throw ValidationError("unknown policy \"\(policy)\"; expected weighted, lexicographic or fair-share")
      }
      policyValue = p
    }
    return RunOptions(data: data, scenarios: scenarios, policy: policyValue, method: methodValue)
  }
}

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Solve several scenarios and report them side by side.",
    discussion: "Each NAME is a scenario or several joined with +, e.g. ceasefire-none+us-minimal.")

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions

  @Argument(help: "Scenarios to compare (at least two).")
  var names: [String]

  @Option(name: .long, help: "Output folder (default: Reports/compare-<names>).")
  var out: String?

  func validate() throws {
    if names.count < 2 { throw ValidationError("give at least two scenarios to compare") }
  }

  func run() throws {
    let options = try solve.runOptions(data: data.data, scenarios: [])
    do {
      let set = try Arsenal.load(data.data)
      let (report, runs) = try Arsenal.compare(names, options: options, data: set)
      let folder = out ?? "Reports/compare-" + runs.map(\.name).joined(separator: "--")
      do {
        try report.files().write(to: folder)
      } catch {
        throw ArsenalError.write(error.description)
      }
      for line in report.summary() { print(line) }
      print("wrote \(folder)/comparison.md and comparison.csv")
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }
}

struct RegenerateReports: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reports",
    abstract: "Regenerate the report of every scenario and every comparison the data set defines.",
    discussion: "The bundled Reports/ folder is produced by `arsenal reports` with no arguments.")

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions

  @Option(name: .long, help: "Output folder.")
  var out = "Reports"

  func run() throws {
    let options = try solve.runOptions(data: data.data, scenarios: [])
    do {
      let written = try Arsenal.regenerate(options: options, into: out)
      print("wrote \(written.count) report folders and \(out)/README.md")
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}

struct SweepCommand: ParsableCommand {
  /// "sweep: 37/100 points, 8.3 points/s, about 8 s left", redrawn in place on a terminal.
  @Sendable static func showProgress(done: Int, total: Int, seconds: Double) {
    let rate = seconds > 0 ? Double(done) / seconds : 0
    let left = rate > 0 ? Double(total - done) / rate : 0
    let line = String(format: "\rsweep: %ld/%ld points, %.1f points/s, about %.0f s left   ", done, total, rate, left)
    FileHandle.standardError.write(Data(line.utf8))
  }

  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Vary one or two parameters over a range and report shortfall, bottlenecks and knees.",
    discussion: """
      Give a sweep defined in the data set's sweeps.toml by NAME, or parameters with --param:
        --param "capacity producer=nitrochemie-aschau item=charge-155 from=0.5 to=2 step=0.05"
        --param "delay producer=rheinmetall-unterluss values=0;3;6;9;12"
      Kinds: capacity (producer, country, item), delay (same keys, months), market (market,
      item), budget (funder), demand (consumer, class, item). Two --param give a grid.
      Each point re-solves from its neighbour's basis; points spread over all cores.
      Ctrl-C keeps every finished point; --resume continues.
      """)

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions

  @Argument(help: "A sweep defined in sweeps.toml.")
  var name: String?

  @Option(name: .long, help: "A parameter: KIND key=value … with from=, to=, step= or values=a;b;c (repeatable, at most 2).")
  var param: [String] = []

  @Option(name: .long, help: "A scenario to apply first (repeatable; default: the sweep's, or baseline).")
  var scenario: [String] = []

  @Option(name: .long, help: "Output folder (default: Reports/sweep-<name>).")
  var out: String?

  @Option(name: .long, help: "Worker threads (default: every core).")
  var workers: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(name: .long, help: "Points per warm-start chunk (results depend on it; keep it when resuming).")
  var chunk: Int = 10

  @Flag(name: .long, help: "Solve every point from scratch (to check warm results).")
  var cold = false

  @Flag(name: .long, help: "Continue an interrupted sweep, skipping finished points.")
  var resume = false

  func validate() throws {
    if name == nil && param.isEmpty { throw ValidationError("give a sweep NAME from sweeps.toml or at least one --param") }
    if name != nil && !param.isEmpty { throw ValidationError("give either a sweep NAME or --param, not both") }
    if workers < 1 { throw ValidationError("--workers must be at least 1") }
    if chunk < 1 { throw ValidationError("--chunk must be at least 1") }
  }

  func run() throws {
    let base = try solve.runOptions(data: data.data, scenarios: scenario)
    do {
      let set = try Arsenal.load(data.data)
      var spec: SweepSpec
      if let name {
        guard let s = set.sweep(named: name) else {
          throw ArsenalError.usage("unknown sweep \"\(name)\"; sweeps.toml defines: \(set.sweeps.map(\.name).joined(separator: ", "))")
        }
        spec = s
        if !scenario.isEmpty || base.policy != nil {
          spec = SweepSpec(
            name: s.name, description: s.description, scenarios: scenario.isEmpty ? s.scenarios : scenario,
            policy: base.policy ?? s.policy, parameters: s.parameters)
        }
      } else {
        spec = try Arsenal.sweepSpec(parameters: param, scenarios: scenario, policy: base.policy, data: set)
      }
      let folder = out ?? "Reports/sweep-\(spec.name)"
      let cancellation = SweepCancellation()
      // Ctrl-C: finish the points in progress, keep every finished one, write the outputs.
      signal(SIGINT, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
      source.setEventHandler {
        cancellation.cancel()
        FileHandle.standardError.write(Data("\ninterrupted: finishing the points in progress…\n".utf8))
      }
      source.resume()
      let terminal = isatty(STDERR_FILENO) != 0
      let progress: (@Sendable (Int, Int, Double) -> Void)? = terminal ? Self.showProgress : nil
      let run = try Arsenal.sweep(
        spec, data: set,
        options: SweepOptions(
          data: data.data, out: folder, workers: workers, cold: cold, resume: resume, chunk: chunk, method: base.method,
          progress: progress, cancellation: cancellation))
      if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
      let solved = run.warmSolves + run.coldSolves
      print(
        String(
          format: "%ld of %ld points solved in %.2f s (%ld skipped as finished); %ld warm (%.3f s/point), %ld cold (%.3f s/point)",
          solved, run.points, run.seconds, run.skipped, run.warmSolves,
          run.warmSolves > 0 ? run.warmSeconds / Double(run.warmSolves) : 0.0, run.coldSolves,
          run.coldSolves > 0 ? run.coldSeconds / Double(run.coldSolves) : 0.0))
      print("wrote \(folder)/sweep.csv and sweep.md")
      if run.interrupted {
        FileHandle.standardError.write(Data("interrupted: \(solved + run.skipped) of \(run.points) points are on disk; rerun with --resume\n".utf8))
        throw ExitCode(130)
      }
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }
}

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time each phase of a run (read, validate, formulate, hand to GLPK, solve, ranging, analysis, report).",
    discussion: "Prints a Markdown table row per run; build with -c release to measure. See docs/PERFORMANCE.md.")

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions

  @Option(name: .long, help: "Scenarios to time, each a name or a+b (repeatable; default: baseline).")
  var scenario: [String] = []

  @Flag(name: .customLong("all-scenarios"), help: "Time every scenario of the data set.")
  var allScenarios = false

  @Option(name: .long, help: "Repeat each run and keep the fastest time of each phase.")
  var `repeat`: Int = 3

  @Option(name: .customLong("time-limit"), help: "Stop each GLPK solve after this many seconds (reported, not an error).")
  var timeLimit: Double?

  func run() throws {
    do {
      var names = scenario.isEmpty ? ["baseline"] : scenario
      if allScenarios { names = try Arsenal.load(data.data).scenarios.map(\.name) }
      print(BenchResult.header, terminator: "")
      for name in names {
        var options = try solve.runOptions(data: data.data, scenarios: [name])
        options.timeLimit = timeLimit
        let result = try Arsenal.bench(options, repeats: `repeat`)
        print(result.markdownRow, terminator: "")
      }
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }
}

struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a synthetic data set (deterministic by seed) for scale tests.",
    discussion: "Sizes: small (about the bundled set), medium, large (≥ 500,000 LP non-zeros). Knobs override the size's values.")

  @Option(name: .long, help: "Output folder (a data set folder).")
  var out: String

  @Option(name: .long, help: "small, medium, large or xlarge.")
  var size = "small"

  @Option(name: .long, help: "Random seed.")
  var seed: UInt64 = 1

  @Option(name: .long) var countries: Int?
  @Option(name: .long) var producers: Int?
  @Option(name: .customLong("end-items")) var endItems: Int?
  @Option(name: .long) var components: Int?
  @Option(name: .customLong("components-per-item")) var componentsPerItem: Int?
  @Option(name: .long) var materials: Int?
  @Option(name: .long) var consumers: Int?
  @Option(name: .long) var markets: Int?
  @Option(name: .long) var funders: Int?
  @Option(name: .long) var periods: Int?

  func run() throws {
    guard var s = GeneratorSize.preset(size) else {
      throw ValidationError("unknown size \"\(size)\"; expected small, medium, large or xlarge")
    }
    s.countries = countries ?? s.countries
    s.producers = producers ?? s.producers
    s.endItems = endItems ?? s.endItems
    s.components = components ?? s.components
    s.componentsPerItem = componentsPerItem ?? s.componentsPerItem
    s.materials = materials ?? s.materials
    s.consumers = consumers ?? s.consumers
    s.markets = markets ?? s.markets
    s.funders = funders ?? s.funders
    s.periods = periods ?? s.periods
    guard s.countries >= 3, s.countries <= 676, s.producers >= 1, s.endItems >= 1, s.components >= 1, s.consumers >= 2,
      s.markets >= 1, s.funders >= 1, (1...600).contains(s.periods), s.componentsPerItem >= 1, s.materials >= 0
    else {
      throw ValidationError("knobs out of range: countries 3–676, periods 1–600, consumers ≥ 2, the others ≥ 1")
    }
    do {
      try Generator.files(size: s, seed: seed).write(to: out)
    } catch {
      throw fail(error)
    }
    print("wrote a synthetic data set to \(out) (\(s.producers) producers, \(s.consumers) consumers, \(s.periods) periods)")
  }
}

ArsenalCommand.main()
