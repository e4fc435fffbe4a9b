import Analysis
import ArgumentParser
import Arsenal
import Dispatch
import Foundation
import PlanningModel
import Reports

struct RiskCommand: ParsableCommand {
  /// "risk: 370/1000 draws, 9.1 draws/s, about 69 s left", redrawn in place on a terminal.
  static let showProgress = Progress.line(command: "risk", noun: "draws")

  static let configuration = CommandConfiguration(
    commandName: "risk",
    abstract: "A Monte Carlo study over the data set's uncertain inputs: shortfall percentiles, targets, what binds.",
    discussion: """
      Give a study defined in the data set's uncertainty.toml by NAME ([risk.NAME]), or no \
      name for every [[uncertain]] source over --scenario (default baseline). Each draw \
      scales capacities, demand and markets and delays ramp-ups as the sources' \
      distributions say (stratified over --draws, from --seed). Each worker (one per core) \
      solves the undrawn model once and starts every draw warm from it. The same seed gives the same files whatever --workers, \
      --chunk or --shard. Ctrl-C keeps every finished draw; --resume continues.

      With --shard I/N the run solves the draws d with d mod N = I − 1 and writes its rows \
      (shard.json, rows.csv) to --out; `arsenal merge` combines the N folders into the \
      report one run writes (docs/CLUSTER.md).
      """)

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions
  @OptionGroup var output: OutputOptions

  @Argument(help: "A study defined in uncertainty.toml ([risk.NAME]).", completion: Completions.risks)
  var name: String?

  @Option(
    name: .long,
    help: ArgumentHelp("A scenario to apply first (repeatable; default: the study's, or baseline).", valueName: "name"),
    completion: Completions.scenarios)
  var scenario: [String] = []

  @Option(name: .long, help: ArgumentHelp("Draws (default: the study's, or 1000).", valueName: "n"))
  var draws: Int?

