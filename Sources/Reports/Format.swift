import Foundation

/// Deterministic number formatting for reports (no locale: the same bytes everywhere).
///
/// Fixed-point output is built from integer arithmetic rather than `String(format:)`, which
/// goes through Foundation's locale machinery and dominated report time on large plans.
public enum Fmt {
  /// Decimals of every fraction (coverage, utilisation, shares) in CSV and JSON files: one
  /// convention, fine enough to tell 99.9999 % from 100 %.
  public static let fractionDecimals = 6

  /// `x` with exactly `decimals` decimals ("%.Nf"), for |x| small enough to scale into an
  /// Int64; larger values fall back to `String(format:)`.
  public static func fixed(_ x: Double, decimals: Int) -> String {
    let scale = pow(10, Double(decimals))
    let scaled = (abs(x) * scale).rounded()
    guard x.isFinite, scaled < 9e15 else { return String(format: "%.\(decimals)f", x) }
    let n = Int64(scaled)
    let negative = x < 0 && n != 0
    var digits = String(n)
    if decimals > 0 {
      if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
      digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
    }
    return negative ? "-" + digits : digits
  }

  /// 1234567.8 → "1,234,568"; small non-integers keep up to `decimals` decimals.
  public static func quantity(_ x: Double, decimals: Int = 0) -> String {
    guard x.isFinite else { return x > 0 ? "∞" : x < 0 ? "−∞" : "n/a" }
    let rounded = decimals == 0 ? x.rounded() : x
    let negative = rounded < 0 && abs(rounded) >= 0.5 * pow(10, Double(-decimals))
    let text = fixed(abs(rounded), decimals: decimals)
    let parts = text.split(separator: ".", maxSplits: 1)
    let whole = String(parts[0])
    var grouped = ""
    for (n, ch) in whole.reversed().enumerated() {
      if n > 0 && n % 3 == 0 { grouped.append(",") }
      grouped.append(ch)
    }
    var out = String(grouped.reversed())
    if parts.count > 1 { out += "." + parts[1] }
    return negative ? "−" + out : out
  }

  /// Quantity with sensible precision: integers for large values, 2 significant decimals
  /// for small ones (values per unit such as 0.25 round).
  ///
  /// Thresholds compare the value as it would print, so 0.99996 reads "1.00" like 1.00004.
  public static func value(_ x: Double) -> String {
    let a = abs(x)
    if a >= 99.995 || a == 0 { return quantity(x) }
    if a >= 0.9995 { return quantity(x, decimals: 2) }
    if a >= 0.00995 { return quantity(x, decimals: 3) }
    return String(format: "%.2e", x)
  }

  /// A fraction as a percentage with one decimal: 0.7834 → "78.3 %".
  public static func percent(_ f: Double) -> String {
    guard f.isFinite else { return "n/a" }
    let p = f * 100
    return fixed(abs(p) < 0.05 ? 0 : p, decimals: 1) + " %"
  }

  /// Money in EUR, compact: "€1.25 bn", "€350 M", "€12,000".
  public static func money(_ eur: Double) -> String {
    let a = abs(eur)
    let body: String
    if a >= 1e9 {
      body = String(format: "€%.2f bn", a / 1e9)
    } else if a >= 1e6 {
      body = String(format: "€%.1f M", a / 1e6)
    } else {
      body = "€" + quantity(a)
    }
    // A negative that rounds to nothing (a solver's −1e-9) is €0, as `quantity` shows 0.
    return eur < 0 && body != "€0" ? "−" + body : body
  }

  /// A count of things that come in units (guns, fire units) as a plan in continuous
  /// quantities gives it: whole from 100 up or when within 0.05 of a whole number, else to a
  /// tenth — so that 0.6 fire units produced is not printed as 1 beside "3.0 % used".
  public static func countRounded(_ x: Double) -> Double {
    abs(x) < 100 && abs(x - x.rounded()) >= 0.05 ? (x * 10).rounded() / 10 : x.rounded()
  }

  /// `countRounded`, printed: "647", "0.6".
  public static func count(_ x: Double) -> String { tenths(countRounded(x)) }

  /// A multiple of a tenth, printed exactly: "647", "8.6".
  public static func tenths(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? quantity(r) : quantity(r, decimals: 1)
  }

  /// Large quantities in words for sentences: 1,234,567 → "1.23 million".
  public static func words(_ x: Double) -> String {
    let a = abs(x)
    if a >= 1e9 { return String(format: "%.2f billion", x / 1e9) }
    if a >= 1e6 { return String(format: "%.2f million", x / 1e6) }
    return quantity(x)
  }

  /// A number for CSV and JSON: plain decimal, at most `decimals` decimals (3 for
  /// quantities, which hides the solver's 1e-9 noise; more for rates), no trailing zeros.
  public static func plain(_ x: Double, decimals: Int = 3) -> String {
    guard x.isFinite else { return x > 0 ? "inf" : x < 0 ? "-inf" : "nan" }
    if abs(x) < 0.5 * pow(10, Double(-decimals)) { return "0" }
    var s = fixed(x, decimals: decimals)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s == "-0" ? "0" : s
  }

