import Foundation
import TestSupport
import Testing

/// The built `arsenal` binary on small folders, good and bad.
@Suite struct EndToEndTests {
  static var fixtures: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
      "Fixtures")
  }

  static func temporaryFolder() throws -> URL {
    let url = scratch.appendingPathComponent("arsenal-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A copy of the small fixture with `edit` applied to one file.
  static func brokenCopy(_ file: String, _ edit: (String) -> String) throws -> URL {
    let dir = try temporaryFolder().appendingPathComponent("data")
    try FileManager.default.copyItem(at: fixtures.appendingPathComponent("small"), to: dir)
    let url = dir.appendingPathComponent(file)
    let text = try String(contentsOf: url, encoding: .utf8)
    try edit(text).write(to: url, atomically: true, encoding: .utf8)
    return dir
  }

  @Test func checkAcceptsTheFixture() throws {
    let r = try CLI.run(["check", "--data", Self.fixtures.appendingPathComponent("small").path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("OK — 4 items, 4 producers"))
  }

  @Test func checkListsEveryProblemAndFails() throws {
    let dir = try Self.brokenCopy("producers.toml") {
      $0.replacingOccurrences(of: "capacity = 18000", with: "capacity = -18000")
        .replacingOccurrences(of: "country = \"UA\"", with: "country = \"XX\"")
    }
    let r = try CLI.run(["check", "--data", dir.path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("2 problems in the input"))
    #expect(
      r.stderr.contains(
        "producers.toml:15: producer \"chargeworks\" › product #1 › capacity: value -18000; expected a number ≥ 0"))
    #expect(r.stderr.contains("producers.toml:29: producer \"dronefab\" › country: value \"XX\"; unknown country"))
  }

  /// A misspelt [horizon] is named with its line, beside the missing [horizon].
  @Test func aMisspeltHorizonIsNamed() throws {
    let dir = try Self.brokenCopy("dataset.toml") { $0.replacingOccurrences(of: "[horizon]", with: "[horizn]") }
    let r = try CLI.run(["check", "--data", dir.path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("horizon: is missing"), "\(r.stderr)")
    #expect(r.stderr.contains("horizn: unknown key"), "\(r.stderr)")
  }

  @Test func solveWritesTheReportFiles() throws {
    let out = try Self.temporaryFolder().appendingPathComponent("report")
    let r = try CLI.run(["solve", "--data", Self.fixtures.appendingPathComponent("small").path, "--out", out.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("baseline: optimal"))
    for name in [
      "report.md", "allocations.csv", "shortfalls.csv", "bottlenecks.csv", "utilisation.csv", "summary.json",
    ] {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
    }
    let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(report.contains("propellant charges, Chargeworks"))
  }

  /// The relaxation step is the planner's: +25 % of Chargeworks' 18,000 charges a month over
  /// the 3 months it binds is 13,500 charges, which make 13,500 more rounds.
  @Test func theStepIsSettablePerKind() throws {
    let out = try Self.temporaryFolder().appendingPathComponent("report")
    let small = Self.fixtures.appendingPathComponent("small").path
    let r = try CLI.run([
      "solve", "--data", small, "--out", out.path, "--kind-step", "component=25", "--budget-step", "1",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(report.contains("+25 % in each of the 3 months it binds (+13,500 charges in all)"))
    #expect(report.contains("13,500 rounds of 155 mm rounds for the front line"))
    #expect(report.contains("+€1.0 M from 2027-01"))
    let bad = try CLI.run(["solve", "--data", small, "--out", out.path, "--kind-step", "compnent=25", "--step", "0"])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("unknown kind of limit \"compnent\"; expected one of: production-capacity"))
    #expect(bad.stderr.contains("step 0.0: expected a percent > 0"))
  }

  @Test func solveOnBadInputWritesNothing() throws {
    let dir = try Self.brokenCopy("demand.csv") { $0 + "nobody,155mm,2027-01,5,test\n" }
    let out = dir.deletingLastPathComponent().appendingPathComponent("report")
    let r = try CLI.run(["solve", "--data", dir.path, "--out", out.path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("demand.csv:5: column consumer: value \"nobody\"; unknown consumer"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func unknownScenarioIsAnError() throws {
    let r = try CLI.run([
      "solve", "--data", Self.fixtures.appendingPathComponent("small").path, "--scenario", "nope", "--out",
      "/tmp/never",
    ])
    #expect(r.status == 64)
    #expect(r.stderr.contains("unknown scenario \"nope\""))
    // compare names every unknown scenario, before solving any.
    let c = try CLI.run([
      "compare", "--data", Self.fixtures.appendingPathComponent("small").path, "nope", "baseline", "nada",
      "--out", "/tmp/never",
    ])
    #expect(c.status == 64)
    #expect(c.stderr.contains("unknown scenarios \"nope\", \"nada\""), "\(c.stderr)")
  }

  @Test func missingFolderIsAnError() throws {
    let r = try CLI.run(["check", "--data", "/nonexistent/data"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("/nonexistent/data: does not exist; expected a data set folder"))
  }

  @Test func exportsTheLP() throws {
    let dir = try Self.temporaryFolder()
    let r = try CLI.run([
      "solve", "--data", Self.fixtures.appendingPathComponent("small").path, "--out",
      dir.appendingPathComponent("r").path,
      "--export-lp", dir.appendingPathComponent("m.lp").path, "--export-mps", dir.appendingPathComponent("m.mps").path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let lp = try String(contentsOf: dir.appendingPathComponent("m.lp"), encoding: .utf8)
    #expect(lp.contains("Subject To"))
    let mps = try String(contentsOf: dir.appendingPathComponent("m.mps"), encoding: .utf8)
    #expect(mps.contains("COLUMNS"))
  }

  /// GLPK's knobs (`--glpk KEY=VALUE`, for measuring them) change the path, not the plan; a
  /// key or value GLPK does not take is a usage error that says what is expected.
  @Test func glpkKnobsChangeThePathNotThePlan() throws {
    let small = Self.fixtures.appendingPathComponent("small").path
    let dir = try Self.temporaryFolder()
    let plain = try CLI.run(["solve", "--data", small, "--out", dir.appendingPathComponent("a").path, "--quiet"])
    #expect(plain.status == 0, "\(plain.stderr)")
    let tuned = try CLI.run([
      "solve", "--data", small, "--out", dir.appendingPathComponent("b").path, "--no-presolve", "--glpk",
      "scale=none", "--glpk", "bf=btf-bg", "--glpk", "ratio=flip", "--glpk", "tol_piv=1e-9", "--verbose",
    ])
    #expect(tuned.status == 0, "\(tuned.stderr)")
    // Each stage's line gives GLPK's CPU time beside the wall time.
    #expect(tuned.stderr.contains("stage weighted shortfall: "), "\(tuned.stderr)")
    #expect(tuned.stderr.contains(" s (CPU "))
    for name in ["allocations.csv", "shortfalls.csv", "utilisation.csv"] {
      let a = try String(contentsOf: dir.appendingPathComponent("a/\(name)"), encoding: .utf8)
      let b = try String(contentsOf: dir.appendingPathComponent("b/\(name)"), encoding: .utf8)
      #expect(a == b, "\(name) differs with GLPK's knobs changed")
    }
    let unknown = try CLI.run(["solve", "--data", small, "--out", "/tmp/never", "--glpk", "pivot=3"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("\"pivot\": not a GLPK parameter Arsenal sets; expected one of scale="))
    let bad = try CLI.run(["bench", "--data", small, "--glpk", "tol_piv=2"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("\"tol_piv=2\": the value is not one GLPK takes"))
    #expect(!FileManager.default.fileExists(atPath: "/tmp/never"))
  }

  /// The relaxation analysis's workers trade memory for time and change nothing written; a
  /// count below one is a usage error that writes nothing.
  @Test func theAnalysisWorkersChangeNoFile() throws {
    let small = Self.fixtures.appendingPathComponent("small").path
    let dir = try Self.temporaryFolder()
    var reports: [[String: String]] = []
    for workers in ["1", "3"] {
      let out = dir.appendingPathComponent("w\(workers)")
      let r = try CLI.run(["solve", "--data", small, "--out", out.path, "--workers", workers, "--quiet"])
      #expect(r.status == 0, "\(r.stderr)")
      var files: [String: String] = [:]
      for name in ["bottlenecks.csv", "report.md", "allocations.csv"] {
        files[name] = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
      }
      reports.append(files)
    }
    #expect(reports[0] == reports[1])
    #expect(reports[0]["bottlenecks.csv"]?.split(separator: "\n").count ?? 0 > 1)
    let never = dir.appendingPathComponent("never")
    let bad = try CLI.run(["solve", "--data", small, "--out", never.path, "--workers", "0"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("--workers must be at least 1"))
    #expect(!FileManager.default.fileExists(atPath: never.path))
    let badHedge = try CLI.run(["hedge", "ceasefire", "--out", never.path, "--workers", "0"])
    #expect(badHedge.status == 64)
    #expect(badHedge.stderr.contains("--workers must be at least 1"))
    #expect(!FileManager.default.fileExists(atPath: never.path))
  }

  /// `sweep --verbose` says where the warm points' time went, stage by stage.
  @Test func sweepVerboseBreaksDownAWarmPoint() throws {
    let dir = try Self.temporaryFolder()
    let r = try CLI.run([
      "sweep", "--data", Self.fixtures.appendingPathComponent("small").path, "--param",
      "capacity producer=chargeworks from=0.5 to=1.5 step=0.25", "--out", dir.path, "--workers", "1", "--verbose",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    // 5 points on one worker: the first cold, the other 4 warm from the point before.
    #expect(r.stdout.contains("4 warm ("), "\(r.stdout)")
    #expect(r.stdout.contains("1 cold ("), "\(r.stdout)")
    let line = try #require(r.stderr.split(separator: "\n").first { $0.hasPrefix("per warm point (4): ") })
    for part in ["formulate ", "weighted shortfall ", " (CPU ", " it.)", "whole lots ", "rest "] {
      #expect(line.contains(part), "\(line)")
    }
  }

  @Test func scenariosAreListed() throws {
    let r = try CLI.run(["scenarios", "--data", Self.fixtures.appendingPathComponent("small").path])
    #expect(r.status == 0)
    #expect(r.stdout.contains("more-charges  Charge capacity up by half."))
  }

  /// `compare NAME` with a comparison the data set defines writes what `arsenal reports`
  /// writes for it, byte for byte; one plain scenario alone is a usage error.
  @Test func aNamedComparisonRunsAsInReports() throws {
    let root = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent()
    let bundled = root.appendingPathComponent("Inputs/europe-2027").path
    let out = try Self.temporaryFolder().appendingPathComponent("cmp")
    // Run from the package root, as `arsenal reports` was, so the data set path reads the same.
    let r = try CLI.run(["compare", "--data", "Inputs/europe-2027", "materials", "--out", out.path], in: root)
    #expect(r.status == 0, "\(r.stderr)")
    for file in ["comparison.md", "comparison.csv"] {
      let made = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
      let committed = try String(
        contentsOf: root.appendingPathComponent("Reports/compare-materials/\(file)"), encoding: .utf8)
      #expect(made == committed, "\(file) differs from Reports/compare-materials")
    }
    let one = try CLI.run(["compare", "--data", bundled, "baseline"])
    #expect(one.status == 64)
    #expect(one.stderr.contains("the name of a comparison the data set defines"))
  }

  /// `arsenal reports` writes every scenario, comparison and named sweep (what `make reports`
  /// runs); `--no-sweeps` leaves the sweeps out.
  @Test func reportsWritesTheNamedSweepsToo() throws {
    let dir = try Self.temporaryFolder().appendingPathComponent("data")
    try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("small"), to: dir)
    try """
    [sweep.charges]
    description = "Charge capacity at one and two times today's."
    scenarios = ["baseline"]

      [[sweep.charges.parameter]]
      kind = "capacity"
      producer = "chargeworks"
      # assumption: two points.
      values = [1, 2]
    """.write(to: dir.appendingPathComponent("sweeps.toml"), atomically: true, encoding: .utf8)
    let all = dir.deletingLastPathComponent().appendingPathComponent("all")
    let r = try CLI.run(["reports", "--data", dir.path, "--out", all.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(FileManager.default.fileExists(atPath: all.appendingPathComponent("sweep-charges/sweep.csv").path))
    #expect(FileManager.default.fileExists(atPath: all.appendingPathComponent("baseline/report.md").path))
    let some = dir.deletingLastPathComponent().appendingPathComponent("some")
    let s = try CLI.run(["reports", "--data", dir.path, "--out", some.path, "--no-sweeps"])
    #expect(s.status == 0, "\(s.stderr)")
    #expect(!FileManager.default.fileExists(atPath: some.appendingPathComponent("sweep-charges").path))
  }

  /// Without --data, the bundled data set is found from any folder: from a clone (beside the
  /// built binary) and after `make install` (PREFIX/share/arsenal beside PREFIX/bin).
  @Test func theBundledDataIsFoundFromAnyFolder() throws {
    let elsewhere = try Self.temporaryFolder()
    let r = try CLI.run(["check"], in: elsewhere)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("europe-2027: OK"))
    // An installed layout: the binary in PREFIX/bin, the data in PREFIX/share/arsenal.
    let prefix = elsewhere.appendingPathComponent("prefix")
    let bin = prefix.appendingPathComponent("bin")
    let share = prefix.appendingPathComponent("share/arsenal")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: CLI.executable, to: bin.appendingPathComponent("arsenal"))
    let bundled = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Inputs/europe-2027")
    try FileManager.default.copyItem(at: bundled, to: share.appendingPathComponent("europe-2027"))
    let installed = Process()
    installed.executableURL = bin.appendingPathComponent("arsenal")
    installed.arguments = ["scenarios"]
    installed.currentDirectoryURL = elsewhere
    let out = Pipe()
    installed.standardOutput = out
    installed.standardError = Pipe()
    try installed.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    installed.waitUntilExit()
    #expect(installed.terminationStatus == 0)
    #expect(text.contains("capacity-official"))
    // Where there is no data set to find, the error says how to point to one.
    let missing = try CLI.run(["check", "--data", "nowhere"], in: elsewhere)
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("pass --data <folder>"))
  }

  /// A default output folder is named after every option that changes the result, so a run
  /// with another policy or data set never replaces the default run's report.
  @Test func defaultFoldersNameWhatChangesTheResult() throws {
    let here = try Self.temporaryFolder()
    let small = Self.fixtures.appendingPathComponent("small").path
    #expect(try CLI.run(["solve", "--data", small], in: here).status == 0)
    #expect(try CLI.run(["solve", "--data", small, "--policy", "lexicographic", "--step", "25"], in: here).status == 0)
    let folders = try FileManager.default.contentsOfDirectory(atPath: here.appendingPathComponent("Reports").path)
      .filter { !$0.hasPrefix(".") }.sorted()
    #expect(folders == ["baseline--data-small", "baseline--data-small--policy-lexicographic--step-25"])
  }

  /// `check --json` gives tools the problems and warnings with their kinds, on stdout.
  @Test func checkPrintsJSON() throws {
    let dir = try Self.brokenCopy("producers.toml") {
      $0.replacingOccurrences(of: "capacity = 18000", with: "capacity = -18000")
    }
    let bad = try CLI.run(["check", "--data", dir.path, "--json"])
    #expect(bad.status == 65)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any])
    #expect(object["ok"] as? Bool == false)
    let problems = try #require(object["problems"] as? [[String: Any]])
    #expect(problems.count == 1)
    #expect(problems.first?["kind"] as? String == "invalidValue")
    #expect(problems.first?["file"] as? String == "producers.toml")
    #expect(problems.first?["line"] as? Int == 15)
    let good = try CLI.run(["check", "--data", Self.fixtures.appendingPathComponent("small").path, "--json"])
    #expect(good.status == 0)
    let ok = try #require(try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any])
    #expect(ok["ok"] as? Bool == true)
    let warnings = try #require(ok["warnings"] as? [[String: Any]])
    #expect(!warnings.isEmpty && warnings.allSatisfy { $0["kind"] as? String == "uncited-number" })
    #expect((ok["model"] as? [String: Any])?["producers"] as? Int == 4)
  }

  /// `risk --json` and `merge --json` print one object each, with `--quiet` too.
  @Test func riskShardsAndTheirMergePrintJSON() throws {
    let base = try Self.temporaryFolder()
    let data = base.appendingPathComponent("data")
    try ClusterTests.dataSet(in: data)
    var folders: [String] = []
    for i in 1...2 {
      let out = base.appendingPathComponent("shard-\(i)").path
      let r = try CLI.run([
        "risk", "study", "--data", data.path, "--out", out, "--shard", "\(i)/2", "--measure", "2", "--json", "--quiet",
      ])
      #expect(r.status == 0, "\(r.stderr)")
      let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
      #expect(object["folder"] as? String == out)
      #expect(object["interrupted"] as? Bool == false)
      #expect((object["finished"] as? Double).map { $0 > 0 } == true)
      folders.append(out)
    }
    let merged = base.appendingPathComponent("merged").path
    let m = try CLI.run(["merge", "--out", merged, "--json", "--quiet"] + folders)
    #expect(m.status == 0, "\(m.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(m.stdout.utf8)) as? [String: Any])
    #expect(object["study"] as? String == "risk" && object["shards"] as? Double == 2)
    #expect((object["files"] as? [String])?.contains { $0.hasSuffix("/risk.json") } == true)
  }

  /// `solve --json` prints the summary.json it wrote.
  @Test func solvePrintsItsSummaryAsJSON() throws {
    let out = try Self.temporaryFolder().appendingPathComponent("j")
    let r = try CLI.run([
      "solve", "--data", Self.fixtures.appendingPathComponent("small").path, "--out", out.path, "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let written = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(r.stdout == written)
    #expect(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) is [String: Any])
  }

  /// `--quiet` prints nothing on success; the files are written all the same.
  @Test func quietPrintsNothing() throws {
    let out = try Self.temporaryFolder().appendingPathComponent("q")
    let r = try CLI.run([
      "solve", "--data", Self.fixtures.appendingPathComponent("small").path, "--out", out.path, "--quiet",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.isEmpty)
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.md").path))
  }

  /// `arsenal --help` documents the exit codes the tests above check.
  @Test func helpListsTheExitCodes() throws {
    let r = try CLI.run(["--help"])
    #expect(r.status == 0)
    let help = r.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
    for part in [
      "75 a stage not solved to optimality", "64 usage", "65 the input data", "74 the outputs", "130 interrupted",
    ] {
      #expect(help.contains(part), "--help lacks \(part)")
    }
  }

  /// The bundled data set's comparisons and sweeps are listed after its scenarios.
  @Test func comparisonsAndSweepsAreListed() throws {
    let bundled = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Inputs/europe-2027").path
    let r = try CLI.run(["scenarios", "--data", bundled])
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let comparisons = try #require(lines.firstIndex { $0.hasPrefix("Comparisons") })
    let sweeps = try #require(lines.firstIndex { $0.hasPrefix("Sweeps") })
    #expect(comparisons < sweeps)
    #expect(
      lines[comparisons...].contains { $0.hasPrefix("capacity-claims ") && $0.contains("baseline, capacity-official") })
    #expect(lines[sweeps...].contains { $0.hasPrefix("aschau-charges ") })
  }

  @Test func compareWritesMarkdownAndCSV() throws {
    let out = try Self.temporaryFolder().appendingPathComponent("cmp")
    let r = try CLI.run([
      "compare", "--data", Self.fixtures.appendingPathComponent("small").path, "baseline", "more-charges", "--out",
      out.path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let csv = try String(contentsOf: out.appendingPathComponent("comparison.csv"), encoding: .utf8)
    #expect(csv.contains("front-line,Front line,shortfall,155mm,155 mm rounds: shortfall,rounds,36000,9000,-27000"))
  }
}

@Suite struct MethodTests {
  /// Interior point solves but leaves no basis: the report says there are no bottleneck
  /// values instead of failing.
  @Test func interiorPointSolvesAndSaysWhyNoBottlenecks() throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("r")
    let r = try CLI.run([
      "solve", "--data", EndToEndTests.fixtures.appendingPathComponent("small").path, "--method", "interior", "--out",
      out.path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(report.contains("The interior-point method leaves no simplex basis"))
    #expect(report.contains("interior-point simplex") == false)
  }

  @Test(arguments: ["dual", "dual-primal", "primal"])
  func everySimplexMethodGivesTheSameCoverage(method: String) throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("r")
    let r = try CLI.run([
      "solve", "--data", EndToEndTests.fixtures.appendingPathComponent("small").path, "--method", method, "--out",
      out.path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let data = try Data(contentsOf: out.appendingPathComponent("summary.json"))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let front = (root["coverage"] as? [String: Any])?["front-line"] as? [String: Any]
    let family = (front?["families"] as? [String: Any])?["other"] as? [String: Any]
    // 54,000 of 90,000 rounds (weight 1) and 30,000 of 60,000 drones (weight 0.1):
    // (54,000 + 3,000) / (90,000 + 6,000) = 0.59375.
    #expect(family?["coverage"] as? Double == 0.59375)
  }
}
