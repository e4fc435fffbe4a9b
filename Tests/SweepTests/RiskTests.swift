import Arsenal
import Foundation
import PlanningModel
import Reports
import Testing

/// A data set small enough to solve by hand: one producer making 100 rounds a month against
/// a demand of 100 a month for four months, its capacity drawn from a grid.
func riskFixture(uncertainty: String) -> [DataSetFile: String] {
  [
    .dataset: """
    name = "risk-test"
    [horizon]
    start = "2027-01"
    periods = 4
    [settings]
    default_lead_time = 0
    [countries]
    AA = "Alphaland"
    """,
    .items: """
    [[item]]
    id = "round"
    kind = "end"
    unit = "rounds"
    """,
    .producers: """
    [[producer]]
    id = "p"
    country = "AA"
    [[producer.product]]
    item = "round"
    capacity = 100
    """,
    .consumers: """
    [[consumer]]
    id = "front"
    class = "front-line"
    country = "AA"
    """,
    .demand: "consumer,item,start,quantity\nfront,round,2027-01,100\n",
    .uncertainty: uncertainty,
  ]
}

let gridSource = """
  [[uncertain]]
  name = "output"
  kind = "capacity"
  producer = "p"
  distribution = "discrete"
  values = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4]

  [risk.grid]
  draws = 100
  seed = 7
  """

/// risk.csv's row `what`/`id` as cells by column name.
func riskRow(_ folder: String, what: String, id: String) throws -> [String: String] {
  let text = try String(contentsOfFile: (folder as NSString).appendingPathComponent("risk.csv"), encoding: .utf8)
  let lines = text.split(separator: "\n").map { SweepTable.split(String($0)) }
  let header = try #require(lines.first)
  let row = try #require(lines.first { $0.count > 2 && $0[0] == what && $0[2] == id }, "no \(what) \(id)")
  return Dictionary(uniqueKeysWithValues: zip(header, row))
}

@Suite(.serialized) struct RiskTests {
  /// A capacity drawn uniformly from ten grid values: stratified over 100 draws, each value
  /// is drawn exactly ten times, so shortfall = 4 × max(0, 100 − 100 v) gives 0 (50 draws),
  /// 40, 80, 120, 160 and 200 (10 each): P10 0, P50 0, P90 160 (draws 81–90 of the sorted
  /// 100), mean 60, and coverage P10 50 %, P50 90 %, P90 100 %.
  @Test func percentilesOfAGridAreExact() throws {
    let data = try DataSetLoader.load(texts: riskFixture(uncertainty: gridSource))
    let study = try #require(data.risk(named: "grid"))
    let values = (0..<100).map { RiskSampler(study).values($0)[0] }
    for v in [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4] {
      #expect(values.filter { abs($0 - v) < 1e-9 }.count == 10, "value \(v)")
    }
    let out = temporary("risk-grid")
    var options = RiskOptions(data: "risk-test", out: out, workers: 2)
    options.measure = 0
    _ = try Arsenal.risk(study, data: data, options: options)
    let short = try riskRow(out, what: "shortfall", id: "round")
    #expect(short["p10"] == "0")
    #expect(short["p50"] == "0")
    #expect(short["p90"] == "160")
    #expect(short["mean"] == "60")
    let cover = try riskRow(out, what: "coverage", id: "round")
    #expect(cover["p10"] == "0.5")
    #expect(cover["p50"] == "0.9")
    #expect(cover["p90"] == "1")
    // The sentence a planner pastes says the same.
    let md = try String(contentsOfFile: (out as NSString).appendingPathComponent("risk.md"), encoding: .utf8)
    // P10 is the 10th smallest of 100 draws: at least 91 reach it.
    #expect(md.contains("In at least 90 % of draws (P10) the front line gets 50.0 % or more of its round"))
    // The capacity is at its level in the draws of 0.5 to 1.0 times 100: 6 of the 10 values.
    #expect(md.contains("The limit that binds most often is round, p: in 60.0 % of draws."))
    // The standard error: the sample's standard deviation over √100.
    let shortfalls = values.map { 4 * max(0, 100 - 100 * $0) }
    let mean = shortfalls.reduce(0, +) / 100
    let sd = (shortfalls.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 99).squareRoot()
    #expect(abs((Double(short["standard_error"] ?? "") ?? 0) - sd / 10) < 1e-6)
  }

