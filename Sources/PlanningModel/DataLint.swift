/// The lint `arsenal check` runs on a data set that loads (docs/INPUTS.md, "Sources and the
/// data lint"): numbers without a citation, and cross-checks of the model.
///
/// A number in a TOML file is cited when a comment containing `source:`, `assumption:` or
/// `derived:` (any case; `assumption (…):` too) is
/// 1. on its line (or on a further line of its value),
/// 2. in the comment block above its paragraph — the comment and blank lines right above the
///    run of `key = value` lines it belongs to (a run ends at a blank or comment line),
/// 3. in the block that introduces its table: the comment and blank lines right above the
///    table's header, on the header line, or right below it, or
/// 4. a blanket: a comment such as `# assumption (all six): …` — a citation word followed by
///    a parenthesis starting with `all` — covers every number after it until the next
///    section divider (a comment line starting `# ---` or `# ===`) or the end of the file.
///
/// Blocks stop at a divider. A CSV row is cited when its `source` cell is not empty, or its
/// `note` or `comment` cell contains a citation word.
public enum DataLint {
  /// Every warning about a loaded data set: the cross-checks, then the uncited numbers, each
  /// in file and line order.
  public static func warnings(for data: DataSet, texts: [DataSetFile: String]) -> [DataWarning] {
    crossChecks(data, texts: texts) + thousandsSeparators(in: texts) + uncitedNumbers(in: texts)
  }

  /// The numbers in a data set's files (as `DataSetLoader.readTexts` returns them) that no
  /// comment or source cell cites.
  public static func uncitedNumbers(in texts: [DataSetFile: String]) -> [DataWarning] {
    var out: [DataWarning] = []
    for file in DataSetFile.allCases {
      guard let text = texts[file] else { continue }
      out += file.rawValue.hasSuffix(".csv") ? uncitedRows(text, file: file) : uncitedTOML(text, file: file.rawValue)
    }
    return out
  }

  /// TOML numbers written like a thousands separator: `100.000`, `1.500` — a non-zero integer
  /// part of one to three digits, then exactly three decimals ending in 0 (someone writing a
  /// decimal drops its trailing zeros; `0.125` and `1.125` pass).
  static func thousandsSeparators(in texts: [DataSetFile: String]) -> [DataWarning] {
    var out: [DataWarning] = []
    for file in DataSetFile.allCases {
      guard let text = texts[file] else { continue }
      if file.rawValue.hasSuffix(".csv") {
        out += thousandsSeparators(inCSV: text, file: file)
        continue
      }
      let o = TOMLOutline(text)
      for i in o.lines.indices {
        guard case .key = o.lines[i].kind else { continue }
        for token in TOMLNumbers.tokens(o.lines[i].value) where looksLikeThousands(token) {
          out.append(
            DataWarning(
              .looksLikeThousands(token), file: file.rawValue, line: o.lines[i].number, key: o.label(ofKey: i),
              value: o.lines[i].value))
        }
      }
    }
    return out
  }

  /// CSV cells written like a thousands separator (`30.000` in a quantity column), as a
  /// spreadsheet in a German or French locale exports them.
  static func thousandsSeparators(inCSV text: String, file: DataSetFile) -> [DataWarning] {
    guard let table = CSVTable.parse(text, file: file.rawValue, log: ProblemLog()) else { return [] }
    var out: [DataWarning] = []
    for record in table.records {
      for (c, field) in record.fields.enumerated() where c < table.header.count {
        let value = String(field.trimmed())
        guard looksLikeThousands(value) else { continue }
        out.append(
          DataWarning(
            .looksLikeThousands(value), file: file.rawValue, line: record.line, key: table.header[c], value: value))
      }
    }
    return out
  }

  static func looksLikeThousands(_ token: String) -> Bool {
    let digits = token.hasPrefix("-") || token.hasPrefix("+") ? token.dropFirst() : Substring(token)
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let whole = parts.first, let fraction = parts.last else { return false }
    return (1...3).contains(whole.count) && whole.first != "0" && whole.allSatisfy(\.isASCII)
      && whole.allSatisfy(\.isNumber) && fraction.count == 3 && fraction.allSatisfy { $0.isASCII && $0.isNumber }
      && fraction.last == "0"
  }

