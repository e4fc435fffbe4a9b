import TOMLKit

/// A parsed TOML value, detached from TOMLKit so the rest of the loader is plain Swift.
indirect enum TOMLNode: Sendable {
  case table([String: TOMLNode])
  case array([TOMLNode])
  case string(String)
  case integer(Int)
  case float(Double)
  case bool(Bool)
  /// Dates and times; Arsenal writes months as strings ("2027-01"), so these are errors.
  case other(String)

  var typeName: String {
    switch self {
    case .table: return "a table"
    case .array: return "an array"
    case .string: return "a string"
    case .integer: return "an integer"
    case .float: return "a number"
    case .bool: return "a boolean"
    case .other: return "a date or time"
    }
  }

  /// The value as written, for messages.
  var text: String {
    switch self {
    case .table: return "{…}"
    case .array(let a): return "[" + a.prefix(4).map(\.text).joined(separator: ", ") + (a.count > 4 ? ", …]" : "]")
    case .string(let s): return "\"\(s)\""
    case .integer(let i): return "\(i)"
    case .float(let d): return "\(d)"
    case .bool(let b): return "\(b)"
    case .other(let s): return s
    }
  }
}

/// A TOML file: its parsed root table and where each key sits.
struct TOMLFile {
  let name: String
  let root: [String: TOMLNode]
  /// Built on first use: only files with problems need line numbers.
  private let index: LazyLineIndex

  init(name: String, root: [String: TOMLNode], text: String) {
    self.name = name
    self.root = root
    self.index = LazyLineIndex(text)
  }

  var lines: TOMLLineIndex { index.value }

  /// Parses `text`; a syntax error is recorded in `log` (with TOMLKit's line and column)
  /// and gives `nil`.
  static func parse(_ text: String, name: String, log: ProblemLog) -> TOMLFile? {
    // A byte-order mark (some editors write one) is not part of the first key.
    let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    // toml++ (inside TOMLKit) asserts, and so aborts the process, on a table header whose
    // name starts with anything but a key character; catch those headers first.
    if let bad = TOMLLineIndex.malformedHeader(in: text) {
      log.add(
        file: name, line: bad.line, key: nil, value: bad.text,
        "TOML syntax error: a table header must start with a key name, as in [name] or [[name]]", as: .syntax)
      return nil
    }
    do {
      let table = try TOMLTable(string: text)
      return TOMLFile(name: name, root: convert(table), text: text)
    } catch let error as TOMLParseError {
      log.add(
        file: name, line: error.source.begin.line, key: nil, value: nil,
        "TOML syntax error at column \(error.source.begin.column): \(error.description)", as: .syntax)
      return nil
    } catch {
      log.add(file: name, "could not be read as TOML: \(error)", as: .syntax)
      return nil
    }
  }

  private static func convert(_ table: TOMLTable) -> [String: TOMLNode] {
    var out: [String: TOMLNode] = [:]
    for (key, value) in table { out[key] = convert(value) }
    return out
  }

  private static func convert(_ value: TOMLValueConvertible) -> TOMLNode {
    switch value.type {
    case .table:
      if let t = value.table { return .table(convert(t)) }
    case .array:
      if let a = value.array { return .array(a.map { convert($0) }) }
    case .string:
      if let s = value.string { return .string(s) }
    case .int:
      if let i = value.int { return .integer(i) }
    case .double:
      if let d = value.double { return .float(d) }
    case .bool:
      if let b = value.bool { return .bool(b) }
    default:
      break
    }
    return .other(value.debugDescription)
  }
}

/// Maps key paths such as `producer[3].item[1].capacity` to the line they are written on.
///
/// TOMLKit reports positions only for syntax errors, so this light scanner follows table
/// headers, arrays of tables and `key = value` lines to recover them for every other
/// message. It only needs to be right for well-formed files (syntax errors stop earlier).
struct TOMLLineIndex: Sendable {
  private let lineOf: [String: Int]

  init(_ text: String) {
    var arrayCounts: [String: Int] = [:]
    var current = ""
    var lineOf: [String: Int] = [:]
    Self.forEachTopLevelLine(text) { lineNumber, line in
      switch line {
      case .header(let stripped):
        if stripped.hasPrefix("[[") {
          let name = TOMLOutline.dottedKey(stripped.dropFirst(2).prefix { $0 != "]" })
          let parent = Self.resolve(name.dropLast(), counts: arrayCounts)
          let arrayPath = parent.isEmpty ? (name.last ?? "") : parent + "." + (name.last ?? "")
          let index = arrayCounts[arrayPath, default: 0]
          arrayCounts[arrayPath] = index + 1
          current = "\(arrayPath)[\(index)]"
        } else {
          current = Self.resolve(
            TOMLOutline.dottedKey(stripped.dropFirst().prefix { $0 != "]" })[...], counts: arrayCounts)
        }
        lineOf[current] = lineOf[current] ?? lineNumber
      case .keyValue(let key, _):
        let path = current.isEmpty ? key : current + "." + key
        lineOf[path] = lineOf[path] ?? lineNumber
      }
      return true
    }
    self.lineOf = lineOf
  }

