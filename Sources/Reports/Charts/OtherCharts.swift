import Foundation

extension ComparisonReport {
  /// Coverage of each class's item families, a bar per run (comparison.csv's
  /// `family-coverage` rows), each bar labelled with its value and its delta to the first run.
  func charts() -> [ReportChart] {
    let rows = metrics().filter { $0.measure == "family-coverage" }
    guard !rows.isEmpty, !runs.isEmpty else { return [] }
    var bars: [Chart.Bar] = []
    var headings: [Int: String] = [:]
    for metric in rows {
      headings[bars.count] = "\(metric.group): \(metric.subjectID)"
      for (r, run) in runs.enumerated() {
        guard let v = metric.values[r] else { continue }
        let delta = r == 0 ? "" : metric.values[0].map { " (\(Self.points(v - $0)))" } ?? ""
        bars.append(
          Chart.Bar(
            label: run.name, value: v * 100, text: Fmt.percent(v) + delta,
            data: [
              ("group", metric.groupID), ("family", metric.subjectID), ("run", run.name),
              ("value", Fmt.plain(v, decimals: Fmt.fractionDecimals)),
            ], series: r))
      }
    }
    let title = "Coverage by class and item family, per run"
    let svg = Chart.bars(
      id: "comparison", title: title,
      description: "Share of demand met over the horizon, value-weighted within each family, for each run; "
        + "differences from \(runs[0].name) in points: "
        + bars.map { "\($0.label) \($0.text)" }.joined(separator: "; ") + ".",
      axis: "coverage over the horizon, % of demand (value-weighted within each family)", bars: bars, top: 100,
      headings: headings, legend: runs.map(\.name), format: { "\(Int($0.rounded())) %" })
    return [ReportChart(file: "comparison.svg", section: "Metrics", title: title, svg: svg)]
  }

  /// A difference of two fractions in percentage points, signed: `+12.3 pt`, `−4.0 pt`, `±0 pt`.
  static func points(_ d: Double) -> String {
    let p = d * 100
    if abs(p) < 0.05 { return "±0 pt" }
    return (p > 0 ? "+" : "−") + Fmt.fixed(abs(p), decimals: 1) + " pt"
  }
}

extension SweepReport {
  /// One parameter: each class's shortfall against it, knees marked with what binds after
  /// them; two parameters: the primary class's shortfall as a heat map (sweep.csv's columns).
  public func charts() -> [ReportChart] {
    let points = parsed()
    guard let primary = primary(points), !points.isEmpty else { return [] }
    if spec.parameters.count == 2 { return heatMap(points, primary: primary) }
    guard let p = spec.parameters.first, points.count >= 2 else { return [] }
    let xs = points.map { $0.values[0] }
    let series = columns.classes.enumerated().map { k, cls in
      Chart.Series(
        name: "\(cls.title.lowercased()) shortfall",
        values: points.map { $0.shortfall[k].isFinite ? $0.shortfall[k] : nil },
        keys: [("class", cls.rawValue)])
    }
    var rules: [(x: Double, label: String)] = []
    for knee in Self.knees(xs: xs, ys: points.map { $0.shortfall[primary.index] }) {
      let what: String
      if case .covered(let name) = Self.cause(of: knee, points: points, columns: columns, primary: primary.index) {
        what = "\(name) covered"
      } else if let b = binding[points[knee.after].index] {
        what = b.limit.count > 40 ? String(b.limit.prefix(39)) + "…" : b.limit
      } else {
        what = "knee"
      }
      rules.append((xs[knee.at], "\(Fmt.plain(xs[knee.at], decimals: 6)): \(what)"))
    }
    let every = max(1, points.count / 8)
    let ticks = stride(from: 0, to: points.count, by: every).map { (xs[$0], Fmt.plain(xs[$0], decimals: 6)) }
    let title = "Shortfall against \(p.label)"
    let svg = Chart.lines(
      id: "sweep", title: title,
      description: "Value-weighted shortfall of each class at each point of the sweep (\(p.unit)); dashed rules mark "
        + "the knees of the \(primary.title) curve and name what binds after them"
        + (rules.isEmpty ? "" : ": " + rules.map(\.label).joined(separator: "; ")) + ".",
      x: xs, xTickLabels: ticks, series: series, rules: rules, axis: "shortfall (value-weighted units)",
      xAxis: "\(p.label) (\(p.unit))", format: { Fmt.quantity($0) })
    return [ReportChart(file: "sweep.svg", section: "Chart", title: title, svg: svg)]
  }

  func heatMap(_ points: [Point], primary: (index: Int, title: String)) -> [ReportChart] {
    let a = spec.parameters[0]
    let b = spec.parameters[1]
    // Keyed as sweep.csv writes the values (6 decimals); a point not solved has no value.
    func key(_ x: Double, _ y: Double) -> String { Fmt.plain(x, decimals: 6) + "|" + Fmt.plain(y, decimals: 6) }
    var byKey: [String: Double] = [:]
    for p in points where p.shortfall[primary.index].isFinite {
      byKey[key(p.values[0], p.values[1])] = p.shortfall[primary.index]
    }
    let values = a.values.map { x in b.values.map { y in byKey[key(x, y)] } }
    let title = "Value-weighted \(primary.title) shortfall over \(a.label) and \(b.label)"
    let svg = Chart.heatMap(
      id: "sweep", title: title,
      description: "Each cell is the value-weighted \(primary.title) shortfall at one pair of values, darker when "
        + "larger; rows \(a.label) (\(a.unit)), columns \(b.label) (\(b.unit)).",
      columns: b.values.map { Fmt.plain($0, decimals: 6) }, rows: a.values.map { Fmt.plain($0, decimals: 6) },
      values: values, columnAxis: "\(b.label) (\(b.unit))", rowAxis: "\(a.label) (\(a.unit))",
      format: { Fmt.quantity($0) })
    let metric = "value-weighted \(primary.title) shortfall"
    let section = metric.prefix(1).uppercased() + metric.dropFirst()
    return [ReportChart(file: "sweep.svg", section: section, title: title, svg: svg)]
  }
}
