import Analysis
import Formulation
import PlanningModel

/// The tables of report.md: coverage, targets, timeline, idle capacity, money.
extension ScenarioReport {
  func coverageSection() -> String {
    var out = "## Coverage\n\n"
    out +=
      "Shortfall that no decision inside the horizon could avoid — demand due before anything ordered could arrive, "
      + "beyond the initial stock and the deliveries already scheduled — is shown apart as *unavoidable*.\n\n"
    for cls in a.classesByRank {
      let rows = a.coverage(of: cls)
      guard !rows.isEmpty else { continue }
      out += "### \(cls.title)\n\n"
      var f = MarkdownTable(
        ["family", "items", "coverage (value-weighted)", "worst item", "its coverage"],
        alignment: [.left, .right, .right, .left, .right])
      for family in a.familyCoverage(of: cls) {
        f.add([
          family.family, "\(family.members.count)", Fmt.percent(family.weighted.fraction),
          family.worst.map { words.name($0.key) } ?? "—", family.worst.map { Fmt.percent($0.coverage.fraction) } ?? "—",
        ])
      }
      out += f.render() + "\n"
      var t = MarkdownTable(
        ["item", "unit", "demand", "delivered", "shortfall", "of which unavoidable", "coverage"],
        alignment: [.left, .left, .right, .right, .right, .right, .right])
      for r in rows {
        t.add([
          words.name(r.key), words.unit(r.key), Fmt.quantity(r.coverage.demand), Fmt.quantity(r.coverage.met),
          Fmt.quantity(r.coverage.shortfall), Fmt.quantity(r.unavoidable), Fmt.percent(r.coverage.fraction),
        ])
      }
      out += t.render() + "\n"
    }
    out += "### By consumer\n\n"
    var t = MarkdownTable(
      ["consumer", "class", "item", "demand", "delivered", "shortfall", "of which unavoidable", "coverage"],
      alignment: [.left, .left, .left, .right, .right, .right, .right, .right])
    for line in a.demand.sorted(by: { ($0.consumer, $0.key) < ($1.consumer, $1.key) }) {
      let c = m.consumers[line.consumer]
      let total = line.total
      t.add([
        c.name, c.consumerClass.rawValue, line.name, Fmt.quantity(total.demand), Fmt.quantity(total.met),
        Fmt.quantity(total.shortfall), Fmt.quantity(line.unavoidableTotal), Fmt.percent(total.fraction),
      ])
    }
    return out + t.render() + "\n"
  }

  func targetsSection() -> String {
    guard !a.targets.isEmpty else { return "" }
    var out = "## Stockpile targets\n\n"
    out += "A target is missed when its stock is short by 0.05 % or more (less than 100.0 % reached).\n\n"
    var summary = MarkdownTable(
      ["class", "targets", "missed", "reached (by units)", "reached (value-weighted)"],
      alignment: [.left, .right, .right, .right, .right])
    for cls in a.classesByRank {
      let lines = a.targets.filter { m.consumers[$0.consumer].consumerClass == cls }
      guard !lines.isEmpty, let weighted = a.targetAttainment(of: cls) else { continue }
      let units = lines.reduce(Coverage()) { $0 + $1.coverage }
      summary.add([
        cls.title.lowercased(), "\(lines.count)", "\(lines.filter(\.isMissed).count)", Fmt.percent(units.fraction),
        Fmt.percent(weighted.fraction),
      ])
    }
    let all = a.targets.reduce(Coverage()) { $0 + $1.coverage }
    summary.add([
      "all classes", "\(a.targets.count)", "\(a.targets.filter(\.isMissed).count)", Fmt.percent(all.fraction), "—",
    ])
    out += summary.render() + "\n"
    // Within each family as well, as coverage is: 155 mm rounds' units would hide missiles'.
    var families = MarkdownTable(
      ["class", "family", "targets", "missed", "reached (value-weighted)"],
      alignment: [.left, .left, .right, .right, .right])
    for cls in a.classesByRank {
      for f in a.targetAttainmentByFamily(of: cls) {
        families.add([
          cls.title.lowercased(), f.family, "\(f.count)", "\(f.missed)", Fmt.percent(f.weighted.fraction),
        ])
      }
    }
    out += families.render() + "\n"
    var t = MarkdownTable(
      ["consumer", "item", "by end of", "target", "held", "gap", "reached", "missed"],
      alignment: [.left, .left, .left, .right, .right, .right, .right, .left])
    for target in a.targets {
      t.add([
        m.consumers[target.consumer].name, m.items[target.item].name, period(target.period),
        Fmt.quantity(target.coverage.demand), Fmt.quantity(target.coverage.met),
        Fmt.quantity(target.coverage.shortfall),
        Fmt.percent(target.coverage.fraction), target.isMissed ? "yes" : "no",
      ])
    }
    return out + t.render() + "\n"
  }

