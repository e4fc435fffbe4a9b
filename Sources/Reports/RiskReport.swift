import Analysis
import Formulation
import PlanningModel

/// Summary statistics of a sample: mean, its standard error and the P10, P50 and P90.
public struct SampleStatistics: Sendable, Hashable {
  /// Values in the sample.
  public let count: Int
  /// The mean.
  public let mean: Double
  /// The standard error of the mean: the sample standard deviation over √n (0 for n < 2).
  public let standardError: Double
  /// The 10th, 50th and 90th percentiles (`quantile`).
  public let p10: Double
  /// The median.
  public let p50: Double
  /// The 90th percentile.
  public let p90: Double

  /// The statistics of `values` (not empty).
  public init(_ values: [Double]) {
    let sorted = values.sorted()
    let n = Double(values.count)
    count = values.count
    // Summed in sorted order, so the figure does not depend on the order draws finished.
    mean = n > 0 ? sorted.reduce(0, +) / n : 0
    let m = mean
    let variance = n > 1 ? sorted.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) : 0
    standardError = n > 1 ? (variance / n).squareRoot() : 0
    p10 = Self.quantile(sorted, 0.1)
    p50 = Self.quantile(sorted, 0.5)
    p90 = Self.quantile(sorted, 0.9)
  }

  /// The `q` quantile of ascending `sorted` values: the smallest value with at least a
  /// fraction `q` of the sample at or below it (x₍⌈q·n⌉₎, the inverse of the empirical
  /// distribution function), so that every percentile is a value some draw gave.
  public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    // The small tolerance keeps q·n = 100 from becoming 100.00000000000001 and rank 101.
    let rank = Int((q * Double(sorted.count) - 1e-9).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
  }
}

/// A risk study's report from its rows: risk.md (and .html), risk.csv, risk.json and
/// draws.csv (docs/OUTPUTS.md, "Risk studies").
///
/// Built from the rows alone, so an interrupted and resumed study, or shards merged, report
/// exactly as one uninterrupted run.
public struct RiskReport {
  let study: RiskStudy
  let model: PlanningModel
  let columns: RiskTable.Columns
  let rows: [Int: String]
  let measuredDraws: Int
  let settings: RelaxationSettings
  let provenance: Provenance
  let wholeLots: Bool
  let words: Words
  /// Cells of each finished draw, by draw.
  let cells: [(draw: Int, cells: [String])]
  let position: [String: Int]

