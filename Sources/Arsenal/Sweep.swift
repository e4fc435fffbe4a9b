import Analysis
import Dispatch
import Formulation
import Foundation
import GLPKSolver
import Optimizer
import PlanningModel
import Reports

/// Set from a signal handler (or a test) to stop a sweep after the points in progress.
public final class SweepCancellation: @unchecked Sendable {
  private let lock = NSLock()
  private var cancelled = false
  /// A cancellation not yet requested.
  public init() {}
  /// Asks the sweep to stop once the points in progress finish; safe from any thread.
  public func cancel() {
    lock.lock()
    cancelled = true
    lock.unlock()
  }
  /// Whether `cancel()` has been called.
  public var isCancelled: Bool {
    lock.lock()
    defer { lock.unlock() }
    return cancelled
  }
}

/// How to run a sweep: where the data set and reports are, the workers and chunks, and the solver.
public struct SweepOptions: Sendable {
  /// Path of the data set folder.
  public var data: String
  /// Output folder for `sweep.csv` and `sweep.md`, locked while the sweep runs; its journal lives beside it.
  public var out: String
  /// Worker threads, each with its own GLPK problem; default: every core.
  public var workers: Int
  /// Solve every point from scratch (for checking warm results).
  public var cold: Bool
  /// Skip points finished by an earlier, interrupted run of the same sweep.
  public var resume: Bool
  /// Points a worker takes at a time.
  ///
  /// A worker solves its first point cold and every later one warm from the point it solved
  /// before, in its chunk or the chunk before: a matter of speed only, since every point's
  /// plan is the canonical one (docs/MODEL.md, tie-break), whatever the chunk, the workers
  /// or the interruptions.
  public var chunk: Int
  /// The method GLPK solves each point with; primal (the default) starts cold points from
  /// GLPK's advanced initial basis.
  ///
  /// Part of the sweep's fingerprint: `resume` needs the same method as the interrupted run.
  public var method: SolverOptions.Method
  /// The steps of the relaxation analysis that explains the knees.
  public var relaxation: RelaxationSettings
  /// GLPK's presolver for the cold points (warm points never use it).
  ///
  /// The plan is the same either way (one canonical plan). On by default, as
  /// `RunOptions.presolve`.
  public var presolve = true
  /// The shard of the points this run solves (`--shard I/N`); a shard writes its rows for
  /// `arsenal merge` instead of the reports.
  public var shard = Shard.whole
  /// The command, as the output folder's lock names its holder.
  public var command: String
  /// How the output folder is written (locks, replacing, CSVs for spreadsheets).
  public var write: WriteSettings
  /// Called with (points done, points total, seconds elapsed) after each point.
  public var progress: (@Sendable (Int, Int, Double) -> Void)?
  /// Stops the sweep after the points in progress once cancelled (Ctrl-C).
  public var cancellation: SweepCancellation

  /// A sweep of the data set at `data` into `out`; by default on every core, in chunks of 10
  /// points, with primal simplex (`workers` and `chunk` are raised to at least 1).
  public init(
    data: String = "Inputs/europe-2027", out: String, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    cold: Bool = false, resume: Bool = false, chunk: Int = 10, method: SolverOptions.Method = .primal,
    relaxation: RelaxationSettings = RelaxationSettings(), command: String = "arsenal sweep",
    write: WriteSettings = WriteSettings(),
    progress: (@Sendable (Int, Int, Double) -> Void)? = nil, cancellation: SweepCancellation = SweepCancellation()
  ) {
    self.data = data
    self.out = out
    self.workers = max(1, workers)
    self.cold = cold
    self.resume = resume
    self.chunk = max(1, chunk)
    self.method = method
    self.relaxation = relaxation
    self.command = command
    self.write = write
    self.progress = progress
    self.cancellation = cancellation
  }
}

