import Foundation
import Reports

/// A Markdown report read the way a planner reads it: its sections, its tables, the
/// sentences of its summary.
///
/// The claim tests check every sentence against the tables with this, independently of
/// the code that wrote them.
struct MarkdownReport {
  let text: String
  let path: String

  init(path: String) throws {
    self.path = path
    text = try String(contentsOfFile: path, encoding: .utf8)
  }

  /// The body under a heading (`## Title` or `### Title`, the hashes given), up to the next
  /// heading of the same or a higher level.
  func section(_ heading: String, in body: String? = nil) -> String? {
    let source = body ?? text
    let lines = source.components(separatedBy: "\n")
    let level = heading.prefix { $0 == "#" }.count
    guard let start = lines.firstIndex(of: heading) else { return nil }
    var end = start + 1
    while end < lines.count {
      let hashes = lines[end].prefix { $0 == "#" }.count
      if hashes > 0 && hashes <= level && lines[end].dropFirst(hashes).hasPrefix(" ") { break }
      end += 1
    }
    return lines[(start + 1)..<end].joined(separator: "\n")
  }

  /// The summary paragraph split into sentences.
  var sentences: [String] {
    guard let body = section("## Summary") else { return [] }
    let paragraph =
      body.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .first { !$0.isEmpty } ?? ""
    return Self.sentences(paragraph)
  }

  /// Splits a paragraph into its sentences.
  ///
  /// Sentences end with ". " before a capital or a digit, outside parentheses.
  static func sentences(_ paragraph: String) -> [String] {
    var out: [String] = []
    var current = ""
    var depth = 0
    let chars = Array(paragraph)
    for (n, c) in chars.enumerated() {
      current.append(c)
      if c == "(" { depth += 1 }
      if c == ")" { depth = max(0, depth - 1) }
      if c == ".", depth == 0, n + 2 < chars.count, chars[n + 1] == " ",
        chars[n + 2].isUppercase || chars[n + 2].isNumber
      {
        out.append(current)
        current = ""
      }
    }
    let last = current.trimmingCharacters(in: .whitespaces)
    if !last.isEmpty { out.append(last) }
    return out.map { $0.trimmingCharacters(in: .whitespaces) }
  }

  /// Every table of a body, in order.
  static func tables(_ body: String) -> [MarkdownTableReading] {
    var out: [MarkdownTableReading] = []
    var block: [String] = []
    for line in body.components(separatedBy: "\n") + [""] {
      if line.hasPrefix("|") {
        block.append(line)
      } else if !block.isEmpty {
        if block.count >= 2 { out.append(MarkdownTableReading(lines: block)) }
        block = []
      }
    }
    return out
  }

  /// The first table of a body whose header has `column`.
  static func table(_ body: String?, with column: String) -> MarkdownTableReading? {
    body.flatMap { tables($0).first { $0.header.contains(column) } }
  }
}

/// A Markdown table: its header and its rows as column → cell.
struct MarkdownTableReading {
  let header: [String]
  let rows: [[String: String]]

  init(lines: [String]) {
    func cells(_ line: String) -> [String] {
      var parts = line.components(separatedBy: "|")
      parts.removeFirst()
      if parts.last?.trimmingCharacters(in: .whitespaces).isEmpty ?? false { parts.removeLast() }
      return parts.map { $0.trimmingCharacters(in: .whitespaces) }
    }
    let names = cells(lines[0])
    header = names
    rows = lines.dropFirst(2).map { line in
      Dictionary(zip(names, cells(line)), uniquingKeysWith: { a, _ in a })
    }
  }

  func column(_ name: String) -> [String] { rows.map { $0[name] ?? "" } }
  func row(_ column: String, _ value: String) -> [String: String]? { rows.first { $0[column] == value } }
}

/// A number as reports print it, with how precisely it is printed: "1,620,000", "1.62 million",
/// "€900.0 M", "€1.02 bn", "56.8 %", "−60,000", "+13.2 pt".
struct PrintedNumber {
  let value: Double
  /// Half the last printed digit's worth.
  let tolerance: Double

  init?(_ text: String) {
    var s = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
    var scale = 1.0
    for (suffix, factor) in [
      (" billion", 1e9), (" million", 1e6), (" bn", 1e9), (" M", 1e6), (" %", 0.01), (" pt", 0.01),
    ] where s.hasSuffix(suffix) {
      scale = factor
      s.removeLast(suffix.count)
      break
    }
    s = s.replacingOccurrences(of: "€", with: "").replacingOccurrences(of: ",", with: "")
      .replacingOccurrences(of: "+", with: "")
    guard let v = Double(s) else { return nil }
    let decimals = s.split(separator: ".").dropFirst().first?.count ?? 0
    value = v * scale
    tolerance = 0.5 * pow(10, Double(-decimals)) * scale
  }

  /// Whether two printed numbers can be the same figure.
  static func same(_ a: String, _ b: String) -> Bool {
    guard let x = PrintedNumber(a), let y = PrintedNumber(b) else { return false }
    return abs(x.value - y.value) <= x.tolerance + y.tolerance + 1e-9 * max(abs(x.value), 1)
  }
}

/// "a", "a and b", "a, b and c" — as reports join lists.
func listed(_ parts: [String]) -> String {
  switch parts.count {
  case 0: return ""
  case 1: return parts[0]
  default: return parts.dropLast().joined(separator: ", ") + " and " + (parts.last ?? "")
  }
}

/// "2027-01 to 2027-09", "2027-01", several spans joined by ", ", from month labels in order.
func spans(_ labels: [String], all: [String]) -> String {
  let positions = labels.compactMap { all.firstIndex(of: $0) }.sorted()
  var parts: [String] = []
  var i = 0
  while i < positions.count {
    var j = i
    while j + 1 < positions.count && positions[j + 1] == positions[j] + 1 { j += 1 }
    parts.append(i == j ? all[positions[i]] : "\(all[positions[i]]) to \(all[positions[j]])")
    i = j + 1
  }
  return parts.joined(separator: ", ")
}

/// A CSV file as rows of column → cell (quoted cells with commas handled).
func readCSV(_ path: String) throws -> [[String: String]] {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  var lines = text.split(separator: "\n").map(String.init)
  guard !lines.isEmpty else { return [] }
  let header = csvFields(lines.removeFirst())
  return lines.map { Dictionary(zip(header, csvFields($0)), uniquingKeysWith: { a, _ in a }) }
}

/// The cells of one CSV line, as the library reads its own CSVs.
func csvFields(_ line: String) -> [String] { CSVWriter.fields(of: line) }
