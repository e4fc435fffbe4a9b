/// One problem found in a planner's input: where it is, what was found, what was expected.
public struct InputProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The file, relative to the data set folder (or as given on the command line).
  public var file: String
  public var line: Int?
  /// Where in the file: `producer "rheinmetall-unterluess" › capacity`, or a CSV column.
  public var key: String?
  /// The offending value as written (shortened), if there is one.
  public var value: String?
  /// What was wrong and what was expected, as a sentence fragment.
  public var message: String

  public init(file: String, line: Int? = nil, key: String? = nil, value: String? = nil, message: String) {
    self.file = file
    self.line = line
    self.key = key
    self.value = value.map { $0.count > 80 ? String($0.prefix(77)) + "..." : $0 }
    self.message = message
  }

  public var description: String {
    var s = file
    if let line { s += ":\(line)" }
    s += ":"
    if let key { s += " \(key):" }
    if let value { s += " value \(value);" }
    s += " \(message)"
    return s
  }

  public static func < (a: InputProblem, b: InputProblem) -> Bool {
    (a.file, a.line ?? Int.max, a.key ?? "", a.message) < (b.file, b.line ?? Int.max, b.key ?? "", b.message)
  }
}

/// All problems found in an input, reported together.
public struct InputErrors: Error, Sendable, CustomStringConvertible {
  public var problems: [InputProblem]

  public init(_ problems: [InputProblem]) { self.problems = problems }

  public var description: String {
    let n = problems.count
    let head = n == 1 ? "1 problem in the input:" : "\(n) problems in the input:"
    return ([head] + problems.map { "  " + $0.description }).joined(separator: "\n")
  }
}

/// Collects problems while reading; shared by the readers of one load.
final class ProblemLog: @unchecked Sendable {
  // Loading runs on one thread; the class only exists so nested readers share the log.
  private(set) var problems: [InputProblem] = []

  func add(_ p: InputProblem) { problems.append(p) }

  func add(file: String, line: Int? = nil, key: String? = nil, value: String? = nil, _ message: String) {
    problems.append(InputProblem(file: file, line: line, key: key, value: value, message: message))
  }

  var isEmpty: Bool { problems.isEmpty }

  /// Throws every collected problem, sorted by file and line, without duplicates.
  func throwIfAny() throws(InputErrors) {
    guard !problems.isEmpty else { return }
    var seen = Set<InputProblem>()
    let unique = problems.filter { seen.insert($0).inserted }
    throw InputErrors(unique.sorted())
  }
}
