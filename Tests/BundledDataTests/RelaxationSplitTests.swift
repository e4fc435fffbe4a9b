import Analysis
import Arsenal
import Formulation
import GLPKSolver
import LinearProgram
import Optimizer
import PlanningModel
import Testing

/// Relaxations measure the same on any number of workers.
///
/// Values, curves, effects and each phase's iterations are bit for bit the same on one
/// worker, two and three, which take relaxations as they come free, with cold solves started
/// ahead or not. On the generated small
/// instance (seed 1): ten values, none of them by the cold route (the far export rule of
/// `aFarRelaxationIsMeasuredByTheColdRoute` is), breakdowns that take it once in their second
/// stage and once in their third, and, on two and three workers, breakdowns and curves
/// measured ahead of the last value. The iterations differed before a worker's state was made
/// canonical: the plan's own problem kept the scale factors of the larger matrix its stages had
/// appended rows to, and a copy loaded afresh did not (`GLPKProblem.scaleIfStale`).
@Suite struct RelaxationSplitTests {
  /// The generated small instance (seed 1), formulated.
  static func small() throws -> Formulation {
    var texts: [DataSetFile: String] = [:]
    for file in Generator.files(size: .small, seed: 1).files {
      if let key = DataSetFile(rawValue: file.name) { texts[key] = file.contents }
    }
    return try Formulator.formulate(try DataSetLoader.load(texts: texts).model)
  }

  /// With two or three workers the analysis measures ahead while the cold-routed value is
  /// still to come (the breakdowns and curves of the best values known); the test above
  /// requires what is used to be the same as on one worker, which never measures ahead.
  @Test func valuesDoNotDependOnTheWorkers() throws {
    let f = try Self.small()
    func analyse(_ workers: Int, coldAfter: Double? = nil) throws -> [[Double]] {
      let optimizer = try Optimizer(f)
      let plan = try optimizer.run()
      let a = try RelaxationAnalysis.run(
        plan, optimizer: optimizer, settings: RelaxationSettings(), workers: workers, coldAfter: coldAfter)
      return (a.bottlenecks + a.tradeOffs).map { [$0.value] + $0.curve.map(\.value) + $0.effects.map(\.units) }
        + [a.phases.map { Double($0.iterations) }]
    }
    let one = try analyse(1)
    #expect(one.count >= 8)
    #expect(try analyse(2) == one)
    #expect(try analyse(3) == one)
    // Every warm attempt still running when a worker is idle gets its cold solve started
    // ahead; those that end within their allowance do not use it.
    #expect(try analyse(2, coldAfter: 0) == one)
    #expect(try analyse(3, coldAfter: 0) == one)
  }

  /// A plan re-solved warm (a sweep point) counts how long a value's warm attempt may run
  /// before its cold solve is started ahead from the cold solve its bases descend from, not
  /// from its own warm re-solve: a tenth of a few milliseconds started a cold solve for nearly
  /// every value of a sweep's explained points (the bundled charges sweep: 0.40–0.55 s against
  /// 0.67–0.77 s to explain its first point).
  @Test func aWarmPlanCountsFromItsColdSolve() throws {
    let f = try Self.small()
    let optimizer = try Optimizer(f)
    let cold = try optimizer.run()
    let seconds = try #require(optimizer.coldFirstStageSeconds)
    #expect(seconds == cold.stages[0].seconds)
    let warm = try #require(try optimizer.resolve(f))
    #expect(warm.stages[0].outcome.iterations < cold.stages[0].outcome.iterations)
    #expect(optimizer.coldFirstStageSeconds == seconds)
    #expect(try optimizer.clone().coldFirstStageSeconds == seconds)
  }

  /// Tasks added one at a time, each when a worker has nothing left to take, measure what one
  /// batch on one worker does: the queue hands out what is added while workers wait, and
  /// tells the coordinator when one is idle.
  @Test(.timeLimit(.minutes(1))) func tasksAddedWhileWorkersWaitMeasureAsOneBatch() throws {
    let f = try Self.small()
    var relaxations: [LPChanges] = []
    for limit in f.limits where relaxations.count < 6 {
      guard case .row(let i) = limit.variable else { continue }
      let b = f.program.rowBounds[i]
      guard b.upper.isFinite, b.upper > 0 else { continue }
      var c = LPChanges()
      c.rowBounds = [Change(RowID(i), Bounds(lower: b.lower, upper: b.upper * 1.5))]
      relaxations.append(c)
    }
    #expect(relaxations.count == 6)
    let optimizer = try Optimizer(f)
    _ = try optimizer.run()
    let stages = optimizer.coverageStages
    let batch = try optimizer.measure(relaxations, stages: stages, columns: [ColumnID(0)], iterationLimit: 50_000)
    var added: [Int] = []
    try optimizer.measure(workers: 2) { queue throws(GLPKError) in
      var seen = 0
      while added.count < relaxations.count {
        seen = try queue.wait(after: seen)
        guard queue.hasIdleWorker else { continue }
        let task = MeasureTask(
          relaxations[added.count], stages: stages, columns: [ColumnID(0)], iterationLimit: 50_000)
        added.append(queue.add([task]).lowerBound)
      }
      let results = try queue.results(added[0]..<(added[added.count - 1] + 1))
      #expect(results.map { $0?.objectives } == batch.map { $0?.objectives })
      #expect(results.map { $0?.values } == batch.map { $0?.values })
      #expect(results.map { $0?.iterations } == batch.map { $0?.iterations })
    }
    #expect(added == Array(0..<6))
  }

