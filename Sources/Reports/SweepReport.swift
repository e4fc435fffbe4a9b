import Analysis
import Formulation
import Foundation
import Optimizer
import PlanningModel

/// The columns of `sweep.csv` and how a solved point becomes a row.
public struct SweepTable: Sendable {
  /// The columns of `sweep.csv` after the point index: parameters, status, objective and cost,
  /// then per class, then per class and item.
  public struct Columns: Sendable {
    /// One per-item coverage column: a class's demand for an item or substitution group.
    public struct ItemColumn: Sendable {
      /// The consumer class.
      public let consumerClass: ConsumerClass
      /// The demand's id (an item or a substitution group).
      public let id: String
      /// Its display name.
      public let name: String
    }

    /// Labels of the swept parameters, one column each.
    public let parameters: [String]
    /// Consumer classes with demand, in rank order: a shortfall and a coverage column each.
    public let classes: [ConsumerClass]
    /// The per-item coverage columns, by class and then demand id.
    public let items: [ItemColumn]
    /// The header line of `sweep.csv`.
    public var header: String {
      var h = ["point"] + parameters + ["status", "objective", "cost_eur_million"]
      for c in classes { h += ["shortfall_\(c.rawValue)", "coverage_\(c.rawValue)"] }
      for c in items { h.append("coverage_\(c.consumerClass.rawValue)_\(c.id)") }
      return h.map(CSVWriter.escape).joined(separator: ",")
    }
  }

  /// Columns from the model the sweep starts from (scenarios applied): every class and
  /// demand with something to cover.
  public static func columns(for model: PlanningModel, parameters: [SweepParameter]) -> Columns {
    var classes: [ConsumerClass] = []
    var items: [Columns.ItemColumn] = []
    var seen = Set<String>()
    let ranked = ConsumerClass.allCases.sorted {
      (model.classSettings($0).rank, $0) < (model.classSettings($1).rank, $1)
    }
    for cls in ranked {
      for c in model.consumers where c.active && c.consumerClass == cls {
        for d in c.demand where d.quantity.contains(where: { $0 > 0 }) {
          if !classes.contains(cls) { classes.append(cls) }
          let (id, name): (String, String)
          switch d.key {
          case .item(let i): (id, name) = (model.items[i].id, model.items[i].name)
          case .group(let g): (id, name) = (model.substitutes[g].id, model.substitutes[g].name)
          }
          if seen.insert("\(cls.rawValue)/\(id)").inserted {
            items.append(.init(consumerClass: cls, id: id, name: name))
          }
        }
      }
    }
    items.sort { ($0.consumerClass, $0.id) < ($1.consumerClass, $1.id) }
    return Columns(parameters: parameters.map(\.label), classes: classes, items: items)
  }

  /// One point's row: parameters, the first stage's objective, the cost, value-weighted
  /// shortfall and coverage per class, coverage per class and item.
  ///
  /// Only figures of the canonical plan: no iteration counts or times, which depend on the
  /// solver's path, so the file is the same whatever the chunking, the workers or warm or
  /// cold starts.
  public static func row(index: Int, values: [Double], result: PlanResult, scenarios: [Scenario], columns: Columns)
    -> String
  {
    var cells = ["\(index)"] + values.map { Fmt.plain($0, decimals: 6) }
    guard let a = PlanAnalysis(result, scenarios: scenarios, detail: .summary) else {
      cells.append(result.status.rawValue)
      cells += Array(repeating: "", count: 2 + columns.classes.count * 2 + columns.items.count)
      return cells.map(CSVWriter.escape).joined(separator: ",")
    }
    cells.append(a.status.rawValue)
    cells.append(Fmt.plain(Allocation.snap(a.stages.first?.objective ?? 0), decimals: 3))
    cells.append(Fmt.plain(Allocation.snap(a.stages.first { $0.kind == .cost }?.objective ?? 0), decimals: 3))
    for cls in columns.classes {
      let lines = a.demand.filter { a.model.consumers[$0.consumer].consumerClass == cls }
      let weighted = lines.reduce(0) { $0 + $1.weight * $1.total.shortfall }
      cells.append(Fmt.plain(weighted, decimals: 3))
      cells.append(Fmt.plain(a.weightedCoverage(of: cls)?.fraction ?? 1, decimals: Fmt.fractionDecimals))
    }
    for item in columns.items {
      let (cls, id) = (item.consumerClass, item.id)
      var c = Coverage()
      for line in a.demand where a.model.consumers[line.consumer].consumerClass == cls && a.model.id(of: line.key) == id
      {
        c = c + line.total
      }
      cells.append(Fmt.plain(c.fraction, decimals: Fmt.fractionDecimals))
    }
    return cells.map(CSVWriter.escape).joined(separator: ",")
  }

