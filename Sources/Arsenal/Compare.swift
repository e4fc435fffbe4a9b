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
    let perRun = workersPerRun(
      options.workers, runs: names.count, cores: ProcessInfo.processInfo.activeProcessorCount)
    DispatchQueue.concurrentPerform(iterations: names.count) { i in
      var o = options
      o.scenarios = [names[i]]
      o.workers = perRun
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

  /// The relaxation analysis's workers for each of `runs` runs solved side by side.
  ///
  /// Out of `workers` in all, on `cores` cores: otherwise as many runs as cores, each with an
  /// analysis of `workers` threads, would hold cores × workers copies of the program in GLPK
  /// at once (a copy is 130–150 MiB on generated large). The measured values are the same for
  /// any number of workers (`RelaxationSplitTests`), so the files are too.
  package static func workersPerRun(_ workers: Int, runs: Int, cores: Int) -> Int {
    max(1, workers / max(1, min(runs, cores)))
  }

  /// The side-by-side comparison of `names` (each a scenario or `a+b`, on `data`; or
  /// `NAME@FOLDER`, on the data set at FOLDER — an edited copy against the original).
  public static func compare(_ names: [String], options: RunOptions, data: DataSet, title: String? = nil)
    throws(ArsenalError) -> (report: ComparisonReport, runs: [RunResult])
  {
    guard names.count >= 1 else { throw .usage("compare needs at least one scenario") }
    let labels = names.map(runLabel)
    let repeated = Set(labels.filter { label in labels.filter { $0 == label }.count > 1 }).sorted()
    guard repeated.isEmpty else {
      throw .usage("each run may be compared once; repeated: \(repeated.joined(separator: ", "))")
    }
    var runs = [RunResult?](repeating: nil, count: names.count)
    var byFolder: [String?: [Int]] = [:]
    for (i, name) in names.enumerated() { byFolder[runTarget(name).folder, default: []].append(i) }
    let folders = byFolder.keys.sorted(by: { ($0 ?? "") < ($1 ?? "") })
    var sets: [String?: DataSet] = [:]
    // Every data set loads and every name resolves before the first solve, so a typo in the
    // last run is reported at once, with the others.
    for folder in folders {
      let set = try folder.map { f throws(ArsenalError) in try load(f) } ?? data
      _ = try scenarios((byFolder[folder] ?? []).map { runTarget(names[$0]).scenario }, in: set)
      sets[folder] = set
    }
    for folder in folders {
      let indices = byFolder[folder] ?? []
      var o = options
      if let folder { o.data = folder }
      let solved = try runAll(indices.map { runTarget(names[$0]).scenario }, options: o, data: sets[folder] ?? data)
      for (i, run) in zip(indices, solved) { runs[i] = run }
    }
    let done = runs.compactMap { $0 }
    let report = ComparisonReport(
      zip(names, done).map { ComparisonReport.Run(name: runLabel($0.0), analysis: $0.1.analysis) },
      provenance: provenance(options), title: title)
    return (report, done)
  }

  /// A compared run's scenario and, for `NAME@FOLDER`, the data set folder.
  static func runTarget(_ name: String) -> (scenario: String, folder: String?) {
    guard let at = name.lastIndex(of: "@") else { return (name, nil) }
    return (String(name[..<at]), String(name[name.index(after: at)...]))
  }

  /// How a compared run is named in reports and folder names: `NAME@FOLDER` shows only the
  /// folder's last component (`baseline@my-copy`).
  public static func runLabel(_ name: String) -> String {
    let target = runTarget(name)
    guard let folder = target.folder else { return name }
    return "\(target.scenario)@\(URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent)"
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
      root = try OutputFolder(folder, command: command, mode: .files, settings: options.write)
      for name in names {
        targets[name] = try OutputFolder(
          (folder as NSString).appendingPathComponent(name), command: command,
          madeFrom: options.madeFrom("scenarios \(name)"), settings: options.write)
      }
      for c in data.comparisons {
        targets["compare-\(c.name)"] = try OutputFolder(
          (folder as NSString).appendingPathComponent("compare-\(c.name)"), command: command,
          madeFrom: options.madeFrom("comparison of \(c.runs.joined(separator: ", "))"), settings: options.write)
      }
      for q in data.investments {
        let invest = InvestOptions(q, data: options.data)
        targets["invest-\(q.name)"] = try OutputFolder(
          (folder as NSString).appendingPathComponent("invest-\(q.name)"), command: command,
          madeFrom: invest.madeFrom(q.name), settings: options.write)
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
    var investments: [(InvestmentQuestion, InvestResult)] = []
    for q in data.investments {
      investments.append((q, try invest(InvestOptions(q, data: options.data), data: data)))
    }
    var index = FileSet()
    index.add(
      "README.md",
      ReportIndex(
        data: data, runs: runs.map { ($0.name, $0.analysis) }, comparisons: comparisons,
        investments: investments.map { ($0.0, $0.1.answer) },
        policy: options.policy ?? data.model.settings.policy
      ).markdown())
    var sets: [(String, FileSet)] = runs.map { ($0.name, $0.files) }
    sets += comparisons.map { ("compare-\($0.0.name)", $0.1.files()) }
    sets += investments.map { ("invest-\($0.0.name)", $0.1.files) }
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