/// What a finished sweep did, for the command's last lines (never in report bodies).
public struct SweepRun: Sendable {
  /// Points of the sweep in all.
  public let points: Int
  /// Points solved by this run.
  public let solvedNow: Int
  /// Points skipped because an earlier, interrupted run of the same sweep finished them (`resume`).
  public let skipped: Int
  /// Points on disk when the run ended (earlier runs' and this one's): what a `resume` skips.
  public let finished: Int
  /// The run was cancelled before every point was solved: the reports hold the points
  /// finished, without the knees explained, and the journal is kept for `resume`.
  public let interrupted: Bool
  /// Wall-clock seconds of the whole sweep.
  public let seconds: Double
  /// Points this run solved warm, from the bases of the point their worker solved before.
  public let warmSolves: Int
  /// Points this run solved cold: each worker's first (and any whose LP's structure differs
  /// from the one before), or every point with `cold`.
  public let coldSolves: Int
  /// Seconds spent on warm points (formulating, solving, journaling), summed over the workers.
  public let warmSeconds: Double
  /// Seconds spent on cold points (formulating, solving, journaling), summed over the workers.
  public let coldSeconds: Double
  /// GLPK's simplex iterations of the points' plans (not of the relaxations measured): the
  /// machine-independent measure of the run's work.
  public let iterations: Int
  /// Paths of the files written: `sweep.csv` and `sweep.md` under `SweepOptions.out`.
  public let files: [String]
  /// Where the warm points' time went.
  public let breakdown: PointBreakdown
}

extension Arsenal {
  /// Resolves a sweep given on the command line: parameters as `kind key=value …` strings.
  public static func sweepSpec(
    parameters: [String], scenarios: [String], policy: AllocationPolicy?, data: DataSet
  ) throws(ArsenalError) -> SweepSpec {
    guard (1...2).contains(parameters.count) else {
      throw .usage("a sweep varies one or two parameters; \(parameters.count) were given")
    }
    var resolved: [SweepParameter] = []
    var problems: [InputProblem] = []
    for (n, text) in parameters.enumerated() {
      do {
        resolved.append(try SweepReader.parameter(text, index: n, model: data.model))
      } catch {
        problems += error.problems
      }
    }
    if !problems.isEmpty { throw .input(InputErrors(problems)) }
    if let problem = SweepSpec.gridProblem(resolved) { throw .usage(problem) }
    return SweepSpec(
      name: resolved.map(\.slug).joined(separator: "-by-"), description: "",
      scenarios: scenarios.isEmpty ? ["baseline"] : scenarios, policy: policy,
      parameters: resolved)
  }

  /// Runs a sweep: every point warm-started from its neighbour, on every core, resumable.
  ///
  /// Writes `sweep.csv` and `sweep.md` under `options.out` (switched in whole), keeping a
  /// journal of finished points beside it while it runs.
  public static func sweep(_ spec: SweepSpec, data: DataSet, options: SweepOptions) throws(ArsenalError) -> SweepRun {
    let started = now()
    let chosen = try scenarios(spec.scenarios, in: data)
    let base = data.model.applying(chosen)
    try checkSpec(spec, base: base)
    let columns = SweepTable.columns(for: base, parameters: spec.parameters)
    let fingerprint = sweepFingerprint(spec, data: data, method: options.method)
    // The folder is locked (and known to be writable) before anything is solved; the journal
    // of finished points lives beside it, so that switching the report set in keeps it.
    let out: OutputFolder
    do {
      var made = sweepMadeFrom(spec, options: options)
      if options.shard != .whole { made += "; shard \(options.shard.text)" }
      out = try OutputFolder(options.out, command: options.command, madeFrom: made, settings: options.write)
    } catch {
      throw .write(error)
    }
    let journal = Journal(
      path: out.sidecar("sweep-journal.csv"),
      fingerprint: options.shard == .whole ? fingerprint : fingerprint + " shard=\(options.shard.text)",
      header: columns.header)
    let done = options.resume ? try journal.finishedRows() : [:]
    try journal.start(keeping: done)
    let runner = SweepRunner(
      spec: spec, base: base, chosen: chosen, columns: columns, options: options, journal: journal, started: started)
    let state = try runner.solve(skipping: done)

    // Outputs from the journal: every finished point, sorted, switched in as one set.
    let rows = try journal.finishedRows()
    let interrupted = rows.count < options.shard.size(of: spec.points.count)
    let files: FileSet
    if options.shard == .whole {
      files = try runner.files(rows: rows, explain: !interrupted)
    } else {
      files = ShardManifest(
        study: "sweep", shard: options.shard, fingerprint: fingerprint, data: options.data, risk: nil, sweep: spec,
        method: options.method.rawValue, measure: 0, wholeLots: true,
        relaxation: RelaxationSettingsCodable(options.relaxation),
        total: spec.points.count, rows: rows.count
      ).files(header: columns.header, rows: rows)
    }
    do {
      try out.publish(files)
    } catch {
      throw .write(error)
    }
    if !interrupted { journal.remove() }
    let s = state.snapshot
    return SweepRun(
      points: spec.points.count, solvedNow: s.solved, skipped: done.count, finished: rows.count,
      interrupted: interrupted,
      seconds: Double(now() - started) / 1e9, warmSolves: s.warm, coldSolves: s.cold, warmSeconds: s.warmSeconds,
      coldSeconds: s.coldSeconds, iterations: s.iterations,
      files: files.files.map { (options.out as NSString).appendingPathComponent($0.name) }, breakdown: s.breakdown)
  }

