import Foundation
import GLPKSolver
import LinearProgram
import Testing

/// GLPK's branch and bound behind `arsenal invest`: outcomes typed, bounds reported, input
/// checked before C sees it.
@Suite struct MIPTests {
  /// A knapsack: max 10a + 13b + 7c + 8d subject to 4a + 6b + 3c + 5d ≤ 10, all binary.
  ///
  /// By hand: a + b (weight 10) is worth 23, better than a + c (17), b + c (20), a + d (18).
  /// The LP relaxation takes the best ratios first: a (2.5), c (2.33), then half of b:
  /// 10 + 7 + 6.5 = 23.5.
  static func knapsack() throws -> LinearProgram {
    var b = LPBuilder(name: "knapsack", sense: .maximize)
    var terms: [(ColumnID, Double)] = []
    for (name, value, weight) in [("a", 10.0, 4.0), ("b", 13, 6), ("c", 7, 3), ("d", 8, 5)] {
      terms.append((try b.addColumn(name, bounds: .between(0, 1), objective: value, integer: true), weight))
    }
    try b.addRow("weight", bounds: .atMost(10), terms: terms)
    return b.build()
  }

  @Test func knapsackOptimumAndRelaxationBound() throws {
    let program = try Self.knapsack()
    #expect(program.integerColumns == [0, 1, 2, 3])
    for presolve in [true, false] {
      let problem = try GLPKProblem(program)
      let outcome = try problem.solveMIP(MIPOptions(presolve: presolve))
      #expect(outcome.status == .optimal)
      #expect(outcome.objective == 23)
      #expect(abs((outcome.relaxationBound ?? 0) - 23.5) < 1e-9)
      #expect(outcome.bestBound == 23)
      #expect(outcome.gap == 0)
      #expect(outcome.columnValues == [1, 1, 0, 0])
      #expect(outcome.rowActivities == [10])
      // The LP solve of the same object still sees a continuous program.
      #expect(try problem.solve().isOptimal)
      #expect(abs(problem.solution().objective - 23.5) < 1e-9)
    }
  }

  /// An incumbent offered is taken when it satisfies every bound and row, and dropped when it
  /// does not; the optimum is the knapsack's 23 either way, by either branching rule.
  @Test func anOfferedIncumbentIsCheckedBeforeGLPKTakesIt() throws {
    let program = try Self.knapsack()
    let offers: [(x: [Double], taken: Bool)] = [
      ([1, 0, 1, 0], true),  // a + c: weight 7, worth 17
      ([1, 1, 1, 0], false),  // weight 13 > 10
      ([1, 0, 0.5, 0], false),  // c not whole
      ([1, 0, 1], false),  // a column missing
      ([1, 0, 1, 2], false),  // d above its bound
    ]
    for (x, taken) in offers {
      for branching in [MIPOptions.Branching.driebeekTomlin, .firstFractional] {
        var options = MIPOptions(presolve: false, cuts: false, captureLog: true, branching: branching)
        options.incumbent = x
        let outcome = try GLPKProblem(program).solveMIP(options)
        #expect(outcome.status == .optimal)
        #expect(outcome.objective == 23)
        #expect(outcome.columnValues == [1, 1, 0, 0])
        #expect(outcome.log.contains("Solution found by heuristic: 17") == taken, "\(x)")
      }
    }
    // With GLPK's presolver the branch and bound's columns are not the program's: never offered.
    var options = MIPOptions(presolve: true, cuts: false, captureLog: true)
    options.incumbent = [1, 0, 1, 0]
    let outcome = try GLPKProblem(program).solveMIP(options)
    #expect(outcome.objective == 23)
    #expect(!outcome.log.contains("heuristic"))
  }

