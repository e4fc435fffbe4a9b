import Dispatch
import Foundation
import GLPKSolver
import LinearProgram

/// One relaxation to measure (`Optimizer.measure(workers:_:)`).
package struct MeasureTask: Sendable {
  /// Bound changes to the program as formulated.
  package var changes: LPChanges
  /// How many stages to re-solve, from the first.
  package var stages: Int
  /// Columns whose values to read from the relaxed plan.
  package var columns: [ColumnID]
  /// Iterations its stages may take in all; beyond, the relaxation is not measured.
  package var iterationLimit: Int
  /// Where its first stage starts (the `firstOptimum` an earlier measurement found); `nil`:
  /// from the plan's basis.
  package var start: BasisDelta?
  /// Which part of a one-stage measurement's route it takes.
  package var route: Route = .whole
  /// The simplex method of its first stage's warm attempt.
  package var firstMethod: SolverOptions.Method = .dualPrimal
  /// What of `columns`' values to keep (`MeasuredPlan.values`); `nil`: all of them.
  ///
  /// Applied as soon as they are read. A breakdown reads every demand and priced shipment
  /// column and keeps what its report line uses: held whole until the analysis ended, ten
  /// breakdowns' values were 9.9 MB of a one-worker run's peak on generated large
  /// (docs/PERFORMANCE.md, "Memory").
  package var summarize: (@Sendable ([Double]) -> [Double])?

  /// The route of a one-stage measurement (`Optimizer.solveFirstMeasured`).
  ///
  /// Its warm attempt, then, when that falls short, its cold solve. The two parts can be measured as two tasks,
  /// and the cold one started before the warm one ends: the cold solve starts from the same
  /// state either way, so it measures the same whenever it starts (`MeasuredPlan.joined`).
  package enum Route: Sendable {
    /// Both parts, one after the other.
    case whole
    /// The warm attempt alone: the result is marked `fellShort` when the cold solve is needed.
    case warm
    /// The cold solve alone, within the whole iteration limit.
    case cold
  }

  /// A task.
  package init(
    _ changes: LPChanges, stages: Int, columns: [ColumnID] = [], iterationLimit: Int, start: BasisDelta? = nil,
    route: Route = .whole
  ) {
    self.changes = changes
    self.stages = stages
    self.columns = columns
    self.iterationLimit = iterationLimit
    self.start = start
    self.route = route
  }

  /// The values of `columns` in `problem`'s solution, summarized when the task says how.
  func values(_ problem: GLPKProblem) throws(GLPKError) -> [Double] {
    let values = try problem.values(of: columns)
    return summarize.map { $0(values) } ?? values
  }
}

