import Analysis
import Formulation
import Foundation
import GLPKSolver
import Optimizer
import PlanningModel
import Reports

/// How to run a risk study: where the data and reports are, the workers, and the solver.
public struct RiskOptions: Sendable {
  /// Path of the data set folder.
  public var data: String
  /// Output folder for the report set (or, for a shard, its rows).
  public var out: String
  /// Worker threads, each with its own GLPK problem; default: every core.
  public var workers: Int
  /// Solve every draw from scratch (for checking warm results).
  public var cold = false
  /// Skip draws finished by an earlier, interrupted run of the same study.
  public var resume = false
  /// Draws a worker takes at a time (speed only: every draw starts from the worker's anchor,
  /// the undrawn model solved once, so one at a time keeps every worker busy to the end).
  public var chunk = 1
  /// The simplex method.
  public var method: SolverOptions.Method = .primal
  /// The steps of the relaxation analysis measured in the first `measure` draws.
  public var relaxation = RelaxationSettings()
  /// Draws (the first ones) whose binding limits are valued by the measured relaxation analysis.
  public var measure = 20
  /// The shard this run solves (`--shard I/N`).
  public var shard = Shard.whole
  /// Fix expansions bought in lots to whole lots in every draw (MIPs: seconds a draw); off,
  /// a draw buys capacity in any fraction (the LP relaxation, so its shortfall is at most
  /// the whole-lot plan's).
  public var wholeLots = false
  /// The command, as the output folder's lock names its holder.
  public var command = "arsenal risk"
  /// How the output folder is written.
  public var write = WriteSettings()
  /// Called with (draws done, draws of this run, seconds elapsed) after each draw.
  public var progress: (@Sendable (Int, Int, Double) -> Void)?
  /// Stops the study after the draws in progress once cancelled (Ctrl-C).
  public var cancellation = SweepCancellation()

  /// A study of the data set at `data` into `out`, on every core.
  public init(
    data: String = "Inputs/europe-2027", out: String, workers: Int = ProcessInfo.processInfo.activeProcessorCount
  ) {
    self.data = data
    self.out = out
    self.workers = max(1, workers)
  }
}

/// The draws of a risk study: each source's values stratified over its distribution (Latin
/// hypercube sampling), from the seed alone.
///
/// Draw d of source s takes the uniform number (π_s(d) + v_{s,d}) / N, where π_s is a
/// permutation of 0..<N and v_{s,d} a jitter in [0, 1), both from SplitMix64 streams keyed
/// by the seed, the source and the draw; so every stratum of width 1/N holds exactly one
/// draw of each source, and a draw's values do not depend on which worker or shard solves it.
public struct RiskSampler: Sendable {
  let study: RiskStudy
  let permutations: [[UInt32]]

  /// The sampler of `study`'s draws.
  public init(_ study: RiskStudy) {
    self.study = study
    let n = study.draws
    permutations = study.sources.indices.map { s in
      var r = Generator.Random(seed: Self.key(study.seed, UInt64(s), 0x5045_524D))
      var p = (0..<n).map { UInt32($0) }
      // Fisher–Yates, from the end.
      var i = n - 1
      while i > 0 {
        let j = Int(r.next() % UInt64(i + 1))
        p.swapAt(i, j)
        i -= 1
      }
      return p
    }
  }

  static func key(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
    Generator.Random.mix(Generator.Random.mix(a &+ 0x9E37_79B9_7F4A_7C15) ^ b &* 0xD6E8_FEB8_6659_FD93 ^ c)
  }

  /// The values of draw `d`, one per source.
  public func values(_ d: Int) -> [Double] {
    let n = Double(study.draws)
    return study.sources.indices.map { s in
      var r = Generator.Random(seed: Self.key(study.seed, UInt64(s), UInt64(d) &+ 0x1_0000_0000))
      let u = (Double(permutations[s][d]) + r.unit()) / n
      // Values print with six decimals in draws.csv: the plan is solved on exactly those.
      let v = study.sources[s].value(at: min(u, 1 - 1e-12))
      return (v * 1e6).rounded() / 1e6
    }
  }

  /// The scenario changes of draw `d` on a model with `horizon`.
  public func changes(_ d: Int, horizon: Horizon) -> [ScenarioChange] {
    zip(study.sources, values(d)).map { $0.parameter.change($1, horizon: horizon) }
  }
}