  /// The report of `study` on `model` (scenarios applied) from its finished `rows`; the
  /// first `measuredDraws` draws carry measured relaxations.
  public init(
    study: RiskStudy, model: PlanningModel, columns: RiskTable.Columns, rows: [Int: String], measuredDraws: Int,
    settings: RelaxationSettings, provenance: Provenance, wholeLots: Bool
  ) {
    self.wholeLots = wholeLots
    self.study = study
    self.model = model
    self.columns = columns
    self.rows = rows
    self.measuredDraws = measuredDraws
    self.settings = settings
    self.provenance = provenance
    self.words = Words(m: model)
    self.cells = rows.keys.sorted().compactMap { d in rows[d].map { (d, SweepTable.split($0)) } }
    let header = SweepTable.split(columns.header)
    self.position = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// The draws whose plan was optimal (the others have no figures).
  var solved: [(draw: Int, cells: [String])] {
    let status = position["status"] ?? 0
    return cells.filter { $0.cells.count > status && $0.cells[status] == "optimal" }
  }

  /// Column `name` of every solved draw, as numbers.
  func column(_ name: String) -> [Double] {
    guard let p = position[name] else { return [] }
    return solved.compactMap { $0.cells.count > p ? Double($0.cells[p]) : nil }
  }

  // MARK: Figures

  /// Shortfall and coverage of one class's item (or of a class, value-weighted).
  public struct Line: Sendable {
    /// The class.
    public let consumerClass: ConsumerClass
    /// The item's id (`nil`: the class, value-weighted).
    public let id: String?
    /// The item's name.
    public let name: String
    /// Its unit.
    public let unit: String
    /// Units short over the horizon (value units for a class).
    public let shortfall: SampleStatistics
    /// Fraction of demand covered.
    public let coverage: SampleStatistics
  }

  /// Per class and item, in the columns' order; only items short in some draw.
  public var lines: [Line] {
    var out: [Line] = []
    for (n, item) in columns.coverage.items.enumerated() {
      let short = column("short_\(item.consumerClass.rawValue)_\(item.id)")
      let cover = column("coverage_\(item.consumerClass.rawValue)_\(item.id)")
      guard !short.isEmpty, short.contains(where: { $0 > 0 }) else { continue }
      out.append(
        Line(
          consumerClass: item.consumerClass, id: item.id, name: item.name, unit: columns.units[n],
          shortfall: SampleStatistics(short), coverage: SampleStatistics(cover)))
    }
    return out.sorted { ($0.consumerClass, $0.name) < ($1.consumerClass, $1.name) }
  }

  /// One stockpile target and the share of draws that reach it.
  public struct TargetOdds: Sendable {
    /// The target.
    public let target: RiskTable.TargetColumn
    /// Draws that reach it, of `draws`.
    public let reached: Int
    /// Draws solved.
    public let draws: Int
    /// `reached` / `draws`.
    public var probability: Double { draws > 0 ? Double(reached) / Double(draws) : 0 }
  }

  /// Every target, in the columns' order.
  public var targets: [TargetOdds] {
    columns.targets.map { t in
      let values = column(t.id)
      return TargetOdds(target: t, reached: values.filter { $0 >= 0.5 }.count, draws: values.count)
    }
  }

  /// One limit: how often it binds and, over the measured draws in which it was valued,
  /// the median value of a planner-sized step.
  public struct LimitOdds: Sendable {
    /// The limit's id ("product:nitrochemie-aschau:charge-155").
    public let id: String
    /// Its name.
    public let name: String
    /// Draws in which it binds, of `draws`.
    public let binds: Int
    /// Draws solved.
    public let draws: Int
    /// The measured values (value units of a step) of the measured draws that valued it.
    public let values: [Double]
    /// Measured draws in which it binds: those of them not in `values` measured no gain
    /// (a zero shadow price proves it, or the re-solve found none).
    public let measuredBinds: Int
    /// `binds` / `draws`.
    public var probability: Double { draws > 0 ? Double(binds) / Double(draws) : 0 }
    /// The median measured value, if any draw measured it.
    public var median: Double? { values.isEmpty ? nil : SampleStatistics.quantile(values.sorted(), 0.5) }
    /// The median over the measured draws it binds in, each draw whose step gained nothing
    /// counted as 0 (a median over the gaining draws alone ranked a limit that gains in 3 of
    /// 20 above one that gains in 11); `nil` when it binds in none of the measured draws.
    public var measuredMedian: Double? {
      guard measuredBinds > 0 else { return median }
      let zeros = [Double](repeating: 0, count: max(0, measuredBinds - values.count))
      return SampleStatistics.quantile((values + zeros).sorted(), 0.5)
    }
  }

  /// Limits that bind in some draw, most often first.
  public var limits: [LimitOdds] {
    guard let b = position["binding"], let m = position["measured"] else { return [] }
    var binds: [String: Int] = [:]
    var measuredBinds: [String: Int] = [:]
    var values: [String: [Double]] = [:]
    for row in solved {
      if row.cells.count > b {
        for id in row.cells[b].split(separator: ";") {
          binds[String(id), default: 0] += 1
          if row.draw < measuredDraws { measuredBinds[String(id), default: 0] += 1 }
        }
      }
      if row.cells.count > m {
        for pair in row.cells[m].split(separator: ";") {
          let parts = pair.split(separator: "=", maxSplits: 1)
          if parts.count == 2, let v = Double(parts[1]) { values[String(parts[0]), default: []].append(v) }
        }
      }
    }
    let names = limitNames
    let n = solved.count
    // Among limits that bind as often, the one whose step is worth the most first (a plan
    // binds dozens in every draw, and "which of these matters" is the planner's question);
    // each median taken once, not in every comparison.
    let odds = binds.map { id, count in
      let l = LimitOdds(
        id: id, name: names[id] ?? id, binds: count, draws: n, values: values[id] ?? [],
        measuredBinds: measuredBinds[id] ?? 0)
      return (limit: l, median: l.measuredMedian ?? -.infinity)
    }
    return odds.sorted { a, b in
      if a.limit.binds != b.limit.binds { return a.limit.binds > b.limit.binds }
      return a.median != b.median ? a.median > b.median : a.limit.id < b.limit.id
    }.map(\.limit)
  }

  /// Every limit's id and name in the model.
  var limitNames: [String: String] {
    var out: [String: String] = [:]
    func add(_ s: RelaxedSubject) { out[words.limitID(s)] = words.limit(s) }
    for (p, producer) in model.producers.indexed() {
      for k in producer.products.indices { add(.limit(.product(producer: p, product: k))) }
      for l in producer.lines.indices { add(.limit(.line(producer: p, line: l))) }
      for e in producer.expansions.indices { add(.limit(.expansion(producer: p, expansion: e))) }
    }
    for (mi, market) in model.markets.indexed() {
      for s in market.supplies.indices { add(.limit(.market(market: mi, supply: s))) }
    }
    for f in model.funders.indices {
      add(.limit(.funder(f)))
      add(.limit(.investment(f)))
    }
    for r in model.routes.indices { add(.limit(.route(r))) }
    for q in model.quotas.indices { add(.limit(.quota(q))) }
    for r in model.rules.indices { add(.rule(r)) }
    return out
  }

  /// The class whose value-weighted shortfall defines the tail: the first ranked class with
  /// a shortfall in some draw.
  var tailClass: ConsumerClass? {
    columns.coverage.classes.first { column("shortfall_\($0.rawValue)").contains { $0 > 0 } }
  }

  /// The draws in the tail: those at or above the P90 of `tailClass`'s value-weighted
  /// shortfall (at least one), worst first, ties by draw.
  var tail: [(draw: Int, shortfall: Double, values: [Double])] {
    guard let cls = tailClass, let p = position["shortfall_\(cls.rawValue)"] else { return [] }
    let all = solved.compactMap { row -> (Int, Double, [Double])? in
      guard row.cells.count > p, let s = Double(row.cells[p]) else { return nil }
      let values = (1...columns.sources.count).compactMap { Double(row.cells[$0]) }
      return (row.draw, s, values)
    }
    let threshold = SampleStatistics.quantile(all.map(\.1).sorted(), 0.9)
    return all.filter { $0.1 >= threshold && $0.1 > 0 }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.map {
      (draw: $0.0, shortfall: $0.1, values: $0.2)
    }
  }

  /// Per source: its mean over all solved draws and over the tail, and the shift in
  /// standard deviations; largest shift first.
  var drivers: [(source: Int, all: Double, tail: Double, shift: Double)] {
    let tail = self.tail
    guard !tail.isEmpty else { return [] }
    var out: [(Int, Double, Double, Double)] = []
    for s in columns.sources.indices {
      let all = solved.compactMap { Double($0.cells[s + 1]) }
      let stats = SampleStatistics(all)
      let sd = stats.standardError * Double(stats.count).squareRoot()
      let inTail = tail.map { $0.values[s] }
      let tailMean = inTail.sorted().reduce(0, +) / Double(inTail.count)
      let shift = sd > 0 ? (tailMean - stats.mean) / sd : 0
      out.append((s, stats.mean, tailMean, shift))
    }
    return out.sorted { (abs($0.3), $1.0) > (abs($1.3), $0.0) }
  }

  // MARK: Files

  /// risk.md, risk.html, risk.csv, risk.json and draws.csv.
  public func files() -> FileSet {
    var set = FileSet()
    set.addReport(markdown: "risk.md", html: "risk.html", markdown(), charts: [])
    set.add("risk.csv", csv())
    set.add("risk.json", json().render(indent: 0) + "\n")
    set.add("draws.csv", ([columns.header] + rows.keys.sorted().compactMap { rows[$0] }).joined(separator: "\n") + "\n")
    return set
  }

  func sourceText(_ s: UncertainSource) -> String {
    let unit = s.parameter.kind == .delay ? " months" : "×"
    var text = s.distribution.text + unit
    if s.probability < 1 { text += ", with probability \(Fmt.percent(s.probability)) (else \(Fmt.plain(s.neutral)))" }
    return text
  }

  /// The limit that binds in the most draws; when several bind as often (a plan binds many
  /// limits in every draw), how many, and of these the one whose step is worth the most at
  /// the median of the measured draws, rather than one of them as if it stood alone.
  func mostOftenBinding(_ limits: [LimitOdds]) -> String? {
    guard let top = limits.first else { return nil }
    let tied = limits.prefix { $0.binds == top.binds }.count
    let worth = top.measuredMedian.map {
      "\(Fmt.value($0)) value units at the median of the \(top.measuredBinds) measured draws it binds in"
    }
    var text: String
    if tied == 1 {
      text = "The limit that binds most often is \(top.name): in \(Fmt.percent(top.probability)) of draws"
      if let worth { text += "; a step of it is worth \(worth)" }
    } else {
      text =
        "\(tied) limits bind most often, each in \(Fmt.percent(top.probability)) of draws (What binds lists "
        + (tied > Self.bindingRows ? "\(Self.bindingRows) of them" : "them") + ", the most valuable step first)"
      text += worth.map { "; a step of \(top.name) is worth the most of these, \($0)" } ?? "; none of them was measured"
    }
    return text + "."
  }

  /// "97.3 %" of coverage, or units short.
  func units(_ x: Double, _ unit: String) -> String { "\(Fmt.quantity(x)) \(unit)" }

  /// The planner's sentences, each from the figures of the tables below.
  public func summary() -> [String] {
    var out: [String] = []
    let lines = self.lines
    for cls in columns.coverage.classes {
      let mine = lines.filter { $0.consumerClass == cls }
      guard let worst = mine.min(by: { ($0.coverage.p10, $0.name) < ($1.coverage.p10, $1.name) }) else { continue }
      out.append(
        "In at least 90 % of draws (P10) the \(cls.title.lowercased()) gets \(Fmt.percent(worst.coverage.p10)) or more "
          + "of its \(worst.name) (median \(Fmt.percent(worst.coverage.p50)), P90 \(Fmt.percent(worst.coverage.p90))): "
          + "its least covered item at P10 of the \(mine.count) short in some draw.")
    }
    if lines.isEmpty { out.append("No class is short of anything in any draw.") }
    if let sentence = mostOftenBinding(limits) { out.append(sentence) }
    let odds = targets
    if !odds.isEmpty {
      let sure = odds.filter { $0.probability >= 0.9 }.count
      var text = "\(sure) of \(odds.count) stockpile targets are reached in at least 90 % of draws"
      if let least = odds.min(by: { ($0.probability, $0.target.id) < ($1.probability, $1.target.id) }),
        least.probability < 0.9
      {
        text +=
          "; the least likely, \(least.target.consumerName)'s \(least.target.itemName) by "
          + "\(least.target.periodLabel), in \(Fmt.percent(least.probability))"
      }
      out.append(text + ".")
    }
    if let cls = tailClass, let driver = drivers.first, abs(driver.shift) >= 0.1 {
      let name = columns.sources[driver.source]
      out.append(
        "The worst tenth of draws for the \(cls.title.lowercased()) (\(tail.count) draws) is driven most by \(name): "
          + "\(Fmt.value(driver.tail)) on average there against \(Fmt.value(driver.all)) over all draws.")
    }
    return out
  }

  func markdown() -> String {
    var out = "# Risk study: \(study.name)\n\n"
    if !study.description.isEmpty { out += study.description + "\n\n" }
    var head = MarkdownTable(["", ""], alignment: [.left, .left])
    head.add(["Scenarios", study.scenarios.joined(separator: ", ")])
    let done = cells.count
    head.add([
      "Draws",
      done == study.draws
        ? "\(Fmt.quantity(Double(done))) (seed \(study.seed))"
        : "\(Fmt.quantity(Double(done))) of \(Fmt.quantity(Double(study.draws))) (seed \(study.seed); interrupted: run again with --resume)",
    ])
    let failed = done - solved.count
    if failed > 0 { head.add(["Not solved", "\(failed) draws (see draws.csv)"]) }
    head.add([
      "Solver",
      "GLPK \(provenance.glpkVersion); each draw re-solved from its neighbour's bases (one canonical plan per draw)",
    ])
    if model.producers.contains(where: { $0.expansions.contains { $0.lots != nil } }) {
      head.add([
        "Expansions",
        wholeLots
          ? "whole lots in every draw (branch and bound per draw)"
          : "in any fraction within a draw (the LP relaxation of whole lots: a draw's shortfall is at most what whole lots give; --whole-lots for whole lots)",
      ])
    }
    out += head.render() + "\n"

    out += "## Summary\n\n" + summary().map { "- " + $0 }.joined(separator: "\n") + "\n\n"

    out += uncertainSection() + shortfallSection() + targetsSection() + bindingSection() + tailSection()
    out +=
      "Files: `draws.csv` (every draw: values drawn, coverage, targets, what binds), `risk.csv` (the statistics above), "
      + "`risk.json` (both summaries).\n"
    return out
  }

  /// "What is uncertain": the sources and their distributions.
  func uncertainSection() -> String {
    var out = ""
    out += "## What is uncertain\n\n"
    var src = MarkdownTable(["Source", "Varies", "Distribution", "Mean"], alignment: [.left, .left, .left, .right])
    for s in study.sources {
      src.add([s.name, s.parameter.label, sourceText(s), Fmt.value(s.mean)])
    }
    out += src.render() + "\n"
    out +=
      "Multipliers scale the data set's figure (1 is the figure as cited); delays are months, rounded to whole "
      + "\(model.horizon.length.rawValue)s. Draws are stratified (Latin hypercube, docs/MODEL.md): each source's "
      + "values fall evenly across its distribution.\n\n"

    return out
  }

  /// "Shortfall and coverage": percentiles per class and item.
  func shortfallSection() -> String {
    var out = ""
    out += "## Shortfall and coverage\n\n"
    let lines = self.lines
    if lines.isEmpty {
      out += "Nothing is short in any draw.\n\n"
    } else {
      var t = MarkdownTable(
        ["Class", "Item", "Short: mean ± s.e.", "P10", "P50", "P90", "Coverage P10", "P50", "P90"],
        alignment: [.left, .left, .right, .right, .right, .right, .right, .right, .right])
      for l in lines {
        t.add([
          l.consumerClass.title, l.name,
          "\(Fmt.quantity(l.shortfall.mean)) ± \(Fmt.quantity(l.shortfall.standardError))",
          Fmt.quantity(l.shortfall.p10), Fmt.quantity(l.shortfall.p50), Fmt.quantity(l.shortfall.p90),
          Fmt.percent(l.coverage.p10), Fmt.percent(l.coverage.p50), Fmt.percent(l.coverage.p90),
        ])
      }
      out += t.render() + "\n"
      out +=
        "Units short over the horizon; coverage is the share of the class's demand for the item that is met. "
        + "P10 of shortfall is a good draw, P90 a bad one; for coverage the other way round. Percentiles are "
        + "values some draw gave (the smallest with at least that share of draws at or below it).\n\n"
    }

    return out
  }

  /// "Stockpile targets": the share of draws that reach each.
  func targetsSection() -> String {
    var out = ""
    let odds = targets
    if !odds.isEmpty {
      out += "## Stockpile targets\n\n"
      var t = MarkdownTable(
        ["Consumer", "Item", "By", "Level", "Reached in"], alignment: [.left, .left, .left, .right, .right])
      for o in odds {
        t.add([
          o.target.consumerName, o.target.itemName, o.target.periodLabel, Fmt.quantity(o.target.level),
          "\(Fmt.percent(o.probability)) (\(o.reached) of \(o.draws))",
        ])
      }
      out += t.render() + "\n"
    }

    return out
  }

  /// "What binds": how often each limit binds and its measured value.
  func bindingSection() -> String {
    var out = ""
    out += "## What binds\n\n"
    let limits = self.limits
    if limits.isEmpty {
      out += "No limit binds in any draw.\n\n"
    } else {
      let step = Fmt.plain(settings.fraction * 100, decimals: 1)
      var t = MarkdownTable(
        ["Limit", "Binds in", "Median value of a step", "Measured draws it binds in", "of which it gains"],
        alignment: [.left, .right, .right, .right, .right])
      for l in limits.prefix(Self.bindingRows) {
        let median = l.measuredMedian.map(Fmt.value) ?? "not measured"
        t.add([l.name, Fmt.percent(l.probability), median, "\(l.measuredBinds)", "\(l.values.count)"])
      }
      out += t.render() + "\n"
      if let more = Self.moreLimits(limits) { out += more + "\n\n" }
      out +=
        "A limit binds when it is at its level in some period of the draw's plan. Its value is measured as in a "
        + "scenario report (a +\(step) % step of the limit, or a budget step, re-solved; value units), in the first "
        + "\(min(measuredDraws, study.draws)) draws only: a re-solve per binding limit is too dear for every "
        + "draw. The median is over the measured draws the limit binds in, a draw whose step gains nothing counting "
        + "0; \"not measured\" where the limit binds only in draws not measured.\n\n"
    }

    return out
  }

  /// Rows of the "What binds" table: the limits that bind most often.
  static let bindingRows = 25

  /// The sentence under "What binds" for the limits it leaves out, with how many of them bind
  /// as often as its last row (a plan binds dozens of limits in every draw).
  static func moreLimits(_ limits: [LimitOdds]) -> String? {
    guard limits.count > bindingRows else { return nil }
    let rest = limits.dropFirst(bindingRows)
    let last = limits[bindingRows - 1]
    let asOften = rest.filter { $0.binds == last.binds }.count
    let tail = asOften == 0 ? "" : ", \(asOften) of them in \(Fmt.percent(last.probability)) of draws as the last row"
    return "\(rest.count) more limits bind in some draw\(tail) (risk.csv and draws.csv list them all)."
  }

  /// "The tail": the worst draws and the sources that drive them.
  func tailSection() -> String {
    var out = ""
    let tail = self.tail
    if let cls = tailClass, !tail.isEmpty {
      out += "## The tail\n\n"
      out +=
        "The draws at or above the P90 of the \(cls.title.lowercased())'s value-weighted shortfall "
        + "(\(tail.count) draws), and what sets them apart:\n\n"
      var d = MarkdownTable(
        ["Source", "Mean over all draws", "Mean in the tail", "Shift (standard deviations)"],
        alignment: [.left, .right, .right, .right])
      for driver in drivers {
        d.add([
          columns.sources[driver.source], Fmt.value(driver.all), Fmt.value(driver.tail),
          Fmt.plain(driver.shift, decimals: 2),
        ])
      }
      out += d.render() + "\n"
      var w = MarkdownTable(
        ["Draw", "Shortfall (value units)"] + columns.sources,
        alignment: Array(repeating: .right, count: 2 + columns.sources.count))
      for row in tail.prefix(10) {
        w.add(["\(row.draw)", Fmt.value(row.shortfall)] + row.values.map { Fmt.plain($0, decimals: 3) })
      }
      out += "The worst draws:\n\n" + w.render() + "\n"
    }
    return out
  }

  func csv() -> String {
    var out = [
      "what,class,id,name,unit,mean,standard_error,p10,p50,p90,probability,median_value,measured_draws,measured_binds"
    ]
    func cell(_ x: Double) -> String { Fmt.plain(x, decimals: 6) }
    for l in lines {
      let id = l.id ?? ""
      out.append(
        [
          "shortfall", l.consumerClass.rawValue, id, l.name, l.unit, cell(l.shortfall.mean),
          cell(l.shortfall.standardError),
          cell(l.shortfall.p10), cell(l.shortfall.p50), cell(l.shortfall.p90), "", "", "",
        ].map(CSVWriter.escape)
          .joined(separator: ","))
      out.append(
        [
          "coverage", l.consumerClass.rawValue, id, l.name, "fraction", cell(l.coverage.mean),
          cell(l.coverage.standardError), cell(l.coverage.p10), cell(l.coverage.p50), cell(l.coverage.p90), "", "", "",
        ]
        .map(CSVWriter.escape).joined(separator: ","))
    }
    for o in targets {
      out.append(
        [
          "target", "", o.target.id, "\(o.target.consumerName): \(o.target.itemName) by \(o.target.periodLabel)", "",
          "", "", "", "", "", cell(o.probability), "", "",
        ].map(CSVWriter.escape).joined(separator: ","))
    }
    for l in limits {
      out.append(
        [
          "limit", "", l.id, l.name, "", "", "", "", "", "", cell(l.probability), l.measuredMedian.map(cell) ?? "",
          "\(l.values.count)", "\(l.measuredBinds)",
        ].map(CSVWriter.escape).joined(separator: ","))
    }
    return out.joined(separator: "\n") + "\n"
  }

  func json() -> JSONValue {
    func stats(_ s: SampleStatistics) -> JSONValue {
      .object([
        "mean": .number(s.mean), "standard_error": .number(s.standardError), "p10": .number(s.p10),
        "p50": .number(s.p50), "p90": .number(s.p90),
      ])
    }
    return .object([
      "study": .string(study.name), "scenarios": .array(study.scenarios.map(JSONValue.string)),
      "draws": .number(Double(study.draws)), "finished": .number(Double(cells.count)),
      "solved": .number(Double(solved.count)), "seed": .number(Double(study.seed)),
      "measured_draws": .number(Double(min(measuredDraws, study.draws))),
      "summary": .array(summary().map(JSONValue.string)),
      "lines": .array(
        lines.map {
          .object([
            "class": .string($0.consumerClass.rawValue), "id": .string($0.id ?? ""), "name": .string($0.name),
            "unit": .string($0.unit), "shortfall": stats($0.shortfall), "coverage": stats($0.coverage),
          ])
        }),
      "targets": .array(
        targets.map {
          .object([
            "id": .string($0.target.id), "level": .number($0.target.level), "by": .string($0.target.periodLabel),
            "probability": .number($0.probability),
          ])
        }),
      "limits": .array(
        limits.map {
          .object([
            "id": .string($0.id), "name": .string($0.name), "probability": .number($0.probability),
            "median_value": $0.measuredMedian.map(JSONValue.number) ?? .null,
            "measured_draws": .number(Double($0.values.count)), "measured_binds": .number(Double($0.measuredBinds)),
          ])
        }),
    ])
  }
}
