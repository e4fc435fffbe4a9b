/// A CSV file with a header row, read with the line number of every record.
///
/// Arsenal reads CSV itself rather than through a package because planners' messages must
/// name the exact line of a bad record (including records after multi-line quoted fields),
/// and because data sets cite sources in `#` comment lines, which plain CSV lacks.
/// Format: RFC 4180 (comma separator, `"` quoting with `""` for a quote), plus: lines whose
/// first character is `#` are comments, blank lines are skipped, cells are trimmed.
struct CSVTable: Sendable {
  struct Record: Sendable {
    let line: Int
    let fields: [String]
  }

  let file: String
  let header: [String]
  let headerLine: Int
  let records: [Record]

  static func parse(_ text: String, file: String, log: ProblemLog) -> CSVTable? {
    // A byte-order mark (spreadsheets write one) is not part of the first cell.
    let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    guard let scanned = CSVScanner.records(in: text, file: file, log: log) else { return nil }
    // A spreadsheet saves a `#` comment line as a quoted first cell and empty others.
    let records = scanned.filter { r in
      !((r.fields.first?.hasPrefix("#") ?? false) && r.fields.dropFirst().allSatisfy(\.isEmpty))
    }
    guard let head = records.first else {
      log.add(file: file, "is empty; expected a header row", as: .syntax)
      return nil
    }
    if head.fields.count == 1, head.fields[0].contains(";") {
      log.add(
        file: file, line: head.line, value: head.fields[0],
        "the columns are separated by semicolons, as a spreadsheet with a ';' list separator saves CSV; "
          + "expected commas (export as CSV with ',' as the separator)", as: .syntax)
      return nil
    }
    let header = head.fields.map { $0.lowercased() }
    var seen = Set<String>()
    for name in header {
      if name.isEmpty { log.add(file: file, line: head.line, "the header has an empty column name", as: .syntax) }
      if !seen.insert(name).inserted {
        log.add(file: file, line: head.line, key: name, "the column appears twice in the header", as: .duplicate)
      }
    }
    var body: [Record] = []
    for r in records.dropFirst() {
      if r.fields.count != header.count {
        log.add(
          file: file, line: r.line, value: r.fields.joined(separator: ","),
          "malformed CSV row: \(r.fields.count) cells; the header has \(header.count) (\(header.joined(separator: ",")))",
          as: .syntax)
        continue
      }
      body.append(r)
    }
    return CSVTable(file: file, header: header, headerLine: head.line, records: body)
  }

  /// Checks the header: required columns present, no unknown ones.
  func checkColumns(required: [String], optional: [String], log: ProblemLog) -> Bool {
    var ok = true
    for name in required where !header.contains(name) {
      log.add(file: file, line: headerLine, key: name, "the required column is missing from the header", as: .missing)
      ok = false
    }
    // `source`, `note` and `comment` columns carry citations and remarks.
    let allowed = Set(required + optional + ["source", "note", "comment"])
    for name in header where !allowed.contains(name) && !name.isEmpty {
      log.add(
        file: file, line: headerLine, key: name,
        "unknown column; expected: " + (required + optional).joined(separator: ", ") + " (and optionally source, note)",
        as: .unknownKey)
      ok = false
    }
    return ok
  }

  func cells(_ record: Record) -> CSVCells { CSVCells(table: self, record: record) }
}

/// Splits CSV text into records one scalar at a time, keeping the line each record starts
/// on (a quoted cell may span lines) and logging malformed quoting where it occurs.
private struct CSVScanner {
  let file: String
  let log: ProblemLog
  var records: [CSVTable.Record] = []
  var field = ""
  var fields: [String] = []
  var inQuotes = false
  var afterQuote = false
  var line = 1
  var recordLine = 1
  var atRecordStart = true
  var failed = false
  var skippingComment = false

