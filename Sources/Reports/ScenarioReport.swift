import Analysis
import Formulation
import Foundation
import PlanningModel

/// Facts about the run that the analysis does not know.
public struct Provenance: Sendable {
  public var glpkVersion: String
  public var method: String
  public var arsenalVersion: String

  public init(glpkVersion: String, method: String, arsenalVersion: String) {
    self.glpkVersion = glpkVersion
    self.method = method
    self.arsenalVersion = arsenalVersion
  }
}

/// Renders one solved scenario as `report.md` and its CSV and JSON companions.
public struct ScenarioReport {
  let a: PlanAnalysis
  let provenance: Provenance
  var m: PlanningModel { a.model }

  public init(_ analysis: PlanAnalysis, provenance: Provenance) {
    self.a = analysis
    self.provenance = provenance
  }

  public var title: String { a.scenarios.map(\.name).joined(separator: " + ") }

  /// Every file of the report folder.
  public func files() -> FileSet {
    var set = FileSet()
    set.add("report.md", markdown())
    set.add("allocations.csv", allocationsCSV())
    set.add("shortfalls.csv", shortfallsCSV())
    set.add("bottlenecks.csv", bottlenecksCSV())
    set.add("utilisation.csv", utilisationCSV())
    set.add("summary.json", summaryJSON())
    return set
  }

  // MARK: Labels

  func period(_ t: Int) -> String { m.horizon.label(t) }

  /// "2027-01 to 2027-09 (months 1–9)"
  func span(_ from: Int, _ to: Int) -> String {
    let unit = m.horizon.length == .month ? "month" : "quarter"
    if from == to { return "\(period(from)) (\(unit) \(from + 1))" }
    return "\(period(from)) to \(period(to)) (\(unit)s \(from + 1)–\(to + 1))"
  }

  var policyText: String {
    switch a.policy {
    case .weighted: return "weighted — minimise priority-weighted shortfall, then cost"
    case .lexicographic: return "lexicographic — classes served strictly in rank order, then cost"
    case .fairShare: return "fair share — within each class the smallest coverage is maximised first, then cost"
    }
  }

  // MARK: report.md

  public func markdown() -> String {
    var out = "# Arsenal report — \(title)\n\n"
    if m.illustrative {
      out += "> **Illustrative data.** The figures are open-source estimates, not official planning figures.\n\n"
    }
    var head = MarkdownTable(["", ""], alignment: [.left, .left])
    head.add(["Data set", "\(m.name) (`\(m.source)`)"])
    head.add(["Content hash", "sha256:\(m.contentHash.prefix(16))"])
    head.add(["Scenarios", a.scenarios.map { "\($0.name) — \($0.description)" }.joined(separator: "; ")])
    head.add(["Policy", policyText])
    let unit = m.horizon.length == .month ? "months" : "quarters"
    head.add(["Horizon", "\(m.horizon.periods) \(unit), \(m.horizon.start) to \(m.horizon.end)"])
    let method = provenance.method == "interior-point" ? "interior-point method" : "\(provenance.method) simplex"
    head.add(["Solver", "GLPK \(provenance.glpkVersion), \(method); status \(a.status.rawValue)"])
    head.add([
      "Linear program",
      "\(Fmt.quantity(Double(a.lpRows))) rows, \(Fmt.quantity(Double(a.lpColumns))) columns, \(Fmt.quantity(Double(a.lpNonZeros))) non-zeros; stages: "
        + a.stages.map { stage in
          // The cost stage is in EUR million; the others in weighted units of shortfall.
          stage.name == "cost"
            ? "cost = \(Fmt.money(stage.objective / Formulation.moneyScale))" : "\(stage.name) = \(Fmt.value(stage.objective))"
        }.joined(separator: ", "),
    ])
    head.add(["Arsenal", provenance.arsenalVersion])
    out += head.render() + "\n"

    out += "## Summary\n\n" + summary().joined(separator: " ") + "\n\n"
    out += coverageSection()
    out += targetsSection()
    out += timelineSection()
    out += bottleneckSection()
    out += idleSection()
    out += materialsSection()
    out += budgetsSection()
    out += investmentsSection()
    out += "## Files\n\n"
    out += "`allocations.csv` (deliveries), `shortfalls.csv` (demand, met and short per consumer, item and period), "
    out += "`bottlenecks.csv` (binding limits with duals, values and ranges), `utilisation.csv` (capacity use and idle reasons), "
    out += "`summary.json` (headline figures).\n"
    return out
  }

