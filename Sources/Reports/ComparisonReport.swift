import Analysis
import Formulation
import Foundation
import PlanningModel

/// Several solved scenarios side by side: the same metrics in columns, the deltas against
/// the first, and how the bottleneck ranking moves.
public struct ComparisonReport {
  /// One solved scenario (or combination of scenarios) in the comparison: a column.
  public struct Run {
    /// The column's heading, such as `baseline` or `ceasefire-full+us-minimal`.
    public let name: String
    /// The solved plan's coverage, bottlenecks and spending.
    public let analysis: PlanAnalysis
    /// A column named `name` showing `analysis`.
    public init(name: String, analysis: PlanAnalysis) {
      self.name = name
      self.analysis = analysis
    }
  }

  let runs: [Run]
  let provenance: Provenance
  let title: String

  /// A comparison of `runs`, deltas taken against the first; the title defaults to the run
  /// names joined with "vs".
  public init(_ runs: [Run], provenance: Provenance, title: String? = nil) {
    self.runs = runs
    self.provenance = provenance
    self.title = title ?? runs.map(\.name).joined(separator: " vs ")
  }

  /// A metric in every run: (label, unit, value per run).
  struct Metric {
    /// Class id, `systems`, `stockpile-targets` or `money`.
    let groupID: String
    let group: String
    /// What it measures, for scripts (`family-coverage`, `targets-reached`, `coverage`, `shortfall`, …).
    let measure: String
    /// The family, item or group id it is about (empty for totals).
    let subjectID: String
    let label: String
    let unit: String
    var values: [Double?]
    let isFraction: Bool
  }

  func metrics() -> [Metric] {
    var out: [Metric] = []
    let classes = ConsumerClass.allCases.filter { cls in runs.contains { $0.analysis.classesPresent.contains(cls) } }
    for cls in classes {
      let families = Set(runs.flatMap { $0.analysis.familyCoverage(of: cls).map(\.family) }).sorted()
      for family in families {
        let values = runs.map { r in r.analysis.familyCoverage(of: cls).first { $0.family == family }?.weighted.fraction
        }
        out.append(
          Metric(
            groupID: cls.rawValue, group: cls.title, measure: "family-coverage", subjectID: family,
            label: "\(family) (value-weighted)", unit: "%", values: values, isFraction: true))
      }
      let targets = runs.map { $0.analysis.targetAttainment(of: cls)?.fraction }
      if targets.contains(where: { $0 != nil }) {
        out.append(
          Metric(
            groupID: cls.rawValue, group: cls.title, measure: "targets-reached", subjectID: "",
            label: "stockpile targets reached (value-weighted)", unit: "%", values: targets,
            isFraction: true))
      }
      // Items by id, named as the first run that has them names them.
      var names: [String: String] = [:]
      var units: [String: String] = [:]
      for r in runs {
        let m = r.analysis.model
        for c in r.analysis.coverage(of: cls) where names[m.id(of: c.key)] == nil {
          names[m.id(of: c.key)] = m.describe(c.key).name
          units[m.id(of: c.key)] = m.describe(c.key).unit
        }
      }
      for id in names.keys.sorted(by: { (names[$0] ?? $0, $0) < (names[$1] ?? $1, $1) }) {
        let rows = runs.map { r in r.analysis.coverage(of: cls).first { r.analysis.model.id(of: $0.key) == id } }
        let name = names[id] ?? id
        out.append(
          Metric(
            groupID: cls.rawValue, group: cls.title, measure: "coverage", subjectID: id, label: "\(name): coverage",
            unit: "%", values: rows.map { $0?.coverage.fraction },
            isFraction: true))
        out.append(
          Metric(
            groupID: cls.rawValue, group: cls.title, measure: "shortfall", subjectID: id, label: "\(name): shortfall",
            unit: units[id] ?? "units",
            values: rows.map { $0?.coverage.shortfall },
            isFraction: false))
      }
    }
    out += systemMetrics()
    let targets = runs.map { r -> Coverage? in
      r.analysis.targets.isEmpty ? nil : r.analysis.targets.reduce(Coverage()) { $0 + $1.coverage }
    }
    if targets.contains(where: { $0 != nil }) {
      out.append(
        Metric(
          groupID: "stockpile-targets", group: "Stockpile targets", measure: "targets-reached-by-units", subjectID: "",
          label: "reached (by units)", unit: "%", values: targets.map { $0?.fraction },
          isFraction: true))
    }
    out.append(
      Metric(
        groupID: "money", group: "Money", measure: "spent", subjectID: "", label: "spent by funders", unit: "EUR",
        values: runs.map { r in r.analysis.budgets.reduce(0) { $0 + $1.spent } }, isFraction: false))
    out.append(
      Metric(
        groupID: "money", group: "Money", measure: "invested", subjectID: "", label: "invested in expansions",
        unit: "EUR",
        values: runs.map { r in r.analysis.investments.reduce(0) { $0 + $1.cost } }, isFraction: false))
    // To the plans' own 8 significant digits, in every file: a sum such as the money spent
    // carries the solver's path in its 11th digit (the cost stage is held to 10⁻⁹).
    return out.map { m in
      var m = m
      m.values = m.values.map { $0.map(Allocation.snap) }
      return m
    }
  }

