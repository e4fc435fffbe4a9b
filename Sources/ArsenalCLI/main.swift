import Arsenal
import ArgumentParser
import GLPKSolver

/// The `arsenal` command: a thin layer of argument parsing over the Arsenal library, one
/// file per subcommand.
struct ArsenalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arsenal",
    abstract: "Defence-industrial capacity optimizer: allocation scenarios, bottlenecks and sweeps, solved with GLPK.",
    version: "arsenal \(arsenalVersion) (GLPK \(GLPKProblem.glpkVersion))",
    subcommands: [
      Solve.self, Check.self, Scenarios.self, Compare.self, SweepCommand.self, RegenerateReports.self, Bench.self,
      Generate.self,
    ],
    defaultSubcommand: nil)
}

ArsenalCommand.main()
