import GLPKSolver
import LinearProgram
import Testing

/// A presolved solve with identical columns merged: the merged optimum's basis, shared out
/// over the parts, is the whole program's optimum.
@Suite struct MergedColumnsTests {
  /// Three plants of one item feeding one demand, shortfall at 1 a unit.
  ///
  /// min s  s.t.  demand: x1 + x2 + x3 + s = d;  0 ≤ x1 ≤ 3, 0 ≤ x2 ≤ 4, 0 ≤ x3 ≤ 5, s ≥ 0.
  /// x1, x2, x3 are one column of 0 ≤ X ≤ 12. At d = 10, X = 10 is basic, s = 0: the parts
  /// fill in order, x1 = 3 and x2 = 4 at their bounds, x3 = 3 basic. At d = 20, X = 12 at its
  /// bound and s = 8 basic: every part at its bound.
  static func plants(demand: Double) throws -> LinearProgram {
    var b = LPBuilder(name: "plants", sense: .minimize)
    let x = try [3.0, 4, 5].enumerated().map { try b.addColumn("x\($0.offset + 1)", bounds: .between(0, $0.element)) }
    let s = try b.addColumn("s", objective: 1)
    try b.addRow("demand", bounds: .exactly(demand), terms: x.map { ($0, 1) } + [(s, 1)])
    return b.build()
  }

  @Test(arguments: [
    (10.0, [3.0, 4, 3, 0], [BasisStatus.atUpper, .atUpper, .basic, .atLower]),
    (20.0, [3.0, 4, 5, 8], [BasisStatus.atUpper, .atUpper, .atUpper, .basic]),
  ])
  func theMergedOptimumIsSharedOutInColumnOrder(demand: Double, values: [Double], statuses: [BasisStatus]) throws {
    let problem = try GLPKProblem(Self.plants(demand: demand))
    let outcome = try problem.solve(SolverOptions(method: .primal, presolve: true, captureLog: true))
    #expect(outcome.status == .optimal)
    // GLPK's log: the merged program (X and s), then the whole one confirming its optimum.
    let merged = try #require(outcome.log.range(of: "1 row, 2 columns, 2 non-zeros"))
    #expect(outcome.log[merged.upperBound...].contains("1 row, 4 columns, 4 non-zeros"))
    let x = problem.solution()
    #expect(zip(x.columnValues, values).allSatisfy { abs($0 - $1) < 1e-9 })
    #expect(x.columnStatus == statuses)
    #expect(abs(x.objective - values[3]) < 1e-9)
    // The parts' reduced costs are the merged column's: 0 for a basic part, −1 at the bound
    // when the shortfall is basic (each unit more from a plant saves one unit short).
    let reduced: [Double] = demand == 10 ? [0, 0, 0, 1] : [-1, -1, -1, 0]
    #expect(zip(x.reducedCosts, reduced).allSatisfy { abs($0 - $1) < 1e-9 })
  }

  @Test func mergingCanBeTurnedOffForMeasuring() throws {
    var tuning = GLPKTuning()
    #expect(tuning.set("merge=off") == nil)
    #expect(!tuning.mergeIdenticalColumns)
    #expect(tuning.set("merge=maybe") != nil)
    var options = SolverOptions(method: .primal, presolve: true, captureLog: true)
    options.tuning = tuning
    let problem = try GLPKProblem(Self.plants(demand: 10))
    let outcome = try problem.solve(options)
    #expect(outcome.status == .optimal)
    #expect(!outcome.log.contains("2 columns"))
    #expect(abs(problem.solution().objective) < 1e-9)
  }
}
