import Analysis
import Formulation
import Optimizer
import PlanningModel

/// The rows of a risk study (`draws.csv`): one per draw, with the values drawn and what the
/// draw's canonical plan covers, reaches and binds.
///
/// Rows are built from figures of the canonical plan only, so the file is the same whatever
/// the workers, chunks, shards or warm and cold starts.
public struct RiskTable: Sendable {
  /// One stockpile target column.
  public struct TargetColumn: Sendable {
    /// The consumer's id.
    public let consumer: String
    /// The consumer's name.
    public let consumerName: String
    /// The item's id.
    public let item: String
    /// The item's name.
    public let itemName: String
    /// The period by whose end the level is due.
    public let period: Int
    /// Its label: "2029-Q4".
    public let periodLabel: String
    /// The level, in the item's unit.
    public let level: Double
    /// The consumer's index and target index, to read a plan.
    let consumerIndex: ConsumerIndex
    let target: TargetIndex
  }

  /// The columns of `draws.csv` after the draw index.
  public struct Columns: Sendable {
    /// The sources' names, one value column each.
    public let sources: [String]
    /// Classes and per-class items, as a sweep has them.
    public let coverage: SweepTable.Columns
    /// Units of each per-class item, in the order of `coverage.items`.
    public let units: [String]
    /// Stockpile targets, by consumer, item and period.
    public let targets: [TargetColumn]

    /// The header line of `draws.csv`.
    public var header: String {
      var h = ["draw"] + sources + ["status", "objective", "cost_eur_million"]
      for c in coverage.classes { h += ["shortfall_\(c.rawValue)", "coverage_\(c.rawValue)"] }
      for c in coverage.items {
        h += ["short_\(c.consumerClass.rawValue)_\(c.id)", "coverage_\(c.consumerClass.rawValue)_\(c.id)"]
      }
      h += targets.map(\.id)
      h += ["binding", "measured"]
      return h.map(CSVWriter.escape).joined(separator: ",")
    }
  }

  /// Columns for `model` (scenarios applied) and the study's sources.
  public static func columns(for model: PlanningModel, sources: [UncertainSource]) -> Columns {
    let coverage = SweepTable.columns(for: model, parameters: [])
    let units = coverage.items.map { column -> String in
      if let i = model.itemIndex(column.id) { return model.items[i].unit }
      if let g = model.substitutes.firstIndex(where: { $0.id == column.id }) {
        return model.describe(.group(g)).unit
      }
      return "units"
    }
    var targets: [TargetColumn] = []
    for (k, c) in model.consumers.indexed() where c.active {
      for (ti, t) in c.targets.indexed() where t.level > 0 {
        targets.append(
          TargetColumn(
            consumer: c.id, consumerName: c.name, item: model.items[t.item].id, itemName: model.items[t.item].name,
            period: t.period, periodLabel: model.horizon.label(t.period), level: t.level, consumerIndex: k, target: ti))
      }
    }
    targets.sort { ($0.period, $0.consumer, $0.item) < ($1.period, $1.consumer, $1.item) }
    return Columns(sources: sources.map(\.name), coverage: coverage, units: units, targets: targets)
  }

  /// One draw's row: the values drawn, the plan's status, objective and cost, shortfall and
  /// coverage per class and per class and item, each target reached (1) or not (0), the
  /// limits that bind (ids joined by `;`) and, for a measured draw, each bottleneck's
  /// measured value (`id=value`).
  public static func row(
    index: Int, values: [Double], result: PlanResult, scenarios: [Scenario], columns: Columns,
    binding: [RelaxedSubject], measured: RelaxationAnalysis?
  ) -> String {
    var cells = ["\(index)"] + values.map { Fmt.plain($0, decimals: 6) }
    let blanks = 2 + columns.coverage.classes.count * 2 + columns.coverage.items.count * 2 + columns.targets.count + 2
    guard let a = PlanAnalysis(result, scenarios: scenarios, detail: .summary) else {
      cells.append(result.status.rawValue)
      cells += Array(repeating: "", count: blanks)
      return cells.map(CSVWriter.escape).joined(separator: ",")
    }
    cells.append(a.status.rawValue)
    // Nine significant digits: the solver's relative noise (1e-9) never reaches the last one,
    // so warm and cold starts print the same figures.
    func figure(_ x: Double) -> String { Fmt.plain(Allocation.significant(Allocation.snap(x), 9), decimals: 3) }
    cells.append(figure(a.stages.first?.objective ?? 0))
    cells.append(figure(a.stages.first { $0.kind == .cost }?.objective ?? 0))
    for cls in columns.coverage.classes {
      let lines = a.demand.filter { a.model.consumers[$0.consumer].consumerClass == cls }
      cells.append(figure(lines.reduce(0) { $0 + $1.weight * $1.total.shortfall }))
      cells.append(Fmt.plain(a.weightedCoverage(of: cls)?.fraction ?? 1, decimals: Fmt.fractionDecimals))
    }
    for item in columns.coverage.items {
      var c = Coverage()
      for line in a.demand
      where a.model.consumers[line.consumer].consumerClass == item.consumerClass && a.model.id(of: line.key) == item.id
      {
        c = c + line.total
      }
      cells.append(figure(c.shortfall))
      cells.append(Fmt.plain(c.fraction, decimals: Fmt.fractionDecimals))
    }
    for t in columns.targets {
      let line = a.targets.first { $0.consumer == t.consumerIndex && $0.target == t.target }
      // Reached within the solver's tolerance: a gap below a millionth of the level is none.
      let reached = line.map { $0.coverage.shortfall <= 1e-6 * max(1, $0.coverage.demand) } ?? true
      cells.append(reached ? "1" : "0")
    }
    let words = Words(m: a.model)
    cells.append(Set(binding.map(words.limitID)).sorted().joined(separator: ";"))
    if let measured {
      let values = (measured.bottlenecks + measured.tradeOffs).map {
        "\(words.limitID($0.candidate.subject))=\(Fmt.plain(Allocation.significant($0.value, 6), decimals: 6))"
      }
      cells.append(values.sorted().joined(separator: ";"))
    } else {
      cells.append("")
    }
    return cells.map(CSVWriter.escape).joined(separator: ",")
  }
}

extension RiskTable.TargetColumn {
  /// The column's name in `draws.csv`: "target_ua-front_155mm_2029-12".
  public var id: String { "target_\(consumer)_\(item)_\(periodLabel)" }
}