/// What a finished risk study did, for the command's last lines (never in report bodies).
public struct RiskRun: Sendable {
  /// Draws of the study in all.
  public let draws: Int
  /// Draws this run solved.
  public let solvedNow: Int
  /// Draws skipped because an earlier run finished them (`resume`).
  public let skipped: Int
  /// Draws of this run's shard on disk when it ended.
  public let finished: Int
  /// Draws of this run's shard.
  public let shardDraws: Int
  /// Cancelled before every draw was solved.
  public let interrupted: Bool
  /// Wall-clock seconds.
  public let seconds: Double
  /// Draws solved warm and cold.
  public let warmSolves: Int
  /// Draws solved cold.
  public let coldSolves: Int
  /// GLPK's simplex iterations of the draws' plans and of the workers' anchors (not of the
  /// relaxations measured): the machine-independent measure of the run's work.
  public let iterations: Int
  /// Paths of the files written.
  public let files: [String]
  /// Where the warm draws' time went.
  public let breakdown: PointBreakdown
}

extension Arsenal {
  /// Runs a risk study: every draw warm-started from the undrawn model's plan
  /// (`WarmRoute.anchor`), on every core, resumable; a shard writes its rows for `arsenal merge`.
  public static func risk(_ study: RiskStudy, data: DataSet, options: RiskOptions) throws(ArsenalError) -> RiskRun {
    let started = now()
    let chosen = try scenarios(study.scenarios, in: data)
    let base = data.model.applying(chosen)
    try checkStudy(study, base: base)
    let columns = RiskTable.columns(for: base, sources: study.sources)
    let measure = min(options.measure, study.draws)
    let fingerprint = riskFingerprint(
      study, data: data, method: options.method, measure: measure, wholeLots: options.wholeLots, options.relaxation)
    let out: OutputFolder
    do {
      out = try OutputFolder(
        options.out, command: options.command,
        madeFrom: RunOptions.madeFrom(
          options.shard == .whole ? "risk \(study.name)" : "risk \(study.name) shard \(options.shard.text)",
          data: options.data, policy: study.policy, method: options.method, relaxation: options.relaxation),
        settings: options.write)
    } catch {
      throw .write(error)
    }
    let journal = Journal(
      path: out.sidecar("risk-journal.csv"), fingerprint: fingerprint + " shard=\(options.shard.text)",
      header: columns.header, kind: "risk")
    let done = options.resume ? try journal.finishedRows() : [:]
    try journal.start(keeping: done)
    let sampler = RiskSampler(study)
    let settings = options.relaxation
    var runner = PointRunner(
      total: study.draws, shard: options.shard, policy: study.policy, workers: options.workers, chunk: options.chunk,
      cold: options.cold, method: options.method, presolve: true, progress: options.progress,
      cancellation: options.cancellation, journal: journal, started: started,
      model: { d in base.applying(sampler.changes(d, horizon: base.horizon)) },
      row: { d, result, optimizer throws(ArsenalError) in
        var measured: RelaxationAnalysis?
        if d < measure && result.isOptimal {
          do throws(GLPKError) {
            measured = try RelaxationAnalysis.run(
              result, optimizer: optimizer, settings: settings.withoutCurve, detailed: 0, workers: 1)
          } catch {
            throw .solver(error)
          }
        }
        return RiskTable.row(
          index: d, values: sampler.values(d), result: result, scenarios: chosen, columns: columns,
          binding: RelaxationAnalysis.binding(result, settings: settings), measured: measured)
      })
    // Every draw scales by positive factors or delays: the undrawn model's non-zero figures
    // include a draw's (a factor of 0 only costs a cold start; a delay never raises a level), so its structure serves every draw and draws re-solve warm. Two draws
    // differ in every source at once: each starts from the undrawn model, not from the
    // draw before (docs/PERFORMANCE.md, "Risk studies and hedges").
    runner.shape = base
    runner.anchored = true
    runner.wholeLots = options.wholeLots
    let state = try runner.solve(skipping: done)
    let rows = try journal.finishedRows()
    let shardDraws = options.shard.size(of: study.draws)
    let interrupted = rows.count < shardDraws
    var files = FileSet()
    if options.shard == .whole {
      files = RiskReport(
        study: study, model: base, columns: columns, rows: rows, measuredDraws: measure, settings: settings,
        provenance: provenance(RunOptions(method: options.method)), wholeLots: options.wholeLots
      ).files()
    } else {
      let manifest = ShardManifest(
        study: "risk", shard: options.shard, fingerprint: fingerprint, data: options.data, risk: study, sweep: nil,
        method: options.method.rawValue, measure: measure, wholeLots: options.wholeLots,
        relaxation: RelaxationSettingsCodable(settings),
        total: study.draws, rows: rows.count)
      files = manifest.files(header: columns.header, rows: rows)
    }
    do {
      try out.publish(files)
    } catch {
      throw .write(error)
    }
    if !interrupted { journal.remove() }
    let s = state.snapshot
    return RiskRun(
      draws: study.draws, solvedNow: s.solved, skipped: done.count, finished: rows.count, shardDraws: shardDraws,
      interrupted: interrupted, seconds: seconds(since: started), warmSolves: s.warm, coldSolves: s.cold,
      iterations: s.iterations, files: files.files.map { (options.out as NSString).appendingPathComponent($0.name) },
      breakdown: s.breakdown)
  }