  /// Two plants that bind in every draw (p's 50–140 rounds and q's 10 a month against 200): the
  /// summary says both bind in every draw, not that one of them binds most often, and names
  /// the one whose step is worth more — p's, +10 % of 50–140 rounds a month against q's 1.
  @Test func limitsThatBindAsOftenAreCountedAndTheMostValuableNamed() throws {
    var texts = riskFixture(uncertainty: gridSource)
    texts[.producers, default: ""] += """

      [[producer]]
      id = "q"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 10
      """
    texts[.demand] = "consumer,item,start,quantity\nfront,round,2027-01,200\n"
    let data = try DataSetLoader.load(texts: texts)
    let study = try #require(data.risk(named: "grid"))
    for measure in [0, 10] {
      let out = temporary("risk-tied-\(measure)")
      var options = RiskOptions(data: "risk-test", out: out, workers: 1)
      options.measure = measure
      _ = try Arsenal.risk(study, data: data, options: options)
      let md = try String(contentsOfFile: (out as NSString).appendingPathComponent("risk.md"), encoding: .utf8)
      let both =
        "2 limits bind most often, each in 100.0 % of draws (What binds lists them, the most valuable step first)"
      #expect(md.contains(both))
      #expect(!md.contains("The limit that binds most often"))
      // Both bind in each of the first `measure` draws, and both steps gain in each of them.
      let csv = try String(contentsOfFile: (out as NSString).appendingPathComponent("risk.csv"), encoding: .utf8)
      let limits = csv.split(separator: "\n").filter { $0.hasPrefix("limit,") }
      #expect(limits.count == 2)
      for row in limits { #expect(row.hasSuffix(measure == 0 ? ",,0,0" : ",\(measure),\(measure)"), "\(row)") }
      if measure == 0 {
        #expect(md.contains(both + "; none of them was measured."))
      } else {
        #expect(md.contains(both + "; a step of round, p is worth the most of these, "))
        #expect(md.contains("at the median of the 10 measured draws it binds in."))
      }
    }
  }

  /// Stratified sampling: each of N strata of a uniform source holds exactly one draw.
  @Test func everyStratumHoldsOneDraw() throws {
    let data = try DataSetLoader.load(
      texts: riskFixture(
        uncertainty: """
          [[uncertain]]
          name = "output"
          kind = "capacity"
          producer = "p"
          distribution = "uniform"
          low = 0
          high = 1
          [risk.u]
          draws = 250
          """))
    let sampler = RiskSampler(try #require(data.risk(named: "u")))
    let strata = Set((0..<250).map { Int(sampler.values($0)[0] * 250) })
    #expect(strata.count == 250)
    #expect(sampler.values(17) == RiskSampler(try #require(data.risk(named: "u"))).values(17), "seeded")
  }

  /// One canonical plan per draw: one worker or two, warm or cold, whole or in three shards
  /// merged, the files are the same byte for byte.
  @Test func workersWarmColdAndShardsGiveIdenticalFiles() throws {
    let texts = riskFixture(
      uncertainty: gridSource + """

        [[uncertain]]
        name = "demand"
        kind = "demand"
        class = "front-line"
        distribution = "triangular"
        low = 0.8
        mode = 1
        high = 1.5
        [[uncertain]]
        name = "late"
        kind = "delay"
        producer = "p"
        probability = 0.5
        distribution = "uniform"
        low = 0
        high = 3
        """)
    let folder = temporary("risk-data")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (file, text) in texts {
      try text.write(
        toFile: (folder as NSString).appendingPathComponent(file.rawValue), atomically: true, encoding: .utf8)
    }
    let data = try DataSetLoader.load(folder: folder)
    let study = try #require(data.risk(named: "grid")).overriding(draws: 30)
    var warmRuns: [RiskRun] = []
    func run(_ name: String, _ change: (inout RiskOptions) -> Void) throws -> String {
      let out = temporary("risk-\(name)")
      var options = RiskOptions(data: folder, out: out, workers: 1)
      options.measure = 3
      change(&options)
      let r = try Arsenal.risk(study, data: data, options: options)
      if !options.cold && options.shard == .whole { warmRuns.append(r) }
      return out
    }
    let reference = try run("one") { $0.chunk = 30 }
    var others = [
      (
        "two-workers",
        try run("two") {
          $0.workers = 2
          $0.chunk = 4
        }
      ),
      ("cold", try run("cold") { $0.cold = true }),
    ]
    // Every draw starts warm from its worker's anchor (the undrawn model, solved first).
    #expect(warmRuns.count == 2 && warmRuns.allSatisfy { $0.warmSolves == 30 && $0.coldSolves == 0 })
    #expect(warmRuns.allSatisfy { $0.iterations > 0 })
    let shards = try (1...3).map { i in try run("shard\(i)") { $0.shard = Shard(index: i, count: 3) } }
    let merged = temporary("risk-merged")
    let m = try Arsenal.merge(shards.reversed(), out: merged, data: folder)
    #expect(m.rows == 30 && m.shards == 3)
    others.append(("merged", merged))
    for file in ["risk.md", "risk.csv", "risk.json", "draws.csv", "risk.html"] {
      let a = try Data(contentsOf: URL(fileURLWithPath: reference).appendingPathComponent(file))
      for (name, out) in others {
        let b = try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent(file))
        #expect(a == b, "\(file) of \(name) differs")
      }
    }
    // A missing shard is named, not merged.
    #expect(throws: ArsenalError.self) {
      try Arsenal.merge(Array(shards.prefix(2)), out: temporary("m2"), data: folder)
    }
    do {
      _ = try Arsenal.merge(Array(shards.prefix(2)), out: temporary("m3"), data: folder)
    } catch {
      #expect("\(error)".contains("shards missing: 3/3"))
    }
  }

