import Arsenal
import Formulation
import Foundation
import PlanningModel
import Testing

/// Random mutations of the bundled files: the loader must report problems or accept, and
/// never crash; what it accepts must formulate without crashing.
@Suite struct FuzzTests {
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 17
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
  }

  static let tokens = [
    "-1", "nan", "inf", "-inf", "1e400", "0", "\"x\"", "[]", "{}", "true", "99999999999999999999", "1_000", "\"\"",
    "\"2027-13\"", "\"2999-01\"", "0.0000001", "=", "[[", "]]", "\"", "'", "#", ",", "\n", "é", "\u{0}", "NO",
    "\"*\"", "\"DE\"", "\"155mm\"", "-0", "1e-320",
    // At and near the documented limits (docs/INPUTS.md).
    "1e12", "999999999999", "1.0001e12", "1e10", "1e14", "1000", "1e6", "1e308", "1e-300",
  ]

  static func mutate(_ text: String, _ g: inout Generator) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard !lines.isEmpty else { return text }
    switch g.below(7) {
    case 0:
      lines.remove(at: g.below(lines.count))
    case 1:
      let i = g.below(lines.count)
      lines.insert(lines[i], at: i)
    case 2:
      // Replace a number or a quoted value on a random line.
      let i = g.below(lines.count)
      let token = tokens[g.below(tokens.count)]
      if let eq = lines[i].firstIndex(of: "=") {
        lines[i] = String(lines[i][...eq]) + " " + token
      } else if lines[i].contains(",") {
        var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[g.below(cells.count)] = token
        lines[i] = cells.joined(separator: ",")
      } else {
        lines[i] = token
      }
    case 3:
      var chars = Array(text)
      guard chars.count > 2 else { return text }
      let a = g.below(chars.count)
      let b = g.below(chars.count)
      chars.swapAt(a, b)
      return String(chars)
    case 4:
      var chars = Array(text)
      let token = tokens[g.below(tokens.count)]
      chars.insert(contentsOf: Array(token), at: g.below(chars.count + 1))
      return String(chars)
    case 5:
      let chars = Array(text)
      return String(chars.prefix(g.below(chars.count + 1)))
    default:
      // Swap two lines.
      let a = g.below(lines.count)
      let b = g.below(lines.count)
      lines.swapAt(a, b)
    }
    return lines.joined(separator: "\n")
  }

  @Test func twoThousandMutationsNeverCrashTheLoader() throws {
    var base: [DataSetFile: String] = [:]
    for f in DataSetFile.allCases {
      let url = URL(fileURLWithPath: bundled).appendingPathComponent(f.rawValue)
      if let t = try? String(contentsOf: url, encoding: .utf8) { base[f] = t }
    }
    let files = base.keys.sorted { $0.rawValue < $1.rawValue }
    let original = base
    let cases = 2000
    let outcomes = Counter()
    let trace = ProcessInfo.processInfo.environment["FUZZ_TRACE"] != nil
    let body: @Sendable (Int) -> Void = { n in
      if trace { FileHandle.standardError.write(Data("case \(n)\n".utf8)) }
      var g = Generator(state: UInt64(n) &* 7919 &+ 17)
      var texts = original
      // One to three mutations, in one or two files.
      for _ in 0..<(1 + g.below(3)) {
        let f = files[g.below(files.count)]
        texts[f] = Self.mutate(texts[f] ?? "", &g)
      }
      if let dump = ProcessInfo.processInfo.environment["FUZZ_DUMP"], Int(dump) == n {
        for (f, t) in texts { try? t.write(toFile: "/tmp/fuzzcase/\(f.rawValue)", atomically: true, encoding: .utf8) }
      }
      do throws(InputErrors) {
        let data = try DataSetLoader.load(texts: texts)
        outcomes.accepted()
        // What loads must also formulate: every accepted case under its first scenario,
        // every 10th under its second too.
        do {
          for s in data.scenarios.prefix(n % 10 == 0 ? 2 : 1) {
            do {
              _ = try Formulator.formulate(data.model.applying([s]))
            } catch {
              outcomes.failedToFormulate("case \(n), scenario \(s.name): \(error)")
            }
          }
        }
      } catch {
        outcomes.rejected(error.problems)
      }
    }
    if trace {
      for n in 0..<cases { body(n) }
    } else {
      DispatchQueue.concurrentPerform(iterations: cases, execute: body)
    }
    #expect(outcomes.total == cases)
    #expect(
      outcomes.formulationFailures.isEmpty, "accepted input must formulate: \(outcomes.formulationFailures.prefix(3))")
    #expect(outcomes.rejectedCount > cases / 4, "most mutations should be caught")
    // The mutations reach every stage of the loader: syntax, types, values, references, duplicates.
    let kinds: Set<InputProblem.Kind> = [.syntax, .wrongType, .invalidValue, .unknownReference, .duplicate]
    #expect(kinds.isSubset(of: outcomes.kinds), "kinds seen: \(outcomes.kinds)")
    print("fuzz: \(outcomes.acceptedCount) accepted, \(outcomes.rejectedCount) rejected of \(cases)")
  }
}

extension FuzzTests {
  /// Mutants of the small fixture with values at and past the limits: what `check` accepts
  /// must solve and report without a crash, and no report may print an infinity or NaN.
  @Test func acceptedMutantsWithExtremeValuesSolveAndReport() throws {
    let folder = packageRoot.appendingPathComponent("Tests/Fixtures/small")
    var original: [DataSetFile: String] = [:]
    for f in DataSetFile.allCases {
      if let t = try? String(contentsOf: folder.appendingPathComponent(f.rawValue), encoding: .utf8) { original[f] = t }
    }
    let files = original.keys.sorted { $0.rawValue < $1.rawValue }
    var solved = 0
    var n = 0
    while solved < 40 && n < 2000 {
      var g = Generator(state: UInt64(n) &* 104_729 &+ 5)
      n += 1
      var texts = original
      let f = files[g.below(files.count)]
      texts[f] = Self.mutate(texts[f] ?? "", &g)
      guard let data = try? DataSetLoader.load(texts: texts, source: "fuzz") else { continue }
      let result = try Arsenal.run(RunOptions(data: "fuzz"), data: data)
      solved += 1
      for file in result.files.files {
        let (name, contents) = (file.name, file.contents)
        let bad = contents.contains("∞") || contents.range(of: "\\b(nan|inf)\\b", options: .regularExpression) != nil
        #expect(!bad, "case \(n): \(name) prints an infinity or NaN")
      }
    }
    #expect(solved == 40, "only \(solved) of \(n) mutants were accepted")
  }
}

final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var formulationFailures: [String] = []
  func failedToFormulate(_ what: String) {
    lock.lock()
    formulationFailures.append(what)
    lock.unlock()
  }
  private(set) var acceptedCount = 0
  private(set) var rejectedCount = 0
  private(set) var problems = 0
  var total: Int { acceptedCount + rejectedCount }
  func accepted() {
    lock.lock()
    acceptedCount += 1
    lock.unlock()
  }
  /// The kinds of problem seen in rejected cases.
  private(set) var kinds: Set<InputProblem.Kind> = []
  func rejected(_ found: [InputProblem]) {
    lock.lock()
    rejectedCount += 1
    problems += found.count
    kinds.formUnion(found.map(\.kind))
    lock.unlock()
  }
}
