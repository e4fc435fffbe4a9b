import Foundation
import GLPKSolver
import LinearProgram
import Testing

@Suite struct RangingTests {
  /// r1 in the hand-solved maximisation binds with dual 2.
  ///
  /// y = rhs − 3 must stay ≥ 0 and r2 = 3 + 3(rhs − 3) ≤ 7, so the basis (and the dual)
  /// holds for rhs in [3, 13/3]; y limits the decrease, r2 the increase.
  @Test func handDerivedRangeOfABindingRow() throws {
    let problem = try GLPKProblem(HandSolvedTests.maximisation())
    _ = try problem.solve()
    let r = try #require(try problem.ranging([.row(0)]).first)
    #expect(r.status == .atUpper)
    #expect(abs(r.marginal - 2) < 1e-9)
    #expect(abs(r.activityRange.lower - 3) < 1e-9)
    #expect(abs(r.activityRange.upper - 13.0 / 3) < 1e-9)
    #expect(abs(r.objectiveAtLimits.lower - 9) < 1e-9)
    #expect(abs(r.objectiveAtLimits.upper - (11 + 2.0 / 3)) < 1e-9)
    #expect(r.limitingVariables.lower == .column(1))
    #expect(r.limitingVariables.upper == .row(1))
  }

  /// The demand row of the hand-solved minimisation: b = d − 9 must stay in [0, 8].
  @Test func handDerivedRangeOfAnEqualityRow() throws {
    let problem = try GLPKProblem(HandSolvedTests.minimisation())
    _ = try problem.solve()
    let r = try #require(try problem.ranging([.row(0)]).first)
    #expect(r.status == .fixed)
    #expect(abs(r.activityRange.lower - 9) < 1e-9 && abs(r.activityRange.upper - 17) < 1e-9)
    #expect(abs(r.objectiveAtLimits.lower - 41) < 1e-9 && abs(r.objectiveAtLimits.upper - 89) < 1e-9)
  }

  /// Every row and column of a 40-column LP agrees with GLPK's own `glp_print_ranges` file.
  @Test(arguments: ["maximisation", "minimisation", "transport"])
  func agreesWithGLPKsRangesReport(which: String) throws {
    let lp =
      switch which {
      case "maximisation": try HandSolvedTests.maximisation()
      case "minimisation": try HandSolvedTests.minimisation()
      default: try TestLPs.transport(sources: 5, sinks: 8, seed: 11)
      }
    let problem = try GLPKProblem(lp)
    #expect(try problem.solve().status == .optimal)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ranges-\(UUID().uuidString).txt").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try problem.writeRangesReport(to: path)
    let report = try GLPKRangesReport(contentsOf: path)
    let all = (0..<lp.numberOfRows).map { LPVariable.row($0) } + (0..<lp.numberOfColumns).map { LPVariable.column($0) }
    let ours = try problem.ranging(all)
    #expect(report.entries.count == all.count)
    for r in ours {
      let name = lp.name(of: r.variable)
      let theirs = try #require(report.entries[name], "no entry for \(name)")
      let fields: [(String, Double, Double)] = [
        ("activity", r.activity, theirs.activity),
        ("marginal", r.marginal, theirs.marginal),
        ("activity range low", r.activityRange.lower, theirs.activityLow),
        ("activity range high", r.activityRange.upper, theirs.activityHigh),
        ("coef range low", r.objectiveCoefficientRange.lower, theirs.coefLow),
        ("coef range high", r.objectiveCoefficientRange.upper, theirs.coefHigh),
        ("objective low", r.objectiveAtLimits.lower, theirs.objLow),
        ("objective high", r.objectiveAtLimits.upper, theirs.objHigh),
      ]
      for (what, a, b) in fields {
        #expect(GLPKRangesReport.matches(a, b), "\(name) \(what): ours \(a), GLPK's report \(b)")
      }
      #expect(r.status.glpkCode == theirs.status, "\(name) status")
      #expect(r.limitingVariables.lower.map(lp.name(of:)) == theirs.limitLow, "\(name) lower limiting variable")
      #expect(r.limitingVariables.upper.map(lp.name(of:)) == theirs.limitHigh, "\(name) upper limiting variable")
    }
  }