  /// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
  public static func split(_ line: String) -> [String] {
    var out: [String] = []
    var cell = ""
    var quoted = false
    var chars = line.makeIterator()
    while let c = chars.next() {
      if quoted {
        if c == "\"" {
          // A doubled quote is a quote; a single one ends the quoted part.
          var lookahead = chars
          if lookahead.next() == "\"" {
            cell.append("\"")
            chars = lookahead
          } else {
            quoted = false
          }
        } else {
          cell.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        out.append(cell)
        cell = ""
      } else {
        cell.append(c)
      }
    }
    out.append(cell)
    return out
  }
}

/// `sweep.md`: the table, a text chart of shortfall against the parameter, the knee points,
/// and for two parameters a 2-D table.
///
/// Built from the CSV rows, so an interrupted and resumed sweep reports exactly like an
/// uninterrupted one; no timings.
public struct SweepReport {
  let spec: SweepSpec
  let model: PlanningModel
  let scenarios: [Scenario]
  let columns: SweepTable.Columns
  let rows: [Int: String]
  let total: Int
  let provenance: Provenance
  /// What binds at chosen points (the point after each knee, or the first point when the
  /// curve is flat), measured by relaxing: point index → bottlenecks, best first.
  let binding: [Int: SweepBinding]

  /// A sweep report from its rows and the measured bottlenecks at its knees.
  public init(
    spec: SweepSpec, model: PlanningModel, scenarios: [Scenario], columns: SweepTable.Columns, rows: [Int: String],
    total: Int, provenance: Provenance, binding: [Int: SweepBinding] = [:]
  ) {
    self.spec = spec
    self.model = model
    self.scenarios = scenarios
    self.columns = columns
    self.rows = rows
    self.total = total
    self.provenance = provenance
    self.binding = binding
  }

  /// A point whose bottlenecks the report needs, and the demands whose curve the knee bends
  /// (class and demand id; empty: any).
  public struct ExplanationRequest: Sendable {
    /// The point's index.
    public let point: Int
    /// The demands that stopped improving at the knee: what binds them is the explanation.
    public let focus: Set<String>
  }

  /// The points whose bottlenecks the report needs: after each knee, or the first when the
  /// curve is flat (a sweep measures relaxations there only).
  public static func pointsToExplain(
    spec: SweepSpec, model: PlanningModel, columns: SweepTable.Columns, rows: [Int: String]
  ) -> [ExplanationRequest] {
    let points = parse(rows, columns: columns)
    guard spec.parameters.count == 1, !columns.classes.isEmpty, points.count >= 2 else { return [] }
    let xs = points.map { $0.values[0] }
    let k = primaryIndex(points: points, columns: columns)
    let ys = points.map { $0.shortfall[k] }
    guard let lo = ys.min(), let hi = ys.max() else { return [] }
    if hi - lo <= 1e-6 * max(1, abs(hi)) {
      // Flat: what binds the demands the parameter reaches, whichever class holds them.
      let keys = spec.parameters[0].demandKeys(in: model) ?? []
      let focus = Set(columns.classes.flatMap { c in keys.map { "\(c.rawValue)/\(model.id(of: $0))" } })
      return [ExplanationRequest(point: points[0].index, focus: focus)]
    }
    return knees(xs: xs, ys: ys).compactMap { knee in
      switch cause(of: knee, points: points, columns: columns, primary: k) {
      case .covered: return nil
      case .binds(let id): return ExplanationRequest(point: points[knee.after].index, focus: id.map { [$0] } ?? [])
      }
    }
  }

