import Analysis
import Dispatch
import Formulation
import Foundation
import GLPKSolver
import LinearProgram
import Optimizer
import PlanningModel
import Reports

/// Arsenal's version, printed by `--version` and in every report.
public let arsenalVersion = "0.1.0"

/// Why a run failed, in planner terms — typed from the layer that failed up to the command,
/// which maps each case to an exit code in one place (`ArsenalCLI/Options.swift`).
public indirect enum ArsenalError: Error, CustomStringConvertible, Sendable {
  /// The data set (or a sweep or option given on the command line) has problems.
  case input(InputErrors)
  /// A scenario name the data set does not define.
  case unknownScenario([String], known: [String])
  /// The command line asks for something impossible (three sweep parameters).
  case usage(String)
  /// The model could not be formulated (a bug: validated models formulate).
  case formulation(FormulationError)
  /// GLPK refused a request or failed.
  case solver(GLPKError)
  /// A stage stopped without an optimum (time limit, iteration limit, numerical trouble).
  case notOptimal(stage: String, SolveOutcome)
  /// An output could not be written.
  case write(OutputError)
  /// Branch and bound found no portfolio (time limit, numerical trouble).
  case noPortfolio(String)

  /// The message the command prints for this failure, in planner terms.
  public var description: String {
    switch self {
    case .input(let e): return e.description
    case .unknownScenario(let names, let known):
      let quoted = names.map { "\"\($0)\"" }.joined(separator: ", ")
      return "unknown scenario\(names.count == 1 ? "" : "s") \(quoted); the data set defines: "
        + known.joined(separator: ", ")
    case .usage(let s): return s
    case .formulation(let e): return e.description
    case .solver(let e): return e.description
    case .notOptimal(let stage, let outcome):
      return "the solve did not reach an optimum in stage \"\(stage)\": \(outcome.message) (GLPK code "
        + "\(outcome.glpkReturnCode), status \(outcome.glpkStatus)). No report was written."
    case .write(let e): return e.description
    case .noPortfolio(let why):
      return "the investment question has no answer yet: \(why) A longer --time-limit or a larger --gap may find "
        + "one. No report was written."
    }
  }
}

/// One scenario run: what to solve and how.
public struct RunOptions: Sendable {
  /// Path of the data set folder.
  public var data: String
  /// Scenario names applied in order; an element may join several with `+`.
  public var scenarios: [String]
  /// The allocation policy for this run; `nil` uses the data set's (`dataset.toml`).
  public var policy: AllocationPolicy?
  /// The LP method of the cold solve; primal (the default) starts from GLPK's advanced initial
  /// basis, and warm re-solves switch to dual themselves.
  public var method: SolverOptions.Method
  /// Use GLPK's LP presolver for the first, cold stage (on by default).
  ///
  /// Chosen by measurement (docs/PERFORMANCE.md, "Cold solves"): as fast on the bundled data,
  /// 1.4–2.5× faster on larger LPs. Warm re-solves turn it off. GLPK's postsolve recovers a
  /// basis of the original LP, which the later stages and the analysis start from: the plan and
  /// every measured value are the same either way; only the validity ranges of shadow prices,
  /// which depend on the basis at a degenerate optimum, may differ.
  public var presolve: Bool
  /// Wall-clock limit of each GLPK solve, in seconds; `nil` for none.
  public var timeLimit: Double?
  /// GLPK's other control parameters, for measuring them (`--glpk`); GLPK's defaults otherwise.
  public var tuning = GLPKTuning()
  /// Capture GLPK's log into `RunResult.log` (`--verbose`), and print it on stderr if a solve fails.
  public var verbose: Bool
  /// Planner-sized steps of the relaxation analysis; `nil` skips it.
  public var relaxation: RelaxationSettings?
  /// File to write the first stage's LP to, exactly (docs/MODEL.md), in free MPS format.
  public var exportMPS: String?
  /// File to write the first stage's LP to, exactly (docs/MODEL.md), in CPLEX LP format.
  public var exportLP: String?
  /// How output folders are written: waiting for locks, replacing reports made from other
  /// inputs, CSVs for spreadsheets.
  public var write = WriteSettings()
  /// Threads of the relaxation analysis, each re-solving on its own copy of the program.
  ///
  /// Each copy is GLPK's (a second one 130–150 MiB more on generated large, docs/PERFORMANCE.md,
  /// "What the measured relaxation analysis costs"); the measured values are the same for any
  /// number (below 1 counts as 1). Runs solved side by side (`compare`) share them
  /// (`Arsenal.workersPerRun`).
  public var workers = ProcessInfo.processInfo.activeProcessorCount

