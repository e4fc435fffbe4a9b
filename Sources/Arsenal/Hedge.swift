import Analysis
import Formulation
import Foundation
import GLPKSolver
import LinearProgram
import Optimizer
import PlanningModel
import Reports

/// How to answer a hedge question: where the data and report are, and the solver.
public struct HedgeOptions: Sendable {
  /// Path of the data set folder.
  public var data: String
  /// Output folder for the report set.
  public var out: String
  /// The simplex method of every solve.
  public var method: SolverOptions.Method = .primal
  /// The allocation policy (`nil`: the data set's).
  public var policy: AllocationPolicy?
  /// The command, as the output folder's lock names its holder.
  public var command = "arsenal hedge"
  /// How the output folder is written.
  public var write = WriteSettings()
  /// Called with a short line before each solve (progress on a terminal).
  public var progress: (@Sendable (String) -> Void)?
  /// Threads: with two or more, the paths alone and the mean demand are solved while the
  /// joined program is (the same plans either way); default: every core.
  public var workers = ProcessInfo.processInfo.activeProcessorCount

  /// A question on the data set at `data`, answered into `out`.
  public init(data: String = "Inputs/europe-2027", out: String) {
    self.data = data
    self.out = out
  }
}

/// What a finished hedge did, for the command's last lines (never in report bodies).
public struct HedgeRun: Sendable {
  /// The outcome the report was written from.
  public let outcome: HedgeOutcome
  /// Wall-clock seconds of all solves.
  public let seconds: Double
  /// Wall-clock seconds of the joined program's solve alone.
  public let joinedSeconds: Double
  /// Wall-clock seconds of the paths' own solves (perfect information), summed.
  public let pathSeconds: Double
  /// Paths of the files written.
  public let files: [String]
}

extension Arsenal {
  /// The hedge question a command line asks for: `[hedge.NAME]`, with the paths,
  /// probabilities and first periods given on the command line in place of its own.
  public static func hedgeStudy(
    name: String, paths: [String]?, probabilities: [Double]?, firstPeriods: Int?, data: DataSet
  ) throws(ArsenalError) -> HedgeStudy {
    guard let study = data.hedge(named: name) else {
      throw unknownQuestion("hedge question", name, table: "hedge", known: data.hedges.map(\.name))
    }
    let chosenPaths = paths ?? study.paths
    let chosenProbabilities = probabilities ?? (paths == nil ? study.probabilities : [])
    if let problem = HedgeStudy.problem(paths: chosenPaths, probabilities: chosenProbabilities) {
      throw .usage("--paths and --probabilities: \(problem)")
    }
    let first = firstPeriods ?? study.firstPeriods
    guard first >= 0 && first <= data.model.horizon.periods else {
      throw .usage("--first-periods \(first): expected 0 to \(data.model.horizon.periods), the horizon's periods")
    }
    for run in study.scenarios + chosenPaths {
      _ = try scenarios(run.split(separator: "+").map(String.init), in: data)
    }
    return HedgeStudy(
      name: study.name, description: study.description, scenarios: study.scenarios, paths: chosenPaths,
      probabilities: chosenProbabilities, firstPeriods: first)
  }

