import ArgumentParser
import Arsenal
import Foundation
import GLPKSolver
import Reports

/// The `arsenal` command: a thin layer of argument parsing over the Arsenal library, one
/// file per subcommand.
struct ArsenalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arsenal",
    abstract: "Defence-industrial capacity optimizer: allocation scenarios, bottlenecks and sweeps, solved with GLPK.",
    discussion: """
      Exit codes: 0 done; 64 usage \
      (an unknown option, scenario or comparison); 65 the input data (every problem listed); \
      70 the formulation or solver refused the problem; 74 the outputs could not be written; \
      75 a stage not solved to optimality (time or iteration limit, numerical failure; no \
      report written); 130 interrupted.
      """,
    version: "arsenal \(arsenalVersion) (GLPK \(GLPKProblem.glpkVersion))",
    subcommands: [
      Solve.self, Check.self, Scenarios.self, Compare.self, SweepCommand.self, Invest.self, RiskCommand.self,
      HedgeCommand.self,
      Merge.self, RegenerateReports.self,
      Bench.self,
      Generate.self,
    ],
    defaultSubcommand: nil)
}

Allocator.shareOneHeap()
// Ctrl-C in any command ends it with one line and exit 130; commands that write say what
// they left (nothing, or every finished sweep point).
Interrupts.installExit("stopped; nothing was written")
do {
  var command = try ArsenalCommand.parseAsRoot()
  try command.run()
} catch let code as ExitCode {
  // The command has said what went wrong (as `error: …`) or finished quietly.
  exit(code.rawValue)
} catch {
  // Help, version and completion output go where the parser sends them; a usage error is
  // written in the commands' own style, "error: …" then the usage line, with exit 64.
  let code = ArsenalCommand.exitCode(for: error)
  guard code != .success else { ArsenalCommand.exit(withError: error) }
  var text = ArsenalCommand.fullMessage(for: error)
  if text.hasPrefix("Error: ") { text = "error: " + text.dropFirst("Error: ".count) }
  FileHandle.standardError.write(Data((text + "\n").utf8))
  exit(code == .validationFailure ? Exit.usage : code.rawValue)
}