  /// A run of `scenarios` on the data set at `data`; by default the bundled Europe 2027
  /// baseline, solved with primal simplex under the data set's policy, with the relaxation analysis.
  public init(
    data: String = "Inputs/europe-2027", scenarios: [String] = ["baseline"], policy: AllocationPolicy? = nil,
    method: SolverOptions.Method = .primal, presolve: Bool = true, timeLimit: Double? = nil, verbose: Bool = false,
    relaxation: RelaxationSettings? = RelaxationSettings()
  ) {
    self.data = data
    self.scenarios = scenarios
    self.policy = policy
    self.method = method
    self.presolve = presolve
    self.timeLimit = timeLimit
    self.verbose = verbose
    self.relaxation = relaxation
  }

  /// What a report of `what` under these options is made from, as its folder's marker records
  /// it: everything that changes the result (scenarios, data set, policy, method, steps).
  public func madeFrom(_ what: String) -> String {
    Self.madeFrom(what, data: data, policy: policy, method: method, relaxation: relaxation)
  }

  /// The marker line of a report of `what`; see `madeFrom(_:)`.
  static func madeFrom(
    _ what: String, data: String, policy: AllocationPolicy?, method: SolverOptions.Method,
    relaxation: RelaxationSettings?
  ) -> String {
    let dataName = URL(fileURLWithPath: data).standardizedFileURL.lastPathComponent
    // The simplex methods give the one canonical plan; only the interior point's need not
    // be a vertex (as the default folder names say: `--interior`).
    var parts = [what, "data set \(dataName)", "policy \(policy?.rawValue ?? "of the data set")"]
    if method == .interior { parts.append("method interior") }
    if let r = relaxation {
      var steps = ["\(Fmt.plain(r.fraction * 100)) %", "budget EUR \(Fmt.plain(r.budgetStep / 1e6)) M"]
      steps += r.fractionByKind.sorted { $0.key.rawValue < $1.key.rawValue }.map {
        "\($0.key.rawValue) \(Fmt.plain($0.value * 100)) %"
      }
      parts.append("steps " + steps.joined(separator: ", "))
    }
    return parts.joined(separator: "; ")
  }

  var solverOptions: SolverOptions {
    // Primal simplex from GLPK's advanced basis solves Arsenal's multi-period models
    // fastest cold (docs/PERFORMANCE.md); warm re-solves switch to dual themselves.
    var o = SolverOptions(
      method: method, presolve: presolve, timeLimit: timeLimit, captureLog: verbose, advancedBasis: method == .primal)
    o.tuning = tuning
    return o
  }
}

/// Wall-clock seconds of each phase of a run (for `--verbose` and benchmarks, never reports).
public struct PhaseTimes: Sendable {
  /// Reading the files and validating them into a model (with scenarios applied).
  public var load = 0.0
  /// Building the LP and its policy stages from the model.
  public var formulate = 0.0
  /// Loading the LP into GLPK.
  public var handToGLPK = 0.0
  /// GLPK's simplex, all stages.
  public var solve = 0.0
  /// The measured relaxation analysis: warm re-solves of every binding limit's step.
  public var relaxation = 0.0
  /// Coverage, bottlenecks, idle capacity (everything after the solver).
  public var analysis = 0.0
  /// Rendering the report files in memory (writing them is not counted).
  public var report = 0.0
  /// The process's peak memory (KiB) at the end of each phase, in order: where memory goes.
  public var peakKiB: [PhasePeak] = []
  mutating func markPeak(_ phase: String) { peakKiB.append(PhasePeak(phase: phase, kib: Arsenal.peakMemoryKiB())) }

  /// The process's peak memory at the end of one phase.
  public struct PhasePeak: Sendable {
    /// The phase: read, formulate, solve, ….
    public let phase: String
    /// Peak resident memory so far, in KiB.
    public let kib: Int
  }
}

/// A finished run: the analysis and its rendered files.
public struct RunResult: Sendable {
  /// What the reports say about the plan: coverage, bottlenecks, idle capacity.
  public let analysis: PlanAnalysis
  /// The staged solve: every stage's outcome and the final plan.
  public let plan: PlanResult
  /// The rendered report set, not yet written.
  public let files: FileSet
  /// Wall-clock seconds of each phase.
  public let times: PhaseTimes
  /// GLPK's output for every stage, captured only when `RunOptions.verbose` (else empty).
  public let log: String
  /// The name the run is reported under: its scenarios joined with `+`.
  public let name: String
}

/// The library entry points behind `arsenal solve`, `check`, `scenarios` and `compare`.
public enum Arsenal {
  static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
  static func seconds(since start: UInt64) -> Double { Double(now() - start) / 1e9 }

  /// Loads and validates a data set folder.
  public static func load(_ folder: String) throws(ArsenalError) -> DataSet {
    do {
      return try DataSetLoader.load(folder: folder)
    } catch {
      throw .input(error)
    }
  }

  /// Resolves scenario names (`a`, `a+b`) against a data set, in order.
  public static func scenarios(_ names: [String], in data: DataSet) throws(ArsenalError) -> [Scenario] {
    var out: [Scenario] = []
    var unknown: [String] = []
    for joined in names {
      for name in joined.split(separator: "+").map(String.init) where !name.isEmpty {
        guard let s = data.scenario(named: name) else {
          if !unknown.contains(name) { unknown.append(name) }
          continue
        }
        out.append(s)
      }
    }
    // Every unknown name at once, so a planner fixes a command line in one go.
    guard unknown.isEmpty else { throw .unknownScenario(unknown, known: data.scenarios.map(\.name)) }
    if out.isEmpty, let base = data.scenario(named: "baseline") { out = [base] }
    return out
  }

