import GLPKSolver
import LinearProgram
import Testing

/// Small LPs whose optimum, duals and reduced costs were worked out by hand.
@Suite struct HandSolvedTests {
  /// A maximisation with one binding row and a column at its upper bound.
  ///
  /// max 3x + 2y  s.t.  r1: x + y ≤ 4,  r2: x + 3y ≤ 7,  0 ≤ x ≤ 3,  y ≥ 0.
  /// Optimum x = 3 (at its bound), y = 1; r1 binds with dual 2 (y's 2 per unit of r1);
  /// x's reduced cost is 3 − 2·1 = 1; r2 has slack 1 and dual 0. Objective 11.
  static func maximisation() throws -> LinearProgram {
    var b = LPBuilder(name: "max", sense: .maximize)
    let x = try b.addColumn("x", bounds: .between(0, 3), objective: 3)
    let y = try b.addColumn("y", objective: 2)
    try b.addRow("r1", bounds: .atMost(4), terms: [(x, 1), (y, 1)])
    try b.addRow("r2", bounds: .atMost(7), terms: [(x, 1), (y, 3)])
    return b.build()
  }

  @Test func maximisation() throws {
    let problem = try GLPKProblem(Self.maximisation())
    let outcome = try problem.solve()
    #expect(outcome.status == .optimal)
    #expect(outcome.glpkReturnCode == 0)
    let s = problem.solution()
    #expect(abs(s.objective - 11) < 1e-9)
    #expect(abs(s.columnValues[0] - 3) < 1e-9 && abs(s.columnValues[1] - 1) < 1e-9)
    #expect(abs(s.rowActivities[0] - 4) < 1e-9 && abs(s.rowActivities[1] - 6) < 1e-9)
    #expect(abs(s.rowDuals[0] - 2) < 1e-9 && abs(s.rowDuals[1]) < 1e-9)
    #expect(abs(s.reducedCosts[0] - 1) < 1e-9 && abs(s.reducedCosts[1]) < 1e-9)
    #expect(s.columnStatus == [.atUpper, .basic])
    #expect(s.rowStatus == [.atUpper, .basic])
  }

  /// A minimisation that meets a fixed demand from three capped sources, cheapest first.
  ///
  /// min 4a + 6b + 5c  s.t.  demand: a + b + c = 10;  capA: a ≤ 4;  capB: b ≤ 8;  capC: c ≤ 5.
  /// Cheapest first: a = 4, c = 5, b = 1; cost 16 + 25 + 6 = 47. The marginal unit of
  /// demand comes from b, so demand's dual is 6; capA's dual is 4 − 6 = −2, capC's 5 − 6 = −1.
  static func minimisation() throws -> LinearProgram {
    var b = LPBuilder(name: "min", sense: .minimize)
    let a = try b.addColumn("a", objective: 4)
    let bb = try b.addColumn("b", objective: 6)
    let c = try b.addColumn("c", objective: 5)
    try b.addRow("demand", bounds: .exactly(10), terms: [(a, 1), (bb, 1), (c, 1)])
    try b.addRow("capA", bounds: .atMost(4), terms: [(a, 1)])
    try b.addRow("capB", bounds: .atMost(8), terms: [(bb, 1)])
    try b.addRow("capC", bounds: .atMost(5), terms: [(c, 1)])
    return b.build()
  }

  @Test(arguments: [SolverOptions.Method.dual, .primal, .dualPrimal])
  func minimisationWithEqualityRow(method: SolverOptions.Method) throws {
    let problem = try GLPKProblem(Self.minimisation())
    let outcome = try problem.solve(SolverOptions(method: method))
    #expect(outcome.status == .optimal)
    let s = problem.solution()
    #expect(abs(s.objective - 47) < 1e-9)
    #expect(zip(s.columnValues, [4.0, 1, 5]).allSatisfy { abs($0 - $1) < 1e-9 })
    #expect(zip(s.rowDuals, [6.0, -2, 0, -1]).allSatisfy { abs($0 - $1) < 1e-9 })
    #expect(s.reducedCosts.allSatisfy { abs($0) < 1e-9 })
  }

  @Test func presolveAndInteriorAgree() throws {
    for options in [SolverOptions(presolve: true), SolverOptions(method: .interior), SolverOptions(verifyExact: true)] {
      let problem = try GLPKProblem(Self.minimisation())
      let outcome = try problem.solve(options)
      #expect(outcome.status == .optimal, "\(options.method) presolve=\(options.presolve)")
      let s = problem.solution()
      #expect(abs(s.objective - 47) < 1e-6)
      #expect(abs(s.rowDuals[0] - 6) < 1e-6)
    }
  }