  @Option(name: .long, help: ArgumentHelp("The seed (default: the study's, or 1).", valueName: "s"))
  var seed: UInt64?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Draws (the first ones) whose binding limits are valued by re-solving (default 20).", valueName: "n"))
  var measure: Int = 20

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Output folder (default: Reports/risk-<name>, with --policy-… etc. when an option changes the results).",
      valueName: "folder"))
  var out: String?

  @Option(name: .long, help: ArgumentHelp("Worker threads (default: every core).", valueName: "n"))
  var workers: Int?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Draws a worker takes at a time (speed only; the results are the same for any chunk).", valueName: "n"))
  var chunk: Int = 1

  @Flag(name: .long, help: "Solve every draw from scratch (to check warm results).")
  var cold = false

  @Flag(
    name: .long,
    help: "Print where the warm draws' time went (formulating, each stage's simplex, whole lots) on stderr.")
  var verbose = false

  @Flag(
    name: .long,
    help: "Buy expansions in whole lots in every draw (branch and bound, seconds a draw; default: any fraction).")
  var wholeLots = false

  @Flag(name: .long, help: "Continue an interrupted study, skipping finished draws.")
  var resume = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Solve only shard I of N (the draws d with d mod N = I − 1) and write its rows for `arsenal merge`.",
      valueName: "I/N"))
  var shard: String?

  func validate() throws {
    if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    if chunk < 1 { throw ValidationError("--chunk must be at least 1") }
    if let draws, draws < 1 || draws > Limits.draws {
      throw ValidationError("--draws \(draws): expected 1 to \(Limits.draws)")
    }
    if measure < 0 { throw ValidationError("--measure must be at least 0") }
    if let shard, Shard(shard) == nil {
      throw ValidationError("--shard \(shard): expected I/N with 1 ≤ I ≤ N ≤ 100000, as in 3/8")
    }
  }

  func run() throws {
    Allocator.keepFreedMemory()
    let base = try solve.runOptions(data: data.data, scenarios: scenario)
    do {
      let set = try Arsenal.load(data.data)
      let study = try Arsenal.riskStudy(
        name: name, scenarios: scenario, policy: base.policy, draws: draws, seed: seed, data: set)
      let folder = out ?? "Reports/risk-\(study.name)\(data.resultSuffix)\(solve.resultSuffix)"
      let cancellation = SweepCancellation()
      Interrupts.install {
        cancellation.cancel()
        FileHandle.standardError.write(Data("\ninterrupted: finishing the draws in progress…\n".utf8))
      }
      let terminal = isatty(STDERR_FILENO) != 0
      var options = RiskOptions(
        data: data.data, out: folder, workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
      options.cold = cold
      options.resume = resume
      options.chunk = chunk
      options.method = base.method
      options.relaxation = base.relaxation ?? RelaxationSettings()
      options.measure = measure
      options.wholeLots = wholeLots
      options.shard = shard.flatMap(Shard.init) ?? .whole
      options.command = OutputOptions.commandLine
      options.write = output.settings
      options.progress = terminal ? Self.showProgress : nil
      options.cancellation = cancellation
      let run = try Arsenal.risk(study, data: set, options: options)
      if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
      output.say(
        String(
          format:
            "%ld of %ld draws solved in %.2f s (%.1f draws/s; %ld skipped as finished); %ld warm, %ld cold; %ld simplex iterations",
          run.solvedNow, run.shardDraws, run.seconds, run.seconds > 0 ? Double(run.solvedNow) / run.seconds : 0,
          run.skipped, run.warmSolves, run.coldSolves, run.iterations))
      if verbose, let line = run.breakdown.line { FileHandle.standardError.write(Data((line + "\n").utf8)) }
      output.say("wrote \(run.files.joined(separator: ", "))")
      output.console.emit(
        .object([
          "folder": .string(folder), "draws": .number(Double(run.shardDraws)),
          "solved_now": .number(Double(run.solvedNow)), "skipped": .number(Double(run.skipped)),
          "finished": .number(Double(run.finished)), "interrupted": .bool(run.interrupted),
          "files": .array(run.files.map { .string($0) }),
        ]))
      if run.interrupted {
        FileHandle.standardError.write(
          Data(
            ("interrupted: \(run.finished) of \(run.shardDraws) draws are on disk; run again with --resume to skip "
              + "those \(run.finished) and solve the other \(run.shardDraws - run.finished)\n").utf8))
        throw ExitCode(Exit.interrupted)
      }
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }
}

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the shard folders of one risk study or sweep into the files one run writes.",
    discussion: """
      Give every shard's folder (written by `risk … --shard I/N --out FOLDER` or `sweep … \
      --shard I/N --out FOLDER`). Every shard 1…N must be there once, from the same command \
      and data set; the result is byte for byte what the study run whole writes \
      (docs/CLUSTER.md).
      """)

  @OptionGroup var output: OutputOptions

  @Option(
    name: .long,
    help: ArgumentHelp("The data set folder (default: the one the shards read).", valueName: "folder"),
    completion: .directory)
  var data: String?

  @Option(name: .long, help: ArgumentHelp("Output folder for the merged report set.", valueName: "folder"))
  var out: String

  @Argument(help: "The shard folders.", completion: .directory)
  var shards: [String] = []

  func validate() throws {
    if shards.isEmpty { throw ValidationError("give the shard folders to merge") }
  }

  func run() throws {
    do {
      let run = try Arsenal.merge(
        shards, out: out, data: data, command: OutputOptions.commandLine, write: output.settings)
      output.say("merged \(run.shards) shards of \(run.study) \(run.name): \(run.rows) rows")
      output.say("wrote \(run.files.joined(separator: ", "))")
      output.console.emit(
        .object([
          "folder": .string(out), "study": .string(run.study), "name": .string(run.name),
          "shards": .number(Double(run.shards)), "rows": .number(Double(run.rows)),
          "files": .array(run.files.map { .string($0) }),
        ]))
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}