  /// Solves a hedge: the joined program, each path alone (perfect information), the most
  /// likely path's and the mean demand's first stages on every path, and compares them.
  public static func hedgeOutcome(_ study: HedgeStudy, data: DataSet, options: HedgeOptions) throws(ArsenalError)
    -> (HedgeOutcome, joinedSeconds: Double, pathSeconds: Double)
  {
    let (models, chosen, paths, de) = try joinedProgram(study, data: data, policy: options.policy)
    var options = options
    let progress = options.progress
    options.progress = nil
    var solver = SolverOptions()
    solver.method = options.method
    solver.presolve = true  // cold solves presolve (docs/PERFORMANCE.md, "Cold solves")
    var run = OptimizerOptions(solver: solver, marginals: false)
    run.wholeLots = false
    func analyses(_ result: PlanResult, plan: String) throws(ArsenalError) -> [PlanAnalysis] {
      try de.paths.indices.map { p throws(ArsenalError) in
        let own = result.path(p, of: de)
        guard let a = PlanAnalysis(own, scenarios: chosen[p], detail: .summary) else {
          throw notOptimal(result, plan: plan)
        }
        return a
      }
    }

    // Perfect information (each path planned alone) and the mean demand alone do not depend
    // on the joined program: with a second worker they are solved while it is.
    let policy = options.policy
    let side = Beside(started: options.workers > 1) { [models, run] in
      Result { () throws(ArsenalError) in
        try solveAlongside(
          paths, models: models, names: study.paths, weights: study.probabilities, policy: policy, options: run,
          progress: progress)
      }
    }
    // Should the joined program fail, its error waits for the side solves: none outlives the call.
    defer { side.wait() }
    progress?(
      "solving the joined program (\(de.formulation.program.numberOfRows) rows, \(de.formulation.program.numberOfColumns) columns)"
    )
    let started = now()
    let optimizer: Optimizer
    let hedged: PlanResult
    do {
      optimizer = try Optimizer(de.formulation)
      hedged = try optimizer.run(run)
    } catch {
      throw .solver(error)
    }
    let joinedSeconds = seconds(since: started)
    let solvedAlongside = try side.value.get()
    let perfect = try perfectInformation(solvedAlongside.alone, scenarios: chosen, names: study.paths)
    guard hedged.isOptimal else { throw notOptimal(hedged, plan: "the hedged plan") }
    var plans = [HedgeOutcome.Evaluated(plan: .hedged, paths: try analyses(hedged, plan: "the hedged plan"))]

    // Another plan's first stage, every path's best recourse after it (warm from the hedge).
    func evaluate(_ plan: HedgeOutcome.Plan, first: Formulation, values: [Double], name: String) throws(ArsenalError)
      -> HedgeOutcome.Evaluated
    {
      progress?("evaluating \(name) on every path")
      let fixed: Formulation
      do {
        fixed = try de.fixingFirstStage(to: first, values: values)
      } catch {
        throw .usage(error.description)
      }
      var resolved: PlanResult?
      do {
        resolved = try optimizer.resolve(fixed, options: run)
      } catch {
        throw .solver(error)
      }
      if resolved == nil { resolved = try solveOnce(fixed, options: run) }
      guard let result = resolved else { throw notOptimal(hedged, plan: name) }
      guard result.isOptimal else { throw notOptimal(result, plan: name) }
      return HedgeOutcome.Evaluated(plan: plan, paths: try analyses(result, plan: name))
    }
    let likely =
      study.probabilities.indices.max {
        (study.probabilities[$0], -$0) < (study.probabilities[$1], -$1)
      } ?? 0
    if let x = solvedAlongside.alone[likely].solution?.columnValues {
      plans.append(
        try evaluate(.bet(path: likely), first: paths[likely], values: x, name: "the plan for \(study.paths[likely])"))
    }
    var meanMissing: String?
    if let (f, x) = solvedAlongside.mean {
      plans.append(try evaluate(.meanDemand, first: f, values: x, name: "the mean-demand plan"))
    } else {
      meanMissing =
        "the paths differ in more than demand, stockpile targets and combat intensity, so no single mean-demand model stands for them"
    }
    plans.append(HedgeOutcome.Evaluated(plan: .perfectInformation, paths: perfect))
    func size(_ lp: LinearProgram) -> [Int] { [lp.numberOfRows, lp.numberOfColumns, lp.numberOfNonZeros] }
    let sizes = HedgeOutcome.Sizes(
      path: size(paths[likely].program), joined: size(de.formulation.program), shared: de.firstStage.count,
      heldAtZero: de.heldAtZero)
    return (
      HedgeOutcome(study: study, plans: plans, meanDemandMissing: meanMissing, sizes: sizes), joinedSeconds,
      solvedAlongside.pathSeconds
    )
  }

  /// Each path's model, scenarios and formulation, and the program that joins them.
  private static func joinedProgram(_ study: HedgeStudy, data: DataSet, policy: AllocationPolicy?)
    throws(ArsenalError) -> ([PlanningModel], [[Scenario]], [Formulation], DeterministicEquivalent)
  {
    let base = try scenarios(study.scenarios, in: data)
    var models: [PlanningModel] = []
    var chosen: [[Scenario]] = []
    for path in study.paths {
      let own = try scenarios(path.split(separator: "+").map(String.init), in: data)
      chosen.append(base + own)
      models.append(data.model.applying(base + own))
    }
    let paths: [Formulation]
    do {
      paths = try models.map { m throws(FormulationError) in try Formulator.formulate(m, policy: policy) }
    } catch {
      throw .formulation(error)
    }
    do {
      let de = try DeterministicEquivalent(
        paths: paths, probabilities: study.probabilities, firstPeriods: study.firstPeriods)
      return (models, chosen, paths, de)
    } catch {
      throw .usage("the hedge \"\(study.name)\" cannot be built: \(error.description)")
    }
  }