  /// Why a curve bends: a demand that was improving is now covered in full, or something
  /// binds it (the demand id that rose most into the knee).
  enum KneeCause {
    case covered(name: String)
    case binds(String?)
  }

  static func cause(of knee: Knee, points: [Point], columns: SweepTable.Columns, primary k: Int) -> KneeCause {
    let before = points[knee.at - 1].items
    let at = points[knee.at].items
    var best: (rise: Double, id: String)?
    for (n, item) in columns.items.enumerated()
    where item.consumerClass == columns.classes[k] && n < at.count && n < before.count {
      let rise = at[n] - before[n]
      guard rise > 1e-6 else { continue }
      // Covered in full (as the tables print it): it can improve no further.
      if at[n] >= 0.9995 { return .covered(name: item.name) }
      if rise > (best?.rise ?? 0) { best = (rise, "\(item.consumerClass.rawValue)/\(item.id)") }
    }
    return .binds(best?.id)
  }

  struct Point {
    let index: Int
    let values: [Double]
    let status: String
    let shortfall: [Double]  // per class, value-weighted
    let coverage: [Double]  // per class
    let items: [Double]  // coverage per class and item, as columns.items
  }

  func parsed() -> [Point] { Self.parse(rows, columns: columns) }

  static func parse(_ rows: [Int: String], columns: SweepTable.Columns) -> [Point] {
    let p = columns.parameters.count
    let k = columns.classes.count
    let itemCount = columns.items.count
    return rows.keys.sorted().compactMap { i -> Point? in
      guard let line = rows[i] else { return nil }
      let cells = SweepTable.split(line)
      guard cells.count >= 1 + p + 3 + 2 * k + itemCount else { return nil }
      let values = (0..<p).map { Double(cells[1 + $0]) ?? .nan }
      let base = 1 + p + 3
      let shortfall = (0..<k).map { Double(cells[base + 2 * $0]) ?? .nan }
      let coverage = (0..<k).map { Double(cells[base + 2 * $0 + 1]) ?? .nan }
      let items = (0..<itemCount).map { Double(cells[base + 2 * k + $0]) ?? .nan }
      return Point(
        index: i, values: values, status: cells[1 + p], shortfall: shortfall, coverage: coverage, items: items)
    }
  }

  /// The class whose shortfall the chart and the knees follow: the first by rank that is
  /// short at some point of the sweep (a class served first is often covered throughout),
  /// else the first.
  func primary(_ points: [Point]) -> (index: Int, title: String)? {
    guard !columns.classes.isEmpty else { return nil }
    let k = Self.primaryIndex(points: points, columns: columns)
    return (k, columns.classes[k].title.lowercased())
  }

  /// Whether every demand in `keys` of the class at `k` is covered in full at `point` (as the
  /// tables print it): a flat curve then needs no bottleneck to explain it.
  static func coveredInFull(
    _ keys: [Demand.Key], at point: Point?, class k: Int, columns: SweepTable.Columns, model: PlanningModel
  ) -> Bool {
    guard let point, !keys.isEmpty, k < columns.classes.count else { return false }
    let ids = Set(keys.map { model.id(of: $0) })
    let reached = columns.items.indices.filter {
      columns.items[$0].consumerClass == columns.classes[k] && ids.contains(columns.items[$0].id)
    }
    return !reached.isEmpty && reached.allSatisfy { $0 < point.items.count && point.items[$0] >= 0.9995 }
  }