  /// The name a combination of scenarios is reported under: "ceasefire-full+us-minimal".
  public static func runName(_ scenarios: [Scenario]) -> String {
    scenarios.map(\.name).joined(separator: "+")
  }

  /// A data set solved for a run: what `run` and `bench` share, before any analysis.
  struct Solved {
    let chosen: [Scenario]
    let formulation: Formulation
    let plan: PlanResult
    let relaxation: RelaxationAnalysis
    var times: PhaseTimes
  }

  /// Applies the scenarios, formulates, writes the exports asked for, hands the LP to GLPK
  /// and runs the policy's stages.
  ///
  /// A solve that stops early is returned, not thrown.
  static func solve(_ options: RunOptions, data: DataSet) throws(ArsenalError) -> Solved {
    var times = PhaseTimes()
    var start = now()
    let chosen = try scenarios(options.scenarios, in: data)
    let model = data.model.applying(chosen)
    times.load = seconds(since: start)
    times.markPeak("load")

    start = now()
    let formulation: Formulation
    do {
      formulation = try Formulator.formulate(model, policy: options.policy)
    } catch {
      throw .formulation(error)
    }
    times.formulate = seconds(since: start)
    times.markPeak("formulate")

    start = now()
    let optimizer: Optimizer
    do {
      optimizer = try Optimizer(formulation, scaling: options.tuning.scaling)
    } catch {
      throw .solver(error)
    }
    times.handToGLPK = seconds(since: start)
    times.markPeak("to GLPK")
    for (format, path) in [(LPFileFormat.mps, options.exportMPS), (.cplexLP, options.exportLP)] {
      guard let path else { continue }
      try writeExport(formulation, format: format, to: path)
    }

    let plan: PlanResult
    do {
      plan = try optimizer.run(OptimizerOptions(solver: options.solverOptions))
    } catch {
      throw .solver(error)
    }
    times.solve = plan.solveSeconds
    times.markPeak("solve and ranging")
    var relaxation = RelaxationAnalysis.none(options.relaxation ?? RelaxationSettings())
    if let settings = options.relaxation, plan.isOptimal, options.method != .interior {
      start = now()
      do {
        relaxation = try RelaxationAnalysis.run(
          plan, optimizer: optimizer, settings: settings, workers: options.workers)
      } catch {
        throw .solver(error)
      }
      times.relaxation = seconds(since: start)
      times.markPeak("relaxation analysis")
    }
    return Solved(chosen: chosen, formulation: formulation, plan: plan, relaxation: relaxation, times: times)
  }

  /// Writes the first stage's LP — its own objective and sense — as `format`, exactly, to
  /// `path` (a complete file or none).
  public static func writeExport(_ f: Formulation, format: LPFileFormat, to path: String) throws(ArsenalError) {
    let first = f.stages[0]
    var objective = [Double](repeating: 0, count: f.program.numberOfColumns)
    for t in first.objective where t.column < objective.count { objective[t.column] = t.coefficient }
    let text = f.program.fileText(format, objective: objective, sense: first.sense)
    do {
      try OutputFolder.replaceFile(text, at: path)
    } catch {
      throw .write(error)
    }
  }

  /// Loads, applies scenarios, formulates, solves, analyses and renders one run.
  public static func run(_ options: RunOptions, data preloaded: DataSet? = nil)
    throws(ArsenalError) -> RunResult
  {
    let loadStart = now()
    let data: DataSet
    if let preloaded {
      data = preloaded
    } else {
      data = try load(options.data)
    }
    let loaded = seconds(since: loadStart)
    var solved = try solve(options, data: data)
    solved.times.load += loaded
    let plan = solved.plan
    let log = plan.stages.map(\.outcome.log).joined()
    var start = now()
    guard plan.isOptimal, let analysis = PlanAnalysis(plan, scenarios: solved.chosen, relaxation: solved.relaxation)
    else {
      let failure = plan.failure
      // The log is what a user asking for --verbose needs most when a solve fails.
      if options.verbose { FileHandle.standardError.write(Data(log.utf8)) }
      guard let failure else { throw .solver(.noOptimalBasis("the plan's analysis")) }
      throw .notOptimal(stage: failure.stage.name, failure.outcome)
    }
    solved.times.analysis = seconds(since: start)
    solved.times.markPeak("analysis")

    start = now()
    let files = ScenarioReport(analysis, provenance: provenance(options)).files()
    solved.times.report = seconds(since: start)
    solved.times.markPeak("report")
    return RunResult(
      analysis: analysis, plan: plan, files: files, times: solved.times, log: log, name: runName(solved.chosen))
  }
}
