import Foundation

/// Reads typed values out of one TOML table, recording every problem with its file, line,
/// key and value, and flagging keys nobody asked for (usually typos).
///
/// Numbers: TOML distinguishes `2000` from `2000.0`; planners should not have to, so any
/// integer is accepted where a number is expected.
final class TableReader {
  let file: TOMLFile
  let table: [String: TOMLNode]
  /// Key path for line lookup, such as `producer[3]`.
  let path: String
  /// How messages name this table, such as `producer "rheinmetall-unterluess"`.
  let label: String
  let log: ProblemLog
  private var used: Set<String> = []

  init(file: TOMLFile, table: [String: TOMLNode], path: String, label: String, log: ProblemLog) {
    self.file = file
    self.table = table
    self.path = path
    self.label = label
    self.log = log
  }

  convenience init(root file: TOMLFile, log: ProblemLog) {
    self.init(file: file, table: file.root, path: "", label: "", log: log)
  }

  private func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
  func keyLabel(_ key: String) -> String { label.isEmpty ? key : "\(label) › \(key)" }

  func problem(_ key: String?, value: String? = nil, _ message: String, as kind: InputProblem.Kind) {
    let line = key.map { file.lines.line(of: keyPath($0)) } ?? file.lines.line(of: path)
    log.add(
      file: file.name, line: line ?? nil, key: key.map(keyLabel) ?? (label.isEmpty ? nil : label), value: value,
      message, as: kind)
  }

  func has(_ key: String) -> Bool { table[key] != nil }

  private func node(_ key: String, required: Bool, expected: String) -> TOMLNode? {
    used.insert(key)
    guard let n = table[key] else {
      if required { problem(key, "is missing; expected \(expected)", as: .missing) }
      return nil
    }
    return n
  }

  func string(_ key: String, required: Bool = false, maxLength: Int = Limits.textLength) -> String? {
    guard let n = node(key, required: required, expected: "a string") else { return nil }
    guard case .string(let s) = n else {
      problem(key, value: n.text, "expected a string, found \(n.typeName)", as: .wrongType)
      return nil
    }
    guard s.count <= maxLength else {
      problem(
        key, value: "\"\(s.prefix(40))…\"",
        "is \(s.count) characters long; expected at most \(maxLength) (docs/INPUTS.md, Limits)", as: .limit)
      return nil
    }
    return s
  }

  /// A display name: a string of at most `Limits.nameLength` characters.
  func name(_ key: String = "name") -> String? { string(key, maxLength: Limits.nameLength) }

  /// An identifier: letters, digits, `-`, `_` and `.`, starting with a letter or digit.
  func identifier(_ key: String, required: Bool = true) -> String? {
    guard let s = string(key, required: required) else { return nil }
    if let why = Identifier.problem(s) {
      problem(key, value: "\"\(s)\"", why, as: .invalidValue)
      return nil
    }
    return s
  }

  func number(
    _ key: String, required: Bool = false, min: Double? = nil, max: Double? = nil, above: Double? = nil,
    smallest: Double? = nil
  ) -> Double? {
    guard let n = node(key, required: required, expected: "a number") else { return nil }
    return checkNumber(n, key: key, min: min, max: max, above: above, smallest: smallest)
  }

  /// `smallest`: the least magnitude a non-zero value may have (default `Limits.smallestFigure`).
  func checkNumber(
    _ n: TOMLNode, key: String, min: Double? = nil, max: Double? = nil, above: Double? = nil, smallest: Double? = nil
  ) -> Double? {
    let value: Double
    switch n {
    case .integer(let i): value = Double(i)
    case .float(let d): value = d
    default:
      problem(key, value: n.text, "expected a number, found \(n.typeName)", as: .wrongType)
      return nil
    }
    guard value.isFinite else {
      problem(key, value: n.text, "expected a finite number", as: .invalidValue)
      return nil
    }
    if let min, value < min {
      problem(key, value: n.text, "expected a number ≥ \(Self.format(min))", as: .invalidValue)
      return nil
    }
    if let above, value <= above {
      problem(key, value: n.text, "expected a number > \(Self.format(above))", as: .invalidValue)
      return nil
    }
    if let max, value > max {
      problem(
        key, value: n.text, "expected a number ≤ \(Self.format(max))\(max >= 1000 ? " (docs/INPUTS.md, Limits)" : "")",
        as: .invalidValue)
      return nil
    }
    let smallest = smallest ?? Limits.smallestFigure
    if value != 0, abs(value) < smallest {
      problem(
        key, value: n.text, "expected 0 or a number ≥ \(Self.format(smallest)) (docs/INPUTS.md, Limits)",
        as: .invalidValue)
      return nil
    }
    return value
  }

