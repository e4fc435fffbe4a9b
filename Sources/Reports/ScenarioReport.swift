import Analysis
import Formulation
import Foundation
import PlanningModel

/// Facts about the run that the analysis does not know.
public struct Provenance: Sendable {
  /// The GLPK library version, such as "5.0".
  public var glpkVersion: String
  /// How the stages were solved.
  public var method: Method
  /// Arsenal's version.
  public var arsenalVersion: String

  /// GLPK's simplex (named by its variant: "primal", "dual", "dual-primal") or its
  /// interior-point method, which leaves no basis to re-solve from.
  public enum Method: Sendable, Hashable {
    case simplex(String)
    case interiorPoint

    /// "primal simplex", "interior-point method".
    var phrase: String {
      switch self {
      case .simplex(let variant): return "\(variant) simplex"
      case .interiorPoint: return "interior-point method"
      }
    }
  }

  /// The provenance of a run.
  public init(glpkVersion: String, method: Method, arsenalVersion: String) {
    self.glpkVersion = glpkVersion
    self.method = method
    self.arsenalVersion = arsenalVersion
  }
}

/// Renders one solved scenario as `report.md` and its CSV and JSON companions.
public struct ScenarioReport {
  let a: PlanAnalysis
  let provenance: Provenance
  let words: Words
  var m: PlanningModel { a.model }

  /// A report of the analysis.
  public init(_ analysis: PlanAnalysis, provenance: Provenance) {
    self.a = analysis
    self.provenance = provenance
    self.words = Words(m: analysis.model)
  }

  /// The run's title: its scenario names joined with " + ", as in "baseline + reassurance-40k".
  public var title: String { a.scenarios.map(\.name).joined(separator: " + ") }

  /// Every file of the report folder.
  public func files() -> FileSet {
    var set = FileSet()
    set.addReport(markdown: "report.md", html: "report.html", markdown(), charts: charts())
    set.add("allocations.csv", allocationsCSV())
    set.add("shortfalls.csv", shortfallsCSV())
    set.add("bottlenecks.csv", bottlenecksCSV())
    set.add("utilisation.csv", utilisationCSV())
    set.add("summary.json", summaryJSON())
    return set
  }

  func period(_ t: Int) -> String { words.period(t) }

  var policyText: String {
    switch a.policy {
    case .weighted: return "weighted — minimise priority-weighted shortfall, then share evenly, then cost"
    case .lexicographic: return "lexicographic — classes served strictly in rank order, then share evenly, then cost"
    case .fairShare:
      return "fair share — within each class the smallest coverage is maximised first, then share evenly, then cost"
    }
  }

  // MARK: report.md

  /// The whole report.
  public func markdown() -> String {
    var out = "# Arsenal report — \(title)\n\n"
    if m.illustrative {
      out += "> **Illustrative data.** The figures are open-source estimates, not official planning figures.\n\n"
    }
    out += header() + "\n"
    out += "## Summary\n\n" + summary().joined(separator: " ") + "\n\n"
    out += coverageSection()
    out += targetsSection()
    out += systemsSection()
    out += timelineSection()
    out += bottleneckSection()
    out += idleSection()
    out += materialsSection()
    out += budgetsSection()
    out += investmentsSection()
    out += "## Files\n\n"
    out += "`allocations.csv` (deliveries by producer, with who paid, the route and the export rule), "
    out += "`shortfalls.csv` (demand, met and short per consumer, item and period), "
    out += "`bottlenecks.csv` (measured relaxations, trade-offs, shadow prices and ranges), "
    out += "`utilisation.csv` (capacity use and idle reasons), `summary.json` (headline figures).\n"
    return out
  }

  func header() -> String {
    var head = MarkdownTable(["", ""], alignment: [.left, .left])
    head.add(["Data set", "\(m.name) (`\(m.source)`)"])
    head.add(["Content hash", "sha256:\(m.contentHash.prefix(16))"])
    head.add(["Scenarios", a.scenarios.map { "\($0.name) — \($0.description)" }.joined(separator: "; ")])
    head.add(["Policy", policyText])
    let unit = m.horizon.length == .month ? "months" : "quarters"
    head.add(["Horizon", "\(m.horizon.periods) \(unit), \(period(0)) to \(period(m.horizon.periods - 1))"])
    let method = provenance.method.phrase
    head.add(["Solver", "GLPK \(provenance.glpkVersion), \(method); status \(a.status.rawValue)"])
    let stages = a.stages.map { stage -> String in
      switch stage.kind {
      case .cost: return "cost = \(Fmt.money(stage.objective / Formulation.moneyScale))"
      case .tieBreak: return "tie-break"
      default: return "\(stage.name) = \(Fmt.value(Allocation.snap(stage.objective)))"
      }
    }
    head.add([
      "Linear program",
      "\(Fmt.quantity(Double(a.lpRows))) rows, \(Fmt.quantity(Double(a.lpColumns))) columns, "
        + "\(Fmt.quantity(Double(a.lpNonZeros))) non-zeros; stages: " + stages.joined(separator: ", "),
    ])
    head.add(["Arsenal", provenance.arsenalVersion])
    return head.render()
  }

  /// The weight of a demand key (importance of a unit short).
  func weight(_ key: Demand.Key) -> Double { m.describe(key).weight }
}
