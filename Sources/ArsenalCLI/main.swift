import ArgumentParser
import Arsenal
import GLPKSolver
import Reports

/// The `arsenal` command: a thin layer of argument parsing over the Arsenal library, one
/// file per subcommand.
struct ArsenalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arsenal",
    abstract: "Defence-industrial capacity optimizer: allocation scenarios, bottlenecks and sweeps, solved with GLPK.",
    discussion: """
      Exit codes: 0 done; 2 a stage not solved to optimality (no report written); 64 usage \
      (an unknown option, scenario or comparison); 65 the input data (every problem listed); \
      70 the formulation or solver refused the problem; 74 the outputs could not be written; \
      130 interrupted.
      """,
    version: "arsenal \(arsenalVersion) (GLPK \(GLPKProblem.glpkVersion))",
    subcommands: [
      Solve.self, Check.self, Scenarios.self, Compare.self, SweepCommand.self, RegenerateReports.self, Bench.self,
      Generate.self,
    ],
    defaultSubcommand: nil)
}

// Ctrl-C in any command ends it with one line and exit 130; commands that write say what
// they left (nothing, or every finished sweep point).
Interrupts.installExit("stopped; nothing was written")
ArsenalCommand.main()
