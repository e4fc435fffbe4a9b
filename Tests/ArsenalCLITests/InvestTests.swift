import Foundation
import Reports
import Testing

/// `arsenal invest` through the built binary, on the bundled data set's named question.
@Suite struct InvestTests {
  static var root: URL { FirstHourTests.root }

  static func json(_ file: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
  }

  /// The named question answered again gives the committed report byte for byte, and every
  /// sentence of its answer says what its tables and files say.
  @Test func bundledQuestionMatchesItsReportAndItsClaims() throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("invest")
    let r = try CLI.run(["invest", "stated-need-2028", "--out", out.path, "--quiet"], in: Self.root)
    #expect(r.status == 0, "\(r.stderr)")
    let committed = Self.root.appendingPathComponent("Reports/invest-stated-need-2028")
    for name in [
      "invest.md", "invest.html", "curve.svg", "portfolio.csv", "added.csv", "curve.csv", "invest.json",
    ] {
      let a = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
      let b = try String(contentsOf: committed.appendingPathComponent(name), encoding: .utf8)
      #expect(a == b, "\(name) differs from Reports/invest-stated-need-2028 (run make reports)")
    }
    let md = try String(contentsOf: out.appendingPathComponent("invest.md"), encoding: .utf8)
    let object = try Self.json(out.appendingPathComponent("invest.json"))
    let portfolio = try #require(object["portfolio"] as? [String: Any])
    let cost = try #require(portfolio["cost_eur"] as? Double)
    let options = try #require(portfolio["options"] as? [String])
    let reaches = try #require(portfolio["reaches_goals"] as? Bool)
    // The first sentence: whether the goals are reached, the cost and the number of options.
    let lead = reaches ? "- The cheapest portfolio" : "- No portfolio reaches every goal"
    let first = try #require(md.split(separator: "\n").first { $0.hasPrefix(lead) })
    #expect(first.contains("costs \(Fmt.money(cost))"))
    #expect(
      first.contains(
        options.isEmpty ? "(no investment)" : options.count == 1 ? "(1 option:" : "(\(options.count) options:"))
    // An unreached goal with nothing bought, proven: no portfolio comes closer.
    let proven = try #require(portfolio["proven"] as? Bool)
    #expect(md.contains("brings the goals closer than buying nothing") == (!reaches && options.isEmpty && proven))
    // portfolio.csv: the options of the sentence, their capital adding up to the cost.
    let rows = try FirstHourTests.rows(out.appendingPathComponent("portfolio.csv"))
    #expect(Set(rows.map { $0["option_id"] ?? "" }) == Set(options))
    var total = 0.0
    for id in Set(options) {
      let row = try #require(rows.first { $0["option_id"] == id })
      total += (Double(row["option_capital_eur"] ?? "") ?? .nan) + (Double(row["option_running_eur"] ?? "") ?? .nan)
    }
    #expect(abs(total - cost) < 1)
    // The units-added sentences: added.csv's portfolio rows.
    let added = try FirstHourTests.rows(out.appendingPathComponent("added.csv")).filter { $0["what"] == "portfolio" }
    for row in added {
      let units = try #require(Double(row["units_added"] ?? ""))
      let goal = try #require(row["goal"])
      if units > 0.5 {
        #expect(md.contains("\(Fmt.quantity(units)) more \(row["unit"] ?? "") of `\(goal)` can be met"), "\(goal)")
      } else {
        #expect(!md.contains("of `\(goal)` can be met"))
      }
    }
    // The curve's knees: the sentences list exactly the levels curve.csv marks — the one
    // before the first level no portfolio reaches as the highest reached, the others as turns.
    let curve = try FirstHourTests.rows(out.appendingPathComponent("curve.csv"))
    let edge = curve.indices.filter { i in
      curve[i]["knee"] == "true" && i + 1 < curve.count && curve[i + 1]["reaches_goals"] == "false"
    }
    let knees = curve.indices.filter { curve[$0]["knee"] == "true" && !edge.contains($0) }
      .compactMap { Double(curve[$0]["level"] ?? "") }.map(Fmt.percent)
    if knees.isEmpty {
      #expect(!md.contains("curve turns at"))
    } else {
      let list = knees.count == 1 ? knees[0] : knees.dropLast().joined(separator: ", ") + " and " + (knees.last ?? "")
      #expect(md.contains("curve turns at \(list)"))
    }
    for i in edge {
      let level = Fmt.percent(Double(curve[i]["level"] ?? "") ?? .nan)
      #expect(md.contains("\(level) is the highest level of the curve that a portfolio reaches"), "\(level)")
    }
    // The goals table's "reached" column agrees with the answer.
    #expect(!md.contains("| no      |") == reaches)
  }

  /// Goals written wrongly are refused before anything is solved: exit 64, every problem
  /// named, nothing written.
  @Test func badQuestionsAreUsageErrors() throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("invest")
    let r = try CLI.run(
      [
        "invest", "--goal", "front-line shells >= 90%", "--goal", "front-line 155mm >= 150%", "--out", out.path,
      ], in: Self.root)
    #expect(r.status == 64)
    #expect(r.stderr.contains("goal \"front-line shells >= 90%\": unknown item \"shells\""), "\(r.stderr)")
    #expect(r.stderr.contains("goal \"front-line 155mm >= 150%\""), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("invest.md").path))
    let unknown = try CLI.run(["invest", "no-such-question", "--out", out.path], in: Self.root)
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("stated-need-2028"), "\(unknown.stderr)")
    let both = try CLI.run(["invest", "stated-need-2028", "--goal", "all >= 50%"], in: Self.root)
    #expect(both.status == 64)
    let empty = try CLI.run(["invest", "--goal", "readiness gmlrs >= 90%", "--out", out.path], in: Self.root)
    #expect(empty.status == 64)
    #expect(empty.stderr.contains("its scope has no demand"), "\(empty.stderr)")
    let none = try CLI.run(["invest"], in: Self.root)
    #expect(none.status == 64)
    #expect(none.stderr.contains("--goal"))
  }
}
