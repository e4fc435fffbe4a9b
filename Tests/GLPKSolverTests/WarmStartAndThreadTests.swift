import Foundation
import LinearProgram
import Testing

@testable import GLPKSolver

@Suite struct WarmStartTests {
  /// Cutting one source's supply by 10 % and re-solving from the previous basis reaches the
  /// same optimum as a cold solve of the changed program, in fewer iterations.
  @Test func warmResolveAfterRowBoundChange() throws {
    let base = try TestLPs.transport(sources: 40, sinks: 60, seed: 7)
    let warm = try GLPKProblem(base)
    let first = try warm.solve()
    #expect(first.status == .optimal)

    var changed = base
    let row = try base.row(named: "supply3")
    let bound = base.rowBounds[row.index].upper
    try changed.setBounds(.atMost((bound * 0.9).rounded()), row: row)
    let delta = try warm.update(to: changed)
    #expect(delta.rowBounds.count == 1)
    let again = try warm.solve(.warmAfterBoundChanges())
    #expect(again.status == .optimal)

    let cold = try GLPKProblem(changed)
    let fresh = try cold.solve()
    #expect(fresh.status == .optimal)
    #expect(abs(warm.objectiveValue - cold.objectiveValue) <= 1e-9 * max(1, abs(cold.objectiveValue)))
    #expect(again.iterations < fresh.iterations, "warm \(again.iterations) vs cold \(fresh.iterations)")
    print(
      "warm re-solve: \(again.iterations) iterations; cold solve: \(fresh.iterations) iterations (\(base.numberOfRows) rows, \(base.numberOfColumns) columns)"
    )
  }

  @Test func warmResolveAfterObjectiveChangeAndBasisRestore() throws {
    let base = try TestLPs.transport(sources: 10, sinks: 12, seed: 5)
    let problem = try GLPKProblem(base)
    _ = try problem.solve()
    let saved = problem.basis()
    let objective1 = problem.objectiveValue

    var changed = base
    try changed.setObjective(base.objective.map { $0 + 1 })
    try problem.update(to: changed)
    #expect(try problem.solve(.warmAfterObjectiveChanges()).status == .optimal)
    let cold = try GLPKProblem(changed)
    _ = try cold.solve()
    #expect(abs(problem.objectiveValue - cold.objectiveValue) < 1e-6)

    try problem.update(to: base)
    try problem.restore(saved)
    let back = try problem.solve()
    #expect(back.status == .optimal)
    #expect(back.iterations == 0)
    #expect(abs(problem.objectiveValue - objective1) < 1e-9)
  }

  /// Appending a row whose matrix was scaled before reuses the factors (`GLPKProblem.scale`).
  ///
  /// The solve after it is bit for bit the one on a problem scaled afresh, and a row with
  /// other coefficients is scaled afresh, not given the earlier factors; under Arsenal's
  /// scaling (factors kept as exponents), GLPK's automatic scaling and geometric-mean scaling
  /// alone (factors kept as doubles).
  @Test(arguments: [GLPKTuning.Scaling.powersOfTwo, .auto, .geometric])
  func rescalingAnEqualMatrixSolvesAsAFreshScaling(scaling: GLPKTuning.Scaling) throws {
    let base = try TestLPs.transport(sources: 12, sinks: 15, seed: 3)
    func held(_ weight: Double) -> LinearProgram.NewRow {
      let terms = base.objective.enumerated().map { Term(column: $0.offset, coefficient: $0.element * weight) }
      return LinearProgram.NewRow(name: "held", bounds: .atMost(1e6 * weight), terms: terms)
    }
    var volume = LPChanges()
    volume.objective = (0..<base.numberOfColumns).map { Change(ColumnID($0), 1 + Double($0 % 7) / 10) }
    let start = try GLPKProblem(base, scaling: scaling)
    #expect(try start.solve().status == .optimal)
    let optimal = start.basis()
    // One pass from the same optimal basis: hold a row, then minimise another objective.
    func pass(_ p: GLPKProblem, weight: Double) throws -> (Int, [Double]) {
      try p.update(to: base)
      try p.restore(optimal)
      #expect(try p.solve(SolverOptions(method: .primal)).status == .optimal)
      try p.appendRows([held(weight)])
      try p.apply(volume)
      let second = try p.solve(.warmAfterObjectiveChanges())
      #expect(second.status == .optimal)
      return (second.iterations, p.solution().columnValues)
    }
    let reused = try GLPKProblem(base, scaling: scaling)
    let first = try pass(reused, weight: 1)
    try reused.keepRows(base.numberOfRows)
    let again = try pass(reused, weight: 1)
    let other = try pass(try GLPKProblem(base, scaling: scaling), weight: 1)
    #expect(again.0 == other.0 && again.1 == other.1)
    #expect(first.0 == other.0 && first.1 == other.1)
    // Other coefficients, same shape: the cache must not hit.
    try reused.keepRows(base.numberOfRows)
    let scaled = try pass(reused, weight: 1000)
    let freshScaled = try pass(try GLPKProblem(base, scaling: scaling), weight: 1000)
    #expect(scaled.0 == freshScaled.0 && scaled.1 == freshScaled.1)
    // A copy for a second worker knows both matrices' factors (`scalesOf`): the same solves,
    // bit for bit, with each matrix given its own factors.
    let copy = try GLPKProblem(base, scaling: scaling, scalesOf: reused)
    let copied = try pass(copy, weight: 1000)
    #expect(copied.0 == freshScaled.0 && copied.1 == freshScaled.1)
    try copy.keepRows(base.numberOfRows)
    let copiedOther = try pass(copy, weight: 1)
    #expect(copiedOther.0 == other.0 && copiedOther.1 == other.1)
    // Three matrices: the program alone and with each held row. Factors of a matrix GLPK
    // leaves unscaled (all 1) are powers of two under any scaling.
    let kept = copy.thread.sync { copy.scaleCache }
    #expect(kept.count == 3)
    if scaling == .powersOfTwo {
      #expect(kept.allSatisfy { $0.asExponents })
    } else {
      #expect(kept.contains { !$0.asExponents })
    }
  }