  /// One more unit of r1 (non-basic at its upper bound) raises y by 1 and r2's activity by 3.
  @Test func tableauColumnOfABindingRow() throws {
    let problem = try GLPKProblem(HandSolvedTests.maximisation())
    _ = try problem.solve()
    let column = try problem.tableauColumn(.row(0))
    let rates = Dictionary(uniqueKeysWithValues: column.map { ($0.variable, $0.rate) })
    #expect(abs((rates[.column(1)] ?? 0) - 1) < 1e-9)
    #expect(abs((rates[.row(1)] ?? 0) - 3) < 1e-9)
    #expect(throws: GLPKError.variableIsBasic("y")) { try problem.tableauColumn(.column(1)) }
  }

  @Test func rangingNeedsAnOptimalBasisOfTheCurrentProgram() throws {
    let problem = try GLPKProblem(HandSolvedTests.maximisation())
    #expect(throws: GLPKError.noOptimalBasis("ranging")) { try problem.ranging([.row(0)]) }
    _ = try problem.solve()
    _ = try problem.ranging([.row(0)])
    var changes = LPChanges()
    changes.rowBounds = [Change(RowID(0), .atMost(5))]
    try problem.apply(changes)
    #expect(throws: GLPKError.noOptimalBasis("ranging")) { try problem.ranging([.row(0)]) }
    _ = try problem.solve(.warmAfterBoundChanges())
    _ = try problem.ranging([.row(0)])
    #expect(throws: GLPKError.self) { try problem.ranging([.row(9)]) }
    #expect(throws: GLPKError.self) { try problem.ranging([.column(-1)]) }
  }

  @Test func interiorPointGivesNoBasisForRanging() throws {
    let problem = try GLPKProblem(HandSolvedTests.minimisation())
    #expect(try problem.solve(SolverOptions(method: .interior)).status == .optimal)
    #expect(throws: GLPKError.noOptimalBasis("ranging")) { try problem.ranging([.row(0)]) }
    #expect(problem.solution().hasBasis == false)
  }
}

extension BasisStatus {
  /// The two-letter status `glp_print_ranges` prints.
  var glpkCode: String {
    switch self {
    case .basic: return "BS"
    case .atLower: return "NL"
    case .atUpper: return "NU"
    case .free: return "NF"
    case .fixed: return "NS"
    }
  }
}

/// A parser for the text GLPK's `glp_print_ranges` writes: two lines per row or column.
struct GLPKRangesReport {
  struct Entry {
    var status = ""
    var activity = 0.0, marginal = 0.0
    var activityLow = 0.0, activityHigh = 0.0
    var coefLow = 0.0, coefHigh = 0.0
    var objLow = 0.0, objHigh = 0.0
    var limitLow: String?, limitHigh: String?
  }
  var entries: [String: Entry] = [:]

  init(contentsOf path: String) throws {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: true)
    var i = 0
    while i < lines.count {
      let tokens = lines[i].split(separator: " ").map(String.init)
      // Entry lines start with the row/column number and carry at least 9 fields.
      guard tokens.count >= 9, Int(tokens[0]) != nil, ["BS", "NL", "NU", "NF", "NS"].contains(tokens[2]) else {
        i += 1
        continue
      }
      var e = Entry()
      let name = tokens[1]
      e.status = tokens[2]
      e.activity = Self.number(tokens[3])
      e.activityLow = Self.number(tokens[6])
      e.coefLow = Self.number(tokens[7])
      e.objLow = Self.number(tokens[8])
      e.limitLow = tokens.count > 9 ? tokens[9] : nil
      let second = lines[i + 1].split(separator: " ").map(String.init)
      e.marginal = Self.number(second[0])
      e.activityHigh = Self.number(second[2])
      e.coefHigh = Self.number(second[3])
      e.objHigh = Self.number(second[4])
      e.limitHigh = second.count > 5 ? second[5] : nil
      entries[name] = e
      i += 2
    }
  }

  static func number(_ s: String) -> Double {
    switch s {
    case "+Inf": return .infinity
    case "-Inf": return -.infinity
    case ".": return 0
    default: return Double(s) ?? .nan
    }
  }

  /// The report prints 5 decimals (or 6 significant digits for large numbers).
  static func matches(_ a: Double, _ b: Double) -> Bool {
    if a.isInfinite || b.isInfinite { return a == b }
    return abs(a - b) <= max(6e-6, 1e-5 * abs(b))
  }
}
