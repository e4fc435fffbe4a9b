import Foundation
import Reports
import Testing

/// A planner's first hour (issue 19), through the built binary: the traps `check` names,
/// folders that are never overwritten by another question, outputs that pivot and trace.
@Suite struct FirstHourTests {
  static var root: URL { EndToEndTests.fixtures.deletingLastPathComponent().deletingLastPathComponent() }
  static var bundled: URL { root.appendingPathComponent("Inputs/europe-2027") }
  static var small: String { EndToEndTests.fixtures.appendingPathComponent("small").path }

  /// A fresh copy of the bundled data set with `producers.toml` extended by `extra`.
  static func bundledCopy(adding extra: String) throws -> URL {
    let dir = try EndToEndTests.temporaryFolder().appendingPathComponent("data")
    try FileManager.default.copyItem(at: bundled, to: dir)
    let url = dir.appendingPathComponent("producers.toml")
    try (try String(contentsOf: url, encoding: .utf8) + "\n" + extra).write(to: url, atomically: true, encoding: .utf8)
    return dir
  }

  /// The producer block docs/INPUTS.md tells a planner to add.
  static func documentedProducer() throws -> String {
    let text = try String(contentsOf: root.appendingPathComponent("docs/INPUTS.md"), encoding: .utf8)
    let start = try #require(text.range(of: "<!-- add-a-producer -->\n```toml\n"))
    let end = try #require(text.range(of: "```\n<!-- /add-a-producer -->", range: start.upperBound..<text.endIndex))
    return String(text[start.upperBound..<end.lowerBound])
  }

  static func warnings(_ data: URL) throws -> [[String: Any]] {
    let r = try CLI.run(["check", "--data", data.path, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    return try #require(object["warnings"] as? [[String: Any]])
  }

  static func rows(_ file: URL) throws -> [[String: String]] {
    var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
    let header = CSVWriter.fields(of: lines.removeFirst())
    return lines.map { Dictionary(zip(header, CSVWriter.fields(of: $0)), uniquingKeysWith: { a, _ in a }) }
  }

  /// INPUTS.md's add-a-producer block, in a fresh copy of the bundled data: `check` has no
  /// warning about it, and the solved plan uses the plant.
  @Test func addingAProducerAsDocumentedWorks() throws {
    let block = try Self.documentedProducer()
    let data = try Self.bundledCopy(adding: block)
    let about = try Self.warnings(data).filter { ($0["key"] as? String ?? "").contains("example-155-plant") }
    #expect(about.isEmpty, "\(about)")
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("r")
    let r = try CLI.run(["solve", "--data", data.path, "--out", out.path, "--quiet"])
    #expect(r.status == 0, "\(r.stderr)")
    let made = try Self.rows(out.appendingPathComponent("utilisation.csv")).filter {
      $0["producer_id"] == "example-155-plant"
    }
    #expect(made.contains { Double($0["produced"] ?? "") ?? 0 > 0 })

    // The same block without its pool: the plant sits alone in "main", and check says so.
    let alone = try Self.bundledCopy(adding: block.replacingOccurrences(of: "pool = \"europe\"\n", with: ""))
    let kinds = try Self.warnings(alone).filter { ($0["key"] as? String ?? "").contains("example-155-plant") }
      .compactMap { $0["kind"] as? String }
    #expect(kinds.contains("pool-with-one-member"))
    #expect(kinds.contains("input-without-source"))
    // And the report says why the plant stands idle: no source of its inputs in its pool
    // (before "demand already met": it could never make anything).
    let idle = try EndToEndTests.temporaryFolder().appendingPathComponent("r")
    let solved = try CLI.run(["solve", "--data", alone.path, "--out", idle.path, "--quiet"])
    #expect(solved.status == 0, "\(solved.stderr)")
    let reasons = Set(
      try Self.rows(idle.appendingPathComponent("utilisation.csv")).filter { $0["producer_id"] == "example-155-plant" }
        .compactMap { $0["idle_reason_id"] })
    #expect(!reasons.isEmpty && reasons.allSatisfy { $0.hasPrefix("no-source:") }, "\(reasons)")
  }

  /// `100.000` in TOML is 100: check warns where it looks like a thousands separator, and
  /// not on an ordinary decimal.
  @Test func thousandsSeparatorLookalikeIsWarned() throws {
    let dir = try EndToEndTests.brokenCopy("producers.toml") {
      $0.replacingOccurrences(of: "capacity = 18000", with: "capacity = 18.000")
    }
    let found = try Self.warnings(dir).filter { $0["kind"] as? String == "thousands-separator" }
    #expect(found.count == 1)
    #expect(found.first?["line"] as? Int == 15)
    // A CSV exported in a German locale: 30.000 is thirty, said with the column.
    let csv = try EndToEndTests.brokenCopy("demand.csv") {
      $0.replacingOccurrences(of: "front,155mm,2027-01,30000,test", with: "front,155mm,2027-01,30.000,test")
    }
    let inCSV = try Self.warnings(csv).filter { $0["kind"] as? String == "thousands-separator" }
    #expect(inCSV.count == 1)
    #expect(inCSV.first?["line"] as? Int == 2)
    #expect(inCSV.first?["key"] as? String == "quantity")
    #expect(
      try Self.warnings(URL(fileURLWithPath: Self.small)).allSatisfy { $0["kind"] as? String == "uncited-number" })
  }

  /// A folder holding a report of other inputs is refused (exit 74, saying why) unless
  /// `--force`; the same question replaces it silently.
  @Test func reportOfOtherInputsIsNotOverwritten() throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("r")
    #expect(try CLI.run(["solve", "--data", Self.small, "--out", out.path, "--quiet"]).status == 0)
    let before = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
    let again = try CLI.run(["solve", "--data", Self.small, "--out", out.path, "--quiet"])
    #expect(again.status == 0, "\(again.stderr)")
    let other = try CLI.run(["solve", "--data", Self.small, "--out", out.path, "--policy", "lexicographic"])
    #expect(other.status == 74)
    #expect(other.stderr.contains("made from other inputs") && other.stderr.contains("--force"))
    #expect(try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8) == before)
    let forced = try CLI.run([
      "solve", "--data", Self.small, "--out", out.path, "--policy", "lexicographic", "--force", "--quiet",
    ])
    #expect(forced.status == 0, "\(forced.stderr)")
    let marker = try String(contentsOf: out.appendingPathComponent(".arsenal"), encoding: .utf8)
    #expect(marker.contains("made from: scenarios baseline; data set small; policy lexicographic"))
  }