  /// Everything that shapes a sweep's rows: the sweep and the method.
  ///
  /// An interior-point plan need not be a vertex. Chunks, workers, shards and warm or cold
  /// starts do not shape the rows.
  static func sweepFingerprint(_ spec: SweepSpec, data: DataSet, method: SolverOptions.Method) -> String {
    "\(spec.fingerprint(model: data.model)) method=\(method.rawValue)"
  }

  /// What a sweep's report is made from, for its folder's marker.
  static func sweepMadeFrom(_ spec: SweepSpec, options: SweepOptions) -> String {
    let what =
      "sweep \(spec.name): \(spec.parameters.map(\.label).joined(separator: " by ")) over "
      + (spec.scenarios.isEmpty ? "baseline" : spec.scenarios.joined(separator: "+"))
    return RunOptions.madeFrom(
      what, data: options.data, policy: spec.policy, method: options.method, relaxation: options.relaxation)
  }

  /// Every problem with a sweep's specification, before any solve.
  static func checkSpec(_ spec: SweepSpec, base: PlanningModel) throws(ArsenalError) {
    var problems: [InputProblem] = []
    for p in spec.parameters {
      if let problem = p.problem(in: base) {
        problems.append(InputProblem(.invalidValue, file: "sweep \(spec.name)", key: p.label, message: problem))
      }
    }
    if spec.points.isEmpty {
      problems.append(InputProblem(.missing, file: "sweep \(spec.name)", message: "the sweep has no points"))
    }
    if !problems.isEmpty { throw .input(InputErrors(problems)) }
  }
}

/// One sweep's points solved on worker threads, and its files written from the journal.
struct SweepRunner: Sendable {
  let spec: SweepSpec
  let base: PlanningModel
  let chosen: [Scenario]
  let columns: SweepTable.Columns
  let options: SweepOptions
  let journal: Journal
  let started: UInt64
  /// The workers' optimizers when they finished, for the knees' explanations.
  let shelf = Locked<[(point: Int, optimizer: Optimizer)]>([])

  /// Solves the points not yet `done` (of this shard) on the workers, each row to the journal.
  func solve(skipping done: [Int: String]) throws(ArsenalError) -> SweepState {
    let points = spec.points
    let parameters = spec.parameters
    let base = self.base
    let chosen = self.chosen
    let columns = self.columns
    let runner = PointRunner(
      total: points.count, shard: options.shard, policy: spec.policy, workers: options.workers, chunk: options.chunk,
      cold: options.cold, method: options.method, presolve: options.presolve, progress: options.progress,
      cancellation: options.cancellation, journal: journal, started: started,
      model: { i in base.applying(zip(parameters, points[i]).map { $0.change($1, horizon: base.horizon) }) },
      row: { i, result, _ in
        SweepTable.row(index: i, values: points[i], result: result, scenarios: chosen, columns: columns)
      }, shelf: shelf)
    return try runner.solve(skipping: done)
  }

