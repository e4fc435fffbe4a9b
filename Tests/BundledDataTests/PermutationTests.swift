import Arsenal
import Foundation
import PlanningModel
import Testing

/// One canonical plan: the order in which a data set lists its entries decides nothing.
@Suite struct PermutationTests {
  /// The arrays of tables whose order the documentation says is not meaning: rules (the last
  /// matching rule decides), scenario changes and sweep parameters keep theirs.
  static let unordered: Set<String> = ["item", "producer", "consumer", "market", "funder", "route", "quota"]

  /// A TOML text with its unordered arrays of tables (`[[producer]]` with everything nested
  /// under it) in reverse order, after its plain keys, its tables and its ordered arrays.
  static func reversedTables(_ text: String) -> String {
    var preamble: [Substring] = []
    var kept: [[Substring]] = []
    var reversible: [[Substring]] = []
    var current: (name: String, reversed: Bool)?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.drop { $0 == " " }
      if trimmed.hasPrefix("[") {
        let name = String(trimmed.drop { $0 == "[" }.prefix { $0 != "]" })
        if let c = current, name.hasPrefix(c.name + ".") {
          // nested in the current entry
        } else {
          let reversed = trimmed.hasPrefix("[[") && unordered.contains(name)
          current = (name, reversed)
          if reversed { reversible.append([]) } else { kept.append([]) }
        }
      }
      switch current {
      case nil: preamble.append(line)
      case .some(let c) where c.reversed: reversible[reversible.count - 1].append(line)
      case .some: kept[kept.count - 1].append(line)
      }
    }
    let blocks = [preamble] + kept + reversible.reversed()
    return blocks.map { $0.joined(separator: "\n") }.joined(separator: "\n") + "\n"
  }

  /// A CSV text with its data rows in reverse order (comments and header first).
  static func reversedRows(_ text: String) -> String {
    let lines = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    let comments = lines.filter { $0.hasPrefix("#") }
    let rest = lines.filter { !$0.hasPrefix("#") }
    guard let header = rest.first else { return text }
    return (comments + [header] + rest.dropFirst().reversed()).joined(separator: "\n") + "\n"
  }

  static func permuted(_ texts: [DataSetFile: String]) -> [DataSetFile: String] {
    Dictionary(
      uniqueKeysWithValues: texts.map { file, text in
        (file, file.rawValue.hasSuffix(".csv") ? reversedRows(text) : reversedTables(text))
      })
  }

  /// The bundled data set with every unordered list reversed — producers, items, consumers,
  /// markets, funders, routes, quotas and every CSV's rows — gives the same reports
  /// byte for byte, under the baseline and under a scenario that changes rules and markets.
  @Test(arguments: [["baseline"], ["materials-restricted", "us-none"]])
  func reversedInputGivesIdenticalReports(scenarios: [String]) throws {
    let texts = try DataSetLoader.readTexts(folder: bundled)
    let permuted = Self.permuted(texts)
    #expect(permuted != texts, "the permutation changes the files")
    let original = try DataSetLoader.load(texts: texts, source: "Inputs/europe-2027")
    let reversed = try DataSetLoader.load(texts: permuted, source: "Inputs/europe-2027")
    #expect(original.model.producers.map(\.id) == reversed.model.producers.map(\.id))
    let options = RunOptions(data: "Inputs/europe-2027", scenarios: scenarios)
    let a = try Arsenal.run(options, data: original)
    let b = try Arsenal.run(options, data: reversed)
    #expect(a.files.files.map(\.name) == b.files.files.map(\.name))
    for (x, y) in zip(a.files.files, b.files.files) {
      #expect(x.contents == y.contents, "\(x.name) differs when the input lists are reversed")
    }
  }

  /// GLPK's presolver (on by default; `--no-presolve`) and the merging of identical columns
  /// before it (`--glpk merge=off`) change the path, not the answers.
  ///
  /// With and without each, the plan files are the same bytes, and so is every measured value of
  /// the bottleneck table (its iteration budgets count from the LP's size, not the path). Only
  /// the validity ranges of shadow prices may differ: at a degenerate optimum they follow the
  /// basis the solve ends at (docs/PERFORMANCE.md, "Cold solves").
  @Test(arguments: [["baseline"], ["materials-restricted", "us-none"]])
  func presolveGivesTheSamePlan(scenarios: [String]) throws {
    let data = try DataSetLoader.load(folder: bundled)
    var on = RunOptions(data: bundled, scenarios: scenarios)
    on.presolve = true
    var off = on
    off.presolve = false
    // Identical columns are merged before a presolved solve only; off, GLPK sees them all.
    var unmerged = on
    unmerged.tuning.mergeIdenticalColumns = false
    let a = try Arsenal.run(on, data: data).files
    let x = try Self.withoutRanges(a.contents(of: "bottlenecks.csv"))
    #expect(x.count > 1)
    for (other, what) in [(off, "the presolver off"), (unmerged, "identical columns not merged")] {
      let b = try Arsenal.run(other, data: data).files
      for name in ["allocations.csv", "shortfalls.csv", "utilisation.csv"] {
        #expect(a.contents(of: name) == b.contents(of: name), "\(name) differs with \(what)")
      }
      let y = try Self.withoutRanges(b.contents(of: "bottlenecks.csv"))
      #expect(x == y, "measured values differ with \(what)")
    }
  }

  /// bottlenecks.csv's rows without the shadow prices' ranges (`range_low`, `range_high`).
  static func withoutRanges(_ csv: String?) throws -> [[String]] {
    let lines = try #require(csv).split(separator: "\n").map { csvFields(String($0)) }
    let header = try #require(lines.first)
    let ranges = Set(["range_low", "range_high"].compactMap { header.firstIndex(of: $0) })
    #expect(ranges.count == 2)
    return lines.map { row in row.enumerated().filter { !ranges.contains($0.offset) }.map(\.element) }
  }

  /// The permutation really reorders: the first producer of the reversed text is the last of
  /// the original, with its products still nested under it; rules keep their order.
  @Test func thePermutationReversesTablesWithTheirNestedEntries() {
    let text = """
      name = "x"
      [[producer]]
      id = "a"
        [[producer.product]]
        item = "1"
      [[producer]]
      id = "b"
      [settings]
      k = 1
      [[rule]]
      note = "1"
      [[rule]]
      note = "2"
      """
    let out = Self.reversedTables(text)
    #expect(
      out
        == "name = \"x\"\n[settings]\nk = 1\n[[rule]]\nnote = \"1\"\n[[rule]]\nnote = \"2\"\n[[producer]]\nid = \"b\"\n[[producer]]\nid = \"a\"\n  [[producer.product]]\n  item = \"1\"\n"
    )
  }
}
