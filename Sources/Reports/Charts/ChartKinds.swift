import Foundation

/// The chart kinds the reports draw, each from numbers the report's tables and CSVs hold.
///
/// docs/ARCHITECTURE.md, "Charts", gives the conventions. Every mark carries `data-*` attributes with the
/// exact value it stands for, and a text label a reader sees.
enum Chart {
  /// The charts' width in SVG units (≈ an A4 text column at 96 dpi).
  static let width = 720.0

  /// Tick step for an axis from 0 to `top`: 1, 2 or 5 × 10^k, about `count` ticks.
  static func step(_ top: Double, count: Int = 5) -> Double {
    guard top > 0, top.isFinite else { return 1 }
    let raw = top / Double(count)
    let magnitude = pow(10, floor(log10(raw)))
    for m in [1.0, 2, 5, 10] where raw <= m * magnitude { return m * magnitude }
    return 10 * magnitude
  }

  /// Approximate width of `s` in SVG units at `size` (for layout only; no font metrics).
  static func textWidth(_ s: String, size: Double = 11) -> Double { Double(s.count) * size * 0.58 }

  /// One horizontal bar: its label, value, the text beside it and its data attributes.
  struct Bar {
    let label: String
    let value: Double
    let text: String
    let data: [(String, String)]
    /// Palette index of its fill.
    var series = 0
  }

  /// Horizontal bars with their values written beside them; `heading` rows (value nil) split
  /// the bars into groups.
  static func bars(
    id: String, title: String, description: String, axis: String, bars: [Bar], top: Double? = nil,
    headings: [Int: String] = [:], legend: [String] = [], format: (Double) -> String
  ) -> String {
    let labelWidth = min(300, (bars.map { textWidth($0.label) }.max() ?? 40) + 10)
    let valueWidth = min(170, (bars.map { textWidth($0.text) }.max() ?? 40) + 10)
    let left = labelWidth + 8
    let plot = width - left - valueWidth - 10
    let rowHeight = 20.0
    let headingRows = Double(headings.count)
    let legendHeight = legend.isEmpty ? 0 : 22.0
    let height = 40 + legendHeight + (Double(bars.count) + headingRows) * rowHeight + 45
    var svg = SVG(id: id, width: width, height: height, title: title, description: description)
    svg.text(title, x: 8, y: 20, size: 14, bold: true)
    var y = 36.0
    if !legend.isEmpty {
      var x = left
      for (k, name) in legend.enumerated() {
        svg.rect(x: x, y: y, width: 12, height: 12, fill: Palette.fill(k).colour)
        svg.text(name, x: x + 16, y: y + 10, size: 10)
        x += 16 + textWidth(name, size: 10) + 14
      }
      y += legendHeight
    }
    let largest = top ?? max(bars.map(\.value).max() ?? 1, 1e-9)
    let tick = step(largest)
    let maximum = top ?? ceil(largest / tick) * tick
    let scale = plot / maximum
    let plotTop = y
    for (n, bar) in bars.enumerated() {
      if let heading = headings[n] {
        svg.text(heading, x: 8, y: y + 14, size: 11, bold: true)
        y += rowHeight
      }
      svg.text(bar.label, x: left - 6, y: y + 13, anchor: .end, size: 10.5)
      let w = max(0, bar.value) * scale
      svg.rect(
        x: left, y: y + 3, width: w, height: rowHeight - 6, fill: Palette.fill(bar.series).colour, data: bar.data)
      svg.text(bar.text, x: left + w + 4, y: y + 13, size: 10)
      y += rowHeight
    }
    // The axis: ticks with labels, and what it measures.
    svg.line(x1: left, y1: plotTop, x2: left, y2: y, stroke: "#333")
    svg.line(x1: left, y1: y, x2: left + plot, y2: y, stroke: "#333")
    var t = 0.0
    while t <= maximum * 1.0001 {
      let x = left + t * scale
      svg.line(x1: x, y1: y, x2: x, y2: y + 4, stroke: "#333")
      svg.text(format(t), x: x, y: y + 15, anchor: .middle, size: 9.5)
      t += tick
    }
    svg.text(axis, x: left + plot / 2, y: y + 32, anchor: .middle, size: 10.5)
    return svg.render(standalone: true)
  }

  /// A series of values over categories (periods, parameter values).
  struct Series {
    let name: String
    let values: [Double?]
    /// Data attributes every mark of the series carries (class and item ids).
    var keys: [(String, String)] = []
  }

  /// One panel of stacked columns: a column per x label, the series stacked in order.
  struct ColumnPanel {
    let heading: String
    let xLabels: [String]
    let series: [Series]
    let axis: String
    let xAxis: String
  }