  /// The records of `text` (blank ones dropped), or nil if its quoting is malformed.
  static func records(in text: String, file: String, log: ProblemLog) -> [CSVTable.Record]? {
    var s = CSVScanner(file: file, log: log)
    var scalars = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    while let c = pending ?? scalars.next() {
      pending = nil
      if s.skipsComment(c) { continue }
      if s.inQuotes {
        pending = s.readQuoted(c, then: &scalars)
      } else {
        s.readUnquoted(c)
      }
    }
    if s.inQuotes {
      log.add(file: file, line: s.recordLine, "malformed CSV: a quoted cell is never closed", as: .syntax)
      return nil
    }
    if !s.atRecordStart || !s.field.isEmpty || !s.fields.isEmpty { s.endRecord() }
    return s.failed ? nil : s.records
  }

  /// True if `c` is part of a comment line (one whose first character is `#`).
  mutating func skipsComment(_ c: Unicode.Scalar) -> Bool {
    if skippingComment {
      if c == "\n" {
        skippingComment = false
        line += 1
      }
      return true
    }
    if atRecordStart {
      recordLine = line
      atRecordStart = false
      if c == "#" {
        skippingComment = true
        atRecordStart = true
        return true
      }
    }
    return false
  }

  /// Reads inside a quoted cell, where `""` is a quote and a lone `"` closes the cell.
  ///
  /// Returns the scalar read ahead to tell the two apart, when it belongs to what follows.
  mutating func readQuoted(
    _ c: Unicode.Scalar, then scalars: inout String.UnicodeScalarView.Iterator
  ) -> Unicode.Scalar? {
    if c == "\"" {
      let next = scalars.next()
      if next == "\"" {
        field.unicodeScalars.append("\"")
      } else {
        inQuotes = false
        afterQuote = true
        return next
      }
    } else {
      if c == "\n" { line += 1 }
      field.unicodeScalars.append(c)
    }
    return nil
  }

  /// Outside quotes: separators, line ends, an opening quote, or text of the cell.
  mutating func readUnquoted(_ c: Unicode.Scalar) {
    switch c {
    case ",":
      fields.append(field.trimmed().description)
      field = ""
      afterQuote = false
    case "\n":
      endRecord()
      line += 1
    case "\r":
      break
    case "\"":
      if afterQuote || !field.trimmed().isEmpty {
        log.add(
          file: file, line: line,
          "malformed CSV: a quote inside an unquoted cell; quote the whole cell and double inner quotes", as: .syntax)
        failed = true
      }
      field = ""
      inQuotes = true
    default:
      if afterQuote && !(c == " " || c == "\t") {
        log.add(file: file, line: line, "malformed CSV: text after a closing quote", as: .syntax)
        failed = true
        afterQuote = false
      }
      field.unicodeScalars.append(c)
    }
  }

  /// Ends the current record; a record of one empty cell is a blank line and is dropped.
  mutating func endRecord() {
    fields.append(field.trimmed().description)
    field = ""
    let blank = fields.count == 1 && fields[0].isEmpty
    if !blank { records.append(CSVTable.Record(line: recordLine, fields: fields)) }
    fields = []
    atRecordStart = true
    afterQuote = false
  }
}

/// The cells of one record, read by column name, with problems recorded against its line.
struct CSVCells {
  let table: CSVTable
  let record: Record
  typealias Record = CSVTable.Record

  func raw(_ column: String) -> String? {
    guard let i = table.header.firstIndex(of: column) else { return nil }
    return record.fields[i]
  }

  func problem(_ column: String, value: String?, _ message: String, log: ProblemLog, as kind: InputProblem.Kind) {
    log.add(
      file: table.file, line: record.line, key: "column \(column)", value: value.map { "\"\($0)\"" }, message, as: kind)
  }

  func string(_ column: String, required: Bool = true, log: ProblemLog) -> String? {
    guard let s = raw(column), !s.isEmpty else {
      if required { problem(column, value: nil, "is empty; expected a value", log: log, as: .missing) }
      return nil
    }
    return s
  }

