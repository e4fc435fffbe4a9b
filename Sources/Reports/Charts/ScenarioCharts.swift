import Analysis
import Foundation
import PlanningModel

/// A chart of a report: its file, the section of report.md it illustrates, and its SVG.
public struct ReportChart: Sendable {
  /// File name beside the report (`coverage.svg`).
  public let file: String
  /// The `##` section of the report it belongs under.
  public let section: String
  /// Its title, also the image's alternative text.
  public let title: String
  /// The standalone SVG document.
  public let svg: String
}

extension ReportChart {
  /// `markdown` with each chart shown under its section's heading, as `![title](file)` — a
  /// Git host shows the SVG inline, and `HTMLPage` inlines it.
  static func insert(_ charts: [ReportChart], into markdown: String) -> String {
    var out = markdown
    for chart in charts {
      let heading = "\n## \(chart.section)\n\n"
      guard let range = out.range(of: heading) else { continue }
      out.replaceSubrange(range, with: heading + "![\(chart.title)](\(chart.file))\n\n")
    }
    return out
  }
}

extension FileSet {
  /// Adds a report: its Markdown (charts shown under their sections), each chart's SVG and
  /// the HTML page of the same Markdown with the charts inline.
  public mutating func addReport(markdown name: String, html: String, _ markdown: String, charts: [ReportChart]) {
    let text = ReportChart.insert(charts, into: markdown)
    add(name, text)
    for chart in charts { add(chart.file, chart.svg) }
    add(
      html, HTMLPage.render(markdown: text, charts: Dictionary(uniqueKeysWithValues: charts.map { ($0.file, $0.svg) })))
  }
}

extension ScenarioReport {
  /// The report's charts, in report order; a chart with nothing to show is left out.
  func charts() -> [ReportChart] {
    [coverageChart(), targetsChart(), shortfallChart(), bottleneckChart(), idleChart()].compactMap { $0 }
  }

  /// Coverage of each item family, per class in rank order (summary.json's family coverage).
  func coverageChart() -> ReportChart? {
    var bars: [Chart.Bar] = []
    var headings: [Int: String] = [:]
    for cls in a.classesByRank {
      let families = a.familyCoverage(of: cls)
      guard !families.isEmpty else { continue }
      headings[bars.count] = cls.title
      for f in families {
        bars.append(
          Chart.Bar(
            label: f.family, value: f.weighted.fraction * 100, text: Fmt.percent(f.weighted.fraction),
            data: [
              ("class", cls.rawValue), ("family", f.family), ("value", Fmt.plain(f.weighted.fraction, decimals: 6)),
            ]))
      }
    }
    guard !bars.isEmpty else { return nil }
    let title = "Coverage by class and item family"
    let svg = Chart.bars(
      id: "coverage", title: title,
      description: "Share of demand met over the horizon, value-weighted within each family, per class: "
        + bars.map { "\($0.label) \($0.text)" }.joined(separator: ", ") + ".",
      axis: "coverage over the horizon, % of demand (value-weighted within each family)", bars: bars, top: 100,
      headings: headings, format: { "\(Int($0.rounded())) %" })
    return ReportChart(file: "coverage.svg", section: "Coverage", title: title, svg: svg)
  }

  /// Shortfall per period: a panel per demand (item or group, in its own unit) with any
  /// shortfall, stacked by class (shortfalls.csv summed over each class's consumers).
  func shortfallChart() -> ReportChart? {
    var keys: [Demand.Key] = []
    var byKey: [Demand.Key: [(ConsumerClass, [Double])]] = [:]
    for cls in a.classesByRank {
      for line in a.shortfallTimeline(of: cls) where line.shortfall.contains(where: { $0 > 0 }) {
        if byKey[line.key] == nil { keys.append(line.key) }
        byKey[line.key, default: []].append((cls, line.shortfall))
      }
    }
    guard !keys.isEmpty else { return nil }
    let labels = (0..<m.horizon.periods).map { m.horizon.label($0) }
    let period = m.horizon.length.rawValue
    let panels = keys.map { key in
      Chart.ColumnPanel(
        heading: words.name(key), xLabels: labels,
        series: (byKey[key] ?? []).map { cls, values in
          Chart.Series(
            name: cls.title.lowercased(), values: values.map { $0 },
            keys: [("class", cls.rawValue), ("item", words.id(key))])
        }, axis: "shortfall, \(words.unit(key))", xAxis: period)
    }
    let title = "Shortfall per \(period), by demand and class"
    let svg = Chart.columnPanels(
      id: "shortfall", title: title,
      description: "Demand not met in each \(period), a panel per item stacked by class: "
        + keys.map { key in
          "\(words.name(key)) "
            + (byKey[key] ?? []).map {
              "\($0.0.title.lowercased()) \(Fmt.quantity($0.1.reduce(0, +))) \(words.unit(key))"
            }
            .joined(separator: ", ")
        }.joined(separator: "; ") + " over the horizon.",
      panels: panels, plotHeight: 120, format: { Fmt.quantity($0) })
    return ReportChart(file: "shortfall.svg", section: "Shortfall timeline", title: title, svg: svg)
  }