  /// Stacked-column panels in one chart, each with its own y axis (items in their own units),
  /// a legend with the same fills (colours, then hatched colours) and each column's total
  /// written above it.
  static func columnPanels(
    id: String, title: String, description: String, panels: [ColumnPanel], plotHeight: Double,
    format: (Double) -> String
  ) -> String {
    let left = 78.0
    let layouts = panels.map { legendLayout($0.series.map(\.name), from: left) }
    let heights = layouts.map { 20 + plotHeight + 66 + Double($0.count) * 18 + 12 }
    let most = panels.map(\.series.count).max() ?? 0
    var svg = SVG(
      id: id, width: width, height: 36 + heights.reduce(0, +), title: title, description: description)
    svg.usePatterns(most)
    svg.text(title, x: 8, y: 20, size: 14, bold: true)
    var y = 36.0
    for (n, panel) in panels.enumerated() {
      svg.text(panel.heading, x: 8, y: y + 12, size: 11.5, bold: true)
      drawColumns(&svg, panel, left: left, top: y + 20, plotHeight: plotHeight, legend: layouts[n], format: format)
      y += heights[n]
    }
    return svg.render(standalone: true)
  }

  static func drawColumns(
    _ svg: inout SVG, _ panel: ColumnPanel, left: Double, top: Double, plotHeight: Double,
    legend: [[(Int, String, Double)]], format: (Double) -> String
  ) {
    let plot = width - left - 16
    let bottom = top + plotHeight
    let totals = panel.xLabels.indices.map { t in panel.series.reduce(0) { $0 + max(0, $1.values[t] ?? 0) } }
    let yTop = valueGrid(
      &svg, left: left, plot: plot, bottom: bottom, plotHeight: plotHeight, maximum: totals.max() ?? 1, ticks: 4,
      format: format)
    let scale = plotHeight / yTop
    let slot = plot / Double(max(1, panel.xLabels.count))
    let columnWidth = slot * 0.72
    let every = max(1, Int((Double(panel.xLabels.count) * 42 / plot).rounded(.up)))
    for (t, label) in panel.xLabels.enumerated() {
      let x = left + Double(t) * slot + (slot - columnWidth) / 2
      var y = bottom
      for (k, s) in panel.series.enumerated() {
        let value = max(0, s.values[t] ?? 0)
        guard value > 0 else { continue }
        let h = value * scale
        svg.rect(
          x: x, y: y - h, width: columnWidth, height: h, fill: svg.paint(k), stroke: "#fff",
          data: [("series", s.name)] + s.keys + [("x", label), ("value", Fmt.plain(value))])
        y -= h
      }
      if totals[t] > 0 && slot >= 22 {
        svg.text(format(totals[t]), x: x + columnWidth / 2, y: y - 3, anchor: .middle, size: 7.5)
      }
      if t % every == 0 {
        svg.text(label, x: x + columnWidth / 2, y: bottom + 14, anchor: .end, size: 9, rotate: -35)
      }
    }
    svg.line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#333")
    svg.line(x1: left, y1: bottom, x2: left + plot, y2: bottom, stroke: "#333")
    svg.text(panel.axis, x: 14, y: top + plotHeight / 2, anchor: .middle, size: 10, rotate: -90)
    svg.text(panel.xAxis, x: left + plot / 2, y: bottom + 54, anchor: .middle, size: 10.5)
    drawLegend(&svg, rows: legend, y: bottom + 64, paint: svg.paint)
  }

  /// A marked point on a line chart (a target due, a knee).
  struct Mark {
    let x: Double
    let y: Double
    let label: String
    let series: Int
    let data: [(String, String)]
  }

  /// One panel of a line chart: lines over a numeric x axis, optional point marks
  /// (diamonds) and labelled vertical rules (knees).
  struct LinePanel {
    var heading: String? = nil
    let x: [Double]
    let xTickLabels: [(Double, String)]
    let series: [Series]
    var marks: [Mark] = []
    var rules: [(x: Double, label: String)] = []
    let axis: String
    let xAxis: String
  }

  /// Lines over a numeric x axis, with optional point marks (diamonds) and labelled vertical
  /// rules (knees).
  static func lines(
    id: String, title: String, description: String, x: [Double], xTickLabels: [(Double, String)], series: [Series],
    marks: [Mark] = [], rules: [(x: Double, label: String)] = [], axis: String, xAxis: String,
    format: (Double) -> String
  ) -> String {
    panels(
      id: id, title: title, description: description,
      panels: [
        LinePanel(
          x: x, xTickLabels: xTickLabels, series: series, marks: marks, rules: rules, axis: axis, xAxis: xAxis)
      ], plotHeight: 240, format: format)
  }