  func integer(_ key: String, required: Bool = false, min: Int? = nil, max: Int? = nil) -> Int? {
    guard let n = node(key, required: required, expected: "a whole number") else { return nil }
    let value: Int
    switch n {
    case .integer(let i): value = i
    case .float(let d) where d.isFinite && d == d.rounded() && abs(d) < 1e15: value = Int(d)
    default:
      problem(key, value: n.text, "expected a whole number, found \(n.typeName)", as: .wrongType)
      return nil
    }
    if let min, value < min {
      problem(key, value: n.text, "expected a whole number ≥ \(min)", as: .invalidValue)
      return nil
    }
    if let max, value > max {
      problem(key, value: n.text, "expected a whole number ≤ \(max)", as: .invalidValue)
      return nil
    }
    return value
  }

  func bool(_ key: String) -> Bool? {
    guard let n = node(key, required: false, expected: "true or false") else { return nil }
    guard case .bool(let b) = n else {
      problem(key, value: n.text, "expected true or false, found \(n.typeName)", as: .wrongType)
      return nil
    }
    return b
  }

  /// One of a fixed set of words.
  func choice<T: RawRepresentable & CaseIterable>(_ key: String, as: T.Type, required: Bool = false) -> T?
  where T.RawValue == String {
    guard let s = string(key, required: required) else { return nil }
    guard let v = T(rawValue: s) else {
      problem(
        key, value: "\"\(s)\"", "expected one of " + T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "),
        as: .invalidValue)
      return nil
    }
    return v
  }

  func month(_ key: String, required: Bool = false) -> YearMonth? {
    guard let n = node(key, required: required, expected: "a month \"YYYY-MM\"") else { return nil }
    guard case .string(let s) = n, let m = YearMonth(s) else {
      problem(
        key, value: n.text, "expected a month written as a string \"YYYY-MM\" (or a date \"YYYY-MM-DD\" that exists)",
        as: .invalidValue)
      return nil
    }
    return m
  }

  /// A string or an array of strings.
  func strings(_ key: String, required: Bool = false) -> [String]? {
    guard let n = node(key, required: required, expected: "a string or an array of strings") else { return nil }
    switch n {
    case .string(let s): return [s]
    case .array(let a):
      var out: [String] = []
      for element in a {
        guard case .string(let s) = element else {
          problem(
            key, value: element.text, "expected an array of strings, found \(element.typeName) in it", as: .wrongType)
          return nil
        }
        out.append(s)
      }
      return out
    default:
      problem(key, value: n.text, "expected a string or an array of strings, found \(n.typeName)", as: .wrongType)
      return nil
    }
  }

  /// An array of numbers.
  func numbers(_ key: String) -> [Double]? {
    guard let n = node(key, required: false, expected: "an array of numbers") else { return nil }
    guard case .array(let a) = n else {
      problem(key, value: n.text, "expected an array of numbers, found \(n.typeName)", as: .wrongType)
      return nil
    }
    var out: [Double] = []
    for element in a {
      switch element {
      case .integer(let i): out.append(Double(i))
      case .float(let d) where d.isFinite: out.append(d)
      default:
        problem(
          key, value: element.text, "expected an array of numbers, found \(element.typeName) in it", as: .wrongType)
        return nil
      }
    }
    return out
  }