  /// sweep.csv and sweep.md from the finished rows, with what binds at each knee measured
  /// when every point is there.
  func files(rows: [Int: String], explain: Bool) throws(ArsenalError) -> FileSet {
    var binding: [Int: SweepBinding] = [:]
    if explain {
      for request in SweepReport.pointsToExplain(spec: spec, model: base, columns: columns, rows: rows)
      where spec.points.indices.contains(request.point) {
        let i = request.point
        let model = base.applying(zip(spec.parameters, spec.points[i]).map { $0.change($1, horizon: base.horizon) })
        binding[i] = try Arsenal.explain(
          model, policy: spec.policy, scenarios: chosen, method: options.method, settings: options.relaxation,
          point: spec.points[i][0], focus: request.focus, near: nearest(to: i, in: shelf.value))
      }
    }
    var files = FileSet()
    files.add(
      "sweep.csv", ([columns.header] + rows.keys.sorted().compactMap { rows[$0] }).joined(separator: "\n") + "\n")
    let report = SweepReport(
      spec: spec, model: base, scenarios: chosen, columns: columns, rows: rows, total: spec.points.count,
      provenance: Arsenal.provenance(RunOptions(method: options.method)), binding: binding)
    files.addReport(markdown: "sweep.md", html: "sweep.html", report.markdown(), charts: report.charts())
    return files
  }
}

extension Arsenal {
  /// The measured bottlenecks of one sweep point, solved on its own: warm from `near` (the
  /// optimizer of a nearby point, which this changes) when the structure allows, else cold.
  ///
  /// What it measures is the same either way: the plan is canonical and every relaxation a
  /// re-solve (`SweepTests`, whose merged shards explain their knees cold).
  static func explain(
    _ model: PlanningModel, policy: AllocationPolicy?, scenarios: [Scenario], method: SolverOptions.Method,
    settings: RelaxationSettings, point: Double, focus: Set<String>, near: Optimizer? = nil
  ) throws(ArsenalError) -> SweepBinding? {
    let f: Formulation
    do {
      f = try Formulator.formulate(model, policy: policy, like: near?.formulation)
    } catch {
      throw .formulation(error)
    }
    do throws(GLPKError) {
      let options = OptimizerOptions(solver: PointRunner.coldSolver(method: method, presolve: true))
      let optimizer: Optimizer
      let plan: PlanResult
      if let near, let warm = try near.resolve(f, options: options) {
        optimizer = near
        plan = warm
      } else {
        optimizer = try Optimizer(f)
        plan = try optimizer.run(options)
      }
      guard plan.isOptimal else { return nil }
      // Every bottleneck measured item by item: the one that explains the knee may rank low.
      let relaxation = try RelaxationAnalysis.run(
        plan, optimizer: optimizer, settings: settings.withoutCurve, detailed: Int.max)
      guard let analysis = PlanAnalysis(plan, scenarios: scenarios, relaxation: relaxation, detail: .summary) else {
        return nil
      }
      return SweepBinding.from(analysis, point: point, focus: focus)
    } catch {
      throw .solver(error)
    }
  }
}

/// Points (sweep points, risk draws) solved on worker threads: each point a model, formulated
/// and solved warm from the worker's previous point when the structure allows, its row
/// appended to the journal at once.
struct PointRunner: Sendable {
  /// Points in all (of every shard).
  let total: Int
  /// The shard solved: its points are those whose index i has i mod `shard.count` = `shard.index` − 1.
  let shard: Shard
  let policy: AllocationPolicy?
  let workers: Int
  let chunk: Int
  let cold: Bool
  let method: SolverOptions.Method
  let presolve: Bool
  let progress: (@Sendable (Int, Int, Double) -> Void)?
  let cancellation: SweepCancellation
  let journal: Journal
  let started: UInt64
  /// The model of point i.
  let model: @Sendable (Int) -> PlanningModel
  /// The model whose zeros decide the structure of every point's LP (`Formulator.formulate`),
  /// or `nil` for each point's own.
  var shape: PlanningModel? = nil
  /// Fix lots to whole lots by the MIPs (`OptimizerOptions.wholeLots`).
  var wholeLots = true
  /// Each worker first solves `shape` cold and re-solves every point warm from it
  /// (`WarmRoute.anchor`), rather than from the chunk's previous point: for points that lie
  /// far from each other (risk draws).
  var anchored = false
  /// Point i's row, from its plan and the optimizer that holds it.
  let row: @Sendable (Int, PlanResult, Optimizer) throws(ArsenalError) -> String
  /// Where each worker leaves its optimizer when it is done (`nil`: nowhere).
  ///
  /// Each with the last point it solved; a cold run keeps none.
  var shelf: Locked<[(point: Int, optimizer: Optimizer)]>? = nil