  /// Line panels stacked in one chart, each with its own y axis (items in their own units).
  static func panels(
    id: String, title: String, description: String, panels: [LinePanel], plotHeight: Double,
    format: (Double) -> String
  ) -> String {
    let left = 78.0
    let layouts = panels.map { legendLayout($0.series.map(\.name), from: left) }
    let panelHeights = zip(panels, layouts).map { panel, rows in
      (panel.heading == nil ? 0 : 20) + plotHeight + 52 + Double(rows.count) * 18 + 14
    }
    let height = 36 + panelHeights.reduce(0, +)
    var svg = SVG(id: id, width: width, height: height, title: title, description: description)
    svg.text(title, x: 8, y: 20, size: 14, bold: true)
    var y = 36.0
    for (n, panel) in panels.enumerated() {
      if let heading = panel.heading {
        svg.text(heading, x: 8, y: y + 12, size: 11.5, bold: true)
        y += 20
      }
      drawPanel(&svg, panel, left: left, top: y, plotHeight: plotHeight, legend: layouts[n], format: format)
      y += panelHeights[n] - (panel.heading == nil ? 0 : 20)
    }
    return svg.render(standalone: true)
  }

  static func drawPanel(
    _ svg: inout SVG, _ panel: LinePanel, left: Double, top: Double, plotHeight: Double,
    legend: [[(Int, String, Double)]], format: (Double) -> String
  ) {
    let plot = width - left - 20
    let bottom = top + plotHeight
    let values = panel.series.flatMap { $0.values.compactMap { $0 } } + panel.marks.map(\.y)
    let yTop = valueGrid(
      &svg, left: left, plot: plot, bottom: bottom, plotHeight: plotHeight, maximum: values.max() ?? 1, ticks: 5,
      format: format)
    let (x0, x1) = (panel.x.min() ?? 0, panel.x.max() ?? 1)
    let span = x1 > x0 ? x1 - x0 : 1
    func px(_ v: Double) -> Double { left + (v - x0) / span * plot }
    func py(_ v: Double) -> Double { bottom - v / yTop * plotHeight }
    for (value, label) in panel.xTickLabels {
      svg.line(x1: px(value), y1: bottom, x2: px(value), y2: bottom + 4, stroke: "#333")
      svg.text(label, x: px(value), y: bottom + 15, anchor: .middle, size: 9)
    }
    for (k, rule) in panel.rules.enumerated() {
      svg.line(x1: px(rule.x), y1: top, x2: px(rule.x), y2: bottom, stroke: "#555", width: 1, dash: "4 3")
      svg.text(rule.label, x: px(rule.x) + 3, y: top + 10 + Double(k % 3) * 11, size: 9)
    }
    for (k, s) in panel.series.enumerated() {
      let colour = Palette.fill(k).colour
      let dash = k >= Palette.colours.count ? "6 3" : nil
      var run: [(Double, Double)] = []
      for (i, value) in s.values.enumerated() {
        guard let value else {
          svg.polyline(run, stroke: colour, dash: dash)
          run = []
          continue
        }
        run.append((px(panel.x[i]), py(value)))
      }
      svg.polyline(run, stroke: colour, dash: dash)
      for (i, value) in s.values.enumerated() {
        guard let value else { continue }
        svg.marker(
          x: px(panel.x[i]), y: py(value), fill: colour, size: 2.2,
          data: [("series", s.name)] + s.keys + [
            ("x", Fmt.plain(panel.x[i], decimals: 6)), ("value", Fmt.plain(value)),
          ])
      }
    }
    for mark in panel.marks {
      svg.marker(
        x: px(mark.x), y: py(mark.y), fill: Palette.fill(mark.series).colour, diamond: true, size: 5, data: mark.data)
      if !mark.label.isEmpty {
        let nearEnd = px(mark.x) > left + plot - 60
        svg.text(
          mark.label, x: px(mark.x) + (nearEnd ? -7 : 7), y: py(mark.y) - 5, anchor: nearEnd ? .end : .start, size: 9)
      }
    }
    svg.line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#333")
    svg.line(x1: left, y1: bottom, x2: left + plot, y2: bottom, stroke: "#333")
    svg.text(panel.axis, x: 14, y: top + plotHeight / 2, anchor: .middle, size: 10, rotate: -90)
    svg.text(panel.xAxis, x: left + plot / 2, y: bottom + 32, anchor: .middle, size: 10.5)
    drawLegend(&svg, rows: legend, y: bottom + 44) { Palette.fill($0).colour }
  }

