import Arsenal
import Formulation
import Foundation
import GLPKSolver
import LinearProgram
import PlanningModel
import Testing

/// `--export-mps` and `--export-lp` write the first stage's LP exactly: glpsol, reading each
/// file, finds the optimum Arsenal finds in process, to 1e-9 relative, for every bundled
/// scenario under every policy — and a maximising stage (fair share) says so in the file.
@Suite struct ExportTests {
  struct Case: CustomStringConvertible, Sendable {
    let scenario: String
    let policy: AllocationPolicy
    var description: String { "\(scenario) under \(policy.rawValue)" }
  }

  static var cases: [Case] {
    let names = (try? DataSetLoader.load(folder: bundled).scenarios.map(\.name)) ?? []
    return names.flatMap { name in AllocationPolicy.allCases.map { Case(scenario: name, policy: $0) } }
  }

  /// glpsol's optimum of a file, from its solution report (10 significant digits).
  static func glpsol(_ arguments: [String]) throws -> (objective: Double, sense: String)? {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("glpsol-\(UUID().uuidString).txt").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/glpsol")
    process.arguments = arguments + ["--primal", "--nopresol", "-o", out]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let text = try String(contentsOfFile: out, encoding: .utf8)
    // "Objective:  obj = 6162366.883 (MINimum)"
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Objective:") }),
      let eq = line.firstIndex(of: "="), let open = line.firstIndex(of: "(")
    else { return nil }
    let value = line[line.index(after: eq)..<open].trimmingCharacters(in: .whitespaces)
    return Double(value).map { ($0, String(line[open...])) }
  }

  @Test(arguments: cases)
  func glpsolReadsTheSameOptimum(_ c: Case) throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: "/usr/bin/glpsol"), "glpsol (Debian's glpk-utils) is needed")
    let data = try DataSetLoader.load(folder: bundled)
    let scenarios = try #require(data.scenarios.first { $0.name == c.scenario })
    let f = try Formulator.formulate(data.model.applying([scenarios]), policy: c.policy)
    // In process: the first stage as Arsenal solves it (the program carries it as a
    // minimisation; a maximising stage's optimum is the negative).
    let problem = try GLPKProblem(f.program)
    let outcome = try problem.solve(SolverOptions(method: .primal, advancedBasis: true))
    #expect(outcome.isOptimal)
    let maximise = f.stages[0].sense == .maximize
    let inProcess = maximise ? -problem.objectiveValue : problem.objectiveValue

    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let mps = dir.appendingPathComponent("lp.mps").path
    let lp = dir.appendingPathComponent("lp.lp").path
    try Arsenal.writeExport(f, format: .mps, to: mps)
    try Arsenal.writeExport(f, format: .cplexLP, to: lp)

    let lpText = try String(contentsOfFile: lp, encoding: .utf8)
    let mpsText = try String(contentsOfFile: mps, encoding: .utf8)
    #expect(lpText.contains(maximise ? "\nMaximize\n" : "\nMinimize\n"))
    #expect(mpsText.contains("OBJSENSE\n    MAX\n") == maximise)

    let fromLP = try #require(try Self.glpsol(["--lp", lp]), "glpsol could not solve \(lp)")
    #expect(fromLP.sense == (maximise ? "(MAXimum)" : "(MINimum)"))
    // GLPK's MPS reader does not know OBJSENSE: for a maximisation, glpsol gets --max and
    // the file without those two lines — every number as written.
    var mpsArguments = ["--freemps", mps]
    if maximise {
      try mpsText.replacingOccurrences(of: "OBJSENSE\n    MAX\n", with: "").write(
        toFile: mps, atomically: true, encoding: .utf8)
      mpsArguments.append("--max")
    }
    let fromMPS = try #require(try Self.glpsol(mpsArguments), "glpsol could not solve \(mps)")
    for (format, value) in [("LP", fromLP.objective), ("MPS", fromMPS.objective)] {
      let gap = abs(value - inProcess) / max(1, abs(inProcess))
      #expect(gap <= 1e-9, "\(c): glpsol on the \(format) file finds \(value), in process \(inProcess)")
    }
  }

  /// Numbers are written so that they read back as the same double (GLPK's MPS writer keeps
  /// 12 characters, its LP writer 15 digits), and a row bounded on both sides keeps both bounds
  /// exactly (two rows rather than a range, which would be a difference).
  @Test func numbersReadBackExactly() throws {
    var b = LPBuilder(name: "exact")
    let x = try b.addColumn("x", bounds: .between(0.1, 1 / 3))
    let y = try b.addColumn("y", bounds: .nonNegative)
    try b.setObjective(123_456.789_012_345_67, column: x)
    try b.setObjective(1e-7 / 3, column: y)
    _ = try b.addRow("r", bounds: .between(1e-9, 98_765.432_109_876_5), terms: [(x, 2 / 3), (y, 1)])
    let program = b.build()
    let mps = program.fileText(.mps)
    let lp = program.fileText(.cplexLP)
    for text in [mps, lp] {
      for value in [123_456.789_012_345_67, 1e-7 / 3, 1 / 3.0, 2 / 3.0, 98_765.432_109_876_5, 1e-9, 0.1] {
        #expect(text.contains(value.description), "\(value) not written as \(value.description)")
      }
    }
    #expect(mps.contains(" G  r\n L  r~hi\n"))
    #expect(
      lp.contains(
        " r: + 0.6666666666666666 x + 1 y >= 1e-09\n r~hi: + 0.6666666666666666 x + 1 y <= 98765.4321098765\n"))
  }
}
