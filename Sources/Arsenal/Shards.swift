import Analysis
import Formulation
import Foundation
import GLPKSolver
import PlanningModel
import Reports

/// The relaxation steps as a shard records them, so that `merge` explains and values with
/// the same steps as the shards measured.
struct RelaxationSettingsCodable: Codable, Hashable {
  let fraction: Double
  let budgetStep: Double
  let byKind: [String: Double]
  let curve: [Double]
  let curveTop: Int

  init(_ s: RelaxationSettings) {
    fraction = s.fraction
    budgetStep = s.budgetStep
    byKind = Dictionary(uniqueKeysWithValues: s.fractionByKind.map { ($0.key.rawValue, $0.value) })
    curve = s.curve
    curveTop = s.curveTop
  }

  var settings: RelaxationSettings {
    var kinds: [LimitKind: Double] = [:]
    for (name, value) in byKind {
      if let k = LimitKind(rawValue: name) { kinds[k] = value }
    }
    return RelaxationSettings(
      fraction: fraction, budgetStep: budgetStep, fractionByKind: kinds, curve: curve, curveTop: curveTop)
  }
}

/// What a shard's folder holds beside its rows (`shard.json`): enough for `arsenal merge`
/// to check that the shards belong together and to write what one run would.
struct ShardManifest: Codable {
  /// "risk" or "sweep".
  let study: String
  let shard: Shard
  /// The fingerprint of everything that shapes the rows (data, study, method, steps).
  let fingerprint: String
  /// The data set folder the shard read, as given.
  let data: String
  let risk: RiskStudy?
  let sweep: SweepSpec?
  let method: String
  /// Risk: the draws valued by the measured relaxation analysis.
  let measure: Int
  /// Risk: lots fixed to whole lots in every draw.
  let wholeLots: Bool
  let relaxation: RelaxationSettingsCodable
  /// Points or draws of the whole study.
  let total: Int
  /// Rows this shard holds.
  let rows: Int

  static let manifestFile = "shard.json"
  static let rowsFile = "rows.csv"

  /// shard.json and rows.csv (the header, then the rows by index).
  func files(header: String, rows: [Int: String]) -> FileSet {
    var set = FileSet()
    let encoder = JSONEncoder.sorted
    encoder.outputFormatting.insert(.prettyPrinted)
    let json = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    set.add(Self.manifestFile, json + "\n")
    set.add(Self.rowsFile, ([header] + rows.keys.sorted().compactMap { rows[$0] }).joined(separator: "\n") + "\n")
    return set
  }
}

/// What `arsenal merge` wrote.
public struct MergeRun: Sendable {
  /// "risk" or "sweep".
  public let study: String
  /// Its name.
  public let name: String
  /// Shards merged.
  public let shards: Int
  /// Rows (draws or points) merged.
  public let rows: Int
  /// Paths of the files written.
  public let files: [String]
}

extension Arsenal {
  /// Combines the folders of every shard of one study into exactly the files one run of
  /// the whole study writes.
  ///
  /// Every shard 1…N must be there once, with the same fingerprint, and together hold every
  /// row; `data` (default: the folder the shards read) must be the data set they read.
  public static func merge(
    _ folders: [String], out: String, data dataPath: String?, command: String = "arsenal merge",
    write: WriteSettings = WriteSettings()
  ) throws(ArsenalError) -> MergeRun {
    let (first, n, header, rows) = try readShards(folders)
    let dataFolder = dataPath ?? first.data
    let data = try load(dataFolder)
    guard let method = SolverOptions.Method(rawValue: first.method) else {
      throw .usage("\(folders[0]): unknown method \"\(first.method)\"")
    }
    let settings = first.relaxation.settings
    if let study = first.risk {
      guard
        riskFingerprint(
          study, data: data, method: method, measure: first.measure, wholeLots: first.wholeLots, settings)
          == first.fingerprint
      else { throw .usage("\(dataFolder) is not the data set the shards read (its content changed)") }
      let chosen = try scenarios(study.scenarios, in: data)
      let base = data.model.applying(chosen)
      let columns = RiskTable.columns(for: base, sources: study.sources)
      guard columns.header == header else { throw .usage("the shards' rows do not match the data set's columns") }
      let files = RiskReport(
        study: study, model: base, columns: columns, rows: rows, measuredDraws: first.measure, settings: settings,
        provenance: provenance(RunOptions(method: method)), wholeLots: first.wholeLots
      ).files()
      try publish(
        files, out: out, command: command,
        madeFrom: RunOptions.madeFrom(
          "risk \(study.name)", data: dataFolder, policy: study.policy, method: method, relaxation: settings),
        write: write)
      return MergeRun(
        study: "risk", name: study.name, shards: n, rows: rows.count,
        files: files.files.map { (out as NSString).appendingPathComponent($0.name) })
    }
    guard let spec = first.sweep else { throw .usage("\(folders[0]): a shard of neither a risk study nor a sweep") }
    guard sweepFingerprint(spec, data: data, method: method) == first.fingerprint else {
      throw .usage("\(dataFolder) is not the data set the shards read (its content changed)")
    }
    var options = SweepOptions(data: dataFolder, out: out, method: method, relaxation: settings)
    options.write = write
    let chosen = try scenarios(spec.scenarios, in: data)
    let base = data.model.applying(chosen)
    let columns = SweepTable.columns(for: base, parameters: spec.parameters)
    guard columns.header == header else { throw .usage("the shards' rows do not match the data set's columns") }
    let runner = SweepRunner(
      spec: spec, base: base, chosen: chosen, columns: columns, options: options,
      journal: Journal(path: "", fingerprint: "", header: header), started: now())
    let files = try runner.files(rows: rows, explain: true)
    try publish(files, out: out, command: command, madeFrom: sweepMadeFrom(spec, options: options), write: write)
    return MergeRun(
      study: "sweep", name: spec.name, shards: n, rows: rows.count,
      files: files.files.map { (out as NSString).appendingPathComponent($0.name) })
  }