  /// This shard's points not yet `done`, in chunks that the workers take in turn: every
  /// point's plan is canonical (docs/MODEL.md), so the split decides only which warm start a
  /// point gets.
  func chunks(skipping done: [Int: String]) -> [[Int]] {
    let remaining = (0..<total).filter { shard.contains($0) && done[$0] == nil }
    return stride(from: 0, to: remaining.count, by: chunk).map {
      Array(remaining[$0..<min(remaining.count, $0 + chunk)])
    }
  }

  /// Solves the remaining points on `workers` threads, each taking the next chunk; stops
  /// early on cancellation.
  func solve(skipping done: [Int: String]) throws(ArsenalError) -> SweepState {
    let pending = chunks(skipping: done)
    let state = SweepState(total: shard.size(of: total), alreadyDone: done.count)
    let next = Locked(0)
    let group = DispatchGroup()
    let failure = Locked<ArsenalError?>(nil)
    let count = min(workers, max(1, pending.count))
    // Worker 0 solves the first point (or the anchor) cold; the others start warm from a
    // copy of its optimizer rather than each from a cold solve of its own (a cold solve
    // costs about 20 warm points; docs/PERFORMANCE.md, "Where a warm point's time goes").
    let seed = Seed(waiting: cold ? 0 : count - 1)
    for w in 0..<count {
      group.enter()
      let thread = Thread {
        defer { group.leave() }
        var optimizer: Optimizer?
        var last: Int?
        defer { if let optimizer, let last { shelf?.withLock { $0.append((last, optimizer)) } } }
        var seeded = w > 0 || cold
        // Whatever happens, the workers waiting for the seed are let go.
        defer { if !seeded { seed.publish(nil) } }
        if w > 0 && !cold {
          optimizer = seed.take()
        } else if anchored && !cold, let shape {
          do throws(ArsenalError) {
            optimizer = try anchor(shape, state: state)
          } catch {
            failure.withLock { $0 = $0 ?? error }
            return
          }
          seed.publish(optimizer)
          seeded = true
        }
        while !cancellation.isCancelled && failure.value == nil {
          let c = next.withLock { n -> Int in
            defer { n += 1 }
            return n
          }
          guard c < pending.count else { break }
          // A worker keeps its optimizer from chunk to chunk: a cold start at every chunk
          // cost 10 of 100 points a full solve each (docs/PERFORMANCE.md, "Where a warm point's time goes").
          for i in pending[c] where !cancellation.isCancelled && failure.value == nil {
            do throws(ArsenalError) {
              try solvePoint(i, optimizer: &optimizer, state: state)
              last = i
            } catch {
              failure.withLock { $0 = $0 ?? error }
              return
            }
            if !seeded {
              seed.publish(optimizer)
              seeded = true
            }
          }
        }
      }
      thread.name = "point-\(w)"
      thread.stackSize = 8 << 20
      thread.start()
    }
    group.wait()
    if let error = failure.value { throw error }
    return state
  }