  /// Stock held against stockpile targets: a panel per item (each in its own unit), a line
  /// per class — the stock of its consumers that have a target for the item — and a diamond
  /// per class and period where targets fall due, at their summed level (shortfalls.csv's
  /// stockpile rows summed by class, item and period).
  func targetsChart() -> ReportChart? {
    guard !a.targets.isEmpty else { return nil }
    let periods = m.horizon.periods
    let items = a.targets.map(\.item).reduce(into: [ItemIndex]()) { if !$0.contains($1) { $0.append($1) } }.sorted()
    let every = max(1, periods / 8)
    let ticks = stride(from: 0, to: periods, by: every).map { (Double($0), m.horizon.label($0)) }
    var panels: [Chart.LinePanel] = []
    var described: [String] = []
    for i in items {
      let targets = a.targets.filter { $0.item == i }
      let classes = a.classesByRank.filter { cls in targets.contains { m.consumers[$0.consumer].consumerClass == cls } }
      var series: [Chart.Series] = []
      var marks: [Chart.Mark] = []
      for (k, cls) in classes.enumerated() {
        let mine = targets.filter { m.consumers[$0.consumer].consumerClass == cls }
        let consumers = Set(mine.map(\.consumer))
        var stock = [Double](repeating: 0, count: periods)
        for c in consumers.sorted() {
          for (t, v) in (a.allocation.consumerStock[c][i] ?? []).enumerated() where t < periods { stock[t] += v }
        }
        series.append(
          Chart.Series(
            name: "\(cls.title.lowercased()): stock held", values: stock.map { $0 },
            keys: [("class", cls.rawValue), ("item", m.items[i].id)]))
        for t in Set(mine.map(\.period)).sorted() {
          let due = mine.filter { $0.period == t }
          let level = due.reduce(0) { $0 + $1.coverage.demand }
          let held = due.reduce(0) { $0 + $1.coverage.met }
          let missed = due.contains(where: \.isMissed)
          marks.append(
            Chart.Mark(
              x: Double(t), y: level, label: missed ? "missed" : "", series: k,
              data: [
                ("class", cls.rawValue), ("item", m.items[i].id), ("x", m.horizon.label(t)),
                ("value", Fmt.plain(level)), ("held", Fmt.plain(held)),
              ]))
          described.append(
            "\(cls.title.lowercased()) \(m.items[i].name): \(Fmt.quantity(level)) due by \(m.horizon.label(t)), "
              + "\(Fmt.quantity(held)) held")
        }
      }
      panels.append(
        Chart.LinePanel(
          heading: m.items[i].name, x: (0..<periods).map(Double.init), xTickLabels: ticks, series: series, marks: marks,
          axis: m.items[i].unit, xAxis: "end of \(m.horizon.length.rawValue)"))
    }
    let title = "Stock held against stockpile targets"
    let svg = Chart.panels(
      id: "targets", title: title,
      description: "For each targeted item, the end-of-period stock of each class's targeted consumers (lines) and "
        + "the targets falling due (diamonds, summed per class and period): " + described.joined(separator: "; ") + ".",
      panels: panels, plotHeight: 150, format: { Fmt.quantity($0) })
    return ReportChart(file: "targets.svg", section: "Stockpile targets", title: title, svg: svg)
  }

  /// What raising each top bottleneck by its step is worth (bottlenecks.csv's `value`), with
  /// the price of the extra units where one item carries the gain.
  func bottleneckChart() -> ReportChart? {
    let top = relaxation.bottlenecks.prefix(10)
    guard !top.isEmpty else { return nil }
    let bars = top.enumerated().map { n, b in
      let name = words.limit(b.candidate.subject)
      let label = "\(n + 1). " + (name.count > 48 ? String(name.prefix(47)) + "…" : name)
      // The price as the bottleneck table words it ("€3,020 a round").
      let price = b.eurosPerUnit != nil ? " · " + priceText(b) : ""
      return Chart.Bar(
        label: label, value: b.value, text: Fmt.value(b.value) + price,
        data: [("limit", words.limitID(b.candidate.subject)), ("value", Fmt.plain(b.value, decimals: 6))])
    }
    let title = "What one planner-sized step of each bottleneck buys"
    let svg = Chart.bars(
      id: "bottlenecks", title: title,
      description: "Fall in the weighted shortfall when each limit is raised by one step and the plan re-solved, best "
        + "first: " + bars.map { "\($0.label) \($0.text)" }.joined(separator: "; ") + ".",
      axis: "fall in weighted shortfall (value units: item weight × class weight × priority)", bars: bars,
      format: { Fmt.quantity($0) })
    return ReportChart(file: "bottlenecks.svg", section: "Bottlenecks", title: title, svg: svg)
  }

  /// Idle end-item capacity by reason, value-weighted (the idle table's shares).
  func idleChart() -> ReportChart? {
    guard let shares = idleShares() else { return nil }
    let bars = shares.byReason.map { reason, share in
      Chart.Bar(
        label: reason.count > 60 ? String(reason.prefix(59)) + "…" : reason, value: share * 100,
        text: Fmt.percent(share), data: [("reason", reason), ("value", Fmt.plain(share, decimals: 6))])
    }
    let title = "Why end-item capacity stood idle"
    let svg = Chart.bars(
      id: "idle", title: title,
      description:
        "Idle end-item capacity is \(Fmt.percent(shares.idle)) of all capacity (value-weighted); its reasons: "
        + bars.map { "\($0.label) \($0.text)" }.joined(separator: "; ") + ".",
      axis: "share of idle end-item capacity, % (value-weighted)", bars: bars, top: 100,
      format: { "\(Int($0.rounded())) %" })
    return ReportChart(file: "idle.svg", section: "Idle capacity", title: title, svg: svg)
  }
}