  /// The shards' manifests and rows, checked: one study, every shard 1…N once, each whole.
  static func readShards(_ folders: [String]) throws(ArsenalError) -> (
    first: ShardManifest, count: Int, header: String, rows: [Int: String]
  ) {
    guard !folders.isEmpty else { throw .usage("give the shard folders to merge") }
    var manifests: [(String, ShardManifest, [String])] = []
    var problems: [String] = []
    for folder in folders {
      let mPath = (folder as NSString).appendingPathComponent(ShardManifest.manifestFile)
      let rPath = (folder as NSString).appendingPathComponent(ShardManifest.rowsFile)
      guard let m = FileManager.default.contents(atPath: mPath) else {
        problems.append("\(mPath): missing; expected the folder of a run with --shard I/N")
        continue
      }
      guard let manifest = try? JSONDecoder().decode(ShardManifest.self, from: m) else {
        problems.append("\(mPath): not a shard manifest written by arsenal")
        continue
      }
      guard let r = FileManager.default.contents(atPath: rPath) else {
        problems.append("\(rPath): missing; the shard's rows are gone")
        continue
      }
      var lines = String(decoding: r, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(
        String.init)
      if lines.last == "" { lines.removeLast() }
      manifests.append((folder, manifest, lines))
    }
    if !problems.isEmpty { throw .usage(problems.joined(separator: "\n")) }
    guard let first = manifests.first?.1 else { throw .usage("no shard to merge") }
    for (folder, m, _) in manifests where m.fingerprint != first.fingerprint || m.study != first.study {
      problems.append(
        "\(folder): a shard of another study (\(m.study) \(m.risk?.name ?? m.sweep?.name ?? "")); "
          + "every shard must come from the same command with the same data")
    }
    let n = first.shard.count
    var seen: [Int: String] = [:]
    for (folder, m, _) in manifests {
      if m.shard.count != n {
        problems.append("\(folder): shard \(m.shard.text), but another shard is of \(n)")
      } else if let other = seen[m.shard.index] {
        problems.append("\(folder): shard \(m.shard.text) is also in \(other); give each shard once")
      } else {
        seen[m.shard.index] = folder
      }
    }
    let missing = (1...n).filter { seen[$0] == nil && first.shard.count == n }
    if !missing.isEmpty {
      problems.append("shards missing: \(missing.map { "\($0)/\(n)" }.joined(separator: ", "))")
    }
    if !problems.isEmpty { throw .usage(problems.joined(separator: "\n")) }

    // The rows, checked against their shard and each other.
    var rows: [Int: String] = [:]
    let header = manifests[0].2.first ?? ""
    for (folder, m, lines) in manifests {
      guard lines.first == header else {
        problems.append("\(folder): rows with another header")
        continue
      }
      for line in lines.dropFirst() {
        guard let comma = line.firstIndex(of: ","), let i = Int(line[..<comma]), m.shard.contains(i), i < m.total
        else {
          problems.append("\(folder): a row that is not of shard \(m.shard.text)")
          break
        }
        rows[i] = line
      }
      if lines.count - 1 != m.shard.size(of: m.total) {
        problems.append(
          "\(folder): \(lines.count - 1) of the shard's \(m.shard.size(of: m.total)) rows (interrupted? "
            + "run the shard again with --resume)")
      }
    }
    if !problems.isEmpty { throw .usage(problems.joined(separator: "\n")) }

    return (first, n, header, rows)
  }

  static func publish(_ files: FileSet, out: String, command: String, madeFrom: String, write: WriteSettings)
    throws(ArsenalError)
  {
    do {
      let folder = try OutputFolder(out, command: command, madeFrom: madeFrom, settings: write)
      try folder.publish(files)
    } catch {
      throw .write(error)
    }
  }
}