  /// A horizontal bar of `width` cells for `x` of `max`, with eighth-cell resolution; the
  /// first `light` of it drawn as ░ (whole cells).
  public static func bar(_ x: Double, max: Double, width: Int = 40, light: Double = 0) -> String {
    guard max > 0, x > 0, x.isFinite, max.isFinite, light.isFinite else { return "" }
    // Clamped before any conversion, so no value can trap.
    let fraction = Swift.min(1, x / max)
    let eighths = Int((fraction * Double(width) * 8).rounded())
    let lightCells = Swift.min(eighths / 8, Int((Swift.min(1, Swift.max(0, light / max)) * Double(width)).rounded()))
    let full = eighths / 8 - lightCells
    let partial = eighths % 8
    let blocks: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    var s = String(repeating: "░", count: lightCells) + String(repeating: "█", count: full)
    if partial > 0 { s.append(blocks[partial]) }
    if s.isEmpty { s = "▏" }
    return s
  }
}

/// A Markdown table that pads columns so it also reads well as plain text.
public struct MarkdownTable {
  /// How a column's cells line up: text left, numbers right.
  public enum Alignment { case left, right }
  var header: [String]
  var alignment: [Alignment]
  var rows: [[String]] = []

  /// An empty table with these column headings, aligned as `alignment` says (one per column).
  public init(_ header: [String], alignment: [Alignment]) {
    self.header = header
    self.alignment = alignment
  }

  /// Appends a row of cells, one per column (a `|` in a cell is escaped when rendered).
  public mutating func add(_ row: [String]) { rows.append(row) }

  /// Whether the table has no rows yet (the header does not count).
  public var isEmpty: Bool { rows.isEmpty }

  /// The table as Markdown, every column padded to its widest cell, ending with a newline.
  public func render() -> String {
    let escaped = rows.map { $0.map { $0.replacingOccurrences(of: "|", with: "\\|") } }
    var widths = header.map(\.count)
    for row in escaped {
      for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      let padded = cells.enumerated().map { i, c -> String in
        let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
        return alignment[i] == .right ? pad + c : c + pad
      }
      return "| " + padded.joined(separator: " | ") + " |"
    }
    let rule =
      "|"
      + widths.enumerated().map { i, w in
        alignment[i] == .right ? String(repeating: "-", count: w + 1) + ":" : String(repeating: "-", count: w + 2)
      }
      .joined(separator: "|") + "|"
    return ([line(header), rule] + escaped.map(line)).joined(separator: "\n") + "\n"
  }
}

/// CSV text with RFC 4180 quoting where needed.
public struct CSVWriter {
  private var lines: [String]

  /// A CSV text holding only its header row.
  public init(header: [String]) { lines = [header.map(Self.escape).joined(separator: ",")] }

  /// Appends a row, quoting cells where needed.
  public mutating func add(_ cells: [String]) { lines.append(cells.map(Self.escape).joined(separator: ",")) }

  /// The CSV text: the header and every row, each ending with a newline.
  public var text: String { lines.joined(separator: "\n") + "\n" }

  /// `s` as a CSV field: quoted, with its quotes doubled, if it holds a comma, a quote or a line break.
  public static func escape(_ s: String) -> String {
    // Scanned as UTF-8 bytes: the four are ASCII, and Character comparison costs far more.
    if s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
      return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
  }

  /// The records of a CSV text, each as its cells: lines split where no quoted cell holds
  /// the line break (a name may hold one), a byte order mark and CR before LF dropped.
  public static func records(of text: String) -> [[String]] {
    var out: [[String]] = []
    var record = String.UnicodeScalarView()
    var quoted = false
    var scalars = Substring(text).unicodeScalars
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    for c in scalars {
      if c == "\"" { quoted.toggle() }
      if !quoted && (c == "\n" || c == "\r") {
        if c == "\n" && !record.isEmpty { out.append(fields(of: String(record))) }
        if c == "\n" { record = String.UnicodeScalarView() }
        continue
      }
      record.append(c)
    }
    if !record.isEmpty { out.append(fields(of: String(record))) }
    return out
  }

  /// The cells of one CSV line (quoted cells may hold commas; doubled quotes are one quote):
  /// the inverse of `add`, for rows without line breaks.
  public static func fields(of line: String) -> [String] {
    var out: [String] = []
    var cell = ""
    var quoted = false
    let chars = Array(line)
    var n = 0
    while n < chars.count {
      let c = chars[n]
      if quoted && c == "\"" && n + 1 < chars.count && chars[n + 1] == "\"" {
        cell.append("\"")
        n += 1
      } else if c == "\"" {
        quoted.toggle()
      } else if c == "," && !quoted {
        out.append(cell)
        cell = ""
      } else {
        cell.append(c)
      }
      n += 1
    }
    out.append(cell)
    return out
  }
}
