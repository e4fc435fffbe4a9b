/// A TOML file line by line, comments kept: what the data lint needs to tell which comment
/// cites which number (the parsed model has no comments).
///
/// Like `TOMLLineIndex`, a light scanner that only needs to be right for well-formed files:
/// the lint runs after the data set has loaded.
struct TOMLOutline {
  enum Kind: Equatable {
    case blank
    /// A comment line; `divider` when it starts a section (`# ---…` or `# ===…`).
    case comment(divider: Bool)
    /// A table header, `[a.b]` or `[[a.b]]`: the index of its table.
    case header(table: Int)
    /// `key = value`, in table `table` (nil at the top of the file).
    case key(name: String, table: Int?)
    /// A further line of a multi-line value (array, inline table or string).
    case continuation
  }

  struct Line {
    /// 1-based line number.
    let number: Int
    let kind: Kind
    /// Comments on the line; for a key, also those on its value's further lines.
    var comments: [Substring]
    /// A key's value as written (further lines joined with a space).
    var value: String
  }

  struct Table {
    let path: [String]
    let isArray: Bool
    /// Index of the header line in `lines`.
    let header: Int
    /// The table whose path is the longest proper prefix of this one, if any.
    let parent: Int?
    /// 1-based place among the entries of the same array under the same parent.
    let ordinal: Int
    /// The entry's `id`, if it has one.
    var id: String?
  }

  private(set) var lines: [Line] = []
  private(set) var tables: [Table] = []

  /// Tables labelled `NAME "x"` when written `[NAME.x]`, as the loader labels them.
  static let namedTables: Set<String> = ["scenario", "sweep", "comparison"]

  init(_ text: String) {
    var scan = Scanner()
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      scan.read(raw.hasSuffix("\r") ? raw.dropLast() : raw, into: &self)
    }
  }

  /// Reads one line at a time, keeping multi-line values and the tables seen so far.
  private struct Scanner {
    var multilineString: String?
    var depth = 0
    var owner: Int?
    var latest: [String: Int] = [:]
    var arrayCounts: [String: Int] = [:]

    mutating func read(_ line: Substring, into o: inout TOMLOutline) {
      let number = o.lines.count + 1
      if let close = multilineString {
        if line.contains(close) { multilineString = nil }
        o.lines.append(Line(number: number, kind: .continuation, comments: [], value: ""))
        return
      }
      let (code, comment) = TOMLOutline.splitComment(line)
      let stripped = code.trimmed()
      if depth > 0, let owner {
        depth = max(0, depth + TOMLOutline.bracketBalance(stripped))
        o.lines[owner].value += " " + stripped
        if let comment { o.lines[owner].comments.append(comment) }
        o.lines.append(Line(number: number, kind: .continuation, comments: [], value: ""))
        return
      }
      let comments = comment.map { [$0] } ?? []
      if stripped.isEmpty {
        let kind: Kind = comment.map { .comment(divider: TOMLOutline.isDivider($0)) } ?? .blank
        o.lines.append(Line(number: number, kind: kind, comments: comments, value: ""))
      } else if stripped.hasPrefix("[") {
        let t = addTable(stripped, headerLine: o.lines.count, to: &o)
        o.lines.append(Line(number: number, kind: .header(table: t), comments: comments, value: ""))
      } else {
        readKey(stripped, number: number, comments: comments, into: &o)
      }
    }

    private mutating func readKey(_ stripped: Substring, number: Int, comments: [Substring], into o: inout TOMLOutline)
    {
      let (name, value) = TOMLOutline.splitKey(stripped)
      let table = o.tables.indices.last
      if name == "id", let t = table, let id = TOMLOutline.plainString(value) { o.tables[t].id = id }
      owner = o.lines.count
      o.lines.append(
        Line(number: number, kind: .key(name: name, table: table), comments: comments, value: String(value)))
      if value.hasPrefix("\"\"\"") || value.hasPrefix("'''") {
        let delimiter = String(value.prefix(3))
        if value.dropFirst(3).range(of: delimiter) == nil { multilineString = delimiter }
      } else {
        depth = max(0, TOMLOutline.bracketBalance(value))
      }
    }

    private mutating func addTable(_ stripped: Substring, headerLine: Int, to o: inout TOMLOutline) -> Int {
      let isArray = stripped.hasPrefix("[[")
      let inside = stripped.dropFirst(isArray ? 2 : 1).prefix { $0 != "]" }
      let path = TOMLOutline.dottedKey(inside)
      var parent: Int?
      for k in stride(from: path.count - 1, to: 0, by: -1) {
        if let t = latest[path.prefix(k).joined(separator: ".")] {
          parent = t
          break
        }
      }
      let countKey = "\(parent ?? -1)|" + path.joined(separator: ".")
      let ordinal = (arrayCounts[countKey] ?? 0) + 1
      if isArray { arrayCounts[countKey] = ordinal }
      o.tables.append(Table(path: path, isArray: isArray, header: headerLine, parent: parent, ordinal: ordinal))
      latest[path.joined(separator: ".")] = o.tables.count - 1
      return o.tables.count - 1
    }
  }

  /// How the loader's messages name a table: `producer "x" › product #1`, `scenario "y"`.
  func label(ofTable t: Int) -> String {
    let table = tables[t]
    let base = table.parent.map { label(ofTable: $0) }
    let own = Array(table.path.dropFirst(table.parent.map { tables[$0].path.count } ?? 0))
    var parts = own
    if table.isArray, let last = own.last {
      parts = own.dropLast() + ["\(last) " + (table.id.map { "\"\($0)\"" } ?? "#\(table.ordinal)")]
    } else if table.parent == nil, own.count == 2, Self.namedTables.contains(own[0]) {
      parts = ["\(own[0]) \"\(own[1])\""]
    }
    return ((base.map { [$0] } ?? []) + parts).joined(separator: " › ")
  }

  /// How the loader's messages name the key on line index `i`.
  func label(ofKey i: Int) -> String {
    guard case .key(let name, let table) = lines[i].kind else { return "" }
    return table.map { "\(label(ofTable: $0)) › \(name)" } ?? name
  }
}