  /// The index of the class `primary` names, among `columns.classes`: the one whose
  /// value-weighted shortfall the parameter moves most (highest less lowest over the points),
  /// the first by rank among equals; when it moves none, the first by rank short somewhere.
  /// (The first short class alone made a barrel sweep speak of US customers' 352,500 while
  /// the front line's shortfall moved by 777,500.)
  static func primaryIndex(points: [Point], columns: SweepTable.Columns) -> Int {
    let spans = columns.classes.indices.map { k -> Double in
      let ys = points.compactMap { k < $0.shortfall.count ? $0.shortfall[k] : nil }
      guard let lo = ys.min(), let hi = ys.max() else { return 0 }
      return hi - lo > 1e-6 * max(1, abs(hi)) ? hi - lo : 0
    }
    if let most = spans.max(), most > 0, let k = spans.firstIndex(of: most) { return k }
    return columns.classes.indices.first { k in points.contains { k < $0.shortfall.count && $0.shortfall[k] > 1e-6 } }
      ?? 0
  }

  /// The text of `sweep.md`: the data set, scenarios, parameters and solver; then, for one
  /// parameter, the summary, the points and the chart, and for two the grid in words, the grid
  /// and the points.
  public func markdown() -> String {
    let points = parsed()
    var out = "# Arsenal sweep — \(spec.parameters.map(\.label).joined(separator: " × "))\n\n"
    if model.illustrative {
      out += "> **Illustrative data.** The figures are open-source estimates, not official planning figures.\n\n"
    }
    var head = MarkdownTable(["", ""], alignment: [.left, .left])
    head.add(["Data set", "\(model.name) (`\(model.source)`), sha256:\(model.contentHash.prefix(16))"])
    head.add(["Scenarios", scenarios.map { "\($0.name) — \($0.description)" }.joined(separator: "; ")])
    head.add(["Policy", (spec.policy ?? model.settings.policy).rawValue])
    for p in spec.parameters {
      let v = p.values
      let range =
        v.count > 1
        ? "\(Fmt.plain(v.first ?? 0, decimals: 6)) to \(Fmt.plain(v.last ?? 0, decimals: 6)), \(v.count) values"
        : Fmt.plain(v.first ?? 0, decimals: 6)
      head.add(["Parameter", "\(p.label): \(range) (\(p.unit))"])
    }
    head.add([
      "Points",
      points.count == total ? "\(total)" : "\(points.count) of \(total) (interrupted; run again with --resume)",
    ])
    head.add([
      "Solver",
      "GLPK \(provenance.glpkVersion); each point re-solved from its neighbour's bases (one canonical plan per point)",
    ])
    out += head.render() + "\n"
    let metric = primary(points).map { "value-weighted \($0.title) shortfall" } ?? "shortfall"
    out +=
      "Shortfall figures are value units, not rounds: each unit short counts its item's weight (docs/MODEL.md), so rounds, missiles and drones add up in one figure; coverage is value-weighted too. Per-item coverage, objectives and cost are in `sweep.csv` (iteration counts are not: they depend on the solver's path, and the files must not).\n\n"

    if spec.parameters.count == 1 {
      out += summary(points, metric: metric)
      out += table(points)
      out += chart(points, metric: metric)
    } else {
      out += gridSummary(points, metric: metric)
      out += grid(points, metric: metric)
      out += table(points)
    }
    return out
  }