  /// Systems and parts in service, summed over consumers: what they hold at the end and what
  /// is gone (lost in combat, worn out or used); "—" in a run without them.
  func systemMetrics() -> [Metric] {
    var names: [String: String] = [:]
    var units: [String: String] = [:]
    for r in runs {
      for s in r.analysis.systems {
        let item = r.analysis.model.items[s.item]
        names[item.id] = names[item.id] ?? item.name
        units[item.id] = units[item.id] ?? item.unit
      }
    }
    var out: [Metric] = []
    for id in names.keys.sorted(by: { (names[$0] ?? $0, $0) < (names[$1] ?? $1, $1) }) {
      let rows = runs.map { r in r.analysis.systems.filter { r.analysis.model.items[$0.item].id == id } }
      let name = names[id] ?? id
      out.append(
        Metric(
          groupID: "systems", group: "Systems in service", measure: "held-at-end", subjectID: id,
          label: "\(name): held at end", unit: units[id] ?? "units",
          values: rows.map { $0.isEmpty ? nil : $0.reduce(0) { $0 + $1.end } }, isFraction: false))
      out.append(
        Metric(
          groupID: "systems", group: "Systems in service", measure: "gone", subjectID: id,
          label: "\(name): lost, worn out or used", unit: units[id] ?? "units",
          values: rows.map { $0.isEmpty ? nil : $0.reduce(0) { $0 + $1.gone } }, isFraction: false))
    }
    return out
  }

  func format(_ v: Double?, _ metric: Metric) -> String {
    guard let v else { return "—" }
    if metric.isFraction { return Fmt.percent(v) }
    return metric.unit == "EUR" ? Fmt.money(v) : Fmt.quantity(v)
  }

  /// The difference of the two values as the table prints them.
  ///
  /// A share to 0.1 %, a quantity to a unit, so that a delta is what the columns beside it
  /// show: 43 → 33 is −10, not the −9 of 42.57 → 33.28. Money keeps its exact difference,
  /// printed to its own precision.
  func delta(_ v: Double?, _ base: Double?, _ metric: Metric) -> String {
    guard let v, let base else { return "—" }
    if metric.isFraction {
      let tenths = (v * 1000).rounded() - (base * 1000).rounded()
      return tenths == 0 ? "±0" : String(format: "%+.1f pt", tenths / 10)
    }
    let d = metric.unit == "EUR" ? v - base : v.rounded() - base.rounded()
    if abs(d) < 0.5 { return "±0" }
    let text = metric.unit == "EUR" ? Fmt.money(abs(d)) : Fmt.quantity(abs(d))
    return (d > 0 ? "+" : "−") + text
  }

  /// The report set: `comparison.md` and `comparison.csv`.
  public func files() -> FileSet {
    var set = FileSet()
    set.addReport(markdown: "comparison.md", html: "comparison.html", markdown(), charts: charts())
    set.add("comparison.csv", csv())
    set.add("comparison.json", json())
    return set
  }