  /// The timeline's buckets: quarters when a monthly horizon is long, else the periods.
  var timelineBuckets: [(label: String, periods: Range<Int>)] {
    let periodCount = m.horizon.periods
    guard m.horizon.length == .month && periodCount > 24 else {
      return (0..<periodCount).map { (period($0), $0..<($0 + 1)) }
    }
    return stride(from: 0, to: periodCount, by: 3).map { start in
      let first = m.horizon.firstMonth(of: start)
      let range = start..<min(periodCount, start + 3)
      // Calendar quarters when the horizon starts on one; otherwise the months themselves.
      if (first.month - 1) % 3 == 0 && range.count == 3 {
        return ("\(first.year)-Q\((first.month - 1) / 3 + 1)", range)
      }
      return ("\(first)–\(m.horizon.firstMonth(of: range.upperBound - 1))", range)
    }
  }

  /// Text bar charts of shortfall over time; the unavoidable part drawn light.
  func timelineSection() -> String {
    var out = "## Shortfall timeline\n\n"
    let buckets = timelineBuckets
    out += buckets.count < m.horizon.periods ? "Shortfall per quarter (sum of its months)" : "Shortfall per period"
    out += "; ░ marks the unavoidable part.\n\n"
    var any = false
    for cls in a.classesByRank {
      for series in a.shortfallTimeline(of: cls) where series.shortfall.contains(where: { $0 > 1e-6 }) {
        any = true
        let values = buckets.map { b in b.periods.reduce(0) { $0 + series.shortfall[$1] } }
        let unavoidable = buckets.map { b in b.periods.reduce(0) { $0 + series.unavoidable[$1] } }
        let peak = values.max() ?? 0
        out +=
          "**\(words.name(series.key)) — \(cls.title.lowercased())** (\(words.unit(series.key)) short)\n\n```text\n"
        let width = values.map { Fmt.quantity($0).count }.max() ?? 1
        for (n, b) in buckets.enumerated() {
          let number = Fmt.quantity(values[n])
          let bar = Fmt.bar(values[n], max: peak, light: unavoidable[n])
          out += "\(b.label)  \(String(repeating: " ", count: width - number.count))\(number)  \(bar)\n"
        }
        out += "```\n\n"
      }
    }
    if !any { out += "No shortfall in any period.\n\n" }
    return out
  }

  /// Idle capacity of a product in value (idle units × item weight), for ordering.
  func idleValue(_ r: IdleCapacity) -> Double {
    r.idle * m.items[m.producers[r.producer].products[r.product].item].weight
  }

  func idleSection() -> String {
    var out = "## Idle capacity\n\n"
    out +=
      "Each idle period gets the first reason that applies, in this order: the shared line is full; no demand; no source "
      + "of an input in the producer's pool (it can never make anything); demand already met; too late (output would arrive after every shortfall left: the lead time, at the start as at the end); ineligible (export rules bar every "
      + "consumer still short in time); unfunded (every eligible consumer short in time has no money left with a funder "
      + "allowed to buy here); route or quota used up; starved of an input; otherwise not needed by the chosen plan. "
      + "Components and materials take the reason of the plants that would use them.\n\n"
    let rows =
      idleRows
      .sorted { (idleValue($0), $1.producer, $1.product) > (idleValue($1), $0.producer, $0.product) }
    guard !rows.isEmpty else { return out + "All capacity is used.\n\n" }
    if let shares = idleShares() {
      var t = MarkdownTable(["end-item capacity (value-weighted)", "share"], alignment: [.left, .right])
      t.add(["idle, of all capacity", Fmt.percent(shares.idle)])
      for (reason, share) in shares.byReason { t.add(["of the idle: \(reason)", Fmt.percent(share)]) }
      out += t.render() + "\n"
    }
    var t = MarkdownTable(
      ["producer", "item", "capacity", "produced", "used", "idle", "why (share of idle)"],
      alignment: [.left, .left, .right, .right, .right, .right, .left])
    for r in rows {
      let product = m.producers[r.producer].products[r.product]
      let why = r.reasons.prefix(2).map { "\(words.reason($0.reason)) (\(Fmt.percent($0.units / max(r.idle, 1e-9))))" }
        .joined(separator: "; ")
      t.add([
        m.producers[r.producer].name, m.items[product.item].name, Fmt.count(r.capacity), Fmt.count(r.produced),
        Fmt.percent(r.utilisation), Fmt.count(r.idle), why,
      ])
    }
    return out + t.render() + "\n"
  }