  /// Every problem of uncertainty.toml at once, by file, key and value.
  @Test func badUncertaintyIsListedWhole() throws {
    let bad = """
      [[uncertain]]
      name = "a"
      kind = "capacity"
      producer = "nobody"
      distribution = "uniform"
      low = 1
      high = 0.5
      [[uncertain]]
      name = "b"
      kind = "delay"
      producer = "p"
      distribution = "triangular"
      low = 0
      mode = 9
      high = 6
      probability = 1.5
      [[uncertain]]
      name = "c"
      kind = "capacity"
      producer = "p"
      distribution = "triangular"
      low = 2
      mode = 1.5
      high = 1
      [hedge.h]
      paths = ["baseline", "nowhere"]
      probabilities = [0.5, 0.6]
      """
    do {
      _ = try DataSetLoader.load(texts: riskFixture(uncertainty: bad))
      Issue.record("loaded a broken uncertainty.toml")
    } catch {
      let text = error.description
      for expected in [
        "\"nobody\"", "expected high ≥ low", "expected low ≤ mode ≤ high", "probability", "\"nowhere\"",
        "sum to 1.1",
      ] {
        #expect(text.contains(expected), "missing: \(expected)\n\(text)")
      }
      #expect(text.contains("uncertainty.toml"))
      // A triangular source's high below its low is said so, not read as an unknown mode.
      #expect(text.contains("value 1; expected high ≥ low (2)"), "\(text)")
      #expect(!text.contains("unknown key"), "\(text)")
    }
  }
}
