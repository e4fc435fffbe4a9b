import Foundation
import PlanningModel
import Testing

/// Every sentence of every committed report is a claim about its own tables: these tests
/// read each summary the way a planner would and check each count, span, percentage and
/// name against the tables (and CSV files) of the same report.
///
/// A sentence no check recognises fails too, so that a new kind of sentence cannot go
/// unchecked. (`regeneratingReportsGivesIdenticalBytes` proves the committed reports are
/// current.)
@Suite struct ClaimsTests {
  static let reports = packageRoot.appendingPathComponent("Reports").path

  static func folders(_ prefix: String?) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: reports).sorted().filter { name in
      var isDirectory: ObjCBool = false
      let path = (reports as NSString).appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        return false
      }
      if let prefix { return name.hasPrefix(prefix) }
      return ["compare-", "sweep-", "invest-", "risk-", "hedge-"].allSatisfy { !name.hasPrefix($0) }
    }
  }

  @Test func everyScenarioSummaryMatchesItsTables() throws {
    let data = try DataSetLoader.load(folder: bundled)
    let folders = try Self.folders(nil)
    #expect(folders.count >= 14)
    var problems: [String] = []
    for folder in folders {
      let path = (Self.reports as NSString).appendingPathComponent(folder)
      let checker = try ScenarioClaims(
        folder: path, model: data.model, scenario: data.scenarios.first { $0.name == folder })
      problems += checker.check().map { "\(folder)/report.md: \($0)" }
    }
    #expect(
      problems.isEmpty, "\(problems.count) claims do not match their tables:\n\(problems.joined(separator: "\n"))")
  }

  @Test func everyComparisonSummaryMatchesItsTables() throws {
    let folders = try Self.folders("compare-")
    #expect(folders.count >= 4)
    var problems: [String] = []
    for folder in folders {
      let report = try MarkdownReport(path: "\(Self.reports)/\(folder)/comparison.md")
      problems += ComparisonClaims(report: report).check().map { "\(folder)/comparison.md: \($0)" }
    }
    #expect(
      problems.isEmpty, "\(problems.count) claims do not match their tables:\n\(problems.joined(separator: "\n"))")
  }

  @Test func everySweepSummaryMatchesItsTables() throws {
    let data = try DataSetLoader.load(folder: bundled)
    let folders = try Self.folders("sweep-")
    #expect(folders.count >= 3)
    var problems: [String] = []
    for folder in folders {
      let path = "\(Self.reports)/\(folder)"
      let checker = try SweepClaims(
        report: MarkdownReport(path: "\(path)/sweep.md"), csv: readCSV("\(path)/sweep.csv"), model: data.model)
      problems += checker.check().map { "\(folder)/sweep.md: \($0)" }
    }
    #expect(
      problems.isEmpty, "\(problems.count) claims do not match their tables:\n\(problems.joined(separator: "\n"))")
  }

  /// The index repeats each scenario's family coverage and top bottleneck and each
  /// comparison's summary: the same figures as the reports it links.
  @Test func theIndexRepeatsTheReports() throws {
    let index = try MarkdownReport(path: "\(Self.reports)/README.md")
    let table = try #require(MarkdownReport.table(index.section("## Scenarios"), with: "scenario"))
    var problems: [String] = []
    for row in table.rows {
      let link = row["scenario"] ?? ""
      // `[name](name/report.md) ([HTML](name/report.html))`: the first link is the Markdown.
      guard let open = link.firstIndex(of: "("), let close = link[open...].firstIndex(of: ")") else { continue }
      let target = String(link[link.index(after: open)..<close])
      let report = try MarkdownReport(path: "\(Self.reports)/\(target)")
      // The classes: those the summary names a gap of ("The largest front line gap …",
      // "Every front line shortfall …"), in its order, else the first with a family table.
      let cell = row["coverage by family"] ?? ""
      let named = report.sentences.compactMap { s -> String? in
        guard s.hasPrefix("The largest ") || s.hasPrefix("Every ") else { return nil }
        return ConsumerClass.allCases.map { $0.title.lowercased() }.first {
          s.hasPrefix("The largest \($0) gap ") || s.hasPrefix("Every \($0) ")
        }
      }
      var expected: [String] = []
      for part in cell.components(separatedBy: "; ") {
        let raw = part.components(separatedBy: ": ").first ?? ""
        guard let cls = ConsumerClass(rawValue: raw), let coverage = report.section("## Coverage"),
          let sub = report.section("### \(cls.title)", in: coverage),
          let table = MarkdownReport.table(sub, with: "family")
        else {
          problems.append("\(target): no family table for the index's class \(raw)")
          continue
        }
        let families = table.rows.map { "\($0["family"] ?? "") \($0["coverage (value-weighted)"] ?? "")" }
        expected.append("\(raw): " + families.joined(separator: ", "))
        if !named.isEmpty && !named.contains(cls.title.lowercased()) {
          problems.append("\(target): the index shows \(raw), the summary names no gap of it")
        }
      }
      if !named.isEmpty && named.count != expected.count {
        problems.append("\(target): the index shows \(expected.count) classes, the summary names gaps of \(named)")
      }
      if cell != expected.joined(separator: "; ") {
        problems.append("\(target): index says \"\(cell)\", the report's family tables \(expected)")
      }
      let bottlenecks = MarkdownReport.table(report.section("## Bottlenecks"), with: "#")
      let top = bottlenecks?.rows.first?["limit"] ?? "—"
      if row["top bottleneck"] != top {
        problems.append("\(target): index top bottleneck \(row["top bottleneck"] ?? ""), report \(top)")
      }
    }
    for folder in try Self.folders("compare-") {
      let report = try MarkdownReport(path: "\(Self.reports)/\(folder)/comparison.md")
      let summary = report.sentences.joined(separator: " ")
      if !index.text.contains(summary) { problems.append("\(folder): the index does not repeat its summary") }
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  /// The reader itself: sentences split outside parentheses, printed numbers compared within
  /// their printed precision.
  @Test func theReaderSplitsSentencesAndComparesPrintedNumbers() {
    let s = MarkdownReport.sentences("It covers 1.62 million rounds (HE. complete). 33.2 % idle. Next (a. B) ends.")
    #expect(s == ["It covers 1.62 million rounds (HE. complete).", "33.2 % idle.", "Next (a. B) ends."])
    #expect(PrintedNumber.same("1.62 million", "1,620,000"))
    #expect(PrintedNumber.same("1.62 million", "1,624,999"))
    #expect(!PrintedNumber.same("1.62 million", "1,626,000"))
    #expect(PrintedNumber.same("€900.0 M", "€0.90 bn"))
    #expect(!PrintedNumber.same("700,000", "700,002"))
    #expect(PrintedNumber.same("−60,000", "-60000"))
    #expect(
      spans(["2027-02", "2027-03", "2027-05"], all: ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05"])
        == "2027-02 to 2027-03, 2027-05")
  }
}

/// Claims of one scenario report.
struct ScenarioClaims {
  let report: MarkdownReport
  let shortfalls: [[String: String]]
  let bottleneckRows: [[String: String]]
  /// The scenario the report runs (none for the baseline).
  let scenario: Scenario?
  let model: PlanningModel

  init(folder: String, model: PlanningModel, scenario: Scenario? = nil) throws {
    self.scenario = scenario
    report = try MarkdownReport(path: "\(folder)/report.md")
    shortfalls = try readCSV("\(folder)/shortfalls.csv")
    bottleneckRows = try readCSV("\(folder)/bottlenecks.csv")
    self.model = model
  }

  var classTitles: [String: ConsumerClass] {
    Dictionary(uniqueKeysWithValues: ConsumerClass.allCases.map { ($0.title.lowercased(), $0) })
  }

  /// Item or group weight by display name.
  var weights: [String: Double] {
    var w: [String: Double] = [:]
    for item in model.items { w[item.name] = item.weight }
    for group in model.substitutes { w[group.name] = group.weight }
    return w
  }

  var periods: [String] {
    var seen: [String] = []
    for row in shortfalls { if let p = row["period"], !seen.contains(p) { seen.append(p) } }
    return seen.sorted()
  }

  /// The class subsections of the coverage section, in order.
  var coverageClasses: [(title: String, families: MarkdownTableReading?, items: MarkdownTableReading?)] {
    guard let body = report.section("## Coverage") else { return [] }
    return body.components(separatedBy: "\n").filter { $0.hasPrefix("### ") && $0 != "### By consumer" }.map {
      heading in
      let sub = report.section(heading, in: body)
      return (
        String(heading.dropFirst(4)), MarkdownReport.table(sub, with: "family"), MarkdownReport.table(sub, with: "unit")
      )
    }
  }

  var targetsByClass: MarkdownTableReading? {
    MarkdownReport.table(report.section("## Stockpile targets"), with: "class")
  }
  var targetsByFamily: MarkdownTableReading? {
    MarkdownReport.table(report.section("## Stockpile targets"), with: "family")
  }
  var targetRows: MarkdownTableReading? {
    MarkdownReport.table(report.section("## Stockpile targets"), with: "by end of")
  }
  var bottlenecks: MarkdownTableReading? { MarkdownReport.table(report.section("## Bottlenecks"), with: "#") }
  var tradeOffs: MarkdownTableReading? {
    MarkdownReport.table(report.section("### Trade-offs", in: report.section("## Bottlenecks")), with: "moves")
  }

  func check() -> [String] {
    var problems: [String] = []
    for sentence in report.sentences {
      if let problem = checkSentence(sentence) { problems.append("\(problem)\n    in: \(sentence)") }
    }
    problems += checkTables()
    if let problem = largestGapsNamed() { problems.append(problem) }
    return problems
  }

  /// `nil` when the sentence says what the tables say.
  func checkSentence(_ s: String) -> String? {
    if s.hasPrefix("Over ") { return coverage(s) }
    if s.contains("stockpile target") && (s.contains(" missed") || s.hasSuffix(" met.")) { return targets(s) }
    if s.hasPrefix("The largest ") { return largestGap(s) }
    if s.hasPrefix("Also short for the ") { return alsoShort(s) }
    if s.hasPrefix("Short for the ") { return unavoidableOnly(s) }
    if s.hasPrefix("Every ") { return everyMet(s) }
    if s.hasPrefix("The top bottleneck") { return bottleneck(s, rank: 1) }
    if s.hasPrefix("Next comes") || s.hasPrefix("Worth as much is ") { return bottleneck(s, rank: 2) }
    if s == "No binding limit's step covers more demand." {
      return (bottlenecks?.rows.isEmpty ?? true) ? nil : "the bottleneck table is not empty"
    }
    if s.hasSuffix("(trade-offs below).") { return tradeOffSentence(s) }
    if s.contains("of end-item capacity (value-weighted) stands idle") { return idle(s) }
    if s.hasPrefix("The optimizer invests ") { return investments(s) }
    if s.hasPrefix("Of the end-item capacity the scenario sets or scales up, ") { return raised(s) }
    if s.hasPrefix("Of the budgets the scenario changes, ") { return changedBudgets(s) }
    if s.hasPrefix("The ") && s.contains(" shortfall ") { return trend(s) }
    return "no check recognises this sentence"
  }

  func coverage(_ s: String) -> String? {
    let horizon = report.text.components(separatedBy: "\n").first { $0.hasPrefix("| Horizon ") } ?? ""
    let cells = horizon.components(separatedBy: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    let parts = cells.count > 2 ? cells[2].components(separatedBy: ", ") : []
    guard parts.count == 2, let start = parts[1].components(separatedBy: " to ").first else {
      return "no horizon in the header"
    }
    var classes: [String] = []
    for c in coverageClasses {
      let name = c.title.lowercased()
      var part = name
      var any = false
      if let families = c.families, !families.rows.isEmpty {
        let unnamed = families.rows.count == 1 && families.rows[0]["family"] == "other"
        let texts = families.rows.map { row -> String in
          var text = (unnamed ? "" : "\(row["family"] ?? "") ") + (row["coverage (value-weighted)"] ?? "")
          if let items = Int(row["items"] ?? ""), items > 1, row["its coverage"] != "100.0 %" {
            text += " (worst: \(row["worst item"] ?? "") at \(row["its coverage"] ?? ""))"
          }
          return text
        }
        part += " gets \(listed(texts)) of its consumption"
        any = true
      }
      if let t = targetsByClass?.row("class", name), t["targets"] != "0" {
        // Within each family where there are several (the family table).
        let families = (targetsByFamily?.rows ?? []).filter { $0["class"] == name }
        let held =
          families.count > 1
          ? listed(families.map { "\($0["family"] ?? "") \($0["reached (value-weighted)"] ?? "")" })
          : t["reached (value-weighted)"] ?? ""
        part += (any ? " and holds " : " holds ") + "\(held) of its stockpile targets"
        any = true
      }
      if any { classes.append(part) }
    }
    let expected =
      "Over \(parts[0]) from \(start), value-weighted within each item family, " + classes.joined(separator: "; ") + "."
    return s == expected ? nil : "expected from the coverage tables: \(expected)"
  }

  /// The class the gap sentences are about: the first by rank with avoidable shortfall, else
  /// the first with demand.
  var gapClass: (title: String, families: MarkdownTableReading?, items: MarkdownTableReading?)? {
    func avoidable(_ row: [String: String]) -> Double {
      (PrintedNumber(row["shortfall"] ?? "")?.value ?? 0)
        - (PrintedNumber(row["of which unavoidable"] ?? "")?.value ?? 0)
    }
    let withDemand = coverageClasses.filter { c in
      c.items?.rows.contains { (PrintedNumber($0["demand"] ?? "")?.value ?? 0) > 0 } ?? false
    }
    return withDemand.first { c in c.items?.rows.contains { avoidable($0) > 1e-6 } ?? false } ?? withDemand.first
  }

  /// The gap class's rows with an avoidable shortfall, largest weighted first.
  func gaps() -> (title: String, rows: [[String: String]])? {
    guard let top = gapClass else { return nil }
    return (top.title.lowercased(), gaps(of: top))
  }

  /// A class's rows with an avoidable shortfall, largest weighted first.
  func gaps(of c: (title: String, families: MarkdownTableReading?, items: MarkdownTableReading?)) -> [[String: String]]
  {
    func avoidable(_ row: [String: String]) -> Double {
      (PrintedNumber(row["shortfall"] ?? "")?.value ?? 0)
        - (PrintedNumber(row["of which unavoidable"] ?? "")?.value ?? 0)
    }
    let w = weights
    return (c.items?.rows ?? []).filter { avoidable($0) > 0 }.sorted {
      avoidable($0) * (w[$0["item"] ?? ""] ?? 1) > avoidable($1) * (w[$1["item"] ?? ""] ?? 1)
    }
  }

  /// Each class with an avoidable gap has one "The largest … gap" sentence; the gap class's
  /// comes first.
  func largestGapsNamed() -> String? {
    let expected = coverageClasses.filter { !gaps(of: $0).isEmpty }.map { $0.title.lowercased() }
    let first = gapClass.map { [$0.title.lowercased()] } ?? []
    let order = first.filter { expected.contains($0) } + expected.filter { !first.contains($0) }
    let named = report.sentences.filter {
      $0.hasPrefix("The largest ") && $0.contains(" gap by value (units short × item weight) is in ")
    }.compactMap {
      s in classTitles.keys.first { s.hasPrefix("The largest \($0) gap by value (units short × item weight) is in ") }
    }
    return named == order ? nil : "largest gaps named for \(named), the tables have avoidable gaps for \(order)"
  }

  func largestGap(_ s: String) -> String? {
    guard
      let title = classTitles.keys.first(where: {
        s.hasPrefix("The largest \($0) gap by value (units short × item weight) is in ")
      }),
      let c = coverageClasses.first(where: { $0.title.lowercased() == title })
    else { return "no class for: \(s.prefix(40))" }
    guard let g = gaps(of: c).first, let item = g["item"], let unit = g["unit"] else {
      return "no avoidable gap in the tables"
    }
    let head = "The largest \(title) gap by value (units short × item weight) is in \(item): "
    guard s.hasPrefix(head) else { return "expected it to start: \(head)" }
    var rest = String(s.dropFirst(head.count).dropLast())  // no final period
    guard let short = rest.range(of: " \(unit) short of ") else { return "no \"\(unit) short of\"" }
    let shortfall = String(rest[..<short.lowerBound])
    rest = String(rest[short.upperBound...])
    guard let open = rest.range(of: " (") else { return "no coverage" }
    let demand = String(rest[..<open.lowerBound])
    rest = String(rest[open.upperBound...])
    guard PrintedNumber.same(shortfall, g["shortfall"] ?? ""), PrintedNumber.same(demand, g["demand"] ?? "") else {
      return "shortfall \(shortfall) of \(demand); table: \(g["shortfall"] ?? "") of \(g["demand"] ?? "")"
    }
    guard rest.hasPrefix("\(g["coverage"] ?? "") covered)") else {
      return "coverage differs from the table's \(g["coverage"] ?? "")"
    }
    rest = String(rest.dropFirst("\(g["coverage"] ?? "") covered)".count))
    if rest.hasPrefix(", of which ") {
      let unavoidable = rest.dropFirst(", of which ".count).components(separatedBy: " unavoidable").first ?? ""
      guard PrintedNumber.same(unavoidable, g["of which unavoidable"] ?? "") else {
        return "unavoidable \(unavoidable)"
      }
      rest = String(rest.dropFirst(", of which ".count + unavoidable.count + " unavoidable".count))
    } else if g["of which unavoidable"] != "0" {
      return "the table shows \(g["of which unavoidable"] ?? "") unavoidable; the sentence does not"
    }
    guard let worst = worstSpan(title: title, item: item) else {
      return rest.isEmpty ? nil : "a worst span \"\(rest)\" where shortfalls.csv has no shortfall"
    }
    let opening = ", worst in \(worst.spans) ("
    let tail = " \(worst.unit)\(worst.each))"
    guard rest.hasPrefix(opening), rest.hasSuffix(tail), rest.count > opening.count + tail.count else {
      return "worst span \"\(rest)\", shortfalls.csv gives \"\(opening)…\(tail)\""
    }
    let number = String(rest.dropFirst(opening.count).dropLast(tail.count))
    return PrintedNumber.same(number, String(format: "%.0f", worst.peak))
      ? nil : "worst shortfall \(number), shortfalls.csv gives \(worst.peak)"
  }

  /// The class's shortfall of an item per period, from shortfalls.csv.
  func series(title: String, item: String) -> [Double] {
    guard let cls = classTitles[title] else { return [] }
    let all = periods
    var out = [Double](repeating: 0, count: all.count)
    for row in shortfalls where row["class"] == cls.rawValue && row["item"] == item && row["type"] == "consumption" {
      if let t = all.firstIndex(of: row["period"] ?? "") { out[t] += Double(row["shortfall"] ?? "") ?? 0 }
    }
    return out
  }

  /// The periods at the peak shortfall (ties within 10⁻⁶ of it), the peak and its unit, and
  /// " a quarter" when several periods share it.
  func worstSpan(title: String, item: String) -> (spans: String, peak: Double, unit: String, each: String)? {
    let s = series(title: title, item: item)
    guard let peak = s.max(), peak > 0 else { return nil }
    let worst = s.indices.filter { peak - s[$0] <= 1e-6 * peak }
    let unit = shortfalls.first { $0["item"] == item }?["unit"] ?? ""
    let periodName = periods.first?.contains("-Q") == true ? "quarter" : "month"
    let each = worst.count == 1 ? "" : " a \(periodName)"
    return (spans(worst.map { periods[$0] }, all: periods), peak, unit, each)
  }

  func alsoShort(_ s: String) -> String? {
    guard let (title, rows) = gaps(), rows.count > 1 else { return "the tables show one gap or none" }
    let others = rows.dropFirst().prefix(3).map { "\($0["item"] ?? "") (\($0["coverage"] ?? ""))" }
    let expected = "Also short for the \(title): \(listed(Array(others)))."
    return s == expected ? nil : "expected: \(expected)"
  }

  /// The items whose whole shortfall is unavoidable, largest (weighted) first, at most three.
  func unavoidableOnly(_ s: String) -> String? {
    guard let top = gapClass, let items = top.items else { return "no class with demand" }
    func number(_ row: [String: String], _ column: String) -> Double { PrintedNumber(row[column] ?? "")?.value ?? 0 }
    let w = weights
    let rows = items.rows.filter {
      number($0, "shortfall") > 0 && number($0, "shortfall") == number($0, "of which unavoidable")
    }
    .sorted {
      number($0, "shortfall") * (w[$0["item"] ?? ""] ?? 1) > number($1, "shortfall") * (w[$1["item"] ?? ""] ?? 1)
    }
    let named = rows.prefix(3).map { "\($0["item"] ?? "") (\($0["coverage"] ?? ""))" }
    let expected =
      "Short for the \(top.title.lowercased()) but unavoidable within the horizon: \(listed(Array(named)))."
    return s == expected ? nil : "expected: \(expected)"
  }

  func everyMet(_ s: String) -> String? {
    guard let top = gapClass, let rows = top.items?.rows else { return "no class with demand" }
    let title = top.title.lowercased()
    let demand = title.hasSuffix(" demand") ? title : title + " demand"
    if s == "Every \(demand) is met in full." {
      return rows.allSatisfy { $0["shortfall"] == "0" } ? nil : "the table shows a shortfall"
    }
    if s.hasPrefix("Every \(title) shortfall is unavoidable: ") {
      let ok =
        rows.allSatisfy { $0["shortfall"] == $0["of which unavoidable"] } && rows.contains { $0["shortfall"] != "0" }
      return ok ? nil : "the table shows avoidable shortfall, or none"
    }
    return "unrecognised"
  }

  func trend(_ s: String) -> String? {
    guard let (title, _) = gaps() else { return "no gap" }
    guard let cls = classTitles[title] else { return "unknown class" }
    // The last period with any shortfall of the class: before the last third, the sentence
    // says when every shortfall ends.
    let all = periods
    let last = shortfalls.filter { $0["class"] == cls.rawValue && $0["type"] == "consumption" }
      .filter { (Double($0["shortfall"] ?? "") ?? 0) > 0 }.compactMap { all.firstIndex(of: $0["period"] ?? "") }.max()
    if let last, last < all.count - all.count / 3 {
      let expected =
        "The \(title)'s last shortfall falls in \(all[last]): from \(all[last + 1]) to the end of the horizon it "
        + "gets all it consumes."
      return s == expected ? nil : "expected from shortfalls.csv: \(expected)"
    }
    // The item with the largest weighted shortfall over the horizon.
    var names: [String] = []
    for row in shortfalls where row["class"] == cls.rawValue && row["type"] == "consumption" {
      if let item = row["item"], !names.contains(item) { names.append(item) }
    }
    let w = weights
    guard
      let main = names.max(by: {
        series(title: title, item: $0).reduce(0, +) * (w[$0] ?? 1) < series(title: title, item: $1).reduce(0, +)
          * (w[$1] ?? 1)
      })
    else { return "no series" }
    let values = series(title: title, item: main)
    let third = values.count / 3
    let early = values[0..<third].reduce(0, +)
    let late = values[(values.count - third)...].reduce(0, +)
    guard s.hasPrefix("The \(main) shortfall ") else { return "expected the item \(main)" }
    let rest = String(s.dropFirst("The \(main) shortfall ".count))
    func number(after prefix: String, in text: String) -> String? {
      guard let r = text.range(of: prefix) else { return nil }
      return text[r.upperBound...].components(separatedBy: " ").prefix(2).joined(separator: " ")
    }
    if late < early * 0.5 || late > early * 1.5 {
      let verb = late < early * 0.5 ? "shrinks" : "grows"
      guard rest.hasPrefix("\(verb): ") else { return "expected \"\(verb)\" (first third \(early), last \(late))" }
      let parts = rest.dropFirst(verb.count + 2).components(separatedBy: " in the first third of the horizon, ")
      guard parts.count == 2 else { return "unrecognised" }
      let first = parts[0].components(separatedBy: " ").dropLast().joined(separator: " ")
      let last = parts[1].replacingOccurrences(of: " in the last.", with: "")
      return PrintedNumber.same(first, String(early)) && PrintedNumber.same(last, String(late))
        ? nil : "expected \(early) and \(late)"
    }
    guard rest.hasPrefix("averages ") else { return "expected \"averages\" (first third \(early), last \(late))" }
    let mean = values.reduce(0, +) / Double(values.count)
    let printed = rest.dropFirst("averages ".count).components(separatedBy: " ").prefix(1).joined()
    let words = rest.dropFirst("averages ".count).components(separatedBy: " ")
    let figure =
      words.count > 1 && (words[1] == "million" || words[1] == "billion") ? "\(printed) \(words[1])" : printed
    return PrintedNumber.same(figure, String(mean.rounded())) ? nil : "expected a mean of \(mean)"
  }

  /// The sentence on bottleneck #`rank`, its lead saying the ties the table's values show:
  /// a tie with the limits after it, with their number, or "worth as much" as the one before.
  func bottleneck(_ s: String, rank: Int) -> String? {
    guard let row = bottlenecks?.row("#", "\(rank)") else { return "no bottleneck #\(rank) in the table" }
    var values: [String] = []
    while let v = bottlenecks?.row("#", "\(values.count + 1)")?["value"] { values.append(v) }
    let mine = values[rank - 1]
    let after = values[rank...].prefix { $0 == mine }.count
    let lead: String
    if rank == 2 && values[0] == mine {
      lead = "Worth as much is"
    } else if rank == 1 {
      lead =
        after == 0
        ? "The top bottleneck is"
        : after == 1
          ? "The top bottleneck, tied with the next, is" : "The top bottleneck, tied with the next \(after), is"
    } else {
      lead =
        after == 0
        ? "Next comes"
        : after == 1 ? "Next comes, tied with the one after it," : "Next comes, tied with the \(after) after it,"
    }
    let kind = row["kind"] ?? ""
    let step = row["step"] ?? ""
    let covers = (row["what the step covers"] ?? "").components(separatedBy: "; at the cost of ")
    let price = row["price"] ?? "—"
    var expected = "\(lead) \(row["limit"] ?? "") (\(kind), binding \(row["binds"] ?? "")): "
    expected += (kind == "export rule" ? step : "raised \(step)") + ", it covers \(covers[0])"
    if price != "—" { expected += ", at \(price)" }
    if let problem = netPrice(price, rank: rank) { return problem }
    if price.hasSuffix(" net"), let moves = bottleneckRows.first(where: { $0["rank"] == "\(rank)" })?["principal_moves"]
    {
      // The largest saving by money, from bottlenecks.csv's moves ("-140000 at 1520").
      let fewer = moves.components(separatedBy: "; ").compactMap { move -> (units: Double, price: Double)? in
        let parts = move.components(separatedBy: " at ")
        guard parts.count == 2, let u = Double(parts[0]), let p = Double(parts[1]), u < 0 else { return nil }
        return (u, p)
      }.min { $0.units * $0.price < $1.units * $1.price }
      guard let fewer else { return "bottleneck #\(rank): a net price, but no move to fewer in \(moves)" }
      let clause =
        s.components(separatedBy: " (with ").dropFirst().first?.components(separatedBy: " fewer bought at ") ?? []
      let at = String(clause.last?.prefix { $0 != ")" } ?? "")
      guard clause.count == 2, PrintedNumber.same(clause[0], String(-fewer.units)),
        PrintedNumber.same(at, String(fewer.price))
      else { return "net clause \(clause), bottlenecks.csv's largest move to fewer \(fewer)" }
      expected += " (with \(clause[0]) fewer bought at \(at))"
    }
    if let problem = through(s, rank: rank, into: &expected) { return problem }
    if covers.count > 1 { expected += "; at the cost of \(covers[1])" }
    return s == expected + "." ? nil : "expected from bottleneck #\(rank): \(expected)."
  }

  /// The input a step moves, from bottlenecks.csv's through_ columns (ids, named from the
  /// data set), with the amount the sentence prints checked against through_units.
  func through(_ s: String, rank: Int, into expected: inout String) -> String? {
    guard let row = bottleneckRows.first(where: { $0["rank"] == "\(rank)" }), let id = row["through_input"],
      !id.isEmpty
    else { return nil }
    func item(_ id: String?) -> Item? { model.items.first { $0.id == id } }
    guard let input = item(id), let from = item(row["through_from"]), let to = item(row["through_to"]),
      let units = Double(row["through_units"] ?? "")
    else { return "bottleneck #\(rank): bottlenecks.csv's through_ columns name no items" }
    let printed =
      s.components(separatedBy: ", by moving ").dropFirst().first?.components(separatedBy: " \(input.unit) of ").first
      ?? ""
    guard PrintedNumber.same(printed, String(units)) else {
      return "bottleneck #\(rank): moves \(printed), bottlenecks.csv's through_units \(units)"
    }
    expected += ", by moving \(printed) \(input.unit) of \(input.name) from \(from.name) to \(to.name)"
    return nil
  }

  /// A price is "net" exactly when its item's makers that deliver fewer are paid less and the
  /// price without that saving (what the makers that deliver more are paid, over the units
  /// more covered) would print otherwise: bottlenecks.csv's eur_per_unit, principal_eur_more
  /// and principal_eur_less.
  func netPrice(_ price: String, rank: Int) -> String? {
    guard price != "—" else { return nil }
    guard let row = bottleneckRows.first(where: { $0["rank"] == "\(rank)" }),
      let perUnit = Double(row["eur_per_unit"] ?? ""), let more = Double(row["principal_eur_more"] ?? ""),
      let less = Double(row["principal_eur_less"] ?? "")
    else { return "bottleneck #\(rank): a price \(price) without eur_per_unit and its split in bottlenecks.csv" }
    let units = (more + less) / perUnit
    let figure = price.components(separatedBy: " a ").first ?? ""
    let grossDiffers = !PrintedNumber.same(figure, String(more / units))
    let net = less < 0 && grossDiffers
    return price.hasSuffix(" net") == net ? nil : "bottleneck #\(rank): price \(price), gross \(more / units) a unit"
  }

  func tradeOffSentence(_ s: String) -> String? {
    let rows = tradeOffs?.rows ?? []
    let sooner = rows.filter { $0["moves"] == "the same demand, covered sooner" }.count
    let moves = rows.count - sooner
    var parts: [String] = []
    if moves > 0 {
      parts.append(
        moves == 1
          ? "1 more limit only moves supply between consumers when raised"
          : "\(moves) more limits only move supply between consumers when raised")
    }
    if sooner > 0 {
      parts.append(
        sooner == 1 ? "1 more only covers the same demand sooner" : "\(sooner) more only cover the same demand sooner")
    }
    let expected = parts.joined(separator: "; ") + " (trade-offs below)."
    return s == expected ? nil : "expected from the trade-offs table: \(expected)"
  }

  func idle(_ s: String) -> String? {
    guard let t = MarkdownReport.table(report.section("## Idle capacity"), with: "share"),
      let all = t.rows.first, let main = t.rows.dropFirst().first
    else { return "no idle shares table" }
    let reason = (main["end-item capacity (value-weighted)"] ?? "").replacingOccurrences(of: "of the idle: ", with: "")
    let expected =
      "\(all["share"] ?? "") of end-item capacity (value-weighted) stands idle, mostly because of: \(reason) (\(main["share"] ?? "") of the idle capacity)."
    return s == expected ? nil : "expected from the idle table: \(expected)"
  }

  /// What the idle end-item capacity a scenario sets or scales up makes, from the idle table's rows for the
  /// products its changes set above 0 or scale by more than 1: the most idle by value first.
  func raised(_ s: String) -> String? {
    guard let scenario else { return "a raised-capacity sentence in a run of no scenario" }
    var raised = Set<[String]>()
    for change in scenario.changes {
      switch change {
      case .scaleCapacity(let ps, let items, let factor, _) where factor > 1:
        for p in ps {
          for product in model.producers[p].products where items?.contains(product.item) ?? true {
            raised.insert([model.producers[p].name, model.items[product.item].name])
          }
        }
      case .setCapacity(let p, .item(let k), let level, _) where level > 0:
        raised.insert([model.producers[p].name, model.items[model.producers[p].products[k].item].name])
      default: continue
      }
    }
    let ends = Set(model.items.filter { $0.kind == .end }.map(\.name))
    guard let t = MarkdownReport.table(report.section("## Idle capacity"), with: "why (share of idle)") else {
      return "no idle table"
    }
    let rows = t.rows.enumerated().filter { _, r in
      raised.contains([r["producer"] ?? "", r["item"] ?? ""]) && ends.contains(r["item"] ?? "")
    }
    let w = weights
    let value = { (r: [String: String]) in (PrintedNumber(r["idle"] ?? "")?.value ?? 0) * (w[r["item"] ?? ""] ?? 1) }
    let sorted = rows.sorted { (value($0.element), $1.offset) > (value($1.element), $0.offset) }.map(\.element)
    var parts = sorted.prefix(3).map { r -> String in
      let unit = model.items.first { $0.name == r["item"] }?.unit ?? ""
      var text =
        "\(r["item"] ?? "") at \(r["producer"] ?? "") makes \(r["produced"] ?? "") of \(r["capacity"] ?? "") \(unit)"
      // The first reason, without its share: "demand already met (100.0 %); …".
      let first = (r["why (share of idle)"] ?? "—").components(separatedBy: "; ").first ?? ""
      let why = first.range(of: " (", options: .backwards).map { String(first[..<$0.lowerBound]) } ?? first
      if r["used"] != "100.0 %" && why != "—" { text += " (idle: \(why))" }
      return text
    }
    if sorted.count > 3 { parts.append("\(sorted.count - 3) more") }
    let expected = "Of the end-item capacity the scenario sets or scales up, \(listed(parts))."
    return s == expected ? nil : "expected from the idle table: \(expected)"
  }

  /// What the budgets a scenario changes spend, from the budgets table's rows for them.
  func changedBudgets(_ s: String) -> String? {
    guard let scenario else { return "a changed-budgets sentence in a run of no scenario" }
    var names = Set<String>()
    for change in scenario.changes {
      switch change {
      case .scaleBudget(let f, _, _), .setBudget(let f, _, _): names.insert(model.funders[f].name)
      default: continue
      }
    }
    guard let t = MarkdownReport.table(report.section("## Budgets"), with: "funder") else { return "no budgets table" }
    let parts = t.rows.filter { names.contains($0["funder"] ?? "") }.map { r in
      let binding = r["binding"] ?? "—"
      if r["budget"] == "€0" { return "\(r["funder"] ?? "") has no money" }
      return "\(r["funder"] ?? "") spends \(r["spent"] ?? "") of \(r["budget"] ?? "") (\(r["used"] ?? ""))"
        + (binding == "—" ? ", never running out" : ", with no money left in \(binding)")
    }
    let expected = "Of the budgets the scenario changes, \(parts.joined(separator: "; "))."
    return s == expected ? nil : "expected from the budgets table: \(expected)"
  }

  /// The count of missed targets and the one furthest from its target, from the targets
  /// table: the missed row with the lowest share reached (the largest gap among equals).
  func targets(_ s: String) -> String? {
    guard let rows = targetRows?.rows, let all = targetsByClass?.row("class", "all classes"),
      Int(all["targets"] ?? "") == rows.count, let missedCount = Int(all["missed"] ?? "")
    else { return "no targets table, or its total disagrees with its rows" }
    let missed = rows.filter { $0["missed"] == "yes" }
    guard missed.count == missedCount else { return "the table's missed rows disagree with its total" }
    let count = rows.count
    guard !missed.isEmpty else {
      let expected = count == 1 ? "The stockpile target is met." : "All \(count) stockpile targets are met."
      return s == expected ? nil : "expected from the targets table: \(expected)"
    }
    let head =
      missed.count == 1
      ? (count == 1 ? "The stockpile target is missed: " : "1 of \(count) stockpile targets is missed: ")
      : "\(missed.count) of \(count) stockpile targets are missed; the furthest from its target is "
    guard s.hasPrefix(head) else { return "expected from the targets table to begin: \(head)" }
    let value = { (row: [String: String], column: String) in PrintedNumber(row[column] ?? "")?.value ?? .nan }
    let lowest = missed.map { value($0, "reached") }.min() ?? .nan
    let furthest = missed.filter { value($0, "reached") == lowest }
    let widest = furthest.map { value($0, "gap") }.max() ?? .nan
    guard
      let numbers = try? Regex(
        #"^([0-9][0-9,.]*(?: million| billion)?) of ([0-9][0-9,.]*(?: million| billion)?) .+ held \((.+) reached\)\.$"#)
    else { return "bad pattern" }
    for row in furthest where value(row, "gap") == widest {
      let name = "\(row["item"] ?? "") for \(row["consumer"] ?? "") by the end of \(row["by end of"] ?? ""), "
      guard s.hasPrefix(head + name), let match = try? numbers.wholeMatch(in: String(s.dropFirst((head + name).count)))
      else { continue }
      let held = String(match.output[1].substring ?? "")
      let target = String(match.output[2].substring ?? "")
      let reached = String(match.output[3].substring ?? "")
      guard PrintedNumber.same(held, row["held"] ?? ""), PrintedNumber.same(target, row["target"] ?? ""),
        reached == row["reached"]
      else { return "held, target or share differ from the row: \(row)" }
      return nil
    }
    return "expected one of the rows furthest from their targets: \(furthest.map { $0["item"] ?? "" })"
  }

  func investments(_ s: String) -> String? {
    guard let t = MarkdownReport.table(report.section("## Investments"), with: "capital") else {
      return "no investments table"
    }
    let costs = t.column("capital").compactMap { PrintedNumber($0) }
    let total = costs.reduce(0) { $0 + $1.value }
    let slack = costs.reduce(0) { $0 + $1.tolerance }
    let words = s.components(separatedBy: " in ")
    let stated = PrintedNumber(words[0].replacingOccurrences(of: "The optimizer invests ", with: ""))
    let n = t.rows.count
    // Then the expansions by capital (the largest first, then by name), at most three named.
    let rows = t.rows.sorted {
      let (x, y) = (PrintedNumber($0["capital"] ?? "")?.value ?? 0, PrintedNumber($1["capital"] ?? "")?.value ?? 0)
      return x != y ? x > y : ($0["expansion"] ?? "") < ($1["expansion"] ?? "")
    }
    // Part of an option says how much of it, and what it adds.
    var parts = rows.prefix(3).map { r -> String in
      let bought = r["bought"] ?? ""
      let words = bought.split(separator: " ")
      let whole = bought == "100.0 % of it" || (words.count == 4 && words[1] == "of" && words[0] == words[2])
      let part = whole ? "" : "\(bought.replacingOccurrences(of: " of it", with: "")) of "
      let added = whole ? "" : "+\(r["capacity added"] ?? ""), "
      return "\(part)\(r["expansion"] ?? "") (\(added)\(r["capital"] ?? ""), decided \(r["decided"] ?? ""), "
        + "arriving \(r["arrives"] ?? ""))"
    }
    if n > 3 { parts.append("\(n - 3) more") }
    let tail = " in \(n) capacity expansion\(n == 1 ? "" : "s"): \(listed(parts))."
    guard let stated, abs(stated.value - total) <= stated.tolerance + slack, s.hasSuffix(tail) else {
      return "the investments table sums to \(total) in \(n) rows; expected to end: \(tail)"
    }
    return nil
  }

  /// Claims between tables: missed targets and the reached column agree, the missed count
  /// is the rows marked missed, and a budget bottleneck binds when its budget is spent.
  func checkTables() -> [String] {
    var problems: [String] = []
    if let rows = targetRows?.rows, let all = targetsByClass?.row("class", "all classes") {
      let marked = rows.filter { $0["missed"] == "yes" }
      if "\(marked.count)" != all["missed"] {
        problems.append("\(marked.count) targets marked missed, summary row says \(all["missed"] ?? "")")
      }
      for r in rows where (r["missed"] == "yes") == (r["reached"] == "100.0 %") {
        problems.append(
          "target of \(r["consumer"] ?? "") for \(r["item"] ?? "") by \(r["by end of"] ?? ""): reached \(r["reached"] ?? ""), missed \(r["missed"] ?? "")"
        )
      }
    }
    // Gone is start + received − end, and each printed row adds up.
    let systems = MarkdownReport.table(report.section("## Systems in service"), with: "system or part")
    for r in systems?.rows ?? [] {
      let n = { (c: String) in PrintedNumber(r[c] ?? "")?.value ?? .nan }
      if !(abs(n("held at start") + n("received") - n("gone") - n("held at end")) < 1e-6) {
        problems.append("systems row \(r["consumer"] ?? "") · \(r["system or part"] ?? "") does not add up: \(r)")
      }
    }
    // Each class's targets and misses are its families' together.
    for c in targetsByClass?.rows ?? [] where c["class"] != "all classes" {
      let families = (targetsByFamily?.rows ?? []).filter { $0["class"] == c["class"] }
      for column in ["targets", "missed"] {
        let sum = families.reduce(0) { $0 + (Int($1[column] ?? "") ?? 0) }
        if "\(sum)" != c[column] {
          problems.append("\(c["class"] ?? ""): \(c[column] ?? "") \(column), its families' \(sum)")
        }
      }
    }
    let budgets = MarkdownReport.table(report.section("## Budgets"), with: "funder")
    for row in (bottlenecks?.rows ?? []) + (tradeOffs?.rows ?? []) where row["kind"] == "budget" {
      let funder = (row["limit"] ?? "").replacingOccurrences(of: "budget of ", with: "")
      guard let b = budgets?.row("funder", funder) else {
        problems.append("bottleneck \(row["limit"] ?? ""): no such funder in the budgets table")
        continue
      }
      if b["binding"] != row["binds"] {
        problems.append(
          "budget of \(funder): binds \(row["binds"] ?? "") as a bottleneck, \(b["binding"] ?? "") in the budgets table"
        )
      }
    }
    for row in bottlenecks?.rows ?? [] {
      if let problem = budgetClause(row["what the step covers"] ?? "", rank: row["#"] ?? "", budgets: budgets) {
        problems.append(problem)
      }
    }
    return problems + chains()
  }

  /// The budget a step's loss comes through, from bottlenecks.csv's budget_ columns (ids,
  /// named from the data set): the funder's budget binds in the Budgets table, the sum printed
  /// is budget_eur, and a row with those columns says so.
  func budgetClause(_ covers: String, rank: String, budgets: MarkdownTableReading?) -> String? {
    guard let row = bottleneckRows.first(where: { $0["rank"] == rank }) else { return nil }
    let id = row["budget_funder"] ?? ""
    let marker = ", whose funder ("
    guard !id.isEmpty else { return covers.contains(marker) ? "bottleneck #\(rank): bottlenecks.csv names none" : nil }
    func item(_ id: String?) -> Item? { model.items.first { $0.id == id } }
    let lost = (row["budget_from"] ?? "").components(separatedBy: " ")
    guard let funder = model.funders.first(where: { $0.id == id }), let from = item(lost.first),
      let to = item(row["budget_to"]), let consumer = model.consumers.first(where: { $0.id == row["budget_consumer"] }),
      let eur = row["budget_eur"]
    else { return "bottleneck #\(rank): bottlenecks.csv's budget_ columns name no funder, consumer or items" }
    let who = "the " + consumer.consumerClass.title.lowercased()
    let loss = " of \(from.name)\(lost.count > 1 ? " stockpile" : "") for \(who)"
    // The table prints the clause after that loss wherever it prints the loss.
    guard covers.contains(marker) else {
      return covers.contains(loss + ";") || covers.hasSuffix(loss)
        ? "bottleneck #\(rank): bottlenecks.csv names the budget of \(id), the table none after\(loss)" : nil
    }
    // One funder paid for every delivery to the consumer (allocations.csv, read apart).
    let folder = (report.path as NSString).deletingLastPathComponent
    let payers = Set(
      ((try? readCSV("\(folder)/allocations.csv")) ?? []).filter { $0["consumer_id"] == consumer.id }
        .flatMap { ($0["funder_ids"] ?? "").components(separatedBy: ";") }.filter { !$0.isEmpty })
    guard payers == [funder.id] else {
      return "bottleneck #\(rank): \(consumer.id)'s deliveries are paid by \(payers.sorted()), not \(funder.id) alone"
    }
    // The binding periods are the Budgets table's.
    guard let b = budgets?.row("funder", funder.name), let binding = b["binding"], binding != "—" else {
      return "bottleneck #\(rank): the budget of \(funder.name) does not bind in the budgets table"
    }
    let printed =
      covers.components(separatedBy: " has no money left in \(binding): ").dropFirst().first?
      .components(separatedBy: " it paid for them").first ?? ""
    guard PrintedNumber.same(printed, eur) else {
      return "bottleneck #\(rank): moves \(printed), bottlenecks.csv's budget_eur \(eur) (binding \(binding))"
    }
    let said =
      "\(loss)\(marker)\(funder.name)) has no money left in \(binding): \(printed) it paid for them goes to "
      + "\(to.name) instead"
    return covers.contains(said) ? nil : "bottleneck #\(rank): expected \"…\(said)\" in \(covers)"
  }

  /// The materials section's chain sentence and table against its market table and the
  /// bottleneck table: a chain binds where a bottleneck on its material, or on one made of
  /// it, lies.
  func chains() -> [String] {
    guard let body = report.section("## Materials and bought components"),
      let chains = MarkdownReport.table(body, with: "raw material"),
      let markets = MarkdownReport.table(body, with: "market")
    else { return [] }
    var problems: [String] = []
    let ranked = bottlenecks?.rows ?? []
    var binding: [String] = []
    for c in chains.rows {
      let root = c["raw material"] ?? ""
      let made = (c["made into"] ?? "—") == "—" ? [] : (c["made into"] ?? "").components(separatedBy: ", ")
      // A listed bottleneck limits the root or a material made from it (which route a
      // producer's line takes the tables do not say); every bottleneck on the root's market
      // supply is listed.
      let onChain = Set(
        ranked.filter { row in
          let limit = row["limit"] ?? ""
          // A market's supplies relaxed together name every item before " from ".
          let together =
            limit.hasSuffix(", together") && (limit.components(separatedBy: " from ").first ?? "").contains(root)
          return together || ([root] + made).contains { limit.hasPrefix("\($0) from ") || limit.hasPrefix("\($0), ") }
        }.compactMap { $0["#"] })
      let onRoot = ranked.filter { row in
        let limit = row["limit"] ?? ""
        let together =
          limit.hasSuffix(", together") && (limit.components(separatedBy: " from ").first ?? "").contains(root)
        return limit.hasPrefix("\(root) from ") || together
      }.compactMap { $0["#"] }
      let binds = c["binds"] ?? ""
      let listed =
        binds == "no"
        ? []
        : binds.replacingOccurrences(of: "bottlenecks ", with: "").replacingOccurrences(of: "bottleneck ", with: "")
          .components(separatedBy: ", ")
      if binds != "no" && binds != "bottleneck\(listed.count == 1 ? "" : "s") \(listed.joined(separator: ", "))" {
        problems.append("chain \(root): binds reads \(binds)")
      }
      if !Set(listed).isSubset(of: onChain) || !Set(onRoot).isSubset(of: Set(listed)) {
        problems.append("chain \(root): binds \(binds), bottlenecks on it \(onChain.sorted()), on its market \(onRoot)")
      }
      let sold = markets.rows.filter { ($0["item"] ?? "").hasPrefix("\(root) (") }
      let most = sold.compactMap { PrintedNumber($0["used"] ?? "")?.value }.max() ?? 0
      // Binding through a plant alone: the sentence says how much of the material is bought.
      if !listed.isEmpty {
        binding.append(
          onRoot.isEmpty && !made.isEmpty
            ? "\(root) (\(binds), a plant's capacity to make it into \(made.count < 2 ? made.joined() : made.dropLast().joined(separator: ", ") + " and " + (made.last ?? "")); at most \(c["most bought"] ?? "") of it is bought)"
            : "\(root) (\(binds))")
      }
      if let printed = PrintedNumber(c["most bought"] ?? ""), abs(printed.value - most) > 1e-9 {
        problems.append(
          "chain \(root): most bought \(c["most bought"] ?? ""), the market table's largest use \(most) %")
      }
      if (c["bought up"] == "—") != sold.allSatisfy({ $0["exhausted"] == "—" }) {
        problems.append("chain \(root): bought up \(c["bought up"] ?? ""), against the market table")
      }
    }
    let n = chains.rows.count
    let sentence = body.components(separatedBy: "\n").first { !$0.isEmpty } ?? ""
    let expected: String
    if binding.isEmpty {
      expected =
        n == 1
        ? "The one raw-material chain does not bind: no limit on its material, or on what is made of it, is a bottleneck."
        : "None of the \(n) raw-material chains binds: no limit on a bought material, or on what is made of it, is a bottleneck."
    } else {
      expected =
        "Of \(n) raw-material chain\(n == 1 ? "" : "s"), \(binding.count) bind\(binding.count == 1 ? "s" : ""): "
        + listed(binding) + "."
        + (binding.count < n ? " The others are no bottleneck anywhere, whether or not their supply is bought up." : "")
    }
    if sentence != expected { problems.append("materials: expected \(expected)\n    in: \(sentence)") }
    return problems
  }
}

/// Claims of one comparison report.
struct ComparisonClaims {
  let report: MarkdownReport

  func check() -> [String] {
    guard let metrics = MarkdownReport.table(report.section("## Metrics"), with: "metric"),
      let ranking = MarkdownReport.table(report.section("## Bottleneck ranking"), with: "bottleneck")
    else { return ["no metrics or ranking table"] }
    let runs = Array(metrics.header.dropFirst(3).prefix { !$0.hasPrefix("Δ ") })
    var expected: [String] = []
    for run in runs {
      var groups: [String] = []
      var parts: [String] = []
      for row in metrics.rows where !groups.contains(row["group"] ?? "") { groups.append(row["group"] ?? "") }
      for group in groups {
        let rows = metrics.rows.filter { $0["group"] == group }
        let families = rows.filter {
          ($0["metric"] ?? "").hasSuffix(" (value-weighted)")
            && $0["metric"] != "stockpile targets reached (value-weighted)"
            && $0[run] != "—"
        }
        if !families.isEmpty {
          let texts = families.map {
            "\(($0["metric"] ?? "").replacingOccurrences(of: " (value-weighted)", with: "")) \($0[run] ?? "")"
          }
          parts.append("\(group.lowercased()) \(listed(texts))")
        }
        if let t = rows.first(where: { $0["metric"] == "stockpile targets reached (value-weighted)" }), t[run] != "—" {
          parts.append("\(group.lowercased()) stockpile targets \(t[run] ?? "")")
        }
      }
      var sentence = "Under \(run), coverage (value-weighted within each family): " + parts.joined(separator: "; ")
      if let top = ranking.rows.first(where: { $0[run] == "1" }) {
        sentence += "; top bottleneck \(top["bottleneck"] ?? "")"
      }
      expected.append(sentence + ".")
    }
    // The item coverage that spans most across the runs, as printed, among the items whose
    // printed shortfall differs between runs.
    var best: (spread: Double, row: [String: String])?
    var spreads: [(spread: Double, row: [String: String])] = []
    for row in metrics.rows where (row["metric"] ?? "").hasSuffix(": coverage") {
      let shortfallLabel = (row["metric"] ?? "").replacingOccurrences(of: ": coverage", with: ": shortfall")
      if let short = metrics.rows.first(where: { $0["group"] == row["group"] && $0["metric"] == shortfallLabel }),
        Set(runs.map { short[$0] ?? "" }).count == 1
      {
        continue
      }
      let values = runs.compactMap { PrintedNumber(row[$0] ?? "")?.value }
      guard let lo = values.min(), let hi = values.max(), hi - lo > 0.0005 else { continue }
      spreads.append((hi - lo, row))
    }
    // The widest spread; among equal ones (to a tenth of a point) the first by item, then group.
    let tenths = { (x: Double) in Int((x * 1000).rounded()) }
    best = spreads.min { a, b in
      (-tenths(a.spread), a.row["metric"] ?? "", a.row["group"] ?? "")
        < (-tenths(b.spread), b.row["metric"] ?? "", b.row["group"] ?? "")
    }
    if let best, runs.count > 1 {
      let item = (best.row["metric"] ?? "").replacingOccurrences(of: ": coverage", with: "")
      let described = runs.map { "\($0) \(best.row[$0] ?? "")" }.joined(separator: ", ")
      expected.append(
        "The largest difference is \((best.row["group"] ?? "").lowercased()) coverage of \(item), which spans "
          + String(format: "%.1f", best.spread * 100) + " points (\(described)).")
      // Every other item spanning as many points, as printed, by name (at most three).
      let ties = spreads.filter { tenths($0.spread) == tenths(best.spread) && $0.row != best.row }
        .map(\.row).sorted { ($0["metric"] ?? "", $0["group"] ?? "") < ($1["metric"] ?? "", $1["group"] ?? "") }
      for row in ties.prefix(3) {
        let tied = (row["metric"] ?? "").replacingOccurrences(of: ": coverage", with: "")
        expected.append(
          "So does \((row["group"] ?? "").lowercased()) coverage of \(tied) (\(runs.map { "\($0) \(row[$0] ?? "")" }.joined(separator: ", ")))."
        )
      }
    }
    let actual = report.sentences
    var problems = deltaProblems(metrics, runs: runs)
    for (n, sentence) in actual.enumerated() where n >= expected.count || expected[n] != sentence {
      problems.append(
        "sentence \(n + 1): \(sentence)\n    expected from the tables: \(n < expected.count ? expected[n] : "(nothing)")"
      )
    }
    if actual.count < expected.count { problems.append("missing: \(expected[actual.count...].joined(separator: " "))") }
    return problems
  }

  /// Each Δ column is the difference of the values the row prints (money aside, whose
  /// compact form rounds too coarsely to subtract): 43 → 33 is −10.
  func deltaProblems(_ metrics: MarkdownTableReading, runs: [String]) -> [String] {
    guard let base = runs.first else { return [] }
    var problems: [String] = []
    for row in metrics.rows where row["unit"] != "EUR" {
      guard let b = PrintedNumber(row[base] ?? "")?.value else { continue }
      for run in runs.dropFirst() {
        guard let v = PrintedNumber(row[run] ?? "")?.value, let shown = row["Δ \(run) vs \(base)"] else { continue }
        let expected: String
        if (row[run] ?? "").hasSuffix("%") {
          let points = ((v - b) * 1000).rounded() / 10
          expected = points == 0 ? "±0" : String(format: "%+.1f pt", points)
        } else {
          let d = v - b
          expected = abs(d) < 0.5 ? "±0" : (d > 0 ? "+" : "−") + Self.grouped(abs(d))
        }
        if shown != expected {
          problems.append("\(row["metric"] ?? ""), Δ \(run): \(shown), the columns give \(expected)")
        }
      }
    }
    return problems
  }

  /// 1234567 → "1,234,567".
  static func grouped(_ x: Double) -> String {
    let digits = String(format: "%.0f", x)
    var out = ""
    for (n, ch) in digits.reversed().enumerated() {
      if n > 0 && n % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }
}

/// Claims of one sweep report, against its tables and sweep.csv.
struct SweepClaims {
  let report: MarkdownReport
  let csv: [[String: String]]
  let model: PlanningModel

  var classTitles: [String: ConsumerClass] {
    Dictionary(uniqueKeysWithValues: ConsumerClass.allCases.map { ($0.title.lowercased(), $0) })
  }

  /// Display names of items and substitution groups by id.
  var itemNames: [String: String] {
    var names: [String: String] = [:]
    for item in model.items { names[item.id] = item.name }
    for group in model.substitutes { names[group.id] = group.name }
    return names
  }

  /// The parameter rows of the header: label, range text, unit.
  var parameters: [(label: String, unit: String)] {
    report.text.components(separatedBy: "\n").filter { $0.hasPrefix("| Parameter ") }.compactMap { line in
      let cell = line.components(separatedBy: "|")[2].trimmingCharacters(in: .whitespaces)
      guard let colon = cell.range(of: ": "), let open = cell.range(of: " (", options: .backwards) else { return nil }
      return (String(cell[..<colon.lowerBound]), String(cell[open.upperBound...].dropLast()))
    }
  }

  func check() -> [String] {
    let sentences = report.sentences
    guard !sentences.isEmpty else { return ["no summary"] }
    let params = parameters
    var problems: [String] = []
    for s in sentences {
      let problem = params.count == 1 ? lineClaim(s, params[0]) : gridClaim(s, params)
      if let problem { problems.append("\(problem)\n    in: \(s)") }
    }
    return problems
  }

  var points: MarkdownTableReading? { MarkdownReport.table(report.section("## Points"), with: "status") }

  /// The class the summary follows: the one whose shortfall moves most over the points (the
  /// first by rank, the points table's order, among equals); when none moves, the first short
  /// at some point, else the first — as its "<class> shortfall" column of the points table.
  var primaryColumn: String? {
    guard let points else { return nil }
    let columns = points.header.filter { $0.hasSuffix(" shortfall") }
    let spans = columns.map { c -> Double in
      let ys = points.column(c).compactMap { PrintedNumber($0)?.value }
      return (ys.max() ?? 0) - (ys.min() ?? 0)
    }
    if let most = spans.max(), most > 0.5, let k = spans.firstIndex(of: most) { return columns[k] }
    return columns.first { c in points.column(c).contains { (PrintedNumber($0)?.value ?? 0) > 0 } } ?? columns.first
  }

  /// The primary class's title in sentences ("front line").
  var primaryTitle: String { ConsumerClass(rawValue: primaryRaw)?.title.lowercased() ?? primaryRaw }

  /// The primary class's raw value ("front-line").
  var primaryRaw: String { (primaryColumn ?? "").replacingOccurrences(of: " shortfall", with: "") }
  var binding: MarkdownTableReading? { MarkdownReport.table(report.section("## What binds"), with: "limit") }

  func lineClaim(_ s: String, _ p: (label: String, unit: String)) -> String? {
    guard let points, let shortfallColumn = primaryColumn else {
      return "no points table"
    }
    let xs = points.column(p.label)
    let ys = points.column(shortfallColumn)
    let printedMin = ys.min { (PrintedNumber($0)?.value ?? 0) < (PrintedNumber($1)?.value ?? 0) } ?? ""
    let printedMax = ys.max { (PrintedNumber($0)?.value ?? 0) < (PrintedNumber($1)?.value ?? 0) } ?? ""
    let range = "Over \(xs.first ?? "") to \(xs.last ?? "") \(p.unit), the "
    if s.hasPrefix(range) && s.contains(" ranges from ") {
      return s.hasSuffix(" ranges from \(printedMin) to \(printedMax).")
        ? nil : "the points range from \(printedMin) to \(printedMax)"
    }
    if s.hasPrefix(range) && s.contains(" stays at ") {
      guard Set(ys).count == 1 else { return "the points are not all equal" }
      return s
        == "\(range)value-weighted \(primaryTitle) shortfall stays at \(ys[0]): this parameter does not limit coverage."
        ? nil : "expected \(ys[0])"
    }
    if s.hasPrefix("What binds ") {
      // "What binds NAME instead, measured at X UNIT: LIMIT (table below)."
      let tail = String(s.dropFirst("What binds ".count))
      guard let at = tail.range(of: " instead, measured at "),
        let colon = tail.range(of: ": ", range: at.upperBound..<tail.endIndex)
      else { return "unrecognised" }
      // "NAMES, of the N demands it reaches," names those of them the step covers more of.
      var demand = String(tail[..<at.lowerBound])
      if let r = demand.range(of: ", of the ") { demand = String(demand[..<r.lowerBound]) }
      let x = String(tail[at.upperBound..<colon.lowerBound]).replacingOccurrences(of: " \(p.unit)", with: "")
      let limit = String(tail[colon.upperBound...]).replacingOccurrences(of: " (table below).", with: "")
      guard Set(ys).count == 1, x == xs.first else { return "only a flat curve is explained at its first point" }
      guard let row = binding?.row("at (\(p.unit))", x), row["limit"] == limit else {
        return "no What binds row at \(x) for \(limit)"
      }
      // The step covers the demand the sentence names (the parameter's end items).
      for name in demand.components(separatedBy: " and ") where !(row["what the step covers"] ?? "").contains(name) {
        return "the step of \(limit) does not cover \(name) in the What binds table"
      }
      return nil
    }
    if s.hasPrefix("At "), let r = s.range(of: " covered in full for the ") {
      // "At X UNIT, NAME is covered in full for the CLASS.": every sweep.csv coverage column of
      // that class for the named demands reads 1 at the first point.
      guard Set(ys).count == 1, binding == nil else {
        return "the curve is not flat, or the What binds table has a row"
      }
      let title = s[r.upperBound...].dropLast()
      guard let cls = classTitles[String(title)], let first = csv.first else { return "unknown class \(title)" }
      let columns = first.keys.filter { $0.hasPrefix("coverage_\(cls.rawValue)_") }
      let named = columns.filter { c in
        let id = String(c.dropFirst("coverage_\(cls.rawValue)_".count))
        return itemNames[id].map { s.contains($0) } ?? false
      }
      guard !named.isEmpty else { return "no coverage column for the demands named" }
      return named.allSatisfy { (Double(first[$0] ?? "") ?? 0) >= 0.9995 }
        ? nil : "a named demand is not covered in full"
    }
    if s.hasPrefix("At ") && s.contains(", no limit's step covers more of ") {
      return Set(ys).count == 1 && binding == nil ? nil : "the curve is not flat, or the What binds table has a row"
    }
    if s.hasPrefix("Beyond ") { return knee(s, p, xs: xs) }
    if s.hasPrefix("No knee: ") { return nil }
    return "no check recognises this sentence"
  }

  /// "Beyond X UNIT, the METRIC falls P more slowly: NAME is covered in full from X UNIT." or
  /// "…: at Y UNIT, LIMIT binds (table below)." — P from sweep.csv's exact values.
  func knee(_ s: String, _ p: (label: String, unit: String), xs: [String]) -> String? {
    let body = s.dropFirst("Beyond ".count)
    guard let comma = body.range(of: " \(p.unit), the ") else { return "unrecognised" }
    let x = String(body[..<comma.lowerBound])
    guard let k = xs.firstIndex(of: x), k >= 1, k + 1 < xs.count else { return "no point \(x) with neighbours" }
    let metricColumn = "shortfall_" + primaryRaw
    let ys = csv.map { Double($0[metricColumn] ?? "") ?? .nan }
    let vs = xs.map { Double($0) ?? .nan }
    let before = abs((ys[k] - ys[k - 1]) / (vs[k] - vs[k - 1]))
    let after = abs((ys[k + 1] - ys[k]) / (vs[k + 1] - vs[k]))
    let how: String
    if let r = body.range(of: " more slowly: ") {
      let percent = body[..<r.lowerBound].components(separatedBy: " ").suffix(2).joined(separator: " ")
      guard let stated = PrintedNumber(percent), abs(stated.value - (1 - after / before)) <= stated.tolerance + 1e-9
      else {
        return "sweep.csv gives a slope \(1 - after / before) slower, not \(percent)"
      }
      how = String(body[r.upperBound...])
    } else if let r = body.range(of: " no longer changes: ") {
      guard after <= 1e-6 * max(before, 1) else { return "the curve still changes after \(x)" }
      how = String(body[r.upperBound...])
    } else {
      return "unrecognised"
    }
    if let r = how.range(of: " is covered in full from ") {
      // Covered in full at the knee (as printed, 100.0 %), not before it.
      let name = String(how[..<r.lowerBound])
      guard let item = model.items.first(where: { $0.name == name }) else { return "no item \(name)" }
      let cls = metricColumn.replacingOccurrences(of: "shortfall_", with: "")
      let coverage = csv.map { Double($0["coverage_\(cls)_\(item.id)"] ?? "") ?? .nan }
      guard coverage[k] >= 0.9995, coverage[k - 1] < 0.9995 else {
        return "sweep.csv gives \(name) \(coverage[k - 1]) before and \(coverage[k]) at \(x)"
      }
      return how.hasSuffix(" from \(x) \(p.unit).") ? nil : "the knee is at \(x)"
    }
    if how.hasPrefix("at "), how.hasSuffix(", no limit's step covers more of what stopped improving.") {
      // Nothing measured to name: the What binds table has no row at the point after the knee.
      let y = how.dropFirst(3).components(separatedBy: " \(p.unit), ").first ?? ""
      guard y == xs[k + 1] else { return "the point after the knee is \(xs[k + 1])" }
      return binding?.row("at (\(p.unit))", y) == nil ? nil : "the What binds table has a row at \(y)"
    }
    if how.hasPrefix("at ") {
      let y = how.dropFirst(3).components(separatedBy: " \(p.unit), ").first ?? ""
      let limit = how.components(separatedBy: " \(p.unit), ").dropFirst().joined().replacingOccurrences(
        of: " binds (table below).", with: "")
      guard y == xs[k + 1] else { return "the point after the knee is \(xs[k + 1])" }
      guard let row = binding?.row("at (\(p.unit))", y), row["limit"] == limit else {
        return "no What binds row at \(y) for \(limit)"
      }
      return nil
    }
    return "unrecognised"
  }

  func gridClaim(_ s: String, _ params: [(label: String, unit: String)]) -> String? {
    guard params.count == 2,
      let grid = report.section("## Value-weighted \(primaryTitle) shortfall").flatMap({
        MarkdownReport.tables($0).first
      })
    else {
      return "no grid table"
    }
    let a = params[0]
    let b = params[1]
    let corner = grid.header[0]
    let bValues = Array(grid.header.dropFirst())
    let aValues = grid.column(corner)
    func cell(_ i: Int, _ j: Int) -> Double { PrintedNumber(grid.rows[i][bValues[j]] ?? "")?.value ?? .nan }
    let all = grid.rows.indices.flatMap { i in bValues.indices.map { cell(i, $0) } }
    if s.hasPrefix("Over ") {
      let lo = all.min() ?? 0
      let hi = all.max() ?? 0
      let expected =
        "Over \(a.label) \(aValues.first ?? "") to \(aValues.last ?? "") \(a.unit) and \(b.label) \(bValues.first ?? "") to "
        + "\(bValues.last ?? "") \(b.unit), the value-weighted \(primaryTitle) shortfall ranges from "
      guard s.hasPrefix(expected), let r = s.range(of: " ranges from ") else { return "expected: \(expected)…" }
      let numbers = s[r.upperBound...].dropLast().components(separatedBy: " to ")
      return numbers.count == 2 && PrintedNumber.same(numbers[0], String(lo))
        && PrintedNumber.same(numbers[1], String(hi))
        ? nil : "the grid ranges from \(lo) to \(hi)"
    }
    if s.hasPrefix("All that ") { return settleClaim(s, grid: grid, a: a, b: b) }
    if s.hasPrefix("The value-weighted ") && s.hasSuffix(" (the points table).") { return alsoMoves(s) }
    // "Raising B from … changes nothing at A x and y UNIT; it lowers … by N at v and by M at w UNIT."
    let moving = s.hasPrefix("Raising \(b.label) ") || s.hasPrefix("Lowering \(b.label) ")
    let other = moving ? a : b
    let others = moving ? aValues : bValues
    func fall(at n: Int) -> Double {
      moving ? cell(n, 0) - cell(n, bValues.count - 1) : cell(0, n) - cell(aValues.count - 1, n)
    }
    // Every "by N at v, w" figure must be the difference of the grid's end cells at v and w
    // (±1 for the rounding of two printed cells), and "nothing" a difference that prints as 0.
    var text = s
    if let r = text.range(of: " changes nothing at \(other.label) ") {
      let list = text[r.upperBound...].components(separatedBy: " \(other.unit)").first ?? ""
      for v in list.replacingOccurrences(of: " and ", with: ", ").components(separatedBy: ", ") {
        guard let n = others.firstIndex(of: v) else { return "no grid value \(v)" }
        if abs(fall(at: n)) > 1 { return "at \(v) the grid's end cells differ by \(fall(at: n))" }
      }
      text = String(text[r.upperBound...])
    }
    var checked = 0
    for piece in text.components(separatedBy: " by ").dropFirst() {
      let words = piece.components(separatedBy: " at ")
      guard words.count >= 2 else { continue }
      let amount = words[0]
      let list = words[1].replacingOccurrences(of: "\(other.label) ", with: "").components(
        separatedBy: " \(other.unit)")[0]
        .replacingOccurrences(of: ".", with: "", options: .anchored)
      let values = list.replacingOccurrences(of: " and", with: ",").components(separatedBy: ", ").map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: " .,"))
      }.filter { !$0.isEmpty }
      for v in values {
        guard let n = others.firstIndex(of: v) else { return "no grid value \"\(v)\"" }
        guard let stated = PrintedNumber(amount), abs(abs(fall(at: n)) - stated.value) <= 1 + stated.tolerance else {
          return "at \(v) the grid's end cells differ by \(fall(at: n)), not \(amount)"
        }
        checked += 1
      }
    }
    return checked > 0 || s.contains(" changes nothing ") ? nil : "no figure checked"
  }

  /// "The value-weighted C shortfall moves too, from LO to HI (the points table)." — the
  /// lowest and highest of the points table's C shortfall column.
  func alsoMoves(_ s: String) -> String? {
    let title = s.dropFirst("The value-weighted ".count).components(separatedBy: " shortfall moves too").first ?? ""
    guard let points = report.section("## Points").flatMap({ MarkdownReport.tables($0).first }),
      let cls = ConsumerClass.allCases.first(where: { $0.title.lowercased() == title })
    else { return "no points table or no class \(title)" }
    let cells = points.column("\(cls.rawValue) shortfall").filter { PrintedNumber($0) != nil }
    let value = { (c: String) in PrintedNumber(c)?.value ?? .nan }
    guard let lo = cells.min(by: { value($0) < value($1) }), let hi = cells.max(by: { value($0) < value($1) }) else {
      return "no \(cls.rawValue) shortfall column"
    }
    let expected = "The value-weighted \(title) shortfall moves too, from \(lo) to \(hi) (the points table)."
    return s == expected ? nil : "expected from the points table: \(expected)"
  }

  /// "All that raising P does comes by V UNIT: beyond it, nothing changes." — along P, every
  /// line of the grid table is the same from V on, and some line still changes just before V.
  func settleClaim(
    _ s: String, grid: MarkdownTableReading, a: (label: String, unit: String), b: (label: String, unit: String)
  ) -> String? {
    let alongB = s.contains(" \(b.label) does comes by ")
    let p = alongB ? b : a
    guard let v = s.components(separatedBy: " does comes by ").last?.components(separatedBy: " \(p.unit):").first
    else { return "no value in: \(s)" }
    let corner = grid.header[0]
    let bValues = Array(grid.header.dropFirst())
    let aValues = grid.column(corner)
    let lines: [[String]] =
      alongB
      ? grid.rows.map { row in bValues.map { row[$0] ?? "" } }
      : bValues.map { column in grid.rows.map { $0[column] ?? "" } }
    guard let k = (alongB ? bValues : aValues).firstIndex(of: v), k > 0 else {
      return "no grid value \(v) past the first"
    }
    guard lines.allSatisfy({ line in line[k...].allSatisfy { $0 == line.last } }) else {
      return "a line of the grid still changes beyond \(v)"
    }
    return lines.contains { $0[k - 1] != $0[k] } ? nil : "nothing changes at \(v) either: it settles earlier"
  }
}