  func materialsSection() -> String {
    guard !a.materials.isEmpty else { return "" }
    let out = "## Materials and bought components\n\n" + chainsParagraph()
    var t = MarkdownTable(
      ["market", "item", "bought", "available", "used", "exhausted"],
      alignment: [.left, .left, .right, .right, .right, .left])
    for u in a.materials {
      let market = m.markets[u.market]
      let item = m.items[market.supplies[u.supply].item]
      let decimals = u.limit < 100 ? 1 : 0
      t.add([
        market.name, "\(item.name) (\(item.unit))", Fmt.quantity(u.bought, decimals: decimals),
        Fmt.quantity(u.limit, decimals: decimals), Fmt.percent(u.limit > 0 ? u.bought / u.limit : 0),
        u.exhausted.isEmpty ? "—" : words.spans(u.exhausted),
      ])
    }
    return out + t.render() + "\n"
  }

  /// Which raw-material chain binds: a sentence and a table, both from
  /// `PlanAnalysis.supplyChains` (a chain binds when a bottleneck lies on it).
  func chainsParagraph() -> String {
    let chains = a.supplyChains
    guard !chains.isEmpty else { return "" }
    let binding = chains.filter(\.binds)
    func ranks(_ c: SupplyChain) -> String {
      "bottleneck\(c.bottlenecks.count == 1 ? "" : "s") \(c.bottlenecks.map(String.init).joined(separator: ", "))"
    }
    let n = chains.count
    var out: String
    if binding.isEmpty {
      out =
        n == 1
        ? "The one raw-material chain does not bind: no limit on its material, or on what is made of it, is a bottleneck."
        : "None of the \(n) raw-material chains binds: no limit on a bought material, or on what is made of it, is a bottleneck."
    } else {
      // A chain that binds only through a plant making something of its material is not short
      // of the material: say so, with how much of it is bought (pulp at 46.7 %).
      let named = binding.map { c -> String in
        guard !c.supplyBinds, !c.madeInto.isEmpty else { return "\(m.items[c.root].name) (\(ranks(c)))" }
        return "\(m.items[c.root].name) (\(ranks(c)), a plant's capacity to make it into "
          + "\(Words.list(c.madeInto.map { m.items[$0].name })); at most \(Fmt.percent(c.mostUsed)) of it is bought)"
      }
      out = "Of \(n) raw-material chain\(n == 1 ? "" : "s"), \(binding.count) bind\(binding.count == 1 ? "s" : ""): "
      out += Words.list(named) + "."
      if binding.count < n {
        out += " The others are no bottleneck anywhere, whether or not their supply is bought up."
      }
    }
    out += "\n\n"
    var t = MarkdownTable(
      ["raw material", "made into", "reaches", "most bought", "bought up", "binds"],
      alignment: [.left, .left, .left, .right, .left, .left])
    for c in chains {
      t.add([
        m.items[c.root].name, c.madeInto.isEmpty ? "—" : c.madeInto.map { m.items[$0].name }.joined(separator: ", "),
        c.endItems.map { m.items[$0].name }.joined(separator: ", "), Fmt.percent(c.mostUsed),
        c.exhausted.isEmpty ? "—" : words.spans(c.exhausted), c.binds ? ranks(c) : "no",
      ])
    }
    return out + t.render() + "\n"
  }

  /// Systems and parts in service: what each consumer held, received and lost, and when it
  /// fired all its systems could.
  func systemsSection() -> String {
    guard !a.systems.isEmpty else { return "" }
    var out = "## Systems in service\n\n"
    out +=
      "Fire units and guns limit how much of a munition their holder can fire, combat wears them down, and rounds "
      + "fired wear out barrels (docs/MODEL.md, \"Systems in service\"). *Gone* is start + received − end: lost in "
      + "combat, worn out or used. The plan is a linear program, so a fleet may hold fractions of a unit: below 100 "
      + "a figure keeps its tenths, and *gone* is taken from the rounded figures so that each row adds up. "
      + "*Fires all it can* lists the periods in which the holder's fleet, not the munition, limited its use.\n\n"
    var t = MarkdownTable(
      ["consumer", "system or part", "held at start", "received", "gone", "held at end", "fires all it can"],
      alignment: [.left, .left, .right, .right, .right, .right, .left])
    for s in a.systems {
      let (start, received, end) = (Fmt.countRounded(s.start), Fmt.countRounded(s.received), Fmt.countRounded(s.end))
      t.add([
        m.consumers[s.consumer].name, m.items[s.item].name, Fmt.tenths(start), Fmt.tenths(received),
        Fmt.tenths(start + received - end), Fmt.tenths(end), s.fireBinds.isEmpty ? "—" : words.spans(s.fireBinds),
      ])
    }
    return out + t.render() + "\n"
  }