  /// `comparison.json`: comparison.csv's rows as objects (ids, names, unit, a value per run,
  /// `null` where a run lacks the figure), the summary sentences and the runs in order.
  public func json() -> String {
    func number(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
    let metrics: [JSONValue] = metrics().map { metric in
      let values = metric.values
      return .object([
        "group_id": .string(metric.groupID), "group": .string(metric.group), "measure": .string(metric.measure),
        "subject_id": .string(metric.subjectID), "metric": .string(metric.label),
        "unit": .string(metric.isFraction ? "fraction" : metric.unit),
        "values": .object(Dictionary(zip(runs.map(\.name), values.map(number)), uniquingKeysWith: { a, _ in a })),
        "deltas": .object(
          Dictionary(
            zip(
              runs.dropFirst().map(\.name),
              values.dropFirst().map { v in number(v.flatMap { v in values[0].map { v - $0 } }) }),
            uniquingKeysWith: { a, _ in a })),
      ])
    }
    let ranks: [JSONValue] = bottleneckRanks().map { e in
      .object([
        "limit_id": .string(e.id), "limit": .string(e.name), "kind": .string(e.kind),
        "ranks": .object(
          Dictionary(
            zip(runs.map(\.name), e.ranks.map { r in r.map { .number(Double($0)) } ?? .null }),
            uniquingKeysWith: { a, _ in a })),
      ])
    }
    let root: JSONValue = .object([
      "title": .string(title), "runs": .array(runs.map { .string($0.name) }),
      "summary": .array(summary().map { .string($0) }), "metrics": .array(metrics), "bottleneck_ranks": .array(ranks),
      "policy": .string(runs.first?.analysis.policy.rawValue ?? ""),
      "data_set": .string(runs.first?.analysis.model.name ?? ""),
      "content_sha256": .string(runs.first?.analysis.model.contentHash ?? ""),
    ])
    return root.render(indent: 0) + "\n"
  }

  /// `comparison.md`: the data set and runs, a summary, the metrics side by side with deltas
  /// against the first run, and the bottleneck ranking.
  public func markdown() -> String {
    guard let first = runs.first else { return "# Arsenal comparison\n\nNo scenarios.\n" }
    let m = first.analysis.model
    var out = "# Arsenal comparison — \(title)\n\n"
    if m.illustrative {
      out += "> **Illustrative data.** The figures are open-source estimates, not official planning figures.\n\n"
    }
    var head = MarkdownTable(["", ""], alignment: [.left, .left])
    // Runs may come from different data sets (an edited copy against the original).
    var sets: [(model: PlanningModel, runs: [String])] = []
    for r in runs {
      let rm = r.analysis.model
      if let k = sets.firstIndex(where: { $0.model.source == rm.source && $0.model.contentHash == rm.contentHash }) {
        sets[k].runs.append(r.name)
      } else {
        sets.append((rm, [r.name]))
      }
    }
    for set in sets {
      let label = sets.count == 1 ? "Data set" : "Data set of \(set.runs.joined(separator: ", "))"
      head.add([label, "\(set.model.name) (`\(set.model.source)`), sha256:\(set.model.contentHash.prefix(16))"])
    }
    head.add(["Policy", first.analysis.policy.rawValue])
    head.add(["Horizon", "\(m.horizon.periods) \(m.horizon.length.rawValue)s from \(m.horizon.label(0))"])
    head.add([
      "Solver",
      "GLPK \(provenance.glpkVersion); "
        + runs.map { "\($0.name): \($0.analysis.status.rawValue)" }.joined(separator: ", "),
    ])
    for r in runs {
      head.add([r.name, r.analysis.scenarios.map(\.description).joined(separator: " Then: ")])
    }
    out += head.render() + "\n"

    out += "## Summary\n\n" + summary().joined(separator: " ") + "\n\n"

    out += "## Metrics\n\n"
    let base = runs[0].name
    var headers = ["group", "metric", "unit"] + runs.map(\.name)
    headers += runs.dropFirst().map { "Δ \($0.name) vs \(base)" }
    var t = MarkdownTable(
      headers, alignment: [.left, .left, .left] + Array(repeating: .right, count: headers.count - 3))
    for metric in metrics() {
      var row = [metric.group, metric.label, metric.unit]
      row += metric.values.map { format($0, metric) }
      row += metric.values.dropFirst().map { delta($0, metric.values[0], metric) }
      t.add(row)
    }
    out += t.render() + "\n"

    out += "## Bottleneck ranking\n\n"
    out += "Rank of each of the top bottlenecks (by the value a planner-sized step covers, measured) in every scenario "
    out += "(— where it is not a bottleneck: it does not bind there, or its step covers nothing more).\n\n"
    let ranking = bottleneckRanks()
    var bt = MarkdownTable(
      ["bottleneck", "kind"] + runs.map(\.name), alignment: [.left, .left] + runs.map { _ in .right })
    for entry in ranking {
      bt.add([entry.name, entry.kind] + entry.ranks.map { $0.map { "\($0)" } ?? "—" })
    }
    out += bt.render() + "\n"
    return out
  }

  struct RankEntry {
    let id: String
    let name: String
    let kind: String
    let ranks: [Int?]
  }

  /// Names of a run's bottlenecks, best first.
  func bottleneckNames(_ r: Run) -> [String] {
    let words = Words(m: r.analysis.model)
    return r.analysis.relaxation.bottlenecks.map { words.limit($0.candidate.subject) }
  }

  /// The union of every run's top-10 bottlenecks, with each one's rank per run.
  func bottleneckRanks() -> [RankEntry] {
    var keys: [String] = []
    var kinds: [String: String] = [:]
    var ids: [String: String] = [:]
    let names = runs.map(bottleneckNames)
    for (r, run) in runs.enumerated() {
      let words = Words(m: run.analysis.model)
      for (n, b) in run.analysis.relaxation.bottlenecks.prefix(10).enumerated() where !keys.contains(names[r][n]) {
        keys.append(names[r][n])
        kinds[names[r][n]] = b.candidate.kind.rawValue
        ids[names[r][n]] = words.limitID(b.candidate.subject)
      }
    }
    return keys.map { name in
      RankEntry(
        id: ids[name] ?? "", name: name, kind: kinds[name] ?? "",
        ranks: names.map { list in list.firstIndex(of: name).map { $0 + 1 } })
    }
  }

  /// One sentence per run plus what changes most.
  public func summary() -> [String] {
    var s: [String] = []
    for r in runs {
      let classes = ConsumerClass.allCases.filter(r.analysis.classesPresent.contains).flatMap { cls -> [String] in
        var parts: [String] = []
        let families = r.analysis.familyCoverage(of: cls).map { "\($0.family) \(Fmt.percent($0.weighted.fraction))" }
        if !families.isEmpty { parts.append("\(cls.title.lowercased()) \(Words.list(families))") }
        if let t = r.analysis.targetAttainment(of: cls), t.demand > 0 {
          parts.append("\(cls.title.lowercased()) stockpile targets \(Fmt.percent(t.fraction))")
        }
        return parts
      }
      var sentence = "Under \(r.name), coverage (value-weighted within each family): \(classes.joined(separator: "; "))"
      if let top = bottleneckNames(r).first { sentence += "; top bottleneck \(top)" }
      s.append(sentence + ".")
    }
    if runs.count > 1 {
      // The item whose coverage moves most, among those whose shortfall moves too: where the
      // same shortfall stands in every run, coverage moves with demand alone (a ceasefire's
      // smaller demand for the same 40 missing interceptors), and no supply differs.
      let all = metrics()
      let shortfallKey = { (m: Metric) in "\(m.groupID)|\(m.subjectID)" }
      var shortfalls: [String: Metric] = [:]
      for m in all where m.measure == "shortfall" { shortfalls[shortfallKey(m)] = m }
      let moves = all.filter { $0.isFraction && $0.label.hasSuffix(": coverage") }
        .filter { metric in
          guard let short = shortfalls[shortfallKey(metric)] else { return true }
          return Set(short.values.map { format($0, short) }).count > 1
        }
        .compactMap { metric -> (Metric, Double)? in
          // As the table prints them (to 0.1 %), so that the spread is the difference it shows.
          let values = metric.values.compactMap { $0 }.map { ($0 * 1000).rounded() / 1000 }
          guard let lo = values.min(), let hi = values.max(), hi - lo > 0.0005 else { return nil }
          return (metric, hi - lo)
        }
        .sorted { ($0.1, $1.0.label, $1.0.group) > ($1.1, $0.0.label, $0.0.group) }
      if let (metric, spread) = moves.first {
        let points = { (x: Double) in String(format: "%.1f", x * 100) }
        let item = { (m: Metric) in m.label.replacingOccurrences(of: ": coverage", with: "") }
        let described = { (m: Metric) in
          zip(runs, m.values).map { "\($0.name) \(format($1, m))" }.joined(separator: ", ")
        }
        s.append(
          "The largest difference is \(metric.group.lowercased()) coverage of \(item(metric)), which spans \(points(spread)) points (\(described(metric)))."
        )
        // Items that span as many points, as printed, are named too: the first by name alone
        // would hide them.
        for (tie, _) in moves.dropFirst().prefix(while: { points($0.1) == points(spread) }).prefix(3) {
          s.append("So does \(tie.group.lowercased()) coverage of \(item(tie)) (\(described(tie))).")
        }
      }
    }
    return s
  }

  /// `comparison.csv`: every metric per run and its delta against the first (shares as
  /// fractions from 0 to 1), then each bottleneck's rank per run.
  public func csv() -> String {
    var w = CSVWriter(
      header: ["group_id", "group", "measure", "subject_id", "metric", "unit"] + runs.map(\.name)
        + runs.dropFirst().map { "delta_\($0.name)" })
    for metric in metrics() {
      // In CSV a share is a fraction from 0 to 1, and says so.
      var row = [
        metric.groupID, metric.group, metric.measure, metric.subjectID, metric.label,
        metric.isFraction ? "fraction" : metric.unit,
      ]
      row += metric.values.map {
        $0.map { Fmt.plain($0, decimals: metric.isFraction ? Fmt.fractionDecimals : 3) } ?? ""
      }
      row += metric.values.dropFirst().map { v in
        guard let v, let b = metric.values[0] else { return "" }
        return Fmt.plain(v - b, decimals: metric.isFraction ? Fmt.fractionDecimals : 3)
      }
      w.add(row)
    }
    for e in bottleneckRanks() {
      w.add(
        ["bottleneck-rank", "Bottleneck rank", "rank: \(e.kind)", e.id, e.name, "rank"]
          + e.ranks.map { $0.map { "\($0)" } ?? "" } + runs.dropFirst().map { _ in "" })
    }
    return w.text
  }
}