  /// The summary paragraph: 5–10 sentences, every one built from the numbers.
  public func summary() -> [String] {
    var s: [String] = []
    let unit = m.horizon.length == .month ? "months" : "quarters"
    let classes = a.classesPresent
    // 1. Overall coverage per class.
    let parts = classes.compactMap { cls -> String? in
      let consumption = a.weightedCoverage(of: cls).flatMap { $0.demand > 0 ? Fmt.percent($0.fraction) : nil }
      let targets = a.targetAttainment(of: cls).flatMap { $0.demand > 0 ? Fmt.percent($0.fraction) : nil }
      switch (consumption, targets) {
      case (let c?, let t?): return "\(cls.title.lowercased()) \(c) of consumption and \(t) of stockpile targets"
      case (let c?, nil): return "\(cls.title.lowercased()) \(c) of consumption"
      case (nil, let t?): return "\(cls.title.lowercased()) \(t) of stockpile targets"
      default: return nil
      }
    }
    if !parts.isEmpty {
      s.append(
        "Over \(m.horizon.periods) \(unit) from \(period(0)), the plan covers (value-weighted across items) \(parts.joined(separator: "; ")).")
    }
    // 2–3. The largest gaps of the first-ranked class with demand.
    let ranked = classes.sorted { (m.classSettings($0).rank, $0) < (m.classSettings($1).rank, $1) }
    if let top = ranked.first(where: { a.coverage(of: $0).contains { $0.coverage.demand > 0 } }) {
      let gaps = a.coverage(of: top).filter { $0.coverage.shortfall > 1e-6 }
        .sorted { ($0.coverage.shortfall * weight($0.name), $1.name) > ($1.coverage.shortfall * weight($1.name), $0.name) }
      if let g = gaps.first {
        var sentence =
          "The largest \(top.title.lowercased()) gap is in \(g.name): \(Fmt.words(g.coverage.shortfall)) \(g.unit) short of \(Fmt.words(g.coverage.demand)) (\(Fmt.percent(g.coverage.fraction)) covered)"
        if let worst = worstSpan(cls: top, name: g.name) { sentence += ", worst \(worst)" }
        s.append(sentence + ".")
        if gaps.count > 1 {
          let others = gaps.dropFirst().prefix(3).map { "\($0.name) (\(Fmt.percent($0.coverage.fraction)))" }
          s.append("Also short for the \(top.title.lowercased()): \(Self.list(Array(others))).")
        }
      } else {
        s.append("Every \(top.title.lowercased()) demand is met in full.")
      }
      // 4. How the shortfall develops.
      if let trend = trendSentence(top) { s.append(trend) }
    }
    // 5–6. Top bottlenecks with a reliable value (tableau rate or measured).
    let reliable = a.bottlenecks.filter { b in b.spans.first.map { !$0.degenerate || $0.measuredStep != nil } ?? false }
    for (n, b) in reliable.prefix(2).enumerated() {
      guard let first = b.spans.first else { continue }
      let lead = n == 0 ? "The top bottleneck is" : "Next comes"
      var sentence =
        "\(lead) \(b.name) (\(b.kind.rawValue), binding \(binds(b))): one more \(perUnit(b)) covers \(effectText(first, withConsumer: false, limit: 2))"
      if first.measuredStep == nil && first.rangeUp.isFinite {
        sentence += ", a value that holds for up to \(Fmt.value(first.rangeUp)) more (\(b.limitUnit))"
      }
      s.append(sentence + ".")
    }
    if a.bottlenecks.isEmpty { s.append("No limit binds with a shadow price on the demand: supply is not the constraint.") }
    // 7. Idle capacity and why.
    if let idle = idleSentence() { s.append(idle) }
    // 8. Stockpile targets.
    let targets = a.targets.reduce(Coverage()) { $0 + $1.coverage }
    if targets.demand > 0 {
      let missed = a.targets.filter { $0.coverage.shortfall > 1e-6 }.count
      let count = a.targets.count
      let tail = missed == 0 ? "all \(count) are met" : "\(missed) of \(count) \(missed == 1 ? "is" : "are") missed"
      s.append("Stockpile targets are \(Fmt.percent(targets.fraction)) reached (by units); \(tail).")
    }
    // 9. Investments.
    if !a.investments.isEmpty {
      let cost = a.investments.reduce(0) { $0 + $1.cost }
      s.append("The optimizer invests \(Fmt.money(cost)) in \(a.investments.count) capacity expansion\(a.investments.count == 1 ? "" : "s").")
    }
    // 10. Caution.
    if a.degenerate {
      s.append("The optimum is degenerate, so shadow prices are not unique: bottleneck values are one valid set, not the only one.")
    }
    return s
  }