  /// The options of every point's staged solve (and of each worker's anchor).
  ///
  /// A cold point's identical columns are not merged (`GLPKTuning.mergeIdenticalColumns`):
  /// every warm point inherits its bases, and from the merged optimum's shared-out basis the
  /// whole-lot MIPs of the README's sweep took 27 % longer (13,019 → 15,920 iterations; another
  /// whole-lot range 43 %), more than the one cold solve saved (docs/performance-history.md,
  /// "Identical columns merged"). Risk draws start from their worker's anchor the same way.
  var solverOptions: OptimizerOptions {
    var o = OptimizerOptions(solver: Self.coldSolver(method: method, presolve: presolve), marginals: false)
    o.wholeLots = wholeLots
    o.warmRoute = anchored ? .anchor : .neighbour
    return o
  }
  /// A sweep's or risk study's cold solve: identical columns not merged (`solverOptions`), also
  /// for a sweep's knee explanations.
  static func coldSolver(method: SolverOptions.Method, presolve: Bool) -> SolverOptions {
    var solver = SolverOptions(method: method, presolve: presolve, advancedBasis: method == .primal)
    solver.tuning.mergeIdenticalColumns = false
    return solver
  }

  /// A worker's optimizer with `shape` solved cold: the anchor its points start from.
  func anchor(_ shape: PlanningModel, state: SweepState) throws(ArsenalError) -> Optimizer {
    let f: Formulation
    do throws(FormulationError) {
      f = try Formulator.formulate(shape, policy: policy, shape: shape)
    } catch {
      throw .formulation(error)
    }
    do throws(GLPKError) {
      let o = try Optimizer(f)
      state.add(iterations: try o.run(solverOptions).iterations)
      return o
    } catch {
      throw .solver(error)
    }
  }

  /// One point: warm from the chunk's optimizer when its structure allows, else cold.
  func solvePoint(_ i: Int, optimizer: inout Optimizer?, state: SweepState) throws(ArsenalError) {
    let pointStart = Arsenal.now()
    let f: Formulation
    do throws(FormulationError) {
      // Names come from the worker's last point when the structure is the same.
      f = try Formulator.formulate(model(i), policy: policy, shape: shape, like: optimizer?.formulation)
    } catch {
      throw .formulation(error)
    }
    let formulated = Arsenal.now()
    let solverOptions = self.solverOptions
    let result: PlanResult
    var warm = false
    let used: Optimizer
    do throws(GLPKError) {
      if !cold, let o = optimizer, let r = try o.resolve(f, options: solverOptions) {
        result = r
        warm = true
        used = o
      } else {
        let o = try Optimizer(f)
        // An anchored worker keeps its anchor.
        if !anchored || optimizer == nil { optimizer = cold ? nil : o }
        result = try o.run(solverOptions)
        used = o
      }
    } catch {
      throw .solver(error)
    }
    try journal.append(try row(i, result, used))
    state.record(
      warm: warm, seconds: Double(Arsenal.now() - pointStart) / 1e9,
      formulating: Double(formulated - pointStart) / 1e9, result: result)
    if let progress {
      let (d, all) = state.progress
      progress(d, all, Double(Arsenal.now() - started) / 1e9)
    }
  }
}

/// The optimizer of worker 0's first solve, handed to the other workers: one copy each
/// (`Optimizer.clone`), on its own GLPK problem.
final class Seed: @unchecked Sendable {
  private let ready = DispatchSemaphore(value: 0)
  private let waiting: Int
  private let copies = Locked<[Optimizer]>([])
  private let published = Locked(false)

  /// A seed that `waiting` workers will take.
  init(waiting: Int) { self.waiting = waiting }

  /// Hands a copy of `optimizer` to each waiting worker.
  ///
  /// `nil`, or a copy that fails: that worker starts cold. Only the first call counts; the
  /// caller's optimizer may go on changing.
  func publish(_ optimizer: Optimizer?) {
    let first = published.withLock { done -> Bool in
      defer { done = true }
      return !done
    }
    guard first else { return }
    let made = (0..<waiting).compactMap { _ in try? optimizer?.clone() }
    copies.withLock { $0 = made }
    for _ in 0..<waiting { ready.signal() }
  }

  /// Waits for the seed and returns this worker's copy (`nil` when there is none).
  func take() -> Optimizer? {
    ready.wait()
    return copies.withLock { $0.popLast() }
  }
}

