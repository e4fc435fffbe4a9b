import Arsenal
import ArgumentParser
import Foundation
import GLPKSolver
import PlanningModel

/// The `arsenal` command: a thin layer of argument parsing over the Arsenal library.
struct ArsenalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arsenal",
    abstract: "Defence-industrial capacity optimizer: allocation scenarios, bottlenecks and sweeps, solved with GLPK.",
    version: "arsenal \(arsenalVersion) (GLPK \(GLPKProblem.glpkVersion))",
    subcommands: [Solve.self, Check.self, Scenarios.self, Compare.self, RegenerateReports.self],
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
          format: "timings: load %.3f s, formulate %.3f s, to GLPK %.3f s, solve %.3f s, analysis %.3f s, report %.3f s\n",
          t.load, t.formulate, t.handToGLPK, t.solve, t.analysis, t.report)
        FileHandle.standardError.write(Data(line.utf8))
        for stage in result.plan.stages {
          let text = String(
            format: "stage %@: %d iterations, %.3f s, objective %.6g\n", stage.stage.name, stage.outcome.iterations,
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

ArsenalCommand.main()