  /// A table of `name = number` pairs (a bill of materials, initial stocks), sorted by name.
  func numberTable(_ key: String, min: Double? = 0, max: Double? = nil) -> [(String, Double)]? {
    guard let n = node(key, required: false, expected: "a table of numbers") else { return nil }
    guard case .table(let t) = n else {
      problem(key, value: n.text, "expected a table such as { name = 1.0 }, found \(n.typeName)", as: .wrongType)
      return nil
    }
    var out: [(String, Double)] = []
    for name in t.keys.sorted() {
      guard let v = t[name] else { continue }
      if let d = checkNumber(v, key: "\(key).\(name)", min: min, max: max) { out.append((name, d)) }
    }
    return out
  }

  func subtable(_ key: String, label: String? = nil) -> TableReader? {
    guard let n = node(key, required: false, expected: "a table") else { return nil }
    guard case .table(let t) = n else {
      problem(key, value: n.text, "expected a table, found \(n.typeName)", as: .wrongType)
      return nil
    }
    return TableReader(file: file, table: t, path: keyPath(key), label: label ?? keyLabel(key), log: log)
  }

  /// An array of tables (`[[producer]]`), each labelled by its `id` when it has one.
  func tables(_ key: String, singular: String) -> [TableReader] {
    guard let n = node(key, required: false, expected: "an array of tables") else { return [] }
    guard case .array(let a) = n else {
      problem(key, value: n.text, "expected an array of tables [[\(key)]], found \(n.typeName)", as: .wrongType)
      return []
    }
    var out: [TableReader] = []
    for (i, element) in a.enumerated() {
      guard case .table(let t) = element else {
        problem(key, value: element.text, "expected each entry of \(key) to be a table", as: .wrongType)
        continue
      }
      var name = "\(singular) #\(i + 1)"
      if case .string(let id)? = t["id"] { name = "\(singular) \"\(id)\"" }
      let fullLabel = label.isEmpty ? name : "\(label) › \(name)"
      out.append(TableReader(file: file, table: t, path: "\(keyPath(key))[\(i)]", label: fullLabel, log: log))
    }
    return out
  }

  /// The same array of tables in the order of their `sortKey` strings.
  ///
  /// The model — and everything derived from it — then does not depend on the order of
  /// entries in the file. Tables without the key keep their order, after the others.
  func tables(_ key: String, singular: String, sortedBy sortKey: String) -> [TableReader] {
    let all = tables(key, singular: singular)
    func sortValue(_ t: TableReader) -> String? {
      if case .string(let s)? = t.table[sortKey] { return s }
      return nil
    }
    let keyed = all.filter { sortValue($0) != nil }.sorted { (sortValue($0) ?? "") < (sortValue($1) ?? "") }
    return keyed + all.filter { sortValue($0) == nil }
  }

  /// Records every key that no reader asked for: almost always a typo.
  func rejectUnknownKeys(_ extra: Set<String> = []) {
    for key in table.keys.sorted() where !used.contains(key) && !extra.contains(key) {
      let known = used.union(extra).sorted().joined(separator: ", ")
      problem(key, "unknown key; expected one of: \(known)", as: .unknownKey)
    }
  }

  func markUsed(_ key: String) { used.insert(key) }

  static func format(_ x: Double) -> String {
    // Powers of ten from a million up read as 1e12 rather than as thirteen digits.
    if x >= 1e6 || (x > 0 && x < 1e-3), x.isFinite, let e = Int(exactly: log10(x).rounded()), pow(10, Double(e)) == x {
      return "1e\(e)"
    }
    return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
  }
}

/// The identifiers planners give items, producers, consumers and the rest.
enum Identifier {
  /// Letters, digits, `-`, `_`, `.`; must start with a letter or digit; at most 64 characters.
  /// (Identifiers become parts of LP row and column names, which GLPK limits to 255 bytes.)
  static func problem(_ s: String) -> String? {
    if s.isEmpty { return "expected a non-empty identifier" }
    if s.utf8.count > 64 { return "expected an identifier of at most 64 characters" }
    guard let first = s.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first),
      first.isASCII
    else { return "expected an identifier starting with a letter or digit" }
    for u in s.unicodeScalars {
      let ok = u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_" || u == ".")
      if !ok { return "expected an identifier of letters, digits, '-', '_' and '.' only" }
    }
    return nil
  }
}
