/// One problem found in a planner's input: where it is, what was found, what was expected.
public struct InputProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// What sort of problem it is, so that tools and tests can tell problems apart without
  /// reading the sentence.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// A file or folder is missing, unreadable, not a regular file, or not UTF-8 text.
    case file
    /// The text is not well-formed TOML or CSV (or a sweep's `key=value` list).
    case syntax
    /// A required key, column, table or entry is absent.
    case missing
    /// A key or column that nothing reads — usually a typo.
    case unknownKey
    /// A value of the wrong type: a string where a number is expected, a number for a table.
    case wrongType
    /// A value of the right type outside what is allowed: a negative capacity, an impossible
    /// date, a malformed identifier, a word not among the choices.
    case invalidValue
    /// An id that names nothing defined: an unknown item, producer, consumer, country, ….
    case unknownReference
    /// The same id, column or row given twice.
    case duplicate
    /// Values that are each valid but contradict each other: a cycle in the bill of
    /// materials, a date after the horizon, a change that matches nothing.
    case inconsistent
    /// Beyond a documented size or numeric limit (docs/INPUTS.md, Limits).
    case limit
  }

  /// What sort of problem it is.
  public let kind: Kind
  /// The file, relative to the data set folder (or as given on the command line).
  public let file: String
  /// The line in the file (1-based), when it can be located.
  public let line: Int?
  /// Where in the file: `producer "rheinmetall-unterluess" › capacity`, or a CSV column.
  public let key: String?
  /// The offending value as written (shortened), if there is one.
  public let value: String?
  /// What was wrong and what was expected, as a sentence fragment.
  public let message: String

  /// A problem of `kind` in `file`, at `line` and `key` if known, about `value` (shortened to 80 characters).
  public init(
    _ kind: Kind, file: String, line: Int? = nil, key: String? = nil, value: String? = nil, message: String
  ) {
    self.kind = kind
    self.file = file
    self.line = line
    self.key = key
    self.value = value.map { $0.count > 80 ? String($0.prefix(77)) + "..." : $0 }
    self.message = message
  }

  /// `file:line: key: value V; message`, as printed to the planner.
  public var description: String {
    var s = file
    if let line { s += ":\(line)" }
    s += ":"
    if let key { s += " \(key):" }
    if let value { s += " value \(value);" }
    s += " \(message)"
    return s
  }

  /// Orders problems by file, line, key and message: the order they are printed in.
  public static func < (a: InputProblem, b: InputProblem) -> Bool {
    (a.file, a.line ?? Int.max, a.key ?? "", a.message) < (b.file, b.line ?? Int.max, b.key ?? "", b.message)
  }
}

/// All problems found in an input, reported together — the first `shown` in full, the
/// rest counted by kind, so that a file of two million bad rows gives a readable message.
public struct InputErrors: Error, Sendable, CustomStringConvertible {
  /// The problems kept in full, sorted by file and line (at most `ProblemLog.kept`).
  public let problems: [InputProblem]
  /// Problems beyond those kept, counted by kind (their message).
  public let uncounted: [String: Int]

  /// How many problems are printed in full.
  public static let shown = 200

  /// The problems kept, and those beyond counted by message.
  public init(_ problems: [InputProblem], uncounted: [String: Int] = [:]) {
    self.problems = problems
    self.uncounted = uncounted
  }

  /// Every problem found, kept or not.
  public var count: Int { problems.count + uncounted.values.reduce(0, +) }

  /// A heading with the count, the first `shown` problems one per line, and the rest summarised.
  public var description: String {
    let n = count
    let head = n == 1 ? "1 problem in the input:" : "\(Self.grouped(n)) problems in the input:"
    var lines = [head] + problems.prefix(Self.shown).map { "  " + $0.description }
    if n > Self.shown {
      var kinds = uncounted
      for p in problems.dropFirst(Self.shown) { kinds[p.message, default: 0] += 1 }
      let top = kinds.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
      var parts = top.prefix(5).map { "\(Self.grouped($0.value)) × \($0.key)" }
      if top.count > 5 { parts.append("\(top.count - 5) other kinds") }
      lines.append("  … and \(Self.grouped(n - Self.shown)) more: " + parts.joined(separator: "; "))
    }
    return lines.joined(separator: "\n")
  }

  /// 1234567 → "1,234,567".
  static func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (k, c) in digits.reversed().enumerated() {
      if k > 0 && k % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return String(out.reversed())
  }
}

/// Collects problems while reading; shared by the readers of one load.
final class ProblemLog: @unchecked Sendable {
  // Loading runs on one thread; the class only exists so nested readers share the log.
  private(set) var problems: [InputProblem] = []
  /// Problems beyond `kept`, counted by message only (memory stays bounded).
  private(set) var uncounted: [String: Int] = [:]

  /// How many problems are kept in full.
  static let kept = 10_000

  func add(_ p: InputProblem) {
    if problems.count < Self.kept {
      problems.append(p)
    } else {
      uncounted[p.message, default: 0] += 1
    }
  }

  func add(
    file: String, line: Int? = nil, key: String? = nil, value: String? = nil, _ message: String,
    as kind: InputProblem.Kind
  ) {
    add(InputProblem(kind, file: file, line: line, key: key, value: value, message: message))
  }

  var isEmpty: Bool { problems.isEmpty }

  /// Adds `other`'s problems; its unknown references only with `referencesToo`.
  func merge(_ other: ProblemLog, referencesToo: Bool) {
    for p in other.problems where referencesToo || p.kind != .unknownReference { add(p) }
    for (message, n) in other.uncounted { uncounted[message, default: 0] += n }
  }

  /// Throws every collected problem, sorted by file and line, without duplicates.
  func throwIfAny() throws(InputErrors) {
    guard !problems.isEmpty else { return }
    var seen = Set<InputProblem>()
    let unique = problems.filter { seen.insert($0).inserted }
    throw InputErrors(unique.sorted(), uncounted: uncounted)
  }
}