  /// Each path's own plan analysed (perfect information).
  private static func perfectInformation(_ alone: [PlanResult], scenarios: [[Scenario]], names: [String])
    throws(ArsenalError) -> [PlanAnalysis]
  {
    try alone.enumerated().map { p, r throws(ArsenalError) in
      guard let a = PlanAnalysis(r, scenarios: scenarios[p], detail: .summary) else {
        throw notOptimal(r, plan: "path \(names[p]) alone")
      }
      return a
    }
  }

  /// What a hedge solves apart from its joined program.
  struct Alongside: Sendable {
    /// Each path's own plan (perfect information).
    var alone: [PlanResult]
    /// Seconds of those solves, summed.
    var pathSeconds: Double
    /// The mean-demand model's formulation and optimal column values (`nil` when the paths
    /// differ in more than a mean can stand for).
    var mean: (Formulation, [Double])?
  }

  /// Each path planned alone, then the mean demand alone.
  private static func solveAlongside(
    _ paths: [Formulation], models: [PlanningModel], names: [String], weights: [Double], policy: AllocationPolicy?,
    options run: OptimizerOptions, progress: (@Sendable (String) -> Void)?
  ) throws(ArsenalError) -> Alongside {
    var alone: [PlanResult] = []
    var pathSeconds = 0.0
    for (p, f) in paths.enumerated() {
      progress?("solving path \(p + 1) of \(paths.count) alone (\(names[p]))")
      let started = now()
      let result = try solveOnce(f, options: run)
      pathSeconds += seconds(since: started)
      guard result.isOptimal else { throw notOptimal(result, plan: "path \(names[p]) alone") }
      alone.append(result)
    }
    guard let mean = PlanningModel.expectation(models, weights: weights) else {
      return Alongside(alone: alone, pathSeconds: pathSeconds, mean: nil)
    }
    progress?("solving the mean demand alone")
    let f: Formulation
    do {
      f = try Formulator.formulate(mean, policy: policy)
    } catch {
      throw .formulation(error)
    }
    let result = try solveOnce(f, options: run)
    guard result.isOptimal, let x = result.solution?.columnValues else {
      throw notOptimal(result, plan: "the mean-demand plan")
    }
    return Alongside(alone: alone, pathSeconds: pathSeconds, mean: (f, x))
  }

  /// Answers a hedge question and writes its report set (hedge.md, hedge.html, hedge.csv,
  /// hedge.json) atomically.
  public static func hedge(_ study: HedgeStudy, data: DataSet, options: HedgeOptions) throws(ArsenalError)
    -> HedgeRun
  {
    let started = now()
    let out: OutputFolder
    do {
      out = try OutputFolder(
        options.out, command: options.command,
        madeFrom: RunOptions.madeFrom(
          "hedge \(study.name)", data: options.data, policy: options.policy, method: options.method, relaxation: nil),
        settings: options.write)
    } catch {
      throw .write(error)
    }
    let (outcome, joined, alone) = try hedgeOutcome(study, data: data, options: options)
    let files = HedgeReport(
      outcome: outcome, model: data.model, provenance: provenance(RunOptions(method: options.method))
    )
    .files()
    do {
      try out.publish(files)
    } catch {
      throw .write(error)
    }
    return HedgeRun(
      outcome: outcome, seconds: seconds(since: started), joinedSeconds: joined, pathSeconds: alone,
      files: files.files.map { (options.out as NSString).appendingPathComponent($0.name) })
  }

  private static func solveOnce(_ f: Formulation, options: OptimizerOptions) throws(ArsenalError) -> PlanResult {
    do {
      return try Optimizer(f).run(options)
    } catch {
      throw .solver(error)
    }
  }

  private static func notOptimal(_ result: PlanResult, plan: String) -> ArsenalError {
    guard let failure = result.failure else {
      return .usage("\(plan) did not solve to an optimum. No report was written.")
    }
    return .notOptimal(stage: "\(failure.stage.name), \(plan)", failure.outcome)
  }
}

/// A computation run on another thread from the start (`started`), or else on the caller's
/// when its value is first asked for.
final class Beside<T: Sendable>: @unchecked Sendable {
  private let work: @Sendable () -> T
  private let group = DispatchGroup()
  private let result = Locked<T?>(nil)

  init(started: Bool, _ work: @escaping @Sendable () -> T) {
    self.work = work
    guard started else { return }
    DispatchQueue.global().async(group: group) { [result] in
      let value = work()
      result.withLock { $0 = value }
    }
  }

  /// Waits for the other thread, if one was started.
  func wait() { group.wait() }

  /// The computation's value: the other thread's, waited for, or computed now.
  var value: T {
    group.wait()
    if let done = result.value { return done }
    let value = work()
    result.withLock { $0 = value }
    return value
  }
}