extension TOMLOutline {
  /// The code of a line and its comment (the text after the first `#` outside strings).
  static func splitComment(_ s: Substring) -> (code: Substring, comment: Substring?) {
    var quote: Character? = nil
    var i = s.startIndex
    while i < s.endIndex {
      let ch = s[i]
      if let q = quote {
        if ch == "\\" && q == "\"" {
          i = s.index(after: i)
          if i == s.endIndex { break }
        } else if ch == q {
          quote = nil
        }
      } else if ch == "\"" || ch == "'" {
        quote = ch
      } else if ch == "#" {
        return (s[..<i], s[s.index(after: i)...])
      }
      i = s.index(after: i)
    }
    return (s, nil)
  }

  /// Whether a comment starts a section: `# ---…` or `# ===…`.
  static func isDivider(_ comment: Substring) -> Bool {
    let text = comment.drop { $0 == " " || $0 == "\t" }
    return text.hasPrefix("---") || text.hasPrefix("===")
  }

  /// A `key = value` line split at its `=` (outside quotes), the key's dotted parts joined with ".".
  static func splitKey(_ s: Substring) -> (name: String, value: Substring) {
    guard let i = equalsIndex(s) else { return (String(s), "") }
    return (dottedKey(s[..<i]).joined(separator: "."), s[s.index(after: i)...].trimmed())
  }

  /// The index of the `=` that separates key and value (outside quotes), if any.
  static func equalsIndex(_ s: Substring) -> Substring.Index? {
    var quote: Character? = nil
    for i in s.indices {
      let ch = s[i]
      if let q = quote {
        if ch == q { quote = nil }
      } else if ch == "\"" || ch == "'" {
        quote = ch
      } else if ch == "=" {
        return i
      }
    }
    return nil
  }

  /// A dotted key split into its parts, quotes and blanks removed.
  static func dottedKey(_ s: Substring) -> [String] {
    var parts: [String] = []
    var current = ""
    var quote: Character? = nil
    for ch in s {
      if let q = quote {
        if ch == q { quote = nil } else { current.append(ch) }
      } else if ch == "\"" || ch == "'" {
        quote = ch
      } else if ch == "." {
        parts.append(current)
        current = ""
      } else if ch != " " && ch != "\t" {
        current.append(ch)
      }
    }
    parts.append(current)
    return parts
  }

  /// The text of a one-line string value without escapes (`"x"` or `'x'`), else nil.
  static func plainString(_ value: Substring) -> String? {
    guard value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q else { return nil }
    let inner = value.dropFirst().dropLast()
    return inner.contains(q) || inner.contains("\\") ? nil : String(inner)
  }

  /// Open minus closed brackets and braces outside strings.
  static func bracketBalance(_ s: Substring) -> Int {
    var balance = 0
    var quote: Character? = nil
    for ch in s {
      if let q = quote {
        if ch == q { quote = nil }
      } else if ch == "\"" || ch == "'" {
        quote = ch
      } else if ch == "[" || ch == "{" {
        balance += 1
      } else if ch == "]" || ch == "}" {
        balance -= 1
      }
    }
    return balance
  }
}