  /// a + b = 1 and a − b = 0: the relaxation has a = b = ½, no whole numbers fit.
  @Test func infeasibleWithWholeNumbers() throws {
    var b = LPBuilder(name: "odd")
    let x = try b.addColumn("a", bounds: .between(0, 1), integer: true)
    let y = try b.addColumn("b", bounds: .between(0, 1), integer: true)
    try b.addRow("sum", bounds: .exactly(1), terms: [(x, 1), (y, 1)])
    try b.addRow("equal", bounds: .exactly(0), terms: [(x, 1), (y, -1)])
    let outcome = try GLPKProblem(b.build()).solveMIP()
    #expect(outcome.status == .infeasible)
    #expect(!outcome.hasSolution && outcome.objective == nil)
    #expect(outcome.relaxationBound == 0)
  }

  /// A strongly correlated knapsack of 150 items (value = weight + 100), which branch and
  /// bound cannot close in a fraction of a second, stops at the time limit with the best
  /// solution found and its gap to the bound.
  @Test func timeLimitKeepsTheBestSolution() throws {
    var b = LPBuilder(name: "hard", sense: .maximize)
    var seed: UInt64 = 12_345
    var terms: [(ColumnID, Double)] = []
    var total = 0.0
    for i in 0..<150 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let weight = Double(1 + (seed >> 33) % 1000)
      total += weight
      terms.append((try b.addColumn("x\(i)", bounds: .between(0, 1), objective: weight + 100, integer: true), weight))
    }
    try b.addRow("weight", bounds: .atMost((total / 2).rounded(.down)), terms: terms)
    let outcome = try GLPKProblem(b.build()).solveMIP(MIPOptions(timeLimit: 0.2, presolve: false, cuts: false))
    #expect(outcome.status == .timeLimitFeasible)
    #expect(outcome.hasSolution)
    let objective = try #require(outcome.objective)
    let bound = try #require(outcome.bestBound)
    #expect(bound >= objective)
    #expect(try #require(outcome.gap) > 0)
    #expect(outcome.nodes > 1)
    #expect(outcome.columnValues.allSatisfy { $0 == 0 || $0 == 1 })
  }

  /// What GLPK would abort on, or misread, is refused in Swift first.
  @Test func refusedBeforeC() throws {
    var b = LPBuilder(name: "bad")
    let x = try b.addColumn("x", bounds: .between(0, 1.5), integer: true)
    try b.addRow("r", bounds: .atMost(1), terms: [(x, 1)])
    let problem = try GLPKProblem(b.build())
    #expect(throws: GLPKError.self) { try problem.solveMIP() }
    let good = try GLPKProblem(Self.knapsack())
    #expect(throws: GLPKError.self) { try good.solveMIP(MIPOptions(timeLimit: -1)) }
    #expect(throws: GLPKError.self) { try good.solveMIP(MIPOptions(relativeGap: 1)) }
    #expect(try good.solveMIP().status == .optimal)
  }

  /// The file formats mark the integer columns, and glpsol reads them back as a MIP.
  @Test func filesMarkIntegerColumns() throws {
    let program = try Self.knapsack()
    let mps = program.fileText(.mps)
    #expect(mps.contains("'MARKER'  'INTORG'") && mps.contains("'MARKER'  'INTEND'"))
    let lp = program.fileText(.cplexLP)
    #expect(lp.contains("General\n a b c d"))
    #expect(!program.relaxation.fileText(.cplexLP).contains("General"))
    try #require(
      FileManager.default.isExecutableFile(atPath: "/usr/bin/glpsol"), "glpsol (Debian's glpk-utils) is needed")
    // glpsol's MPS reader does not read OBJSENSE: the file without it, and --max.
    for (flag, text) in [("--lp", lp), ("--freemps", program.fileText(.mps, sense: .minimize))] {
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mip-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      let file = dir.appendingPathComponent("knapsack").path
      try text.write(toFile: file, atomically: true, encoding: .utf8)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/glpsol")
      process.arguments = [flag, file, "--max", "-o", file + ".out"]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      let report = try String(contentsOfFile: file + ".out", encoding: .utf8)
      #expect(report.contains("INTEGER OPTIMAL"), "\(flag)")
      #expect(report.contains("obj = 23 (MAXimum)"), "\(flag)")
    }
  }
}