  /// The grid in words: its range, then what each parameter changes along the other — each
  /// figure the difference of two cells of the grid table, taken from the same rows.
  func gridSummary(_ points: [Point], metric: String) -> String {
    guard let primary = primary(points), spec.parameters.count == 2 else { return "" }
    let a = spec.parameters[0]
    let b = spec.parameters[1]
    var cell: [[Double?]] = a.values.map { _ in b.values.map { _ in nil } }
    for p in points {
      if let i = a.values.firstIndex(of: p.values[0]), let j = b.values.firstIndex(of: p.values[1]) {
        cell[i][j] = p.shortfall[primary.index]
      }
    }
    let all = cell.flatMap { $0.compactMap { $0 } }
    guard let lo = all.min(), let hi = all.max(), a.values.count >= 2, b.values.count >= 2 else { return "" }
    func span(_ p: SweepParameter) -> String {
      "\(Fmt.plain(p.values.first ?? 0, decimals: 6)) to \(Fmt.plain(p.values.last ?? 0, decimals: 6)) \(p.unit)"
    }
    var lines = [
      "Over \(a.label) \(span(a)) and \(b.label) \(span(b)), the \(metric) ranges from \(Fmt.quantity(lo)) to \(Fmt.quantity(hi))."
    ]
    // Along the columns (b from its first value to its last), row by row; then the reverse.
    let alongB: [Double?] = cell.map { row in
      row.first.flatMap { f in row.last.flatMap { l in f.flatMap { x in l.map { x - $0 } } } }
    }
    let alongA: [Double?] = b.values.indices.map { j in
      cell.first.flatMap { $0[j] }.flatMap { f in cell.last.flatMap { $0[j] }.map { f - $0 } }
    }
    if let text = Self.effectSentence(moving: b, at: a, falls: alongB, metric: metric) { lines.append(text) }
    if let text = Self.effectSentence(moving: a, at: b, falls: alongA, metric: metric) { lines.append(text) }
    // Other classes the grid moves: the grid table shows one class, the points table all.
    for (k, cls) in columns.classes.enumerated() where k != primary.index {
      let ys = points.compactMap { k < $0.shortfall.count ? $0.shortfall[k] : nil }
      guard let low = ys.min(), let high = ys.max(), Fmt.quantity(low) != Fmt.quantity(high) else { continue }
      lines.append(
        "The value-weighted \(cls.title.lowercased()) shortfall moves too, from \(Fmt.quantity(low)) to "
          + "\(Fmt.quantity(high)) (the points table).")
    }
    if let text = Self.settleSentence(moving: b, lines: cell) { lines.append(text) }
    let columns = b.values.indices.map { j in cell.map { $0[j] } }
    if let text = Self.settleSentence(moving: a, lines: columns) { lines.append(text) }
    return "## Summary\n\n" + lines.joined(separator: " ") + "\n\n"
  }

  /// "All that raising market[…] does comes by 0.25 × supply: beyond it, nothing changes." —
  /// when, along `p` (its values in order), every line of the grid that moves stops moving at
  /// the same value before the last, as printed: a planner would otherwise read the whole range
  /// as needed.
  static func settleSentence(moving p: SweepParameter, lines: [[Double?]]) -> String? {
    let v = p.values
    guard v.count >= 3, zip(v, v.dropFirst()).allSatisfy({ $0 < $1 }) || zip(v, v.dropFirst()).allSatisfy({ $0 > $1 })
    else { return nil }
    var settles: Set<Int> = []
    for line in lines {
      let printed = line.map { $0.map { Fmt.quantity($0) } }
      guard printed.allSatisfy({ $0 != nil }), let last = printed.last else { return nil }
      guard printed.first != last else { continue }
      // The first index from which every printed cell equals the last.
      var k = printed.count - 1
      while k > 0 && printed[k - 1] == last { k -= 1 }
      settles.insert(k)
    }
    guard settles.count == 1, let k = settles.first, k < v.count - 1 else { return nil }
    let verb = v[1] > v[0] ? "raising" : "lowering"
    return
      "All that \(verb) \(p.label) does comes by \(Fmt.plain(v[k], decimals: 6)) \(p.unit): beyond it, nothing changes."
  }