/// Relaxations handed to workers as each comes free, and their results, gathered by index.
///
/// The caller (a coordinator) may add tasks while workers measure: the relaxation analysis
/// adds a value's second try as soon as the first falls short, and a breakdown as soon as a
/// relaxation is among the best. Every task starts from the same canonical state whichever
/// worker takes it, so what a task measures does not depend on when it was added.
package final class MeasureQueue: @unchecked Sendable {
  private let condition = NSCondition()
  private var tasks: [MeasureTask] = []
  private var results: [MeasuredPlan?] = []
  private var stored: [Bool] = []
  /// When each task was handed out (uptime seconds).
  private var started: [Double?] = []
  /// The tasks in the order they are handed out; `cursor` is the next.
  private var order: [Int] = []
  private var cursor = 0
  private var closed = false
  private var error: GLPKError?
  /// Counts results stored, failures and workers left with nothing to take: what the
  /// coordinator waits for.
  private var events = 0
  /// Workers waiting for a task.
  private var waiting = 0

  package init() {}

  /// Adds tasks to the end of the queue, or with `first` before those still to hand out;
  /// their indices.
  @discardableResult
  package func add(_ new: [MeasureTask], first: Bool = false) -> Range<Int> {
    condition.lock()
    defer { condition.unlock() }
    let range = tasks.count..<(tasks.count + new.count)
    tasks += new
    results += Array(repeating: nil, count: new.count)
    stored += Array(repeating: false, count: new.count)
    started += Array(repeating: nil, count: new.count)
    if first {
      order.insert(contentsOf: range, at: cursor)
    } else {
      order += range
    }
    condition.broadcast()
    return range
  }

  /// Waits for the next event after the count `seen`, and returns the count now.
  ///
  /// An event is a result stored or a worker left with nothing to take. Throws a worker's
  /// failure.
  package func wait(after seen: Int, timeout: Double? = nil) throws(GLPKError) -> Int {
    condition.lock()
    defer { condition.unlock() }
    let deadline = timeout.map { Date(timeIntervalSinceNow: $0) }
    while events == seen && error == nil {
      if let deadline {
        if !condition.wait(until: deadline) { break }
      } else {
        condition.wait()
      }
    }
    if let error { throw error }
    return events
  }

  /// Drops task `i` if no worker has taken it yet (its result then reads as not measured).
  package func cancel(_ i: Int) {
    condition.lock()
    defer { condition.unlock() }
    guard started[i] == nil, !stored[i], let at = order[cursor...].firstIndex(of: i) else { return }
    order.remove(at: at)
    stored[i] = true
    events += 1
    condition.broadcast()
  }

  /// Whether a worker has taken task `i`.
  package func wasTaken(_ i: Int) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    return started[i] != nil
  }

  /// How long task `i` has been measured: `nil` before a worker took it and once stored.
  package func running(_ i: Int) -> Double? {
    condition.lock()
    defer { condition.unlock() }
    guard !stored[i], let t = started[i] else { return nil }
    return Self.now() - t
  }

  static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

  /// Waits for the results of `range`.
  package func results(_ range: Range<Int>) throws(GLPKError) -> [MeasuredPlan?] {
    var seen = 0
    while true {
      condition.lock()
      let done = range.allSatisfy { stored[$0] }
      let failure = error
      let slice = Array(results[range])
      condition.unlock()
      if let failure { throw failure }
      if done { return slice }
      seen = try wait(after: seen)
    }
  }

  /// Task `i`'s result once stored: `.some(nil)` when it could not be measured, `nil` while
  /// it is still to come.
  package func result(_ i: Int) -> MeasuredPlan?? {
    condition.lock()
    defer { condition.unlock() }
    return stored[i] ? .some(results[i]) : nil
  }

  /// Whether a worker waits with nothing left to take.
  package var hasIdleWorker: Bool {
    condition.lock()
    defer { condition.unlock() }
    return waiting > 0 && cursor == order.count
  }

  /// No more tasks: workers finish the one they measure and stop.
  package func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  /// The next task for a worker, waiting while the queue is empty but open; `nil` once it is
  /// closed and empty, or a worker failed.
  func next() -> (index: Int, task: MeasureTask)? {
    condition.lock()
    defer { condition.unlock() }
    if cursor == order.count && !closed && error == nil {
      // One event per wait, so that idle workers do not wake each other in turn.
      waiting += 1
      events += 1
      condition.broadcast()
      while cursor == order.count && !closed && error == nil { condition.wait() }
      waiting -= 1
    }
    guard error == nil, cursor < order.count else { return nil }
    let i = order[cursor]
    cursor += 1
    started[i] = Self.now()
    return (i, tasks[i])
  }

  func store(_ i: Int, _ result: MeasuredPlan?) {
    condition.lock()
    results[i] = result
    stored[i] = true
    events += 1
    condition.broadcast()
    condition.unlock()
  }

  func fail(_ e: GLPKError) {
    condition.lock()
    if error == nil { error = e }
    events += 1
    condition.broadcast()
    condition.unlock()
  }

  /// A worker's failure, if any.
  func failure() -> GLPKError? {
    condition.lock()
    defer { condition.unlock() }
    return error
  }
}