/// The optimizer whose last point lies nearest point `i` (the lower on a tie) among the
/// workers' finished optimizers, each at the last point it solved.
func nearest(to i: Int, in kept: [(point: Int, optimizer: Optimizer)]) -> Optimizer? {
  kept.min { (abs($0.point - i), $0.point) < (abs($1.point - i), $1.point) }?.optimizer
}

/// One of N shards of a study: the points whose index i has i mod N = I − 1 (`--shard I/N`),
/// so that every shard gets early and late points alike.
public struct Shard: Sendable, Hashable, Codable {
  /// I, from 1.
  public let index: Int
  /// N, the number of shards.
  public let count: Int

  /// The whole study: one shard.
  public static let whole = Shard(index: 1, count: 1)

  /// Shard `index` of `count` (1 ≤ index ≤ count).
  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Parses "I/N"; `nil` unless 1 ≤ I ≤ N ≤ 100,000.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 100_000, i >= 1, i <= n
    else { return nil }
    self.init(index: i, count: n)
  }

  /// Whether point `i` belongs to this shard.
  public func contains(_ i: Int) -> Bool { i % count == index - 1 }

  /// How many of `total` points this shard holds.
  public func size(of total: Int) -> Int {
    total > index - 1 ? (total - index) / count + 1 : 0
  }

  /// "2/8".
  public var text: String { "\(index)/\(count)" }
}

/// Counters shared by the workers.
final class SweepState: @unchecked Sendable {
  private let lock = NSLock()
  private var done: Int
  private let total: Int
  private(set) var solved = 0
  private var warm = 0
  private var cold = 0
  private var warmSeconds = 0.0
  private var coldSeconds = 0.0
  private var iterations = 0
  private var breakdown = PointBreakdown()

  init(total: Int, alreadyDone: Int) {
    self.total = total
    self.done = alreadyDone
  }

  /// Simplex iterations spent outside the points' own plans (a worker's anchor).
  func add(iterations n: Int) {
    lock.lock()
    iterations += n
    lock.unlock()
  }

  func record(warm isWarm: Bool, seconds: Double, formulating: Double, result: PlanResult) {
    lock.lock()
    iterations += result.iterations
    done += 1
    solved += 1
    if isWarm {
      warm += 1
      warmSeconds += seconds
      breakdown.add(seconds: seconds, formulating: formulating, result: result)
    } else {
      cold += 1
      coldSeconds += seconds
    }
    lock.unlock()
  }

  var progress: (Int, Int) {
    lock.lock()
    defer { lock.unlock() }
    return (done, total)
  }

  var snapshot:
    (
      solved: Int, warm: Int, cold: Int, warmSeconds: Double, coldSeconds: Double, iterations: Int,
      breakdown: PointBreakdown
    )
  {
    lock.lock()
    defer { lock.unlock() }
    return (solved, warm, cold, warmSeconds, coldSeconds, iterations, breakdown)
  }
}

/// Where the warm points' time went, summed over them (for `--verbose` and benchmarks, never
/// reports): formulating each point's LP, each stage's simplex, fixing whole lots, and the
/// rest (updating GLPK's copy, reading the plan, the point's row).
public struct PointBreakdown: Sendable {
  /// One stage's simplex over the warm points.
  public struct StageTotals: Sendable {
    /// The stage's name.
    public var name: String
    /// Simplex iterations.
    public var iterations = 0
    /// Wall-clock seconds.
    public var seconds = 0.0
    /// CPU seconds of GLPK's thread.
    public var cpuSeconds = 0.0
  }

  /// Warm points counted.
  public private(set) var points = 0
  /// Wall-clock seconds of the points, all in.
  public private(set) var seconds = 0.0
  /// Seconds formulating the points' LPs.
  public private(set) var formulating = 0.0
  /// Seconds fixing whole lots (the MIPs and the pass before them).
  public private(set) var wholeLots = 0.0
  /// Points whose lots needed the MIPs.
  public private(set) var wholeLotPoints = 0
  /// The stages, in order.
  public private(set) var stages: [StageTotals] = []