  /// A sentence of the grid summary: what moving `p` from its first value to its last does to
  /// the shortfall at each value of `other`, values with the same change grouped.
  ///
  /// "Raising capacity[…] from 1 to 1.5 × capacity changes nothing at market[…] 0 and
  /// 0.25 × supply; it lowers the … shortfall by 25,136 at 0.5 and by 455,250 at 0.75 and 1."
  static func effectSentence(moving p: SweepParameter, at other: SweepParameter, falls: [Double?], metric: String)
    -> String?
  {
    // Values of the other parameter grouped by the change as printed (sign and amount).
    var groups: [(fall: Double, printed: String, at: [Double])] = []
    for (value, fall) in zip(other.values, falls) {
      guard let fall else { continue }
      let printed = Fmt.quantity(abs(fall)) == "0" ? "0" : (fall > 0 ? "-" : "+") + Fmt.quantity(abs(fall))
      if let g = groups.firstIndex(where: { $0.printed == printed }) {
        groups[g].at.append(value)
      } else {
        groups.append((fall, printed, [value]))
      }
    }
    guard !groups.isEmpty else { return nil }
    func values(_ v: [Double]) -> String { Words.list(v.map { Fmt.plain($0, decimals: 6) }) }
    let verb = (p.values.last ?? 0) >= (p.values.first ?? 0) ? "Raising" : "Lowering"
    var text =
      "\(verb) \(p.label) from \(Fmt.plain(p.values.first ?? 0, decimals: 6)) to "
      + "\(Fmt.plain(p.values.last ?? 0, decimals: 6)) \(p.unit)"
    let none = groups.first { $0.printed == "0" }
    if let none { text += " changes nothing at \(other.label) \(values(none.at)) \(other.unit)" }
    let moving = groups.filter { $0.printed != "0" }
    guard !moving.isEmpty else { return text + "." }
    text += none == nil ? "" : "; it"
    if moving.count > 4, let least = moving.min(by: { abs($0.fall) < abs($1.fall) }),
      let most = moving.max(by: { abs($0.fall) < abs($1.fall) })
    {
      return text
        + " moves the \(metric) by \(Fmt.quantity(abs(least.fall))) to \(Fmt.quantity(abs(most.fall))) elsewhere (at "
        + "\(values(least.at)) and at \(values(most.at)) \(other.unit) respectively)."
    }
    var parts: [String] = []
    var lastVerb = ""
    for g in moving {
      let v = g.fall > 0 ? "lowers" : "raises"
      let head = v == lastVerb ? "by" : "\(v) the \(metric) by"
      lastVerb = v
      parts.append(
        "\(head) \(Fmt.quantity(abs(g.fall))) at \(none == nil && parts.isEmpty ? "\(other.label) " : "")\(values(g.at))"
      )
    }
    return text + " " + Words.list(parts) + " \(other.unit)."
  }

  func summary(_ points: [Point], metric: String) -> String {
    guard let primary = primary(points), points.count >= 2, let p = spec.parameters.first else { return "" }
    let xs = points.map { $0.values[0] }
    let ys = points.map { $0.shortfall[primary.index] }
    var lines: [String] = []
    let range = "\(Fmt.plain(xs.first ?? 0, decimals: 6)) to \(Fmt.plain(xs.last ?? 0, decimals: 6)) \(p.unit)"
    if let lo = ys.min(), let hi = ys.max() {
      if hi - lo <= 1e-6 * max(1, abs(hi)) {
        let at = "\(Fmt.plain(xs[0], decimals: 6)) \(p.unit)"
        let keys = p.demandKeys(in: model) ?? []
        let names =
          keys.count <= 3 ? Words.list(keys.map { model.describe($0).name }) : "the \(keys.count) demands it reaches"
        let what = keys.isEmpty ? "" : " \(names)"
        // What binds is said of the reached demands its step covers more of: "what binds the
        // 4 demands it reaches" would claim it of demands covered in full, or bound elsewhere.
        func bound(_ b: SweepBinding) -> String {
          let named = keys.map { model.describe($0).name }.filter { b.gainNames.contains($0) }
          guard !named.isEmpty, named.count < keys.count else { return what }
          return " " + Words.list(named) + (keys.count == 1 ? "" : ", of the \(keys.count) demands it reaches,")
        }
        let binds =
          points.first.flatMap { binding[$0.index] }.map {
            " What binds\(bound($0)) instead, measured at \(at): \($0.limit) (table below)."
          }
          ?? (Self.coveredInFull(keys, at: points.first, class: primary.index, columns: columns, model: model)
            ? " At \(at), \(names) \(keys.count == 1 ? "is" : "are") covered in full for the \(primary.title)."
            : " At \(at), no limit's step covers more of\(keys.isEmpty ? " it" : what).")
        return
          "## Summary\n\nOver \(range), the \(metric) stays at \(Fmt.quantity(hi)): this parameter does not limit coverage."
          + binds + "\n\n" + bindingTable()
      }
      lines.append("Over \(range), the \(metric) ranges from \(Fmt.quantity(lo)) to \(Fmt.quantity(hi)).")
    }
    for knee in Self.knees(xs: xs, ys: ys) {
      // What binds after the knee, measured by relaxing at the point after it.
      let binds: String
      if case .covered(let name) = Self.cause(of: knee, points: points, columns: columns, primary: primary.index) {
        binds = "\(name) is covered in full from \(Fmt.plain(xs[knee.at], decimals: 6)) \(p.unit)"
      } else if let b = binding[points[knee.after].index] {
        binds = "at \(Fmt.plain(xs[knee.after], decimals: 6)) \(p.unit), \(b.limit) binds (table below)"
      } else {
        binds =
          "at \(Fmt.plain(xs[knee.after], decimals: 6)) \(p.unit), no limit's step covers more of what stopped improving"
      }
      let direction = knee.rising ? "rises" : "falls"
      let how = knee.flat ? "no longer changes" : "\(direction) \(Fmt.percent(1 - knee.ratio)) more slowly"
      lines.append("Beyond \(Fmt.plain(xs[knee.at], decimals: 6)) \(p.unit), the \(metric) \(how): \(binds).")
    }
    if lines.count == 1 { lines.append("No knee: the \(metric) changes at a steady rate across the range.") }
    return "## Summary\n\n" + lines.joined(separator: " ") + "\n\n" + bindingTable()
  }