  /// GLPK's other knobs (scaling, factorisation, ratio test, tolerances) reach the same
  /// optimum and duals; every solve reports the CPU time of GLPK's thread.
  @Test func tunedSolvesAgree() throws {
    var settings: [GLPKTuning] = []
    for text in [
      "scale=auto", "scale=2n", "scale=none", "scale=geometric", "scale=equilibrium", "scale=geometric-equilibrium",
      "bf=bg", "bf=gr",
      "bf=btf-bg", "bf=btf-gr", "excl=off", "shift=off", "aorn=nt", "pricing=std", "ratio=std", "ratio=flip",
      "tol_bnd=1e-6", "tol_dj=1e-6", "tol_piv=1e-9",
    ] {
      var t = GLPKTuning()
      #expect(t.set(text) == nil, "\(text)")
      settings.append(t)
    }
    for t in settings {
      let problem = try GLPKProblem(Self.minimisation(), scaling: t.scaling)
      var options = SolverOptions(method: .primal)
      options.tuning = t
      let outcome = try problem.solve(options)
      #expect(outcome.status == .optimal, "\(t)")
      #expect(outcome.cpuSeconds > 0 && outcome.cpuSeconds < 10)
      let s = problem.solution()
      #expect(abs(s.objective - 47) < 1e-6, "\(t)")
      #expect(abs(s.rowDuals[0] - 6) < 1e-6, "\(t)")
    }
    var t = GLPKTuning()
    #expect(t.set("scale") != nil)
    #expect(t.set("scale=sometimes")?.contains("the value is not one GLPK takes") == true)
    #expect(t.set("tol_dj=0") != nil)
    #expect(t.set("tol_bnd=1.5") != nil)
    #expect(t.set("excl=maybe") != nil)
    #expect(t.set("iterations=5")?.contains("not a GLPK parameter Arsenal sets") == true)
    #expect(t == GLPKTuning(), "a rejected value leaves the setting alone")
  }

  /// A degenerate optimum still gives valid duals, though not unique ones.
  ///
  /// max x + y  s.t.  sum: x + y ≤ 2;  capX: x ≤ 1;  capY: y ≤ 1.  Optimum x = y = 1, objective 2,
  /// but three constraints meet at a point in two dimensions: the optimum is degenerate and
  /// its duals are not unique. Any valid duals satisfy y ≥ 0, y_sum + y_capX = 1,
  /// y_sum + y_capY = 1 and 2·y_sum + y_capX + y_capY = 2 (strong duality).
  @Test func degenerate() throws {
    var b = LPBuilder(name: "degenerate", sense: .maximize)
    let x = try b.addColumn("x", objective: 1)
    let y = try b.addColumn("y", objective: 1)
    try b.addRow("sum", bounds: .atMost(2), terms: [(x, 1), (y, 1)])
    try b.addRow("capX", bounds: .atMost(1), terms: [(x, 1)])
    try b.addRow("capY", bounds: .atMost(1), terms: [(y, 1)])
    let problem = try GLPKProblem(b.build())
    #expect(try problem.solve().status == .optimal)
    let s = problem.solution()
    #expect(abs(s.objective - 2) < 1e-9)
    #expect(abs(s.columnValues[0] - 1) < 1e-9 && abs(s.columnValues[1] - 1) < 1e-9)
    let d = s.rowDuals
    #expect(d.allSatisfy { $0 > -1e-9 })
    #expect(abs(d[0] + d[1] - 1) < 1e-9 && abs(d[0] + d[2] - 1) < 1e-9)
    #expect(abs(2 * d[0] + d[1] + d[2] - 2) < 1e-9)
    // Degenerate: one basic variable sits at a bound (a binding row stays in the basis).
    let basicAtBound = s.rowStatus.enumerated().filter { $0.element == .basic }.contains { i, _ in
      abs(s.rowActivities[i] - [2.0, 1, 1][i]) < 1e-9
    }
    #expect(basicAtBound)
  }

  @Test func infeasible() throws {
    var b = LPBuilder(name: "infeasible")
    let x = try b.addColumn("x", objective: 1)
    try b.addRow("low", bounds: .atLeast(3), terms: [(x, 1)])
    try b.addRow("high", bounds: .atMost(2), terms: [(x, 1)])
    for options in [SolverOptions(), SolverOptions(method: .primal), SolverOptions(presolve: true)] {
      let problem = try GLPKProblem(b.build())
      let outcome = try problem.solve(options)
      #expect(outcome.status == .infeasible, "\(options)")
      #expect(!outcome.message.isEmpty)
    }
  }

  @Test func unbounded() throws {
    var b = LPBuilder(name: "unbounded", sense: .maximize)
    let x = try b.addColumn("x", objective: 1)
    let y = try b.addColumn("y")
    try b.addRow("r", bounds: .atMost(1), terms: [(x, 1), (y, -1)])
    for options in [SolverOptions(), SolverOptions(method: .primal), SolverOptions(presolve: true)] {
      let problem = try GLPKProblem(b.build())
      let outcome = try problem.solve(options)
      #expect(outcome.status == .unbounded, "\(options)")
    }
  }

  @Test func iterationLimitIsReportedNotOptimal() throws {
    let problem = try GLPKProblem(TestLPs.transport(sources: 12, sinks: 15, seed: 3))
    let outcome = try problem.solve(SolverOptions(iterationLimit: 1))
    #expect(outcome.status == .iterationLimit)
    #expect(outcome.glpkReturnCode != 0)
  }

  @Test func capturedLogOnlyWhenAsked() throws {
    let quiet = try GLPKProblem(Self.minimisation())
    #expect(try quiet.solve().log.isEmpty)
    let chatty = try GLPKProblem(Self.minimisation())
    let outcome = try chatty.solve(SolverOptions(captureLog: true))
    #expect(outcome.log.contains("OPTIMAL"))
  }
}