  func weight(_ name: String) -> Double { a.demand.first { $0.name == name }?.weight ?? 1 }

  func perUnit(_ b: Bottleneck) -> String { b.perUnit }

  /// The span of consecutive periods with the largest shortfall of `name` for a class.
  func worstSpan(cls: ConsumerClass, name: String) -> String? {
    guard let series = a.shortfallTimeline(of: cls).first(where: { $0.name == name })?.perPeriod,
      let peak = series.max(), peak > 0
    else { return nil }
    let threshold = peak * 0.5
    guard let first = series.firstIndex(where: { $0 >= threshold }) else { return nil }
    var last = first
    while last + 1 < series.count && series[last + 1] >= threshold { last += 1 }
    return "in \(span(first, last))"
  }

  func trendSentence(_ cls: ConsumerClass) -> String? {
    let timeline = a.shortfallTimeline(of: cls)
    guard let main = timeline.max(by: { $0.perPeriod.reduce(0, +) < $1.perPeriod.reduce(0, +) }),
      main.perPeriod.count >= 6, main.perPeriod.reduce(0, +) > 0
    else { return nil }
    // Compare the first and last thirds of the horizon (not a few periods at either end).
    let n = max(1, main.perPeriod.count / 3)
    let early = main.perPeriod.prefix(n).reduce(0, +) / Double(n)
    let late = main.perPeriod.suffix(n).reduce(0, +) / Double(n)
    let per = m.horizon.length.rawValue
    let thirds = "in the first third of the horizon to"
    if late < early * 0.8 {
      return "The \(main.name) shortfall falls from \(Fmt.words(early)) \(main.unit) a \(per) \(thirds) \(Fmt.words(late)) in the last."
    }
    if late > early * 1.25 {
      return "The \(main.name) shortfall grows from \(Fmt.words(early)) \(main.unit) a \(per) \(thirds) \(Fmt.words(late)) in the last."
    }
    let mean = main.perPeriod.reduce(0, +) / Double(main.perPeriod.count)
    return "The \(main.name) shortfall averages \(Fmt.words(mean)) \(main.unit) a \(per), about as much in the last third of the horizon as in the first."
  }

