import Dispatch
import Foundation
import PlanningModel
import Reports

/// Per-phase timings of one run, for `arsenal bench` and docs/PERFORMANCE.md.
public struct BenchResult: Sendable {
  public let name: String
  public let rows: Int
  public let columns: Int
  public let nonZeros: Int
  public let iterations: Int
  /// Minimum over the repeats of each phase, in seconds.
  public let read: Double
  public let validate: Double
  public let times: PhaseTimes
  /// Peak resident memory of the process so far, in KiB (getrusage).
  public let peakKiB: Int

  public var total: Double {
    read + validate + times.load + times.formulate + times.handToGLPK + times.solve + times.sensitivity + times.analysis
      + times.report
  }
  /// Everything but GLPK's simplex.
  public var outsideSolve: Double { total - times.solve }

  public static let header =
    "| run | rows | columns | non-zeros | iterations | read | validate | formulate | to GLPK | solve | ranging | analysis | report | outside solve | peak memory |\n"
    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"

  public var markdownRow: String {
    func s(_ x: Double) -> String { String(format: "%.3f s", x) }
    let share = times.solve > 0 ? String(format: " (%.0f %%)", 100 * outsideSolve / times.solve) : ""
    return "| \(name) | \(rows) | \(columns) | \(nonZeros) | \(iterations) | \(s(read)) | \(s(validate)) | \(s(times.formulate)) | \(s(times.handToGLPK)) | \(s(times.solve)) | \(s(times.sensitivity)) | \(s(times.analysis)) | \(s(times.report)) | \(s(outsideSolve))\(share) | \(peakKiB / 1024) MiB |\n"
  }
}

extension Arsenal {
  public static func peakMemoryKiB() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_maxrss)
  }

  /// Runs one scenario combination `repeats` times and keeps the fastest time of each phase.
  public static func bench(_ options: RunOptions, repeats: Int) throws(ArsenalError) -> BenchResult {
    var best: (read: Double, validate: Double, times: PhaseTimes)?
    var last: RunResult?
    for _ in 0..<max(1, repeats) {
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
      let run = try run(options, data: data)
      last = run
      if let b = best {
        var t = b.times
        t.load = min(t.load, run.times.load)
        t.formulate = min(t.formulate, run.times.formulate)
        t.handToGLPK = min(t.handToGLPK, run.times.handToGLPK)
        t.solve = min(t.solve, run.times.solve)
        t.sensitivity = min(t.sensitivity, run.times.sensitivity)
        t.analysis = min(t.analysis, run.times.analysis)
        t.report = min(t.report, run.times.report)
        best = (min(b.read, read), min(b.validate, validate), t)
      } else {
        best = (read, validate, run.times)
      }
    }
    guard let best, let last else { throw .solver("no run") }
    let a = last.analysis
    return BenchResult(
      name: last.name, rows: a.lpRows, columns: a.lpColumns, nonZeros: a.lpNonZeros, iterations: last.plan.iterations,
      read: best.read, validate: best.validate, times: best.times, peakKiB: peakMemoryKiB())
  }
}
