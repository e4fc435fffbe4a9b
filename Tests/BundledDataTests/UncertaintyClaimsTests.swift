import Foundation
import Reports
import Testing

/// The summaries of the committed risk study and hedge say what their own CSV files hold.
@Suite struct UncertaintyClaimsTests {
  static let reports = packageRoot.appendingPathComponent("Reports")

  func summary(_ file: URL) throws -> String {
    let text = try String(contentsOf: file, encoding: .utf8)
    let start = try #require(text.range(of: "## Summary\n\n"))
    let rest = text[start.upperBound...]
    return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
  }

  @Test func hedgeSummaryMatchesItsTable() throws {
    let folder = Self.reports.appendingPathComponent("hedge-ceasefire")
    let rows = try readCSV(folder.appendingPathComponent("hedge.csv").path)
    func expected(_ plan: String, _ column: String) throws -> Double {
      let row = try #require(rows.first { $0["plan"] == plan && $0["path"] == "expected" }, "no \(plan)")
      return try #require(Double(row[column] ?? ""), "\(plan) \(column)")
    }
    let text = try summary(folder.appendingPathComponent("hedge.md"))
    let hedgedFirst = try expected("hedged", "first_stage_eur")
    let betFirst = try expected("plan for ceasefire-none", "first_stage_eur")
    #expect(text.contains("buys \(Fmt.money(hedgedFirst)) of deliveries and expansion orders"))
    #expect(text.contains("alone (the most likely path) buys \(Fmt.money(betFirst))"))
    #expect(text.contains("so the hedge costs \(Fmt.money(hedgedFirst - betFirst)) more now"))
    let hedged = try expected("hedged", "objective")
    let bet = try expected("plan for ceasefire-none", "objective")
    let mean = try expected("plan for the mean demand", "objective")
    let perfect = try expected("perfect information", "objective")
    // Differences within the stages' tolerance (10⁻⁹ relative) read 0.
    func gap(_ a: Double, _ b: Double) -> Double { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) ? 0 : a - b }
    #expect(
      gap(bet, hedged) == 0
        ? text.contains("leaves the same expected weighted shortfall (\(Fmt.value(hedged)))")
        : text.contains("saves \(Fmt.value(gap(bet, hedged))) of expected weighted shortfall (\(Fmt.value(bet))"))
    #expect(text.contains("saves \(Fmt.value(gap(mean, hedged))) of expected weighted shortfall (\(Fmt.value(mean))"))
    let costSaved = try expected("plan for ceasefire-none", "cost_eur") - expected("hedged", "cost_eur")
    #expect(text.contains("saves \(Fmt.money(costSaved)) in expectation"))
    #expect(gap(hedged, perfect) >= 0)
    // Only the gap to the mean-demand plan is the value of the stochastic solution.
    #expect(text.components(separatedBy: ": the value of the stochastic solution.").count == 2)
    #expect(text.contains("plan for the mean demand's first stage (every path re-planned after it)"))
    #expect(text.contains(": what hedging gains over planning for that path alone."))
    let evpiCost = try expected("hedged", "cost_eur") - expected("perfect information", "cost_eur")
    #expect(text.contains("would save \(Fmt.money(evpiCost)) in expectation"))
    // The front line by family: the sentence lists the table's expected column, and the least
    // covered family's row path by path.
    let report = try MarkdownReport(path: folder.appendingPathComponent("hedge.md").path)
    let table = try #require(
      MarkdownReport.table(report.section("## Front line by item family, with the hedged plan"), with: "family"))
    let familyRows = table.rows.map { ($0["family"] ?? "", $0) }
    let families = familyRows.map { "\($0.0) \($0.1["expected"] ?? "")" }
    #expect(text.contains("the front line expects, value-weighted within each family, \(listed(families)) of"))
    let least = try #require(
      familyRows.min {
        (PrintedNumber($0.1["expected"] ?? "")?.value ?? 0, $0.0) < (
          PrintedNumber($1.1["expected"] ?? "")?.value ?? 0, $1.0
        )
      })
    let paths = table.header.dropFirst().dropLast().map { "\(least.1[$0] ?? "") under \($0)" }
    #expect(text.contains("its least covered family, \(least.0), gets \(listed(Array(paths)))"))
  }

  @Test func riskSummaryMatchesItsTable() throws {
    let folder = Self.reports.appendingPathComponent("risk-baseline")
    let rows = try readCSV(folder.appendingPathComponent("risk.csv").path)
    let text = try summary(folder.appendingPathComponent("risk.md"))
    let coverage = rows.filter { $0["what"] == "coverage" }
    let classes = Set(coverage.compactMap { $0["class"] })
    #expect(!classes.isEmpty)
    var worsts: [(String, String, Double)] = []
    for cls in classes.sorted() {
      let mine = coverage.filter { $0["class"] == cls && Double($0["p10"] ?? "") != nil }
      let worst = try #require(
        mine.min { (Double($0["p10"] ?? "") ?? 1, $0["name"] ?? "") < (Double($1["p10"] ?? "") ?? 1, $1["name"] ?? "") }
      )
      let p10 = Fmt.percent(Double(worst["p10"] ?? "") ?? 1)
      let p50 = Fmt.percent(Double(worst["p50"] ?? "") ?? 1)
      #expect(
        text.contains("gets \(p10) or more of its \(worst["name"] ?? "") (median \(p50)"),
        "\(cls): \(worst["name"] ?? "") at P10 \(p10)")
      worsts.append((cls, worst["id"] ?? "", Double(worst["p10"] ?? "") ?? 1))
    }
    // "In at least 90 % of draws": so many reach the P10 the sentence prints.
    #expect(text.components(separatedBy: "In at least 90 % of draws (P10) the ").count == classes.count + 1)
    let draws = try readCSV(folder.appendingPathComponent("draws.csv").path)
    for (cls, id, p10) in worsts {
      let reach = draws.filter { (Double($0["coverage_\(cls)_\(id)"] ?? "") ?? -1) >= p10 - 1e-6 }.count
      #expect(Double(reach) >= 0.9 * Double(draws.count), "\(cls) \(id): \(reach) of \(draws.count) draws reach \(p10)")
    }
    #expect(draws.count == 500)
    #expect(draws.allSatisfy { $0["status"] == "optimal" })
  }
}