  func number(_ column: String, required: Bool = true, min: Double? = 0, max: Double? = nil, log: ProblemLog) -> Double?
  {
    guard let s = string(column, required: required, log: log) else { return nil }
    let cleaned = s.replacingUnderscores()
    // Decimal notation only, with `_` between digits as TOML allows: Swift would also read
    // `0x10` and `0x1p17` as hexadecimal, and `_1__0` as 10.
    let decimal = Self.isDecimal(s)
    guard decimal, let v = Double(cleaned), v.isFinite else {
      let grouped = s.range(of: #"^-?[0-9]{1,3}([,. '][0-9]{3})+([.,][0-9]+)?$"#, options: .regularExpression) != nil
      let why =
        grouped
        ? "looks like a number with thousands separators; write it without them (1000000, or 1_000_000)"
        : Double(cleaned) != nil && !decimal
          ? "expected a number in decimal notation, such as 1500, 0.25 or 2e6" : "expected a finite number"
      problem(column, value: s, why, log: log, as: .invalidValue)
      return nil
    }
    if let min, v < min {
      problem(column, value: s, "expected a number ≥ \(TableReader.format(min))", log: log, as: .invalidValue)
      return nil
    }
    if let max, v > max {
      problem(
        column, value: s, "expected a number ≤ \(TableReader.format(max)) (docs/INPUTS.md, Limits)", log: log,
        as: .limit)
      return nil
    }
    if v != 0, abs(v) < Limits.smallestFigure {
      problem(
        column, value: s,
        "expected 0 or a number ≥ \(TableReader.format(Limits.smallestFigure)) (docs/INPUTS.md, Limits)",
        log: log, as: .limit)
      return nil
    }
    return v
  }

  func month(_ column: String, required: Bool = true, log: ProblemLog) -> YearMonth? {
    guard let s = string(column, required: required, log: log) else { return nil }
    guard let m = YearMonth(s) else {
      problem(
        column, value: s, "expected a month written YYYY-MM (or a date YYYY-MM-DD that exists)", log: log,
        as: .invalidValue)
      return nil
    }
    return m
  }

  func rateUnit(_ column: String, default unit: RateUnit = .month, log: ProblemLog) -> RateUnit? {
    guard let s = string(column, required: false, log: log) else { return unit }
    guard let u = RateUnit(rawValue: s.lowercased()) else {
      problem(column, value: s, "expected month, quarter or year", log: log, as: .invalidValue)
      return nil
    }
    return u
  }
}

extension String {
  /// Allows `1_000_000` in numbers, as TOML does.
  func replacingUnderscores() -> String { filter { $0 != "_" } }
}

extension CSVCells {
  /// Whether `s` is a number in decimal notation: a sign, digits with at most one `_` between
  /// two of them, a point, digits, an exponent (`-1_500`, `0.25`, `.5`, `2e6`).
  static func isDecimal(_ s: String) -> Bool {
    var chars = Array(s.utf8)[...]
    if let c = chars.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { chars = chars.dropFirst() }
    var digits = 0
    var previous: UInt8 = 0
    var seenPoint = false
    while let c = chars.first, c != UInt8(ascii: "e") && c != UInt8(ascii: "E") {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
      case UInt8(ascii: "_"):
        guard previous >= UInt8(ascii: "0") && previous <= UInt8(ascii: "9") else { return false }
      case UInt8(ascii: "."):
        guard !seenPoint, previous != UInt8(ascii: "_") else { return false }
        seenPoint = true
      default: return false
      }
      previous = c
      chars = chars.dropFirst()
    }
    guard digits > 0, previous != UInt8(ascii: "_") else { return false }
    guard !chars.isEmpty else { return true }
    chars = chars.dropFirst()
    if let c = chars.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { chars = chars.dropFirst() }
    return !chars.isEmpty && chars.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
  }
}
