import ArgumentParser
import Arsenal
import Foundation
import Reports

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Solve several scenarios and report them side by side.",
    discussion: """
      Each NAME is a scenario or several joined with +, e.g. ceasefire-none+us-minimal. A single \
      NAME that is one of the data set's named comparisons (arsenal scenarios lists them) runs \
      that comparison, as `arsenal reports` does, into Reports/compare-NAME. NAME@FOLDER runs \
      NAME on the data set at FOLDER, to set an edited copy against the original: \
      arsenal compare baseline baseline@my-copy.
      """)

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions
  @OptionGroup var output: OutputOptions

  @Argument(
    help: "Scenarios to compare (at least two), or the name of a comparison the data set defines.",
    completion: Completions.scenariosAndComparisons)
  var names: [String]

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Output folder (default: Reports/compare-<names>, with --policy-… etc. when an option changes the results).",
      valueName: "folder"))
  var out: String?

  func run() throws {
    var options = try solve.runOptions(data: data.data, scenarios: [])
    output.apply(to: &options)
    do {
      let set = try Arsenal.load(data.data)
      let named = names.count == 1 ? set.comparisons.first { $0.name == names[0] } : nil
      let runs = named?.runs ?? names
      guard runs.count >= 2 else {
        throw ArsenalError.usage(
          "give at least two scenarios to compare, or the name of a comparison the data set defines "
            + "(arsenal scenarios lists them)")
      }
      let folder =
        out ?? "Reports/compare-" + (named?.name ?? names.map(Arsenal.runLabel).joined(separator: "--"))
        + data.resultSuffix
        + solve.resultSuffix
      let target = try output.take(folder, madeFrom: options.madeFrom("comparison of \(runs.joined(separator: ", "))"))
      Interrupts.installExit("nothing was written to \(folder)")
      let title = named.map { "\($0.name) — \($0.description)" }
      let (report, _) = try Arsenal.compare(runs, options: options, data: set, title: title)
      do {
        try target.publish(report.files())
      } catch {
        throw ArsenalError.write(error)
      }
      for line in report.summary() { output.say(line) }
      output.say("wrote \(folder)/comparison.md, comparison.csv and comparison.json")
      output.console.emit(text: report.json())
    } catch let error as ArsenalError {
      throw fail(error, code: error.exitCode)
    }
  }
}

struct RegenerateReports: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reports",
    abstract:
      "Regenerate the report of every scenario, comparison, investment question, named sweep, risk study and hedge the data set defines.",
    discussion:
      "The bundled Reports/ folder is produced by `arsenal reports` with no arguments (what `make reports` runs).")

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions
  @OptionGroup var output: OutputOptions

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Output folder (default: Reports, or Reports--policy-… etc. when an option changes the results).",
      valueName: "folder"))
  var out: String?

  @Flag(name: .long, help: "Leave the named sweeps, risk studies and hedges out (they take the most time).")
  var noSweeps = false

  func run() throws {
    let out = self.out ?? "Reports" + data.resultSuffix + solve.resultSuffix
    var options = try solve.runOptions(data: data.data, scenarios: [])
    output.apply(to: &options)
    Interrupts.installExit("no report was changed in \(out)")
    do {
      let written = try Arsenal.regenerate(options: options, into: out, command: OutputOptions.commandLine)
      output.say("wrote \(written.count) report folders and \(out)/README.md")
      var sweeps: [String] = []
      func emit() {
        output.console.emit(
          .object([
            "folders": .array((written + sweeps).map { .string($0) }),
            "index": .string((out as NSString).appendingPathComponent("README.md")),
          ]))
      }
      guard !noSweeps else { return emit() }
      // The scenarios' single solves are done; the sweeps and risk studies re-solve warm.
      Allocator.keepFreedMemory()
      let set = try Arsenal.load(data.data)
      for named in set.sweeps {
        // As `arsenal sweep NAME` runs it; a --policy given here applies to the sweeps too.
        let spec = named.overriding(policy: options.policy)
        let folder = (out as NSString).appendingPathComponent("sweep-\(spec.name)")
        Interrupts.installExit("stopped during the sweep \(spec.name); the reports before it are written")
        var sweepOptions = SweepOptions(
          data: data.data, out: folder, method: options.method, command: OutputOptions.commandLine,
          write: options.write)
        if let relaxation = options.relaxation { sweepOptions.relaxation = relaxation }
        _ = try Arsenal.sweep(spec, data: set, options: sweepOptions)
        sweeps.append(folder)
        output.say("wrote \(folder)/sweep.csv and sweep.md")
      }
      for named in set.risks {
        let study = named.overriding(draws: nil, seed: nil, scenarios: nil, policy: options.policy)
        let folder = (out as NSString).appendingPathComponent("risk-\(study.name)")
        Interrupts.installExit("stopped during the risk study \(study.name); the reports before it are written")
        var riskOptions = RiskOptions(data: data.data, out: folder)
        riskOptions.method = options.method
        riskOptions.command = OutputOptions.commandLine
        riskOptions.write = options.write
        if let relaxation = options.relaxation { riskOptions.relaxation = relaxation }
        _ = try Arsenal.risk(study, data: set, options: riskOptions)
        sweeps.append(folder)
        output.say("wrote \(folder)/risk.md and risk.csv")
      }
      for named in set.hedges {
        let folder = (out as NSString).appendingPathComponent("hedge-\(named.name)")
        Interrupts.installExit("stopped during the hedge \(named.name); the reports before it are written")
        var hedgeOptions = HedgeOptions(data: data.data, out: folder)
        hedgeOptions.method = options.method
        hedgeOptions.policy = options.policy
        hedgeOptions.command = OutputOptions.commandLine
        hedgeOptions.write = options.write
        _ = try Arsenal.hedge(named, data: set, options: hedgeOptions)
        sweeps.append(folder)
        output.say("wrote \(folder)/hedge.md")
      }
      emit()
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}