  /// `--spreadsheet` writes CSVs with a UTF-8 byte order mark and CRLF line ends; the
  /// Markdown and JSON files are unchanged.
  @Test func spreadsheetCSVs() throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("x")
    #expect(try CLI.run(["solve", "--data", Self.small, "--out", out.path, "--quiet", "--spreadsheet"]).status == 0)
    let csv = try Data(contentsOf: out.appendingPathComponent("shortfalls.csv"))
    #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let text = String(decoding: csv, as: UTF8.self)
    #expect(text.contains("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    let json = try Data(contentsOf: out.appendingPathComponent("summary.json"))
    #expect(json.first == UInt8(ascii: "{"))
  }

  /// Every shipment row names one producer, the funders who paid (shares adding up to 1),
  /// the route and the rule; the parts of a node's shipment add up to the node's quantity.
  @Test func allocationsPivotByProducerAndTrace() throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("b")
    let r = try CLI.run(["solve", "--data", Self.bundled.path, "--out", out.path, "--quiet"])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try Self.rows(out.appendingPathComponent("allocations.csv"))
    #expect(!rows.isEmpty)
    var sums: [String: (Double, Double)] = [:]
    for row in rows {
      #expect(!(row["producer_id"] ?? "+").contains("+"))
      let key = [row["supply_node"], row["item_id"], row["consumer_id"], row["shipped"]].map { $0 ?? "" }
        .joined(separator: "|")
      sums[key, default: (0, Double(row["node_quantity"] ?? "") ?? -1)].0 += Double(row["quantity"] ?? "") ?? 0
      if let shares = row["funder_shares"], !shares.isEmpty {
        let total = shares.split(separator: ";").compactMap { Double($0) }.reduce(0, +)
        #expect(abs(total - 1) < 1e-5, "\(row)")
        #expect(shares.split(separator: ";").count == (row["funder_ids"] ?? "").split(separator: ";").count)
      }
      #expect(!(row["route"] ?? "").isEmpty && !(row["rule"] ?? "").isEmpty)
    }
    for (key, (parts, node)) in sums { #expect(abs(parts - node) < 1e-6, "\(key)") }
    #expect(rows.contains { ($0["supply_node"] ?? "").contains("+") })
  }

  /// `--json` on the commands that had none: each prints one JSON object.
  @Test func jsonOnEveryCommand() throws {
    let tmp = try EndToEndTests.temporaryFolder()
    let commands: [[String]] = [
      ["scenarios", "--data", Self.small, "--json"],
      [
        "compare", "--data", Self.small, "baseline", "more-charges", "--out", tmp.appendingPathComponent("c").path,
        "--json",
      ],
      ["generate", "--out", tmp.appendingPathComponent("g").path, "--periods", "3", "--json"],
      ["bench", "--data", Self.small, "--repeat", "1", "--json"],
    ]
    for arguments in commands {
      let r = try CLI.run(arguments)
      #expect(r.status == 0, "\(arguments): \(r.stderr)")
      #expect(
        (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) is [String: Any], "\(arguments): \(r.stdout)")
    }
    let quiet = try CLI.run(["check", "--data", Self.small, "--quiet"])
    #expect(quiet.status == 0 && quiet.stdout.isEmpty)
  }

  /// A run compared twice is a usage error (exit 64), not a crash.
  @Test func aRunComparedTwiceIsAUsageError() throws {
    let r = try CLI.run(["compare", "--data", Self.small, "baseline", "baseline", "--out", "/tmp/never-written"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("repeated: baseline"))
  }

  /// `compare NAME NAME@FOLDER` sets an edited copy against the original, each data set named
  /// in the header.
  @Test func compareAcrossDataSets() throws {
    let copy = try EndToEndTests.brokenCopy("producers.toml") {
      $0.replacingOccurrences(of: "capacity = 18000", with: "capacity = 27000")
    }
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("x")
    let r = try CLI.run(["compare", "--data", Self.small, "baseline", "baseline@\(copy.path)", "--out", out.path])
    #expect(r.status == 0, "\(r.stderr)")
    let md = try String(contentsOf: out.appendingPathComponent("comparison.md"), encoding: .utf8)
    #expect(md.contains("Data set of baseline ") && md.contains("Data set of baseline@data "))
    let csv = try String(contentsOf: out.appendingPathComponent("comparison.csv"), encoding: .utf8)
    #expect(csv.hasPrefix("group_id,group,measure,subject_id,metric,unit,baseline,baseline@data,delta_baseline@data\n"))
  }

  /// docs/man/arsenal.1 (`make man`) documents every option of every command the argument
  /// parser knows, so a new option without a regenerated man page fails here.
  @Test func manPageDocumentsEveryOption() throws {
    let dump = try CLI.run(["--experimental-dump-help"])
    #expect(dump.status == 0)
    let info = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
    let man = try String(contentsOf: Self.root.appendingPathComponent("docs/man/arsenal.1"), encoding: .utf8)
    var missing: [String] = []
    func walk(_ command: [String: Any], path: String) {
      let name = command["commandName"] as? String ?? ""
      if path != "" && !man.contains(".It Em \(name)") { missing.append("command \(path) \(name)") }
      for argument in command["arguments"] as? [[String: Any]] ?? [] {
        for n in argument["names"] as? [[String: Any]] ?? [] where n["kind"] as? String == "long" {
          let option = n["name"] as? String ?? ""
          if !man.contains("Fl -\(option)") { missing.append("\(path) \(name) --\(option)") }
        }
      }
      for sub in command["subcommands"] as? [[String: Any]] ?? [] where sub["commandName"] as? String != "help" {
        walk(sub, path: path + " " + name)
      }
    }
    walk(try #require(info["command"] as? [String: Any]), path: "")
    #expect(missing.isEmpty, "not in docs/man/arsenal.1 (run make man): \(missing)")
  }

  /// The completion scripts call back into arsenal for the data set's names, and it answers
  /// with the scenarios (or comparisons, or sweeps) that start with the word typed.
  @Test func completionsOfferTheDataSetsNames() throws {
    for shell in ["bash", "zsh", "fish"] {
      let script = try CLI.run(["--generate-completion-script", shell])
      #expect(script.status == 0 && script.stdout.contains("---completion"), "\(shell)")
    }
    func complete(_ arguments: [String], _ words: [String]) throws -> [String] {
      let last = "\(words.count - 1)"
      let r = try CLI.run(["---completion"] + arguments + [last, "\(words.last?.count ?? 0)"] + words, in: Self.root)
      #expect(r.status == 0, "\(r.stderr)")
      return r.stdout.split(separator: "\n").map(String.init)
    }
    #expect(
      try complete(["solve", "--", "--scenario"], ["arsenal", "solve", "--scenario", "us-"])
        == ["us-current", "us-eu-coproduction", "us-minimal", "us-none"])
    #expect(
      try complete(["compare", "--", "positional@0"], ["arsenal", "compare", "ceasefire"]).contains("ceasefire"))
    #expect(try complete(["sweep", "--", "positional@0"], ["arsenal", "sweep", "aschau"]) == ["aschau-charges"])
    let policies = try CLI.run(["--generate-completion-script", "bash"]).stdout
    #expect(policies.contains("'weighted'$'\\n''lexicographic'$'\\n''fair-share'"))
  }

  /// `--xlsx` adds results.xlsx: one sheet per CSV, numbers as numbers, the same bytes for
  /// the same inputs (read back with Debian's unzip).
  @Test func workbookHoldsEveryTable() throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("w")
    #expect(try CLI.run(["solve", "--data", Self.small, "--out", out.path, "--quiet", "--xlsx"]).status == 0)
    let book = out.appendingPathComponent("results.xlsx")
    let first = try Data(contentsOf: book)
    #expect(Array(first.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
    let workbook = try Self.unzip(book, "xl/workbook.xml")
    for sheet in ["allocations", "shortfalls", "bottlenecks", "utilisation"] {
      #expect(workbook.contains("name=\"\(sheet)\""), "no sheet \(sheet)")
    }
    // shortfalls.csv's first row, in the second sheet: its demand, 500, is a number cell (I2).
    let shortfalls = try Self.unzip(book, "xl/worksheets/sheet2.xml")
    #expect(shortfalls.contains("<c r=\"I2\"><v>500</v></c>"))
    #expect(try CLI.run(["solve", "--data", Self.small, "--out", out.path, "--quiet", "--xlsx"]).status == 0)
    #expect(try Data(contentsOf: book) == first)
  }

  static func unzip(_ file: URL, _ member: String) throws -> String {
    try CLI.tool("/usr/bin/unzip", ["-p", file.path, member]).stdout
  }

}