  /// A far relaxation (every limit a thousand times as high) measured as two tasks — its cold
  /// solve taken first, beside its warm attempt — joins to what the whole route measures on
  /// one worker: the same optimum, values, iterations and first stage's optimal basis.
  @Test(.timeLimit(.minutes(1))) func aWarmAttemptAndItsColdSolveApartMeasureAsTheWholeRoute() throws {
    let f = try Self.small()
    let optimizer = try Optimizer(f)
    _ = try optimizer.run()
    #expect(optimizer.splitsFirstRoute)
    var far = LPChanges()
    for limit in f.limits {
      switch limit.variable {
      case .row(let i):
        let b = f.program.rowBounds[i]
        if b.upper.isFinite && b.upper > 0 {
          far.rowBounds.append(Change(RowID(i), Bounds(lower: b.lower, upper: 1_000 * b.upper)))
        }
      case .column(let j):
        let b = f.program.columnBounds[j]
        if b.upper.isFinite && b.upper > 0 {
          far.columnBounds.append(Change(ColumnID(j), Bounds(lower: b.lower, upper: 1_000 * b.upper)))
        }
      }
    }
    let limit = 50_000
    let columns = [ColumnID(0), ColumnID(1)]
    let whole = try #require(
      try optimizer.measure([far], stages: 1, columns: columns, iterationLimit: limit).first ?? nil)
    #expect(whole.coldRoutes == [0])
    var parts: [MeasuredPlan?] = []
    try optimizer.measure(workers: 2) { queue throws(GLPKError) in
      let cold = queue.add([MeasureTask(far, stages: 1, columns: columns, iterationLimit: limit, route: .cold)])
      let warm = queue.add([MeasureTask(far, stages: 1, columns: columns, iterationLimit: limit, route: .warm)])
      parts = try queue.results(cold.lowerBound..<warm.upperBound)
    }
    let warm = try #require(parts[1])
    #expect(warm.fellShort)
    let joined = try #require(warm.joined(parts[0], limit: limit))
    #expect(joined.objectives == whole.objectives)
    #expect(joined.values == whole.values)
    #expect(joined.iterations == whole.iterations)
    #expect(joined.coldRoutes == whole.coldRoutes)
    let sameStart = joined.firstOptimum == whole.firstOptimum
    #expect(sameStart)
    // A cold solve that needs more than the warm attempt left of the limit measures nothing.
    let cold = try #require(parts[0])
    #expect(warm.joined(cold, limit: warm.iterations + cold.iterations - 1) == nil)
  }

  /// The primal and the dual simplex reach the same value from the plan's basis.
  ///
  /// A value's warm attempt runs the primal simplex, the other measurements' the dual: both
  /// reach the relaxed stage's optimum, whose value is unique. And a measurement that starts
  /// where an earlier one of the same relaxation ended (`MeasuredPlan.firstOptimum`, as a
  /// breakdown starts from its value's optimum) takes no iteration to get there.
  @Test(.timeLimit(.minutes(1))) func thePrimalAndTheDualReachTheSameValue() throws {
    let f = try Self.small()
    let optimizer = try Optimizer(f)
    let plan = try optimizer.run()
    // Limits with a price in the first stage, each raised by half: steps that move the plan.
    var relaxations: [LPChanges] = []
    for (l, limit) in f.limits.enumerated() where relaxations.count < 8 && abs(plan.duals[0].limits[l]) > 1e-9 {
      var c = LPChanges()
      switch limit.variable {
      case .row(let i):
        let b = f.program.rowBounds[i]
        c.rowBounds = [Change(RowID(i), Bounds(lower: b.lower, upper: b.upper * 1.5))]
      case .column(let j):
        let b = f.program.columnBounds[j]
        c.columnBounds = [Change(ColumnID(j), Bounds(lower: b.lower, upper: b.upper * 1.5))]
      }
      relaxations.append(c)
    }
    #expect(relaxations.count == 8)
    func measure(_ method: SolverOptions.Method, starts: [BasisDelta?] = []) throws -> [MeasuredPlan?] {
      var results: [MeasuredPlan?] = []
      try optimizer.measure(workers: 2) { queue throws(GLPKError) in
        let tasks = relaxations.indices.map { r in
          var t = MeasureTask(
            relaxations[r], stages: 1, iterationLimit: 50_000, start: r < starts.count ? starts[r] : nil)
          t.firstMethod = method
          return t
        }
        results = try queue.results(queue.add(tasks))
      }
      return results
    }
    let primal = try measure(.primal)
    let dual = try measure(.dualPrimal)
    let objectives = primal.compactMap { $0?.objectives.first }
    #expect(objectives.count == relaxations.count)
    for (p, d) in zip(primal, dual) {
      let a = try #require(p?.objectives.first)
      let b = try #require(d?.objectives.first)
      #expect(abs(a - b) <= 1e-9 * max(1, abs(a)))
    }
    // At least one relaxation moves the plan: the two methods then pivot differently.
    #expect(zip(primal, dual).contains { $0?.iterations != $1?.iterations })
    let again = try measure(.dualPrimal, starts: primal.map { $0?.firstOptimum })
    #expect(again.map { $0?.iterations } == Array(repeating: 0, count: relaxations.count))
    for (p, a) in zip(primal, again) {
      let x = try #require(p?.objectives.first)
      let y = try #require(a?.objectives.first)
      #expect(abs(x - y) <= 1e-9 * max(1, abs(x)))
    }
  }
}