  /// A study or question name `uncertainty.toml` does not define, with the names it does.
  static func unknownQuestion(_ what: String, _ name: String, table: String, known: [String]) -> ArsenalError {
    .usage(
      "unknown \(what) \"\(name)\"; "
        + (known.isEmpty
          ? "the data set defines none ([\(table).NAME] in uncertainty.toml)"
          : "the data set defines: \(known.joined(separator: ", "))"))
  }

  /// Everything that shapes a study's rows: data, study, method, measured draws and steps.
  static func riskFingerprint(
    _ study: RiskStudy, data: DataSet, method: SolverOptions.Method, measure: Int, wholeLots: Bool,
    _ settings: RelaxationSettings
  ) -> String {
    var h = SHA256()
    h.update(data.model.contentHash)
    if let encoded = try? JSONEncoder.sorted.encode(study) { h.update(encoded) }
    h.update("method=\(method.rawValue) measure=\(measure) whole-lots=\(wholeLots)")
    if let encoded = try? JSONEncoder.sorted.encode(RelaxationSettingsCodable(settings)) { h.update(encoded) }
    return h.finalize()
  }

  /// Every problem with a study before any solve: each source must vary something the
  /// scenarios leave.
  static func checkStudy(_ study: RiskStudy, base: PlanningModel) throws(ArsenalError) {
    var problems: [InputProblem] = []
    for s in study.sources {
      if let problem = s.parameter.problem(in: base) {
        problems.append(InputProblem(.invalidValue, file: "uncertainty.toml", key: s.name, message: problem))
      }
    }
    if study.sources.isEmpty {
      problems.append(
        InputProblem(.missing, file: "uncertainty.toml", message: "the study draws nothing: no [[uncertain]] source"))
    }
    if !problems.isEmpty { throw .input(InputErrors(problems)) }
  }

  /// The study a command line asks for: a named `[risk.NAME]`, or (without a name) every
  /// source of the data set over the scenarios given.
  public static func riskStudy(
    name: String?, scenarios: [String], policy: AllocationPolicy?, draws: Int?, seed: UInt64?, data: DataSet
  ) throws(ArsenalError) -> RiskStudy {
    if let name {
      guard let study = data.risk(named: name) else {
        throw unknownQuestion("risk study", name, table: "risk", known: data.risks.map(\.name))
      }
      return study.overriding(
        draws: draws, seed: seed, scenarios: scenarios.isEmpty ? nil : scenarios, policy: policy)
    }
    let sources = data.uncertainSources
    guard !sources.isEmpty else {
      throw .usage("the data set declares no uncertain inputs (uncertainty.toml, docs/INPUTS.md)")
    }
    return RiskStudy(
      name: (scenarios.isEmpty ? ["baseline"] : scenarios).joined(separator: "+"), description: "",
      scenarios: scenarios.isEmpty ? ["baseline"] : scenarios, policy: policy, draws: draws ?? 1000, seed: seed ?? 1,
      sources: sources)
  }
}

extension JSONEncoder {
  /// An encoder with sorted keys: the same value, the same bytes.
  static var sorted: JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return e
  }
}
