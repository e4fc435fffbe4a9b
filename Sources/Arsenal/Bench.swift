import Analysis
import Dispatch
import Formulation
import Foundation
import Optimizer
import PlanningModel
import Reports

/// Per-phase timings of one run, for `arsenal bench` and docs/PERFORMANCE.md.
public struct BenchResult: Sendable {
  /// The run's name: its scenarios joined with `+`.
  public let name: String
  /// "optimal", or how the solve stopped (a time limit on large instances).
  public let status: String
  /// Rows (constraints) of the formulated LP.
  public let rows: Int
  /// Columns (variables) of the formulated LP.
  public let columns: Int
  /// Non-zero coefficients of the LP's constraint matrix.
  public let nonZeros: Int
  /// Simplex iterations of the solve, over all stages of the policy.
  public let iterations: Int
  /// Simplex iterations of the relaxation analysis (deterministic, unlike its time).
  public let relaxationIterations: Int
  /// Reading the input files; this and every phase below is the minimum over the repeats, in seconds.
  public let read: Double
  /// Validating the files into a model, applying the scenarios included.
  public let validate: Double
  /// The phases from formulating to the report; `load` is 0 (counted in `read` and `validate`).
  public let times: PhaseTimes
  /// Peak resident memory of the process so far, in KiB (getrusage).
  public let peakKiB: Int

  /// Seconds of all phases together.
  public var total: Double {
    read + validate + times.load + times.formulate + times.handToGLPK + times.solve + times.relaxation + times.analysis
      + times.report
  }

  /// The header of the Markdown table whose rows are `markdownRow`.
  public static let header =
    "| run | status | rows | columns | non-zeros | iterations | read | validate | formulate | to GLPK | solve | relaxation analysis (iterations) | other analysis | report | analysis ÷ solve | total | peak memory |\n"
    + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"

  /// This run for `arsenal bench --json`: the table's figures, seconds and MiB as numbers.
  public var json: JSONValue {
    .object([
      "run": .string(name), "status": .string(status), "rows": .number(Double(rows)),
      "columns": .number(Double(columns)), "nonzeros": .number(Double(nonZeros)),
      "iterations": .number(Double(iterations)), "relaxation_iterations": .number(Double(relaxationIterations)),
      "read_s": .number(read), "validate_s": .number(validate), "formulate_s": .number(times.formulate),
      "to_glpk_s": .number(times.handToGLPK), "solve_s": .number(times.solve),
      "relaxation_s": .number(times.relaxation), "other_analysis_s": .number(times.analysis),
      "report_s": .number(times.report), "total_s": .number(total), "peak_memory_mib": .number(Double(peakKiB / 1024)),
    ])
  }

  /// This run as a row of the Markdown table under `header` (docs/PERFORMANCE.md).
  public var markdownRow: String {
    func s(_ x: Double) -> String { String(format: "%.3f s", x) }
    let share =
      times.solve > 0 ? String(format: "%.0f %%", 100 * (times.relaxation + times.analysis) / times.solve) : "—"
    return
      "| \(name) | \(status) | \(rows) | \(columns) | \(nonZeros) | \(iterations) | \(s(read)) | \(s(validate)) | \(s(times.formulate)) | \(s(times.handToGLPK)) | \(s(times.solve)) | \(s(times.relaxation)) (\(relaxationIterations)) | \(s(times.analysis)) | \(s(times.report)) | \(share) | \(s(total)) | \(peakKiB / 1024) MiB |\n"
  }
}

extension Arsenal {
  /// Peak resident memory of the process so far, in KiB (getrusage's `ru_maxrss`).
  public static func peakMemoryKiB() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_maxrss)
  }

  /// Runs one scenario combination `repeats` times and keeps the fastest time of each phase.
  ///
  /// A solve stopped by `options.timeLimit` is reported as such (its later phases are 0).
  public static func bench(_ options: RunOptions, repeats: Int) throws(ArsenalError) -> BenchResult {
    var best: BenchResult?
    for _ in 0..<max(1, repeats) {
      let run = try benchOnce(options)
      guard let b = best else {
        best = run
        continue
      }
      var t = b.times
      t.load = min(t.load, run.times.load)
      t.formulate = min(t.formulate, run.times.formulate)
      t.handToGLPK = min(t.handToGLPK, run.times.handToGLPK)
      t.solve = min(t.solve, run.times.solve)
      t.relaxation = min(t.relaxation, run.times.relaxation)
      t.analysis = min(t.analysis, run.times.analysis)
      t.report = min(t.report, run.times.report)
      best = BenchResult(
        name: b.name, status: b.status, rows: b.rows, columns: b.columns, nonZeros: b.nonZeros,
        iterations: b.iterations,
        relaxationIterations: b.relaxationIterations, read: min(b.read, run.read),
        validate: min(b.validate, run.validate), times: t, peakKiB: peakMemoryKiB())
    }
    guard let best else { throw .usage("bench needs at least one run") }
    return best
  }

  static func benchOnce(_ options: RunOptions) throws(ArsenalError) -> BenchResult {
    var start = now()
    let texts: [DataSetFile: String]
    do {
      texts = try DataSetLoader.readTexts(folder: options.data)
    } catch {
      throw .input(error)
    }
    let read = seconds(since: start)
    start = now()
    let data: DataSet
    do {
      data = try DataSetLoader.load(texts: texts, source: options.data)
    } catch {
      throw .input(error)
    }
    let validate = seconds(since: start)
    var solved = try solve(options, data: data)
    // Applying scenarios counts as validation here (bench reports read and validate apart).
    let scenarioTime = solved.times.load
    solved.times.load = 0
    if solved.plan.isOptimal {
      start = now()
      if let analysis = PlanAnalysis(solved.plan, scenarios: solved.chosen, relaxation: solved.relaxation) {
        solved.times.analysis = seconds(since: start)
        start = now()
        _ = ScenarioReport(analysis, provenance: provenance(options)).files()
        solved.times.report = seconds(since: start)
      }
    }
    let p = solved.formulation.program
    return BenchResult(
      name: runName(solved.chosen), status: solved.plan.status.rawValue, rows: p.numberOfRows,
      columns: p.numberOfColumns,
      nonZeros: p.numberOfNonZeros, iterations: solved.plan.iterations,
      relaxationIterations: solved.relaxation.iterations,
      read: read, validate: validate + scenarioTime,
      times: solved.times, peakKiB: peakMemoryKiB())
  }
}