  enum Line {
    /// A table header line, `[a.b]` or `[[a.b]]` (stripped of comments and blanks).
    case header(Substring)
    /// `key = value` (a dotted key joined with ".").
    case keyValue(key: String, value: Substring)
  }

  /// Calls `body` for every line outside multi-line strings and multi-line arrays or inline
  /// tables, with its 1-based number; `body` returns false to stop.
  static func forEachTopLevelLine(_ text: String, _ body: (Int, Line) -> Bool) {
    var depth = 0  // open brackets/braces of a multi-line value
    var inMultiline: String? = nil  // the closing delimiter of a multi-line string
    var lineNumber = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      let line = Substring(rawLine)
      if let close = inMultiline {
        if line.contains(close) { inMultiline = nil }
        continue
      }
      let stripped = TOMLOutline.splitComment(line).code.trimmed()
      if stripped.isEmpty { continue }
      if depth > 0 {
        depth += TOMLOutline.bracketBalance(stripped)
        continue
      }
      if stripped.hasPrefix("[") {
        if !body(lineNumber, .header(stripped)) { return }
        continue
      }
      guard let eq = TOMLOutline.equalsIndex(stripped) else { continue }
      let value = stripped[stripped.index(after: eq)...].trimmed()
      if !body(lineNumber, .keyValue(key: TOMLOutline.dottedKey(stripped[..<eq]).joined(separator: "."), value: value))
      {
        return
      }
      if value.hasPrefix("\"\"\"") || value.hasPrefix("'''") {
        let delimiter = String(value.prefix(3))
        if value.dropFirst(3).range(of: delimiter) == nil { inMultiline = delimiter }
        continue
      }
      depth = max(0, TOMLOutline.bracketBalance(value))
    }
  }

  /// The first table header line (outside multi-line values) whose name does not start
  /// with a bare-key character or a quote, such as `[` alone or `[.a]`.
  static func malformedHeader(in text: String) -> (line: Int, text: String)? {
    guard mayHaveMalformedHeader(text) else { return nil }
    var found: (line: Int, text: String)?
    forEachTopLevelLine(text) { lineNumber, line in
      guard case .header(let stripped) = line else { return true }
      let afterBrackets = stripped.hasPrefix("[[") ? stripped.dropFirst(2) : stripped.dropFirst()
      let name = afterBrackets.drop { $0 == " " || $0 == "\t" }
      if let c = name.first, c.isASCII,
        c.isLetter || c.isNumber || c == "_" || c == "-" || c == "\"" || c == "'" || c == "]"
      {
        return true
      }
      found = (lineNumber, String(stripped))
      return false
    }
    return found
  }

  /// A fast byte scan: is there any line whose first non-blank byte is `[` followed (after
  /// an optional second `[` and blanks) by something other than a key start? Only then is
  /// the careful scan worth its cost.
  static func mayHaveMalformedHeader(_ text: String) -> Bool {
    var atLineStart = true
    var afterBracket = 0  // 0: not in a header start; 1: after "["; 2: after "[["
    for b in text.utf8 {
      if afterBracket > 0 {
        if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { continue }
        if b == UInt8(ascii: "[") && afterBracket == 1 {
          afterBracket = 2
          continue
        }
        let ok =
          (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
          || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
          || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "]")
        if !ok { return true }
        afterBracket = 0
        atLineStart = false
        continue
      }
      if b == UInt8(ascii: "\n") {
        atLineStart = true
      } else if atLineStart {
        if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { continue }
        if b == UInt8(ascii: "[") { afterBracket = 1 } else { atLineStart = false }
      }
    }
    return afterBracket > 0
  }

  /// The line of `path`, or of its closest enclosing table that has one.
  func line(of path: String) -> Int? {
    var p = path
    while true {
      if let l = lineOf[p] { return l }
      guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
      p = String(p[..<cut])
    }
  }

  private static func resolve(_ parts: ArraySlice<String>, counts: [String: Int]) -> String {
    var path = ""
    for part in parts {
      path = path.isEmpty ? part : path + "." + part
      if let n = counts[path], n > 0 { path += "[\(n - 1)]" }
    }
    return path
  }

}

/// Builds a `TOMLLineIndex` the first time it is needed.
///
/// Loading runs on one thread.
final class LazyLineIndex {
  private let text: String
  private var built: TOMLLineIndex?

  init(_ text: String) { self.text = text }

  var value: TOMLLineIndex {
    if let built { return built }
    let index = TOMLLineIndex(text)
    built = index
    return index
  }
}

extension StringProtocol {
  func trimmed() -> Substring {
    let s = Substring(self)
    guard let first = s.firstIndex(where: { !$0.isWhitespace }) else { return s[s.endIndex...] }
    let last = s.lastIndex(where: { !$0.isWhitespace }) ?? first
    return s[first...last]
  }
}
