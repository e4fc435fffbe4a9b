import Analysis
import Dispatch
import Foundation
import GLPKSolver
import PlanningModel
import Reports

extension Arsenal {
  /// Runs several scenario combinations, in parallel (each on its own GLPK problem and
  /// thread), returning them in the order given.
  public static func runAll(_ names: [String], options: RunOptions, data: DataSet) throws(ArsenalError) -> [RunResult] {
    let results = Locked([Result<RunResult, ArsenalError>?](repeating: nil, count: names.count))
    DispatchQueue.concurrentPerform(iterations: names.count) { i in
      var o = options
      o.scenarios = [names[i]]
      let r: Result<RunResult, ArsenalError>
      do throws(ArsenalError) {
        r = .success(try run(o, data: data))
      } catch {
        r = .failure(error)
      }
      results.withLock { $0[i] = r }
    }
    var out: [RunResult] = []
    for r in results.value {
      switch r {
      case .success(let run)?: out.append(run)
      case .failure(let e)?: throw e
      case nil: continue  // every index is filled before concurrentPerform returns
      }
    }
    return out
  }

  /// The side-by-side comparison of `names` (each a scenario or `a+b`).
  public static func compare(_ names: [String], options: RunOptions, data: DataSet, title: String? = nil)
    throws(ArsenalError) -> (report: ComparisonReport, runs: [RunResult])
  {
    guard names.count >= 1 else { throw .usage("compare needs at least one scenario") }
    let runs = try runAll(names, options: options, data: data)
    let report = ComparisonReport(
      runs.map { ComparisonReport.Run(name: $0.name, analysis: $0.analysis) }, provenance: provenance(options),
      title: title)
    return (report, runs)
  }

  static func provenance(_ options: RunOptions) -> Provenance {
    Provenance(
      glpkVersion: GLPKProblem.glpkVersion,
      method: options.method == .interior ? .interiorPoint : .simplex(options.method.rawValue),
      arsenalVersion: arsenalVersion)
  }

  /// Every scenario's report and every comparison the data set defines, written under
  /// `folder`, with an index (`README.md`).
  ///
  /// Every folder is locked before anything is solved (so a busy or unwritable folder stops
  /// the command at once), and each report set is switched in whole. Returns the folders
  /// written.
  public static func regenerate(options: RunOptions, into folder: String, command: String = "arsenal reports")
    throws(ArsenalError) -> [String]
  {
    let data = try load(options.data)
    let names = data.scenarios.map(\.name)
    let root: OutputFolder
    var targets: [String: OutputFolder] = [:]
    do {
      root = try OutputFolder(folder, command: command, mode: .files, wait: options.wait, waiting: options.waiting)
      for sub in names + data.comparisons.map({ "compare-\($0.name)" }) {
        targets[sub] = try OutputFolder(
          (folder as NSString).appendingPathComponent(sub), command: command, wait: options.wait,
          waiting: options.waiting)
      }
    } catch {
      throw .write(error)
    }
    let runs = try runAll(names, options: options, data: data)
    // Solve everything first (comparisons may need combinations), then write: a failure
    // part-way leaves the previous reports as they were.
    var comparisons: [(Comparison, ComparisonReport)] = []
    for c in data.comparisons {
      let missing = c.runs.filter { name in !runs.contains { $0.name == name } }
      let extra = try runAll(missing, options: options, data: data)
      let all = c.runs.compactMap { name in (runs + extra).first { $0.name == name } }
      let report = ComparisonReport(
        all.map { ComparisonReport.Run(name: $0.name, analysis: $0.analysis) }, provenance: provenance(options),
        title: "\(c.name) — \(c.description)")
      comparisons.append((c, report))
    }
    var index = FileSet()
    index.add(
      "README.md",
      ReportIndex(
        data: data, runs: runs.map { ($0.name, $0.analysis) }, comparisons: comparisons,
        policy: options.policy ?? data.model.settings.policy
      ).markdown())
    var sets: [(String, FileSet)] = runs.map { ($0.name, $0.files) }
    sets += comparisons.map { ("compare-\($0.0.name)", $0.1.files()) }
    // Held back from interrupts as a whole, so that Ctrl-C leaves all the sets old or all
    // new (each set is whole either way).
    do {
      try Interrupts.critical { () throws(OutputError) in
        for (name, files) in sets { try targets[name]?.publish(files) }
        try root.publish(index)
      }
    } catch {
      throw .write(error)
    }
    return sets.map { (folder as NSString).appendingPathComponent($0.0) }
  }

}

/// A value behind a lock, for results gathered from concurrent runs.
final class Locked<T>: @unchecked Sendable {
  private var _value: T
  private let lock = NSLock()
  init(_ value: T) { _value = value }
  var value: T {
    lock.lock()
    defer { lock.unlock() }
    return _value
  }
  func withLock<R>(_ body: (inout T) -> R) -> R {
    lock.lock()
    defer { lock.unlock() }
    return body(&_value)
  }
}