  mutating func add(seconds s: Double, formulating f: Double, result: PlanResult) {
    points += 1
    seconds += s
    formulating += f
    if result.wholeLotSeconds > 0 {
      wholeLots += result.wholeLotSeconds
      wholeLotPoints += 1
    }
    for (k, stage) in result.stages.enumerated() {
      if k == stages.count { stages.append(StageTotals(name: stage.stage.name)) }
      stages[k].iterations += stage.outcome.iterations
      stages[k].seconds += stage.seconds
      stages[k].cpuSeconds += stage.outcome.cpuSeconds
    }
  }

  /// Seconds neither formulating, in a stage's simplex, nor fixing lots.
  public var rest: Double { seconds - formulating - wholeLots - stages.reduce(0) { $0 + $1.seconds } }

  /// "per warm point (90): 0.275 s = formulate 0.023 s, weighted shortfall 0.004 s (CPU 0.004 s,
  /// 35 it.), …, whole lots 0.190 s (6 points), rest 0.012 s", or `nil` with no warm point.
  public var line: String? {
    guard points > 0 else { return nil }
    let n = Double(points)
    func s(_ x: Double) -> String { String(format: "%.4f s", x / n) }
    var parts = ["formulate \(s(formulating))"]
    for t in stages {
      parts.append("\(t.name) \(s(t.seconds)) (CPU \(s(t.cpuSeconds)), \(t.iterations / points) it.)")
    }
    parts.append("whole lots \(s(wholeLots)) (\(wholeLotPoints) points)")
    parts.append("rest \(s(rest))")
    return "per warm point (\(points)): \(s(seconds)) = " + parts.joined(separator: ", ")
  }
}

/// The append-only record of finished points: one complete line per `write`, so an
/// interruption leaves no half-written row; a torn last line (power loss) is ignored.
final class Journal: @unchecked Sendable {
  let path: String
  let fingerprint: String
  let header: String
  /// "sweep" or "risk": the journal's first word.
  let kind: String
  private let lock = NSLock()
  private var fd: Int32 = -1

  init(path: String, fingerprint: String, header: String, kind: String = "sweep") {
    self.path = path
    self.fingerprint = fingerprint
    self.header = header
    self.kind = kind
  }

  /// Rows of finished points by index, from a previous run of the same sweep.
  func finishedRows() throws(ArsenalError) -> [Int: String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [:] }
    let text = String(decoding: data, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // The last element is "" after a final newline, or a torn line without one: drop it.
    lines.removeLast()
    guard lines.count >= 2, lines[0] == "# \(kind) \(fingerprint)", lines[1] == header else {
      throw .usage(
        "\(path) holds the finished points of a different \(kind) (data, scenarios, policy, method, parameters, "
          + "draws or shard changed); run without --resume to start again")
    }
    var rows: [Int: String] = [:]
    for line in lines.dropFirst(2) {
      guard let comma = line.firstIndex(of: ","), let i = Int(line[..<comma]) else { continue }
      rows[i] = line
    }
    return rows
  }

  /// Rewrites the journal with the rows kept (a new file renamed into place), then opens it
  /// for appending.
  ///
  /// Only the holder of the output folder's lock writes it.
  func start(keeping rows: [Int: String]) throws(ArsenalError) {
    var text = "# \(kind) \(fingerprint)\n\(header)\n"
    for i in rows.keys.sorted() { text += (rows[i] ?? "") + "\n" }
    do {
      try OutputFolder.replaceFile(text, at: path)
    } catch {
      throw .write(error)
    }
    fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
    if fd < 0 { throw .write(OutputError(path: path, reason: OutputError.reason(errno))) }
  }

  func append(_ row: String) throws(ArsenalError) {
    let bytes = Array((row + "\n").utf8)
    lock.lock()
    defer { lock.unlock() }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    if written != bytes.count {
      throw .write(OutputError(path: path, reason: written < 0 ? OutputError.reason(errno) : "a row was cut short"))
    }
  }

  func remove() {
    lock.lock()
    if fd >= 0 { close(fd) }
    fd = -1
    lock.unlock()
    unlink(path)
  }
}