  /// What binds where the summary says so: each limit raised by its planner-sized step and
  /// re-solved at that point (docs/MODEL.md, relaxation analysis).
  func bindingTable() -> String {
    guard !binding.isEmpty, let p = spec.parameters.first else { return "" }
    var t = MarkdownTable(
      ["at (\(p.unit))", "limit", "kind", "step", "what the step covers"],
      alignment: [.right, .left, .left, .left, .left])
    for i in binding.keys.sorted() {
      guard let b = binding[i] else { continue }
      t.add([Fmt.plain(b.point, decimals: 6), b.limit, b.kind, b.step, b.covers])
    }
    return
      "## What binds\n\nMeasured by relaxing each binding limit at the point named; the one shown is the best whose "
      + "step covers more of the demand in question — what stopped improving at a knee or, on a flat curve, what the "
      + "parameter reaches.\n\n" + t.render() + "\n"
  }

  /// A point where the curve bends.
  typealias Knee = (at: Int, after: Int, flat: Bool, ratio: Double, rising: Bool)

  /// Points where the slope of the curve drops to less than half of the slope before it.
  static func knees(xs: [Double], ys: [Double]) -> [Knee] {
    guard xs.count >= 3 else { return [] }
    var slopes: [Double] = []
    for k in 0..<(xs.count - 1) {
      let dx = xs[k + 1] - xs[k]
      slopes.append(dx > 0 ? (ys[k + 1] - ys[k]) / dx : 0)
    }
    let scale = slopes.map(abs).max() ?? 0
    guard scale > 0 else { return [] }
    var out: [(Int, Int, Bool, Double, Bool)] = []
    for k in 1..<slopes.count {
      let before = abs(slopes[k - 1])
      let after = abs(slopes[k])
      guard before > 0.02 * scale, after < 0.5 * before else { continue }
      out.append((k, k + 1, after < 1e-6 * scale, after / before, slopes[k - 1] > 0))
    }
    return Array(out.prefix(5))
  }

  func table(_ points: [Point]) -> String {
    var headers = spec.parameters.map(\.label)
    headers += columns.classes.flatMap { ["\($0.rawValue) shortfall", "\($0.rawValue) coverage"] }
    headers += ["status"]
    var t = MarkdownTable(headers, alignment: headers.indices.map { $0 < headers.count - 1 ? .right : .left })
    for p in points {
      var row = p.values.map { Fmt.plain($0, decimals: 6) }
      for k in columns.classes.indices {
        row += [Fmt.quantity(p.shortfall[k]), Fmt.percent(p.coverage[k])]
      }
      row += [p.status]
      t.add(row)
    }
    return "## Points\n\n" + t.render() + "\n"
  }