  /// A power of two is kept as its exponent and given back exactly; any other factor, or one
  /// outside a byte's exponents, keeps the doubles.
  @Test func scaleFactorExponents() {
    let powers = [1.0, 2, 0.5, 0x1p-100, 0x1p127, 0x1p-126]
    #expect(ScaleFactors.exponents(powers) == [0, 1, -1, -100, 127, -126])
    #expect(ScaleFactors.exponents(powers)?.map(ScaleFactors.power) == powers)
    #expect(ScaleFactors.exponents([1, 3]) == nil)
    #expect(ScaleFactors.exponents([1, 0x1p200]) == nil)
    #expect(ScaleFactors.exponents([1, 0]) == nil)
    #expect(ScaleFactors.exponents([1, -2]) == nil)
  }

  @Test func structureChangeIsRefused() throws {
    let problem = try GLPKProblem(try TestLPs.transport(sources: 3, sinks: 3, seed: 1))
    #expect(throws: GLPKError.structureMismatch) {
      try problem.update(to: try TestLPs.transport(sources: 3, sinks: 4, seed: 1))
    }
  }

  @Test func badChangesAreRefusedAndLeaveTheProblemIntact() throws {
    let lp = try HandSolvedTests.minimisation()
    let problem = try GLPKProblem(lp)
    var changes = LPChanges()
    changes.rowBounds = [Change(RowID(0), .exactly(12)), Change(RowID(1), Bounds(lower: 5, upper: 1))]
    #expect(throws: GLPKError.self) { try problem.apply(changes) }
    changes.rowBounds = [Change(RowID(99), .free)]
    #expect(throws: GLPKError.self) { try problem.apply(changes) }
    changes = LPChanges()
    changes.objective = [Change(ColumnID(0), .nan)]
    #expect(throws: GLPKError.self) { try problem.apply(changes) }
    #expect(throws: GLPKError.self) { try problem.solve(SolverOptions(timeLimit: -1)) }
    #expect(throws: GLPKError.self) { try problem.solve(SolverOptions(iterationLimit: -5)) }
    // Nothing was applied: the original optimum is still 47.
    #expect(try problem.solve().status == .optimal)
    #expect(abs(problem.objectiveValue - 47) < 1e-9)
  }
}

@Suite struct ThreadTests {
  /// A batch runs the problem's calls on its own thread in one hand-over: they give what the
  /// same calls give one by one, and an error inside one comes out as it is, the problem intact.
  @Test func aBatchRunsTheProblemsCallsInOneHandOver() throws {
    let problem = try GLPKProblem(try HandSolvedTests.minimisation())
    let (status, value) = try problem.batch { () throws(GLPKError) -> (SolveStatus, Double) in
      let outcome = try problem.solve()
      return (outcome.status, problem.objectiveValue)
    }
    #expect(status == .optimal)
    #expect(abs(value - 47) < 1e-9)
    var bad = LPChanges()
    bad.rowBounds = [Change(RowID(99), .free)]
    let refused = bad
    #expect(throws: GLPKError.self) {
      try problem.batch { () throws(GLPKError) in try problem.apply(refused) }
    }
    #expect(try problem.solve().status == .optimal)
    #expect(abs(problem.objectiveValue - 47) < 1e-9)
  }

  /// Eight programs solved at once on different threads give bit-identical results to the
  /// same programs solved one after another.
  @Test func concurrentSolvesMatchSequentialOnes() async throws {
    let programs = try (0..<8).map { try TestLPs.transport(sources: 15, sinks: 20, seed: UInt64($0 + 1)) }
    var sequential: [[Double]] = []
    for lp in programs {
      let p = try GLPKProblem(lp)
      _ = try p.solve()
      sequential.append(p.solution().columnValues + [p.objectiveValue])
    }
    let concurrent = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
      for (k, lp) in programs.enumerated() {
        group.addTask {
          let p = try GLPKProblem(lp)
          _ = try p.solve()
          return (k, p.solution().columnValues + [p.objectiveValue])
        }
      }
      var out = [[Double]](repeating: [], count: programs.count)
      for try await (k, values) in group { out[k] = values }
      return out
    }
    #expect(concurrent == sequential)
  }

  /// Many short-lived problems (each with its own thread and GLPK environment) neither
  /// crash nor interfere.
  @Test func manyShortLivedProblems() throws {
    for k in 0..<200 {
      let p = try GLPKProblem(HandSolvedTests.minimisation())
      #expect(try p.solve().status == .optimal, "run \(k)")
    }
  }

  @Test func exportWritesLPAndMPSFiles() throws {
    let problem = try GLPKProblem(HandSolvedTests.minimisation())
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try problem.export(.cplexLP, to: dir.appendingPathComponent("m.lp").path)
    try problem.export(.mps, to: dir.appendingPathComponent("m.mps").path)
    let lp = try String(contentsOf: dir.appendingPathComponent("m.lp"), encoding: .utf8)
    #expect(lp.contains("demand:") && lp.contains("= 10"))
    let mps = try String(contentsOf: dir.appendingPathComponent("m.mps"), encoding: .utf8)
    #expect(mps.contains("ROWS"))
    #expect(throws: GLPKError.self) { try problem.export(.mps, to: "/nonexistent-dir/x.mps") }
  }
}