  func idleSentence() -> String? {
    var byReason: [String: Double] = [:]
    var total = 0.0
    var capacity = 0.0
    for i in a.idle where m.items[m.producers[i.producer].products[i.product].item].kind == .end {
      capacity += i.capacity * weightOfItem(m.producers[i.producer].products[i.product].item)
      for share in i.reasons {
        let w = share.units * weightOfItem(m.producers[i.producer].products[i.product].item)
        byReason[share.reason.text(m), default: 0] += w
        total += w
      }
    }
    guard total > 1e-6, capacity > 0,
      let main = byReason.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).first
    else { return nil }
    return
      "\(Fmt.percent(total / capacity)) of end-item capacity (value-weighted) stands idle, mostly because of: \(main.key) (\(Fmt.percent(main.value / total)) of the idle capacity)."
  }

  func weightOfItem(_ i: ItemIndex) -> Double { m.items[i].weight }

  static func list(_ parts: [String]) -> String {
    switch parts.count {
    case 0: return ""
    case 1: return parts[0]
    case 2: return "\(parts[0]) and \(parts[1])"
    default: return parts.dropLast().joined(separator: ", ") + " and " + (parts.last ?? "")
    }
  }

  // MARK: Sections

  func coverageSection() -> String {
    var out = "## Coverage\n\n"
    for cls in a.classesPresent {
      let rows = a.coverage(of: cls)
      guard !rows.isEmpty else { continue }
      out += "### \(cls.title)\n\n"
      var t = MarkdownTable(["item", "unit", "demand", "delivered", "shortfall", "coverage"], alignment: [.left, .left, .right, .right, .right, .right])
      for r in rows {
        t.add([r.name, r.unit, Fmt.quantity(r.coverage.demand), Fmt.quantity(r.coverage.met), Fmt.quantity(r.coverage.shortfall), Fmt.percent(r.coverage.fraction)])
      }
      out += t.render()
      if let w = a.weightedCoverage(of: cls) {
        out += "\nValue-weighted coverage of the class (item weights as common currency): \(Fmt.percent(w.fraction)).\n"
      }
      out += "\n"
    }
    out += "### By consumer\n\n"
    var t = MarkdownTable(["consumer", "class", "item", "demand", "delivered", "shortfall", "coverage"], alignment: [.left, .left, .left, .right, .right, .right, .right])
    for line in a.demand.sorted(by: { ($0.consumer, $0.name) < ($1.consumer, $1.name) }) {
      let c = m.consumers[line.consumer]
      let total = line.total
      t.add([c.name, c.consumerClass.rawValue, line.name, Fmt.quantity(total.demand), Fmt.quantity(total.met), Fmt.quantity(total.shortfall), Fmt.percent(total.fraction)])
    }
    out += t.render() + "\n"
    return out
  }

  func targetsSection() -> String {
    guard !a.targets.isEmpty else { return "" }
    let out = "## Stockpile targets\n\n"
    var t = MarkdownTable(["consumer", "item", "by end of", "target", "held", "gap", "reached"], alignment: [.left, .left, .left, .right, .right, .right, .right])
    for target in a.targets {
      t.add([
        m.consumers[target.consumer].name, m.items[target.item].name, period(target.period), Fmt.quantity(target.coverage.demand),
        Fmt.quantity(target.coverage.met), Fmt.quantity(target.coverage.shortfall), Fmt.percent(target.coverage.fraction),
      ])
    }
    return out + t.render() + "\n"
  }

  /// Text bar charts of shortfall over time, by quarter when the horizon is long.
  func timelineSection() -> String {
    var out = "## Shortfall timeline\n\n"
    let T = m.horizon.periods
    let byQuarter = m.horizon.length == .month && T > 24
    let buckets: [(label: String, periods: Range<Int>)] =
      byQuarter
      ? stride(from: 0, to: T, by: 3).map { start in
        let first = m.horizon.firstMonth(of: start)
        let range = start..<min(T, start + 3)
        // Calendar quarters when the horizon starts on one; otherwise the months themselves.
        if (first.month - 1) % 3 == 0 && range.count == 3 { return ("\(first.year)-Q\((first.month - 1) / 3 + 1)", range) }
        return ("\(first)–\(m.horizon.firstMonth(of: range.upperBound - 1))", range)
      }
      : (0..<T).map { (period($0), $0..<($0 + 1)) }
    out += byQuarter ? "Shortfall per quarter (sum of its months).\n\n" : "Shortfall per period.\n\n"
    var any = false
    for cls in a.classesPresent {
      for series in a.shortfallTimeline(of: cls) where series.perPeriod.contains(where: { $0 > 1e-6 }) {
        any = true
        let values = buckets.map { b in b.periods.reduce(0) { $0 + series.perPeriod[$1] } }
        let peak = values.max() ?? 0
        out += "**\(series.name) — \(cls.title.lowercased())** (\(series.unit) short)\n\n```text\n"
        let width = values.map { Fmt.quantity($0).count }.max() ?? 1
        for (b, v) in zip(buckets, values) {
          let number = Fmt.quantity(v)
          out += "\(b.label)  \(String(repeating: " ", count: width - number.count))\(number)  \(Fmt.bar(v, max: peak))\n"
        }
        out += "```\n\n"
      }
    }
    if !any { out += "No shortfall in any period.\n\n" }
    return out
  }

  func bottleneckSection() -> String {
    var out = "## Bottlenecks\n\n"
    if provenance.method == "interior-point" {
      return out + "The interior-point method leaves no simplex basis, so there are no shadow prices, values or ranges: solve with a simplex method (the default) for bottlenecks.\n\n"
    }
    guard !a.bottlenecks.isEmpty else {
      return out + "No binding limit has a shadow price on demand.\n\n"
    }
    out += "Binding limits ranked by what relaxing them is worth (demand covered if the limit rose by one unit in every period it binds, value-weighted). "
    out += "\"One more unit covers\" is read from the simplex tableau of the stage that decides the demand, for the first period the limit binds; "
    out += "\"holds for\" is how far the limit can rise or fall with that value unchanged (GLPK's ranging). "
    out += "Where the optimum is degenerate at the limit, the value was measured by re-solving with the limit raised by a step.\n\n"
    if a.degenerate {
      out += "> **Caution:** the optimum is degenerate, so duals are not unique; values marked \"indicative\" are one valid set among several.\n\n"
    }
    // By kind: how many limits of each kind bind, and the most valuable of each.
    var byKind: [LimitKind: [Bottleneck]] = [:]
    for b in a.bottlenecks { byKind[b.kind, default: []].append(b) }
    let kinds = byKind.keys.sorted()
    out += "By kind: " + kinds.compactMap { k -> String? in
      guard let list = byKind[k], let top = list.first else { return nil }
      return "\(k.rawValue) \(list.count) (first: \(top.name))"
    }.joined(separator: "; ") + ".\n\n"
    var t = MarkdownTable(
      ["#", "bottleneck", "kind", "binds", "one more unit covers", "holds for", "stage"],
      alignment: [.right, .left, .left, .left, .left, .left, .left])
    let shown = Array(a.bottlenecks.prefix(25))
    // Sites making the same item with the same effect and range (one pool) share a row.
    var n = 0
    var i = 0
    while i < shown.count {
      let b = shown[i]
      guard let first = b.spans.first else {
        i += 1
        continue
      }
      let cells = [b.kind.rawValue, binds(b), effectText(first, withConsumer: false, limit: 2), holds(first), b.stage]
      var j = i + 1
      var sites = [b]
      while j < shown.count, let f = shown[j].spans.first, case .product(_, _) = shown[j].subject,
        itemName(shown[j]) == itemName(b), itemName(b) != nil,
        [shown[j].kind.rawValue, binds(shown[j]), effectText(f, withConsumer: false, limit: 2), holds(f), shown[j].stage] == cells
      {
        sites.append(shown[j])
        j += 1
      }
      n += 1
      let rank = sites.count == 1 ? "\(n)" : "\(n)–\(n + sites.count - 1)"
      let name =
        sites.count == 1
        ? b.name
        : "\(itemName(b) ?? b.name), each of \(sites.count) sites: " + sites.compactMap(siteName).joined(separator: "; ")
      t.add([rank] + [name] + cells)
      n += sites.count - 1
      i = j
    }
    out += t.render() + "\n"
    if a.bottlenecks.count > shown.count {
      out += "\(a.bottlenecks.count - shown.count) more in `bottlenecks.csv`.\n\n"
    }
    for (n, b) in shown.prefix(10).enumerated() {
      guard let first = b.spans.first else { continue }
      var line = "\(n + 1). **\(b.name)** (\(b.kind.rawValue); binds \(binds(b))). "
      line += "One more \(perUnit(b)) in \(period(first.from)) covers \(effectText(first, withConsumer: true, limit: 3))"
      if first.measuredStep == nil && !first.degenerate && first.rangeUp.isFinite {
        line += "; this holds while the limit (now \(Fmt.value(first.level))) rises by up to \(Fmt.value(first.rangeUp))"
      } else if let step = first.measuredStep {
        line += " (measured by re-solving with \(Fmt.value(step)) more)"
      } else if first.degenerate {
        line += " (indicative: the optimum is degenerate here)"
      }
      line += "."
      let values = b.spans.map(\.value)
      if let lo = values.min(), let hi = values.max(), hi - lo > 1e-6 * max(1, abs(hi)) {
        line += " Over the months it binds, the value ranges from \(Fmt.value(lo)) to \(Fmt.value(hi)) \(b.valueUnit)."
      }
      out += line + "\n"
    }
    return out + "\n"
  }

  func itemName(_ b: Bottleneck) -> String? {
    guard case .product(let p, let k) = b.subject else { return nil }
    return m.items[m.producers[p].products[k].item].name
  }

  func siteName(_ b: Bottleneck) -> String? {
    guard case .product(let p, _) = b.subject else { return nil }
    return m.producers[p].name
  }

  /// "2027-01 to 2029-12" or "25 of 36 months, 2027-01 to 2029-09".
  func binds(_ b: Bottleneck) -> String {
    guard let first = b.spans.first, let last = b.spans.last else { return "" }
    let count = b.spans.reduce(0) { $0 + $1.to - $1.from + 1 }
    let range = first.from == last.to ? period(first.from) : "\(period(first.from)) to \(period(last.to))"
    let total = last.to - first.from + 1
    if count == total { return range }
    let unit = m.horizon.length == .month ? "months" : "quarters"
    return "\(count) of \(total) \(unit), \(range)"
  }

  /// "1.00 round of 155 mm rounds; −38.3 drones of long-range drones"
  func effectText(_ sp: Bottleneck.Span, withConsumer: Bool, limit: Int) -> String {
    if sp.effects.isEmpty { return "\(Fmt.value(sp.value)) units" }
    // Name the consumer when asked, or when two effects would otherwise read the same.
    let whats = sp.effects.prefix(limit).map(\.what)
    let repeated = Set(whats).count < whats.count
    var parts = sp.effects.prefix(limit).map { e -> String in
      let unit = abs(abs(e.rate) - 1) < 0.005 ? Self.singular(e.unit) : e.unit
      let whom = withConsumer || repeated ? " for \(e.consumer)" : ""
      return e.rate < 0
        ? "at the cost of \(Fmt.value(-e.rate)) \(unit) of \(e.what)\(whom)"
        : "\(Fmt.value(e.rate)) \(unit) of \(e.what)\(whom)"
    }
    if sp.effects.count > limit { parts.append("\(sp.effects.count - limit) smaller effects") }
    return parts.joined(separator: "; ")
  }

  func holds(_ sp: Bottleneck.Span) -> String {
    if let step = sp.measuredStep { return "measured over +\(Fmt.value(step))" }
    if sp.degenerate { return "indicative (degenerate)" }
    let up = sp.rangeUp.isFinite ? "+\(Fmt.value(sp.rangeUp))" : "no upper limit"
    return "\(up) / −\(Fmt.value(sp.rangeDown))"
  }

  static func singular(_ unit: String) -> String { Bottleneck.singular(unit) }

  func idleSection() -> String {
    let out = "## Idle capacity\n\n"
    let rows = a.idle.filter { $0.idle > 1e-6 * max(1, $0.capacity) }
      .sorted { ($0.idle * weightOfItem(m.producers[$0.producer].products[$0.product].item), $1.producer, $1.product) > ($1.idle * weightOfItem(m.producers[$1.producer].products[$1.product].item), $0.producer, $0.product) }
    guard !rows.isEmpty else { return out + "All capacity is used.\n\n" }
    var t = MarkdownTable(["producer", "item", "capacity", "produced", "used", "idle", "why (share of idle)"], alignment: [.left, .left, .right, .right, .right, .right, .left])
    for r in rows {
      let product = m.producers[r.producer].products[r.product]
      let why = r.reasons.prefix(2).map { "\($0.reason.text(m)) (\(Fmt.percent($0.units / max(r.idle, 1e-9))))" }.joined(separator: "; ")
      t.add([m.producers[r.producer].name, m.items[product.item].name, Fmt.quantity(r.capacity), Fmt.quantity(r.produced), Fmt.percent(r.utilisation), Fmt.quantity(r.idle), why])
    }
    return out + t.render() + "\n"
  }

  func materialsSection() -> String {
    guard !a.materials.isEmpty else { return "" }
    let out = "## Materials and bought components\n\n"
    var t = MarkdownTable(["market", "item", "bought", "available", "used", "exhausted"], alignment: [.left, .left, .right, .right, .right, .left])
    for u in a.materials {
      let market = m.markets[u.market]
      let item = m.items[market.supplies[u.supply].item]
      let exhausted = u.exhausted.isEmpty ? "—" : spans(u.exhausted)
      t.add([market.name, "\(item.name) (\(item.unit))", Fmt.quantity(u.bought, decimals: u.limit < 100 ? 1 : 0), Fmt.quantity(u.limit, decimals: u.limit < 100 ? 1 : 0), Fmt.percent(u.limit > 0 ? u.bought / u.limit : 0), exhausted])
    }
    return out + t.render() + "\n"
  }

  func budgetsSection() -> String {
    guard !a.budgets.isEmpty else { return "" }
    let out = "## Budgets\n\n"
    var t = MarkdownTable(["funder", "budget", "spent", "used", "binding"], alignment: [.left, .right, .right, .right, .left])
    for b in a.budgets {
      t.add([m.funders[b.funder].name, Fmt.money(b.budget), Fmt.money(b.spent), Fmt.percent(b.budget > 0 ? b.spent / b.budget : 0), b.binding.isEmpty ? "—" : spans(b.binding)])
    }
    return out + t.render() + "\n"
  }

  func investmentsSection() -> String {
    let options = m.producers.reduce(0) { $0 + $1.expansions.count }
    guard options > 0 else { return "" }
    let out = "## Investments\n\n"
    guard !a.investments.isEmpty else { return out + "None of the \(options) expansion options is chosen.\n\n" }
    var t = MarkdownTable(["expansion", "producer", "capacity added", "decided", "arrives", "cost"], alignment: [.left, .left, .right, .left, .left, .right])
    for i in a.investments {
      let producer = m.producers[i.producer]
      let e = producer.expansions[i.expansion]
      let what: String
      switch e.target {
      case .item(let k): what = m.items[producer.products[k].item].unit
      case .line: what = "line units"
      }
      t.add([e.name, producer.name, "\(Fmt.quantity(i.added)) \(what) a \(m.horizon.length.rawValue)", period(max(0, i.decided)), period(i.arrives), Fmt.money(i.cost)])
    }
    return out + t.render() + "\n"
  }

  /// "2027-01–2027-06, 2028-02"
  func spans(_ periods: [Int]) -> String {
    var parts: [String] = []
    var start: Int?
    var previous = -2
    for t in periods.sorted() {
      if t == previous + 1 {
        previous = t
        continue
      }
      if let s = start { parts.append(s == previous ? period(s) : "\(period(s))–\(period(previous))") }
      start = t
      previous = t
    }
    if let s = start { parts.append(s == previous ? period(s) : "\(period(s))–\(period(previous))") }
    return parts.joined(separator: ", ")
  }
}
