import ArgumentParser
import Arsenal
import Reports

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Solve several scenarios and report them side by side.",
    discussion: """
      Each NAME is a scenario or several joined with +, e.g. ceasefire-none+us-minimal. A single \
      NAME that is one of the data set's named comparisons (arsenal scenarios lists them) runs \
      that comparison, as `arsenal reports` does, into Reports/compare-NAME.
      """)

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions
  @OptionGroup var output: OutputOptions

  @Argument(help: "Scenarios to compare (at least two), or the name of a comparison the data set defines.")
  var names: [String]

  @Option(name: .long, help: "Output folder (default: Reports/compare-<names>).")
  var out: String?

  func run() throws {
    let options = try solve.runOptions(data: data.data, scenarios: [])
    do {
      let set = try Arsenal.load(data.data)
      let named = names.count == 1 ? set.comparisons.first { $0.name == names[0] } : nil
      let runs = named?.runs ?? names
      guard runs.count >= 2 else {
        throw ArsenalError.usage(
          "give at least two scenarios to compare, or the name of a comparison the data set defines "
            + "(arsenal scenarios lists them)")
      }
      let folder = out ?? "Reports/compare-" + (named?.name ?? names.joined(separator: "--"))
      let target = try output.take(folder)
      Interrupts.installExit("nothing was written to \(folder)")
      let title = named.map { "\($0.name) — \($0.description)" }
      let (report, _) = try Arsenal.compare(runs, options: options, data: set, title: title)
      do {
        try target.publish(report.files())
      } catch {
        throw ArsenalError.write(error)
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
  @OptionGroup var output: OutputOptions

  @Option(name: .long, help: "Output folder.")
  var out = "Reports"

  func run() throws {
    var options = try solve.runOptions(data: data.data, scenarios: [])
    output.apply(to: &options)
    Interrupts.installExit("no report was changed in \(out)")
    do {
      let written = try Arsenal.regenerate(options: options, into: out, command: OutputOptions.commandLine)
      print("wrote \(written.count) report folders and \(out)/README.md")
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}
