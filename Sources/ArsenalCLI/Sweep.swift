import Analysis
import ArgumentParser
import Arsenal
import Dispatch
import Foundation
import PlanningModel
import Reports

struct SweepCommand: ParsableCommand {
  /// "sweep: 37/100 points, 8.3 points/s, about 8 s left", redrawn in place on a terminal.
  static let showProgress = Progress.line(command: "sweep", noun: "points")

  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Vary one or two parameters over a range and report shortfall, bottlenecks and knees.",
    discussion: """
      Give a sweep defined in the data set's sweeps.toml by NAME, or parameters with --param:

        --param "capacity producer=nitrochemie-aschau from=0.5 to=2 step=0.05"
        --param "delay producer=rheinmetall-unterluss values=0;3;6;9;12"

      Kinds: capacity (producer, country, item), delay (same keys, months), market \
      (market, item), budget (funder), demand (consumer, class, item). Two --param give a \
      grid. Each point re-solves from its neighbour's basis; points spread over all cores. \
      Ctrl-C keeps every finished point; --resume continues.
      """)

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions
  @OptionGroup var output: OutputOptions

  @Argument(help: "A sweep defined in sweeps.toml.", completion: Completions.sweeps)
  var name: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A parameter: KIND key=value … with from=, to=, step= or values=a;b;c (repeatable, at most 2).",
      valueName: "parameter"))
  var param: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp("A scenario to apply first (repeatable; default: the sweep's, or baseline).", valueName: "name"),
    completion: Completions.scenarios)
  var scenario: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Output folder (default: Reports/sweep-<name>, with --policy-… etc. when an option changes the results).",
      valueName: "folder"))
  var out: String?

  @Option(name: .long, help: ArgumentHelp("Worker threads (default: every core).", valueName: "n"))
  var workers: Int?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Points a worker takes at a time; each point starts warm from the one its worker solved before "
        + "(speed only; the results are the same for any chunk).", valueName: "n"))
  var chunk: Int = 10

  @Flag(name: .long, help: "Solve every point from scratch (to check warm results).")
  var cold = false

  @Flag(
    name: .long,
    help: "Print where the warm points' time went (formulating, each stage's simplex, whole lots) on stderr.")
  var verbose = false

  @Flag(name: .long, help: "Continue an interrupted sweep, skipping finished points.")
  var resume = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Solve only shard I of N (the points i with i mod N = I − 1) and write its rows for `arsenal merge`.",
      valueName: "I/N"))
  var shard: String?

  func validate() throws {
    if name == nil && param.isEmpty {
      throw ValidationError("give a sweep NAME from sweeps.toml or at least one --param")
    }
    if name != nil && !param.isEmpty { throw ValidationError("give either a sweep NAME or --param, not both") }
    if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    if chunk < 1 { throw ValidationError("--chunk must be at least 1") }
    if let shard, Shard(shard) == nil {
      throw ValidationError("--shard \(shard): expected I/N with 1 ≤ I ≤ N ≤ 100000, as in 3/8")
    }
  }

  func run() throws {
    Allocator.keepFreedMemory()
    let base = try solve.runOptions(data: data.data, scenarios: scenario)
    do {
      let set = try Arsenal.load(data.data)
      let spec: SweepSpec
      if let name {
        guard let s = set.sweep(named: name) else {
          throw ArsenalError.usage(
            "unknown sweep \"\(name)\"; sweeps.toml defines: \(set.sweeps.map(\.name).joined(separator: ", "))")
        }
        spec = s.overriding(scenarios: scenario.isEmpty ? nil : scenario, policy: base.policy)
      } else {
        spec = try Arsenal.sweepSpec(parameters: param, scenarios: scenario, policy: base.policy, data: set)
      }
      let folder = out ?? "Reports/sweep-\(spec.name)\(data.resultSuffix)\(solve.resultSuffix)"
      let cancellation = SweepCancellation()
      // Ctrl-C: finish the points in progress, keep every finished one, write the outputs.
      Interrupts.install {
        cancellation.cancel()
        FileHandle.standardError.write(Data("\ninterrupted: finishing the points in progress…\n".utf8))
      }
      let terminal = isatty(STDERR_FILENO) != 0
      let progress: (@Sendable (Int, Int, Double) -> Void)? = terminal ? Self.showProgress : nil
      var options = SweepOptions(
        data: data.data, out: folder, workers: workers ?? ProcessInfo.processInfo.activeProcessorCount, cold: cold,
        resume: resume, chunk: chunk, method: base.method,
        relaxation: base.relaxation ?? RelaxationSettings(), command: OutputOptions.commandLine,
        write: output.settings,
        progress: progress, cancellation: cancellation)
      options.shard = shard.flatMap(Shard.init) ?? .whole
      let run = try Arsenal.sweep(spec, data: set, options: options)
      if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
      let solved = run.warmSolves + run.coldSolves
      output.say(
        String(
          format:
            "%ld of %ld points solved in %.2f s (%ld skipped as finished); %ld warm (%.3f s/point), %ld cold (%.3f s/point); %ld simplex iterations",
          solved, run.points, run.seconds, run.skipped, run.warmSolves,
          run.warmSolves > 0 ? run.warmSeconds / Double(run.warmSolves) : 0.0, run.coldSolves,
          run.coldSolves > 0 ? run.coldSeconds / Double(run.coldSolves) : 0.0, run.iterations))
      if verbose, let line = run.breakdown.line { FileHandle.standardError.write(Data((line + "\n").utf8)) }
      output.say("wrote \(run.files.joined(separator: ", "))")
      if options.shard == .whole { output.console.emit(Self.json(run, folder: folder)) }
      if run.interrupted {
        // Counted from the journal, as a resume reads it: exactly the points it will skip.
        FileHandle.standardError.write(
          Data(
            ("interrupted: \(run.finished) of \(run.points) points are on disk; run again with --resume to skip "
              + "those \(run.finished) and solve the other \(run.points - run.finished)\n").utf8))
        throw ExitCode(Exit.interrupted)
      }
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }

  /// `--json`: what the run did and sweep.csv's rows as objects (numbers as numbers).
  static func json(_ run: SweepRun, folder: String) -> JSONValue {
    let path = (folder as NSString).appendingPathComponent("sweep.csv")
    // Read as written, with --spreadsheet too (byte order mark, CRLF).
    let lines = CSVWriter.records(of: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    let header = lines.first ?? []
    let rows: [JSONValue] = lines.dropFirst().map { cells in
      var row: [String: JSONValue] = [:]
      for (key, cell) in zip(header, cells) {
        row[key] = cell.isEmpty ? .null : Double(cell).map { .number($0) } ?? .string(cell)
      }
      return .object(row)
    }
    return .object([
      "folder": .string(folder), "points": .number(Double(run.points)), "solved_now": .number(Double(run.solvedNow)),
      "skipped": .number(Double(run.skipped)), "finished": .number(Double(run.finished)),
      "interrupted": .bool(run.interrupted), "rows": .array(rows),
    ])
  }
}