  /// The numeric keys of a TOML text that nothing cites.
  static func uncitedTOML(_ text: String, file: String) -> [DataWarning] {
    let o = TOMLOutline(text)
    let blanket = blanketCover(o)
    var out: [DataWarning] = []
    for i in o.lines.indices {
      guard case .key = o.lines[i].kind, TOMLNumbers.contains(o.lines[i].value) else { continue }
      if blanket[i] || isCited(i, in: o) { continue }
      out.append(
        DataWarning(.uncitedTOML, file: file, line: o.lines[i].number, key: o.label(ofKey: i), value: o.lines[i].value))
    }
    return out
  }

  /// Whether the key on line index `i` is cited on its line, above its paragraph or by the
  /// block that introduces its table.
  private static func isCited(_ i: Int, in o: TOMLOutline) -> Bool {
    if o.lines[i].comments.contains(where: Citation.cites) { return true }
    if block(above: paragraphStart(i, in: o), in: o).contains(where: Citation.cites) { return true }
    guard case .key(_, let table?) = o.lines[i].kind else { return false }
    let h = o.tables[table].header
    return (block(above: h, in: o) + o.lines[h].comments + block(below: h, in: o)).contains(where: Citation.cites)
  }

  /// The first line of the paragraph the key on line index `i` belongs to: the run of
  /// `key = value` lines (and their values' further lines) with no blank or comment line between.
  private static func paragraphStart(_ i: Int, in o: TOMLOutline) -> Int {
    var start = i
    while start > 0 {
      switch o.lines[start - 1].kind {
      case .key, .continuation: start -= 1
      case .blank, .comment, .header: return start
      }
    }
    return start
  }

  /// The comments of the comment and blank lines right above line index `i` (up to a divider).
  private static func block(above i: Int, in o: TOMLOutline) -> [Substring] {
    var out: [Substring] = []
    var j = i - 1
    while j >= 0, let comments = blockComments(o.lines[j]) {
      out += comments
      j -= 1
    }
    return out
  }

  /// The comments of the comment and blank lines right below line index `i` (up to a divider).
  private static func block(below i: Int, in o: TOMLOutline) -> [Substring] {
    var out: [Substring] = []
    var j = i + 1
    while j < o.lines.count, let comments = blockComments(o.lines[j]) {
      out += comments
      j += 1
    }
    return out
  }

  /// A blank or (non-divider) comment line's comments; nil for any other line.
  private static func blockComments(_ line: TOMLOutline.Line) -> [Substring]? {
    switch line.kind {
    case .blank, .comment(divider: false): return line.comments
    case .comment(divider: true), .header, .key, .continuation: return nil
    }
  }

  /// For each line index, whether a blanket comment above it covers it.
  private static func blanketCover(_ o: TOMLOutline) -> [Bool] {
    var active = false
    return o.lines.map { line in
      if case .comment(let divider) = line.kind {
        if divider { active = false }
        if line.comments.contains(where: Citation.isBlanket) { active = true }
      }
      return active
    }
  }

  /// What identifies a row of each CSV file, and its number column.
  private struct CSVColumns {
    let ids: [String]
    let number: String
  }

  private static let csvColumns: [DataSetFile: CSVColumns] = [
    .capacity: CSVColumns(ids: ["producer", "item", "start"], number: "capacity"),
    .demand: CSVColumns(ids: ["consumer", "item", "start"], number: "quantity"),
    .targets: CSVColumns(ids: ["consumer", "item", "date"], number: "level"),
    .budgets: CSVColumns(ids: ["funder", "start"], number: "amount"),
    .deliveries: CSVColumns(ids: ["consumer", "item", "arrives"], number: "quantity"),
  ]

  /// The rows of a CSV text with no source.
  static func uncitedRows(_ text: String, file: DataSetFile) -> [DataWarning] {
    guard let columns = csvColumns[file], let table = CSVTable.parse(text, file: file.rawValue, log: ProblemLog())
    else { return [] }
    let source = table.header.firstIndex(of: "source")
    let notes = ["note", "comment"].compactMap { table.header.firstIndex(of: $0) }
    let ids = columns.ids.compactMap { table.header.firstIndex(of: $0) }
    let number = table.header.firstIndex(of: columns.number)
    var out: [DataWarning] = []
    for record in table.records {
      let cell = { (c: Int) in String(record.fields[c].trimmed()) }
      if let source, !cell(source).isEmpty { continue }
      if notes.contains(where: { Citation.cites(cell($0)) }) { continue }
      out.append(
        DataWarning(
          .uncitedRow(hasSourceColumn: source != nil), file: file.rawValue, line: record.line,
          key: "row " + ids.map(cell).joined(separator: ",") + " › " + columns.number, value: number.map(cell)))
    }
    return out
  }
}