  func chart(_ points: [Point], metric: String) -> String {
    guard let primary = primary(points), let p = spec.parameters.first else { return "" }
    let ys = points.map { $0.shortfall[primary.index] }
    let peak = ys.max() ?? 0
    let labels = points.map { Fmt.plain($0.values[0], decimals: 6) }
    let lw = labels.map(\.count).max() ?? 1
    let numbers = ys.map { Fmt.quantity($0) }
    let nw = numbers.map(\.count).max() ?? 1
    var out =
      "## Chart\n\n\(metric.prefix(1).uppercased() + metric.dropFirst()) against \(p.label) (\(p.unit)).\n\n```text\n"
    for (k, y) in ys.enumerated() {
      out += String(repeating: " ", count: lw - labels[k].count) + labels[k] + "  "
      out += String(repeating: " ", count: nw - numbers[k].count) + numbers[k] + "  " + Fmt.bar(y, max: peak) + "\n"
    }
    return out + "```\n\n"
  }

  func grid(_ points: [Point], metric: String) -> String {
    guard let primary = primary(points), spec.parameters.count == 2 else { return "" }
    let a = spec.parameters[0]
    let b = spec.parameters[1]
    var byKey: [String: Double] = [:]
    for p in points { byKey["\(p.values[0])|\(p.values[1])"] = p.shortfall[primary.index] }
    var t = MarkdownTable(
      ["\(a.label) ↓ / \(b.label) →"] + b.values.map { Fmt.plain($0, decimals: 6) },
      alignment: [.right] + b.values.map { _ in .right })
    for x in a.values {
      t.add([Fmt.plain(x, decimals: 6)] + b.values.map { y in byKey["\(x)|\(y)"].map { Fmt.quantity($0) } ?? "—" })
    }
    return "## \(metric.prefix(1).uppercased() + metric.dropFirst())\n\n" + t.render() + "\n"
  }
}

/// A bottleneck measured at one sweep point, in words: what the sweep report says binds.
public struct SweepBinding: Sendable {
  /// The parameter value of the point.
  public let point: Double
  /// The limit, in planner words.
  public let limit: String
  /// The limit's kind, such as "production capacity".
  public let kind: String
  /// The planner-sized step the limit was relaxed by.
  public let step: String
  /// What the step covers: the largest gains (at most two), then any losses.
  public let covers: String
  /// Names of the demands its step covers more of.
  public let gainNames: Set<String>

  /// The measured bottleneck of a point's analysis that covers more of the `focus` demands
  /// (class/id), or the top one when the focus is empty; `nil` when none does.
  public static func from(_ analysis: PlanAnalysis, point: Double, focus: Set<String>) -> SweepBinding? {
    let words = Words(m: analysis.model)
    let report = ScenarioReport(
      analysis, provenance: Provenance(glpkVersion: "", method: .simplex(""), arsenalVersion: ""))
    let m = analysis.model
    let chosen = analysis.relaxation.bottlenecks.first { b in
      focus.isEmpty
        || b.gains.contains { e in
          guard case .demand(let key) = e.what else { return false }
          return focus.contains("\(m.consumers[e.consumer].consumerClass.rawValue)/\(m.id(of: key))")
        }
    }
    guard let b = chosen else { return nil }
    let gains = b.gains.compactMap { e -> String? in
      guard case .demand(let key) = e.what else { return nil }
      return m.describe(key).name
    }
    return SweepBinding(
      point: point, limit: words.limit(b.candidate.subject), kind: b.candidate.kind.rawValue,
      step: words.step(b.candidate, settings: analysis.relaxation.settings), covers: report.effectsText(b, limit: 2),
      gainNames: Set(gains))
  }
}