  /// A grid of values: a cell per (row, column), its value written in it and its shade
  /// growing with the value (light to dark blue, readable in grey).
  static func heatMap(
    id: String, title: String, description: String, columns: [String], rows: [String], values: [[Double?]],
    columnAxis: String, rowAxis: String, format: (Double) -> String
  ) -> String {
    let left = min(160, (rows.map { textWidth($0, size: 9.5) }.max() ?? 30) + 60)
    let cell = min(60, (width - left - 10) / Double(max(1, columns.count)))
    let cellHeight = 20.0
    let height = 60 + Double(rows.count) * cellHeight + 60
    var svg = SVG(id: id, width: width, height: height, title: title, description: description)
    svg.text(title, x: 8, y: 20, size: 14, bold: true)
    let top = 40.0
    let all = values.flatMap { $0.compactMap { $0 } }.filter(\.isFinite)
    let maximum = max(all.max() ?? 1, 1e-9)
    for (r, label) in rows.enumerated() {
      svg.text(label, x: left - 6, y: top + Double(r) * cellHeight + 14, anchor: .end, size: 9.5)
      for c in columns.indices {
        let x = left + Double(c) * cell
        let y = top + Double(r) * cellHeight
        guard let value = values[r][c] else {
          svg.rect(x: x, y: y, width: cell, height: cellHeight, fill: "#eee", stroke: "#fff")
          continue
        }
        let share = value / maximum
        svg.rect(
          x: x, y: y, width: cell, height: cellHeight, fill: shade(share), stroke: "#fff",
          data: [("row", label), ("x", columns[c]), ("value", Fmt.plain(value))])
        svg.text(
          format(value), x: x + cell / 2, y: y + 13.5, anchor: .middle, size: 8, fill: share > 0.55 ? "#fff" : "#111")
      }
    }
    let bottom = top + Double(rows.count) * cellHeight
    for (c, label) in columns.enumerated() {
      svg.text(label, x: left + (Double(c) + 0.5) * cell, y: bottom + 13, anchor: .middle, size: 9)
    }
    svg.text(columnAxis, x: left + Double(columns.count) * cell / 2, y: bottom + 32, anchor: .middle, size: 10.5)
    svg.text(rowAxis, x: 14, y: top + Double(rows.count) * cellHeight / 2, anchor: .middle, size: 10.5, rotate: -90)
    return svg.render(standalone: true)
  }

  /// The value axis of a panel: gridlines and labels from 0 to the first tick at or above
  /// `maximum`; returns that top value.
  static func valueGrid(
    _ svg: inout SVG, left: Double, plot: Double, bottom: Double, plotHeight: Double, maximum: Double, ticks: Int,
    format: (Double) -> String
  ) -> Double {
    let largest = max(maximum, 1e-9)
    let tick = step(largest, count: ticks)
    let top = ceil(largest / tick) * tick
    var v = 0.0
    while v <= top * 1.0001 {
      let y = bottom - v / top * plotHeight
      svg.line(x1: left, y1: y, x2: left + plot, y2: y, stroke: "#ddd", width: 0.6)
      svg.text(format(v), x: left - 6, y: y + 3.5, anchor: .end, size: 9.5)
      v += tick
    }
    return top
  }

  /// A sequential blue from #f7fbff (0) to #08306b (1).
  static func shade(_ share: Double) -> String {
    let s = min(1, max(0, share))
    let (r0, g0, b0) = (247.0, 251.0, 255.0)
    let (r1, g1, b1) = (8.0, 48.0, 107.0)
    func c(_ a: Double, _ b: Double) -> String {
      let v = Int((a + (b - a) * s).rounded())
      let hex = String(v, radix: 16)
      return hex.count == 1 ? "0" + hex : hex
    }
    return "#" + c(r0, r1) + c(g0, g1) + c(b0, b1)
  }

  /// Legend entries packed into rows across the chart's width.
  static func legendLayout(_ names: [String], from left: Double) -> [[(Int, String, Double)]] {
    var rows: [[(Int, String, Double)]] = [[]]
    var x = left
    for (k, name) in names.enumerated() {
      let w = 16 + textWidth(name, size: 9.5) + 14
      if x + w > width - 8, !(rows.last?.isEmpty ?? true) {
        rows.append([])
        x = left
      }
      rows[rows.count - 1].append((k, name, x))
      x += w
    }
    return rows.last?.isEmpty ?? false ? [] : rows
  }

  static func drawLegend(_ svg: inout SVG, rows: [[(Int, String, Double)]], y: Double, paint: (Int) -> String) {
    for (r, row) in rows.enumerated() {
      for (k, name, x) in row {
        let yy = y + Double(r) * 18
        svg.rect(x: x, y: yy, width: 12, height: 12, fill: paint(k), stroke: "#333")
        svg.text(name, x: x + 16, y: yy + 10, size: 9.5)
      }
    }
  }
}
