import Foundation
import Testing

/// `arsenal check` and the data lint, end to end: warnings after the summary with exit 0,
/// and uncited numbers as errors (exit 1) under `--strict-sources`.
@Suite struct CheckLintTests {
  /// A copy of the small fixture with `edit` applied to each file it returns a new text for.
  static func copy(_ edit: (String, String) -> String?) throws -> URL {
    let dir = try EndToEndTests.temporaryFolder().appendingPathComponent("data")
    try FileManager.default.copyItem(at: EndToEndTests.fixtures.appendingPathComponent("small"), to: dir)
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
      let url = dir.appendingPathComponent(name)
      let text = try String(contentsOf: url, encoding: .utf8)
      if let edited = edit(name, text) { try edited.write(to: url, atomically: true, encoding: .utf8) }
    }
    return dir
  }

  /// The fixture with a funder that may buy from no producer of what its consumer needs.
  static func westFundBuyingInBetaland() throws -> URL {
    try copy { name, text in
      name == "funders.toml" ? text.replacingOccurrences(of: #"buys_from = "WEST""#, with: #"buys_from = "BB""#) : nil
    }
  }

  static let crossChecks = [
    #"  funders.toml:16: funder "west-fund" › buys_from: value "BB"; buys_from selects no producer of what the "#
      + "consumers it pays for need (155mm, drone): it can pay for nothing",
    #"  demand.csv:2: consumer "front" › demand "155mm": its only producer is barred from delivering to this "#
      + "consumer (1 by its funders' buys_from)",
  ]

  @Test func warningsFollowTheSummaryAndTheCommandSucceeds() throws {
    let r = try CLI.run(["check", "--data", try Self.westFundBuyingInBetaland().path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.isEmpty)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.contains("OK — 4 items, 4 producers") == true)
    #expect(lines.dropFirst().first == "22 warnings:")
    #expect(Array(lines.dropFirst(2).prefix(2)) == Self.crossChecks)
    #expect(lines.count == 24)
    #expect(
      lines.contains(
        #"  producers.toml:15: producer "chargeworks" › product #1 › capacity: value 18000; "#
          + "no source: or assumption: comment"))
    #expect(
      lines.contains(
        "  stockpile_targets.csv:2: row army-aa,155mm,2027-03 › level: value 5000; no source column and no "
          + "source: or assumption: in a note or comment cell"))
  }

  @Test func strictSourcesMakesUncitedNumbersErrors() throws {
    let r = try CLI.run(["check", "--data", try Self.westFundBuyingInBetaland().path, "--strict-sources"])
    #expect(r.status == 65)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    // No "OK" line above the error: the warnings, then the error on stderr.
    #expect(lines == ["2 warnings:"] + Self.crossChecks)
    #expect(
      r.stderr.hasPrefix(
        "error: 20 numbers have no source (--strict-sources; docs/INPUTS.md, Sources and the data lint):\n"
          + "  dataset.toml:8: horizon › periods: value 3; no source: or assumption: comment\n"))
    #expect(r.stderr.split(separator: "\n").count == 21)
  }

  @Test func aFullyCitedDataSetPassesStrictSources() throws {
    let dir = try Self.copy { name, text in
      if name.hasSuffix(".toml") { return "# assumption (all below): test figures.\n" + text }
      if name == "stockpile_targets.csv" {
        return text.replacingOccurrences(of: "level\n", with: "level,source\n").replacingOccurrences(
          of: "5000\n", with: "5000,test\n")
      }
      return nil
    }
    let r = try CLI.run(["check", "--data", dir.path, "--strict-sources"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.split(separator: "\n").count == 1, "\(r.stdout)")
  }
}