  func budgetsSection() -> String {
    guard !a.budgets.isEmpty else { return "" }
    var out = "## Budgets\n\n"
    out +=
      "A budget binds in the periods its funder has no money left (with carry-over: all it had by then is spent).\n\n"
    var t = MarkdownTable(
      ["funder", "budget", "spent", "used", "binding"], alignment: [.left, .right, .right, .right, .left])
    for b in a.budgets {
      t.add([
        m.funders[b.funder].name, Fmt.money(b.budget), Fmt.money(b.spent),
        Fmt.percent(b.budget > 0 ? b.spent / b.budget : 0),
        b.binding.isEmpty ? "—" : words.spans(b.binding),
      ])
    }
    return out + t.render() + "\n"
  }

  /// The products the idle table lists: those with capacity idle.
  var idleRows: [IdleCapacity] { a.idle.filter { $0.idle > 1e-6 * max(1, $0.capacity) } }

  /// How much of an option is bought: "1 of 2 lots", "50.0 % of it".
  func boughtText(_ i: Investment) -> String {
    let e = m.producers[i.producer].expansions[i.expansion]
    return i.lots.map { "\($0) of \(e.lots ?? 1) lot\((e.lots ?? 1) == 1 ? "" : "s")" }
      ?? "\(Fmt.percent(e.capacity > 0 ? i.added / e.capacity : 0)) of it"
  }

  /// Whether all of an option is bought: every lot, or (bought in any fraction) all but a
  /// rounding of its capacity.
  func boughtWhole(_ i: Investment) -> Bool {
    let e = m.producers[i.producer].expansions[i.expansion]
    if let lots = i.lots { return lots == (e.lots ?? 1) }
    return boughtText(i) == "100.0 % of it"
  }

  /// Capacity an investment adds: "21,000 charge sets a quarter".
  func addedText(_ i: Investment) -> String {
    let producer = m.producers[i.producer]
    let what: String
    switch producer.expansions[i.expansion].target {
    case .item(let k): what = m.items[producer.products[k].item].unit
    case .line: what = "line units"
    }
    return "\(Fmt.quantity(i.added)) \(what) a \(words.periodName)"
  }

  func investmentsSection() -> String {
    let options = m.producers.reduce(0) { $0 + $1.expansions.count }
    guard options > 0 else { return "" }
    let out = "## Investments\n\n"
    guard !a.investments.isEmpty else { return out + "None of the \(options) expansion options is chosen.\n\n" }
    var t = MarkdownTable(
      ["expansion", "producer", "bought", "capacity added", "decided", "arrives", "capital", "running"],
      alignment: [.left, .left, .left, .right, .left, .left, .right, .right])
    for i in a.investments {
      let producer = m.producers[i.producer]
      t.add([
        producer.expansions[i.expansion].name, producer.name, boughtText(i), addedText(i),
        period(max(0, i.decided)), period(i.arrives), Fmt.money(i.cost), Fmt.money(i.runningCost),
      ])
    }
    var note =
      "Options bought in lots are whole-number decisions: when the plan's stages would buy part of a lot, branch "
      + "and bound chooses the lots stage by stage and the plan is solved with them fixed (docs/MODEL.md, \"Whole "
      + "lots in a plan\"). Capital is paid evenly over the build; *arsenal invest* answers which options reach a "
      + "goal at least cost."
    if a.wholeLotsProven == false {
      note += " **The lots are not proven optimal**: a time limit stopped branch and bound with this portfolio in hand."
    }
    note += "\n\n"
    return out + note + t.render() + "\n"
  }
}

extension ScenarioReport {
  /// Idle end-item capacity, value-weighted (idle units × item weight): its share of all
  /// capacity and each reason's share of it, largest first.
  ///
  /// One computation for the idle table and the summary.
  func idleShares() -> (idle: Double, byReason: [(String, Double)])? {
    var byReason: [String: Double] = [:]
    var total = 0.0
    var capacity = 0.0
    for i in a.idle where m.items[m.producers[i.producer].products[i.product].item].kind == .end {
      let w = m.items[m.producers[i.producer].products[i.product].item].weight
      capacity += i.capacity * w
      for share in i.reasons {
        byReason[words.reason(share.reason), default: 0] += share.units * w
        total += share.units * w
      }
    }
    guard total > 1e-6, capacity > 0 else { return nil }
    let sorted = byReason.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value / total) }
    return (total / capacity, sorted)
  }
}
