import ArgumentParser
import GLPKSolver

struct Arsenal: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arsenal",
    abstract: "Defence-industrial capacity optimizer.",
    version: "arsenal 0.1.0 (GLPK \(GLPKProblem.glpkVersion))")
}

Arsenal.main()
