import ArgumentParser
import Arsenal
import Reports

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Solve several scenarios and report them side by side.",
    discussion: "Each NAME is a scenario or several joined with +, e.g. ceasefire-none+us-minimal.")

  @OptionGroup var data: DataOptions
  @OptionGroup var solve: SolveOptions
  @OptionGroup var output: OutputOptions

  @Argument(help: "Scenarios to compare (at least two).")
  var names: [String]

  @Option(name: .long, help: "Output folder (default: Reports/compare-<names>).")
  var out: String?

  func validate() throws {
    if names.count < 2 { throw ValidationError("give at least two scenarios to compare") }
  }

  func run() throws {
    let options = try solve.runOptions(data: data.data, scenarios: [])
    let folder = out ?? "Reports/compare-" + names.joined(separator: "--")
    let target = try output.take(folder)
    Interrupts.installExit("nothing was written to \(folder)")
    do {
      let set = try Arsenal.load(data.data)
      let (report, _) = try Arsenal.compare(names, options: options, data: set)
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
