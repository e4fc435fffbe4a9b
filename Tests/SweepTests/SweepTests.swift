import Arsenal
import Foundation
import PlanningModel
import Reports
import TestSupport
import Testing

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
let bundledData = root.appendingPathComponent("Inputs/europe-2027").path

func temporary(_ name: String) -> String {
  scratch.appendingPathComponent("\(name)-\(UUID().uuidString)").path
}

/// sweep.csv as rows of cells, by column name.
func readSweep(_ folder: String) throws -> (header: [String], rows: [[String]]) {
  let text = try String(contentsOfFile: (folder as NSString).appendingPathComponent("sweep.csv"), encoding: .utf8)
  let lines = text.split(separator: "\n").map(String.init)
  return (SweepTable.split(lines[0]), lines.dropFirst().map { SweepTable.split($0) })
}

func column(_ name: String, _ table: (header: [String], rows: [[String]])) throws -> [Double] {
  let i = try #require(table.header.firstIndex(of: name), "no column \(name)")
  return table.rows.map { Double($0[i]) ?? .nan }
}

@Suite(.serialized) struct SweepTests {
  var data: DataSet {
    get throws { try DataSetLoader.load(folder: bundledData) }
  }

  /// One canonical plan: twelve points re-solved warm in chunks of 1 or 10, on one worker or
  /// two, or each cold give the same sweep.csv and sweep.md byte for byte (the knees'
  /// explanations solved warm from a worker's last point, or cold).
  @Test func chunkingWorkersAndWarmStartsGiveIdenticalFiles() throws {
    let data = try self.data
    let spec = try Arsenal.sweepSpec(
      parameters: ["capacity producer=nitrochemie-aschau from=0.5 to=1.6 step=0.1"], scenarios: [], policy: nil,
      data: data)
    #expect(spec.points.count == 12)
    #expect(spec.name == "capacity-nitrochemie-aschau", "the default folder is Reports/sweep-<name>")
    let runs: [(String, SweepOptions)] = [
      ("chunk-1", SweepOptions(out: temporary("chunk1"), workers: 2, chunk: 1)),
      ("chunk-10", SweepOptions(out: temporary("chunk10"), workers: 2, chunk: 10)),
      ("one-worker", SweepOptions(out: temporary("one"), workers: 1, chunk: 12)),
      ("cold", SweepOptions(out: temporary("cold"), workers: 2, cold: true)),
    ]
    var files: [String: [Data]] = [:]
    for (name, options) in runs {
      let result = try Arsenal.sweep(spec, data: data, options: options)
      if name == "cold" { #expect(result.warmSolves == 0 && result.coldSolves == 12) }
      if name == "one-worker" { #expect(result.warmSolves == 11 && result.coldSolves == 1) }
      // The second worker starts from a copy of the first's cold solve, not one of its own.
      if name.hasPrefix("chunk") { #expect(result.warmSolves == 11 && result.coldSolves == 1) }
      for file in ["sweep.csv", "sweep.md"] {
        files[file, default: []].append(
          try Data(contentsOf: URL(fileURLWithPath: options.out).appendingPathComponent(file)))
      }
    }
    for (file, versions) in files {
      for (n, v) in versions.enumerated().dropFirst() {
        #expect(v == versions[0], "\(file) of \(runs[n].0) differs from \(runs[0].0)")
      }
    }
  }

  /// More capacity never makes the (weighted) shortfall worse.
  @Test func shortfallNeverRisesWithCapacity() throws {
    let data = try self.data
    let spec = try Arsenal.sweepSpec(
      parameters: ["capacity country=DE values=0.6;0.8;1;1.2;1.4;1.6"], scenarios: [], policy: nil, data: data)
    let out = temporary("monotone")
    _ = try Arsenal.sweep(spec, data: data, options: SweepOptions(out: out))
    let objective = try column("objective", try readSweep(out))
    #expect(objective.count == 6)
    for k in 1..<objective.count {
      #expect(
        objective[k] <= objective[k - 1] * (1 + 1e-7), "shortfall rose from \(objective[k - 1]) to \(objective[k])")
    }
    #expect(objective[0] > objective[5])
  }

  @Test func badSpecificationsAreClearErrors() throws {
    let data = try self.data
    #expect {
      try Arsenal.sweepSpec(
        parameters: ["capacity producer=nobody from=1 to=2 step=0.5"], scenarios: [], policy: nil, data: data)
    } throws: { error in
      "\(error)".contains("--param 1: producer: value \"nobody\"; unknown producer")
    }
    #expect {
      try Arsenal.sweepSpec(
        parameters: ["capacity producer=pgz from=2 to=1 step=0.5"], scenarios: [], policy: nil, data: data)
    } throws: { error in
      "\(error)".contains("the range is empty")
    }
    #expect {
      try Arsenal.sweepSpec(parameters: ["capacity producer=pgz values="], scenarios: [], policy: nil, data: data)
    } throws: { error in
      "\(error)".contains("values")
    }
    #expect {
      try Arsenal.sweepSpec(
        parameters: ["capacity producer=pgz from=0 to=1 step=1e-6"], scenarios: [], policy: nil, data: data)
    } throws: { error in
      "\(error)".contains("more than 100,000 points")
    }
    // A figure beyond its limit is said so, once; the keys beside it are not "unknown".
    for (parameter, message) in [
      ("capacity producer=pgz from=0.5 to=2e9 step=0.5", "to: value 2000000000.0; expected a number ≤ 1e6"),
      ("capacity producer=pgz values=1e7;1", "values[0]: value 10000000.0; expected a number ≤ 1e6"),
      ("capacity producer=pgz from=0.5 to=1 step=0.5 values=1", "expected either values or from, to and step"),
    ] {
      #expect {
        try Arsenal.sweepSpec(parameters: [parameter], scenarios: [], policy: nil, data: data)
      } throws: { error in
        "\(error)".contains(message) && !"\(error)".contains("unknown key") && !"\(error)".contains("empty")
      }
    }
    // Each parameter within its 100,000 points, the grid far beyond (it filled 8 GB before).
    #expect {
      try Arsenal.sweepSpec(
        parameters: [
          "capacity producer=pgz from=0 to=500 step=0.01", "demand class=front-line from=0 to=500 step=0.01",
        ],
        scenarios: [], policy: nil, data: data)
    } throws: { error in
      "\(error)".contains("50001 × 50001 = 2500100001 points; expected at most 100,000 in all")
    }
    #expect {
      try Arsenal.sweepSpec(parameters: ["delay producer=pgz values=1e19"], scenarios: [], policy: nil, data: data)
    } throws: { error in
      "\(error)".contains("≤ 600")
    }
    #expect {
      try Arsenal.sweepSpec(
        parameters: ["wishes producer=pgz from=1 to=2 step=1"], scenarios: [], policy: nil, data: data)
    } throws: { error in
      "\(error)".contains("\"wishes\"")
    }
    // The Reassurance Force is inactive unless a scenario deploys it: sweeping its demand
    // in the baseline is refused before any solve.
    let spec = try Arsenal.sweepSpec(
      parameters: ["demand consumer=reassurance-force from=0.5 to=1.5 step=0.5"], scenarios: [], policy: nil, data: data
    )
    #expect {
      try Arsenal.sweep(spec, data: data, options: SweepOptions(out: temporary("bad")))
    } throws: { error in
      guard case .input(let e)? = error as? ArsenalError else { return false }
      return e.problems.contains {
        $0.key == "demand[consumer=reassurance-force]"
          && $0.message.contains("no active consumer with this demand after the scenarios")
      }
    }
    // With the force deployed the same sweep is valid.
    let deployed = try Arsenal.sweepSpec(
      parameters: ["demand consumer=reassurance-force values=1"], scenarios: ["reassurance-30k"], policy: nil,
      data: data)
    _ = try Arsenal.sweep(deployed, data: data, options: SweepOptions(out: temporary("ok")))
  }

  @Test func twoParametersMakeAGrid() throws {
    let data = try DataSetLoader.load(folder: root.appendingPathComponent("Tests/Fixtures/small").path)
    let spec = try Arsenal.sweepSpec(
      parameters: ["capacity producer=chargeworks values=1;2", "budget funder=ua-budget values=1;1.5;2"], scenarios: [],
      policy: nil, data: data)
    let out = temporary("grid")
    _ = try Arsenal.sweep(spec, data: data, options: SweepOptions(out: out))
    let table = try readSweep(out)
    #expect(table.rows.count == 6)
    let md = try String(contentsOfFile: (out as NSString).appendingPathComponent("sweep.md"), encoding: .utf8)
    #expect(md.contains("capacity[producer=chargeworks] ↓ / budget[funder=ua-budget] →"))
  }
}
