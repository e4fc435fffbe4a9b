import Arsenal
import Foundation
import PlanningModel
import Reports
import Testing

/// Every chart's marks against the numbers they come from — the CSV and JSON files (or, for
/// the idle shares, report.md's table) of the same run — and every chart a well-formed,
/// labelled SVG (docs/ARCHITECTURE.md, "Charts").
@Suite(.serialized) struct ChartTests {
  /// The marks of an SVG: each element with a `data-value`, as its data attributes.
  static func marks(_ svg: String) -> [[String: String]] {
    let attribute = try? NSRegularExpression(pattern: #"data-([a-z]+)="([^"]*)""#)
    return svg.split(separator: "\n").compactMap { line -> [String: String]? in
      let text = String(line)
      guard text.contains("data-value=") else { return nil }
      var out: [String: String] = [:]
      for m in attribute?.matches(in: text, range: NSRange(text.startIndex..., in: text)) ?? [] {
        guard let k = Range(m.range(at: 1), in: text), let v = Range(m.range(at: 2), in: text) else { continue }
        out[String(text[k])] = String(text[v]).replacingOccurrences(of: "&amp;", with: "&")
      }
      return out
    }
  }

  static func rows(_ csv: String) -> [[String: String]] {
    var lines = csv.split(separator: "\n").map(String.init)
    let header = CSVWriter.fields(of: lines.removeFirst())
    return lines.map { Dictionary(zip(header, CSVWriter.fields(of: $0)), uniquingKeysWith: { a, _ in a }) }
  }

  static func number(_ s: String?) -> Double { Double(s ?? "") ?? .nan }

  /// Well-formed XML (xmllint, Debian's libxml2-utils), with a title and a description.
  static func checkWellFormed(_ name: String, _ svg: String) throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("arsenal-\(UUID().uuidString)-\(name)")
    try svg.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
    process.arguments = ["--noout", file.path]
    let err = Pipe()
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 0, "\(name): \(message)")
    #expect(svg.contains("role=\"img\"") && svg.contains("<title id=") && svg.contains("<desc id="), "\(name)")
  }

  @Test func scenarioChartsShowTheirFilesNumbers() throws {
    let result = try Arsenal.run(RunOptions(data: bundled, scenarios: ["baseline"]))
    let files = result.files
    let svgs = files.files.filter { $0.name.hasSuffix(".svg") }
    #expect(Set(svgs.map(\.name)) == ["coverage.svg", "targets.svg", "shortfall.svg", "bottlenecks.svg", "idle.svg"])
    for f in svgs { try Self.checkWellFormed(f.name, f.contents) }
    let report = try #require(files.contents(of: "report.md"))
    for f in svgs { #expect(report.contains("](\(f.name))"), "report.md does not show \(f.name)") }

    // Coverage: summary.json's family coverage, every family once.
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data((files.contents(of: "summary.json") ?? "").utf8)) as? [String: Any])
    let coverage = try #require(summary["coverage"] as? [String: [String: Any]])
    var expected = 0
    for entry in coverage.values { expected += (entry["families"] as? [String: Any])?.count ?? 0 }
    let coverageMarks = Self.marks(try #require(files.contents(of: "coverage.svg")))
    #expect(coverageMarks.count == expected)
    for mark in coverageMarks {
      let families = coverage[mark["class"] ?? ""]?["families"] as? [String: [String: Any]]
      let value = families?[mark["family"] ?? ""]?["coverage"] as? Double
      #expect(value.map { abs($0 - Self.number(mark["value"])) < 1e-9 } == true, "\(mark)")
    }

    // Shortfall: shortfalls.csv summed by class, item and period; every non-zero sum drawn.
    let shortfalls = Self.rows(try #require(files.contents(of: "shortfalls.csv")))
    var sums: [String: Double] = [:]
    for r in shortfalls where r["type"] == "consumption" {
      sums["\(r["class"] ?? "")|\(r["item_id"] ?? "")|\(r["period"] ?? "")", default: 0] += Self.number(r["shortfall"])
    }
    let drawn = Self.marks(try #require(files.contents(of: "shortfall.svg")))
    #expect(drawn.count == sums.values.filter { $0 > 0 }.count)
    for mark in drawn {
      let key = "\(mark["class"] ?? "")|\(mark["item"] ?? "")|\(mark["x"] ?? "")"
      #expect(abs((sums[key] ?? -1) - Self.number(mark["value"])) < 1e-3, "\(key)")
    }

    // Targets: the diamonds are the stockpile rows summed by class, item and period.
    var due: [String: (Double, Double)] = [:]
    for r in shortfalls where r["type"] == "stockpile" {
      let key = "\(r["class"] ?? "")|\(r["item_id"] ?? "")|\(r["period"] ?? "")"
      let old = due[key] ?? (0, 0)
      due[key] = (old.0 + Self.number(r["demand"]), old.1 + Self.number(r["met"]))
    }
    let diamonds = Self.marks(try #require(files.contents(of: "targets.svg"))).filter { $0["held"] != nil }
    #expect(diamonds.count == due.count && !due.isEmpty)
    for mark in diamonds {
      let key = "\(mark["class"] ?? "")|\(mark["item"] ?? "")|\(mark["x"] ?? "")"
      let sum = try #require(due[key], "\(key)")
      #expect(abs(sum.0 - Self.number(mark["value"])) < 1e-3 && abs(sum.1 - Self.number(mark["held"])) < 1e-3, "\(key)")
    }

    // Bottlenecks: bottlenecks.csv's ranked rows, in order.
    let ranked = Self.rows(try #require(files.contents(of: "bottlenecks.csv"))).filter { !($0["rank"] ?? "").isEmpty }
    let bars = Self.marks(try #require(files.contents(of: "bottlenecks.svg")))
    #expect(bars.map { $0["limit"] ?? "" } == ranked.prefix(10).map { $0["limit_id"] ?? "" })
    for (bar, row) in zip(bars, ranked) { #expect(Self.number(bar["value"]) == Self.number(row["value"])) }

    // Idle: the shares report.md's idle table prints.
    let idle = Self.marks(try #require(files.contents(of: "idle.svg")))
    #expect(!idle.isEmpty)
    for mark in idle {
      let printed = "| of the idle: \(mark["reason"] ?? "")"
      let line = try #require(report.split(separator: "\n").first { $0.hasPrefix(printed) }, "\(printed)")
      #expect(line.contains(Fmt.percent(Self.number(mark["value"]))), "\(line)")
    }
  }

  /// The comparison chart: comparison.csv's family-coverage rows, a bar per run.
  @Test func comparisonChartShowsItsCSV() throws {
    let data = try DataSetLoader.load(folder: bundled)
    let (report, _) = try Arsenal.compare(["baseline", "us-none"], options: RunOptions(data: bundled), data: data)
    let files = report.files()
    let svg = try #require(files.contents(of: "comparison.svg"))
    try Self.checkWellFormed("comparison.svg", svg)
    let rows = Self.rows(report.csv()).filter { $0["measure"] == "family-coverage" }
    let marks = Self.marks(svg)
    #expect(marks.count == rows.count * 2)
    for mark in marks {
      let row = try #require(rows.first { $0["group_id"] == mark["group"] && $0["subject_id"] == mark["family"] })
      #expect(row[mark["run"] ?? ""] == mark["value"], "\(mark)")
    }
    #expect(try #require(files.contents(of: "comparison.md")).contains("](comparison.svg)"))
  }

  /// Sweep charts: each class's curve is sweep.csv's shortfall column; two parameters give a
  /// heat map of the primary class's column.
  @Test(arguments: [1, 2]) func sweepChartShowsItsCSV(_ parameters: Int) throws {
    let data = try DataSetLoader.load(folder: bundled)
    let params = ["capacity producer=nitrochemie-aschau values=0.5;1", "demand class=front-line values=1;1.2"]
    let spec = try Arsenal.sweepSpec(
      parameters: Array(params.prefix(parameters)), scenarios: [], policy: nil, data: data)
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("arsenal-sweep-\(UUID().uuidString)")
    _ = try Arsenal.sweep(spec, data: data, options: SweepOptions(data: bundled, out: out.path, workers: 1))
    let svg = try String(contentsOf: out.appendingPathComponent("sweep.svg"), encoding: .utf8)
    try Self.checkWellFormed("sweep.svg", svg)
    let rows = Self.rows(try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8))
    let marks = Self.marks(svg)
    if parameters == 1 {
      let classes = Set(marks.compactMap { $0["class"] })
      #expect(marks.count == rows.count * classes.count && !classes.isEmpty)
      for mark in marks {
        let row = try #require(rows.first { Self.number($0[spec.parameters[0].label]) == Self.number(mark["x"]) })
        #expect(Self.number(row["shortfall_\(mark["class"] ?? "")"]) == Self.number(mark["value"]), "\(mark)")
      }
    } else {
      #expect(marks.count == rows.count)
      let columns = rows.first.map { Set($0.keys.filter { $0.hasPrefix("shortfall_") }) } ?? []
      for mark in marks {
        let row = try #require(
          rows.first {
            Self.number($0[spec.parameters[0].label]) == Self.number(mark["row"])
              && Self.number($0[spec.parameters[1].label]) == Self.number(mark["x"])
          })
        #expect(columns.contains { Self.number(row[$0]) == Self.number(mark["value"]) }, "\(mark)")
      }
    }
    try? FileManager.default.removeItem(at: out)
  }
}