/// The words that cite a number: `source:`, `assumption:`, `derived:`.
enum Citation {
  private static let words = ["source", "assumption", "derived"]

  private struct Marker {
    /// The word is followed by a colon (after an optional parenthesis).
    let colon: Bool
    /// The parenthesis between the word and the colon, lowercased, if any.
    let parenthesis: String?
  }

  /// Whether `text` cites: a citation word (any case, optionally plural), an optional
  /// parenthesis, then a colon — `Source:`, `assumptions:`, `assumption (all six):`.
  static func cites<S: StringProtocol>(_ text: S) -> Bool { markers(in: text).contains { $0.colon } }

  /// Whether `text` is a blanket citation: a citation word followed by a parenthesis that
  /// starts with the word `all` — `assumption (all capacities below):`.
  static func isBlanket<S: StringProtocol>(_ text: S) -> Bool {
    markers(in: text).contains { marker in
      guard let p = marker.parenthesis, p.hasPrefix("all") else { return false }
      return p.dropFirst(3).first.map { !$0.isLetter } ?? true
    }
  }

  private static func markers<S: StringProtocol>(in text: S) -> [Marker] {
    let s = Array(text.lowercased())
    var out: [Marker] = []
    for word in words.map(Array.init) where s.count >= word.count {
      for start in 0...(s.count - word.count) where Array(s[start..<start + word.count]) == word {
        if start > 0 && s[start - 1].isLetter { continue }
        var j = start + word.count
        if j < s.count && s[j] == "s" { j += 1 }
        if j < s.count && s[j].isLetter { continue }
        out.append(marker(in: s, after: j))
      }
    }
    return out
  }

  private static func marker(in s: [Character], after start: Int) -> Marker {
    var j = start
    while j < s.count && s[j] == " " { j += 1 }
    var parenthesis: String?
    if j < s.count && s[j] == "(", let close = s[j...].firstIndex(of: ")") {
      parenthesis = String(String(s[(j + 1)..<close]).trimmed())
      j = close + 1
      while j < s.count && s[j] == " " { j += 1 }
    }
    return Marker(colon: j < s.count && s[j] == ":", parenthesis: parenthesis)
  }
}

/// Whether a TOML value as written holds a number.
///
/// A number, or an array or inline table with one (`bom = { shell = 1 }`), counts as one
/// field; strings, booleans, dates and the keys of inline tables are not numbers.
enum TOMLNumbers {
  static func contains(_ value: String) -> Bool { !tokens(value).isEmpty }

  /// The numbers of a TOML value as written, in order.
  static func tokens(_ value: String) -> [String] {
    let chars = Array(value)
    var quote: Character?
    var token = ""
    var out: [String] = []
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if let q = quote {
        if c == "\\" && q == "\"" { i += 1 } else if c == q { quote = nil }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if " \t[]{},=".contains(c) {
        if isNumber(token) && !followedByEquals(chars, from: i) { out.append(token) }
        token = ""
      } else {
        token.append(c)
      }
      i += 1
    }
    if isNumber(token) { out.append(token) }
    return out
  }

  private static func followedByEquals(_ chars: [Character], from start: Int) -> Bool {
    var j = start
    while j < chars.count && (chars[j] == " " || chars[j] == "\t") { j += 1 }
    return j < chars.count && chars[j] == "="
  }

  /// A TOML integer or float: `350_000`, `-1.5e-3`, `inf`, `0x1F`.
  static func isNumber(_ token: String) -> Bool {
    var s = Substring(token)
    if s.first == "+" || s.first == "-" { s = s.dropFirst() }
    if s == "inf" || s == "nan" { return true }
    if s.count > 2, s.hasPrefix("0x") || s.hasPrefix("0o") || s.hasPrefix("0b") {
      return s.dropFirst(2).allSatisfy { $0.isHexDigit || $0 == "_" }
    }
    guard let first = s.first, first.isASCII, first.isNumber else { return false }
    var previous: Character = " "
    for c in s {
      let exponentSign = (c == "+" || c == "-") && (previous == "e" || previous == "E")
      guard (c.isASCII && c.isNumber) || c == "_" || c == "." || c == "e" || c == "E" || exponentSign else {
        return false
      }
      previous = c
    }
    return true
  }
}
