import Analysis
import Formulation
import PlanningModel

/// The summary paragraph: every sentence built from the numbers the tables below it show
/// (tests parse both and compare).
extension ScenarioReport {
  /// The summary's sentences.
  public func summary() -> [String] {
    var s: [String] = []
    if let coverage = coverageSentence() { s.append(coverage) }
    // The gap sentences name the first class by rank that is short of anything it could have
    // had (a class served first is often covered in full), else the first with demand.
    if let top = Self.gapClass(a) {
      s += gapSentences(top)
      if let trend = trendSentence(top) { s.append(trend) }
      // Every other class short of something it could have gets its largest gap too: a
      // Reassurance Force missing its mortar bombs must not hide behind the front line's.
      for cls in Self.gapClasses(a).dropFirst() {
        if let g = largestGap(cls) { s.append(largestGapSentence(cls, g)) }
      }
    }
    s += bottleneckSentences()
    if let idle = idleSentence() { s.append(idle) }
    if let raised = raisedCapacitySentence() { s.append(raised) }
    if let budgets = changedBudgetsSentence() { s.append(budgets) }
    if let targets = targetsSentence() { s.append(targets) }
    if !a.investments.isEmpty {
      let cost = a.investments.reduce(0) { $0 + $1.cost }
      let n = a.investments.count
      // Named, largest capital first (then by name), each with when it is decided and arrives:
      // "€500 M in 2 expansions" alone does not say what the money buys. Part of an option
      // says how much ("1 of 2 lots of Aschau +40 % …"), as its name states the whole.
      let named = a.investments.map { i in
        let name = m.producers[i.producer].expansions[i.expansion].name
        let part = boughtWhole(i) ? "" : "\(boughtText(i).replacingOccurrences(of: " of it", with: "")) of "
        let detail =
          (boughtWhole(i) ? "" : "+\(addedText(i)), ") + Fmt.money(i.cost)
          + ", decided \(period(max(0, i.decided))), arriving \(period(i.arrives))"
        return (name: name, text: "\(part)\(name) (\(detail))", cost: i.cost)
      }.sorted { ($0.cost, $1.name) > ($1.cost, $0.name) }
      var parts = named.prefix(3).map(\.text)
      if named.count > 3 { parts.append("\(named.count - 3) more") }
      s.append(
        "The optimizer invests \(Fmt.money(cost)) in \(n) capacity expansion\(n == 1 ? "" : "s"): "
          + Words.list(parts) + ".")
    }
    return s
  }

  /// A class's value-weighted coverage by item family, naming the worst item of a family not
  /// fully covered: "artillery 78.1 % (worst: 152 mm … at 54.3 %) and rockets 92.8 %".
  func familyText(_ cls: ConsumerClass) -> String? {
    let families = a.familyCoverage(of: cls)
    guard !families.isEmpty else { return nil }
    // Items with no family all fall in "other"; alone, that name says nothing.
    let unnamed = families.count == 1 && families[0].family == "other"
    let parts = families.map { f -> String in
      var text = (unnamed ? "" : "\(f.family) ") + Fmt.percent(f.weighted.fraction)
      if f.members.count > 1, let worst = f.worst, worst.coverage.fraction < 0.9995 {
        text += " (worst: \(words.name(worst.key)) at \(Fmt.percent(worst.coverage.fraction)))"
      }
      return text
    }
    return Words.list(parts)
  }

  func coverageSentence() -> String? {
    let unit = m.horizon.length == .month ? "months" : "quarters"
    var parts: [String] = []
    for cls in a.classesByRank {
      var part = "\(cls.title.lowercased())"
      var any = false
      if let families = familyText(cls) {
        part += " gets \(families) of its consumption"
        any = true
      }
      if let t = a.targetAttainment(of: cls), t.demand > 0 {
        // Within each family, as consumption, where there are several: 99.0 % of all targets
        // read as missiles' too when 155 mm rounds outweigh them.
        let families = a.targetAttainmentByFamily(of: cls)
        let held =
          families.count > 1
          ? Words.list(families.map { "\($0.family) \(Fmt.percent($0.weighted.fraction))" })
          : Fmt.percent(t.fraction)
        part += (any ? " and holds " : " holds ") + "\(held) of its stockpile targets"
        any = true
      }
      if any { parts.append(part) }
    }
    guard !parts.isEmpty else { return nil }
    return "Over \(m.horizon.periods) \(unit) from \(period(0)), value-weighted within each item family, "
      + parts.joined(separator: "; ") + "."
  }

  /// The class a summary's gaps are about: the first by rank short of anything it could
  /// have, else the first with demand.
  static func gapClass(_ a: PlanAnalysis) -> ConsumerClass? {
    let withDemand = a.classesByRank.filter { cls in a.coverage(of: cls).contains { $0.coverage.demand > 0 } }
    return withDemand.first { cls in a.coverage(of: cls).contains { $0.avoidable > 1e-6 } } ?? withDemand.first
  }

  /// The gap class, then every other class by rank that is short of anything it could have:
  /// the classes the summary names a largest gap of.
  static func gapClasses(_ a: PlanAnalysis) -> [ConsumerClass] {
    guard let top = gapClass(a) else { return [] }
    return [top] + a.classesByRank.filter { cls in cls != top && a.coverage(of: cls).contains { $0.avoidable > 1e-6 } }
  }

  /// A class's gaps that a decision could close, largest weighted first.
  func avoidableGaps(_ cls: ConsumerClass) -> [KeyCoverage] {
    a.coverage(of: cls).filter { $0.avoidable > 1e-6 }
      .sorted { ($0.avoidable * weight($0.key), $1.key) > ($1.avoidable * weight($1.key), $0.key) }
  }

  func largestGap(_ cls: ConsumerClass) -> KeyCoverage? { avoidableGaps(cls).first }

  /// "The largest front line gap by value (…) is in …: 140,000 rounds short of 4.80 million (97.1 %
  /// covered), worst in …".
  func largestGapSentence(_ cls: ConsumerClass, _ g: KeyCoverage) -> String {
    var sentence =
      "The largest \(cls.title.lowercased()) gap by value (units short × item weight) is in \(words.name(g.key)): \(Fmt.words(g.coverage.shortfall)) "
      + "\(words.unit(g.key)) short of \(Fmt.words(g.coverage.demand)) (\(Fmt.percent(g.coverage.fraction)) covered)"
    if g.unavoidable > 1e-6 { sentence += ", of which \(Fmt.words(g.unavoidable)) unavoidable" }
    if let worst = worstSpan(cls: cls, key: g.key) { sentence += ", worst \(worst)" }
    return sentence + "."
  }

  func gapSentences(_ cls: ConsumerClass) -> [String] {
    let gaps = avoidableGaps(cls)
    guard let g = gaps.first else {
      let unavoidable = a.coverage(of: cls).filter { $0.unavoidable > 1e-6 }
      if unavoidable.isEmpty { return ["Every \(Words.demand(of: cls)) is met in full."] }
      return [
        "Every \(cls.title.lowercased()) shortfall is unavoidable: demand due before anything ordered could arrive ("
          + Words.list(
            unavoidable.map { "\(Fmt.words($0.unavoidable)) \(words.unit($0.key)) of \(words.name($0.key))" })
          + ")."
      ]
    }
    var out = [largestGapSentence(cls, g)]
    if gaps.count > 1 {
      let others = gaps.dropFirst().prefix(3).map { "\(words.name($0.key)) (\(Fmt.percent($0.coverage.fraction)))" }
      out.append("Also short for the \(cls.title.lowercased()): \(Words.list(Array(others))).")
    }
    // Gaps no decision could close are named too: leaving them out made the largest
    // avoidable gap read as the largest gap.
    let unavoidable = a.coverage(of: cls).filter { $0.avoidable <= 1e-6 && $0.unavoidable > 1e-6 }
      .sorted { ($0.unavoidable * weight($0.key), $1.key) > ($1.unavoidable * weight($1.key), $0.key) }
    if !unavoidable.isEmpty {
      let named = unavoidable.prefix(3).map { "\(words.name($0.key)) (\(Fmt.percent($0.coverage.fraction)))" }
      out.append(
        "Short for the \(cls.title.lowercased()) but unavoidable within the horizon: \(Words.list(Array(named))).")
    }
    return out
  }

  /// The periods at the peak shortfall of `key` and the peak itself ("in 2029-Q4 (347,628
  /// rounds)"): the worst periods, wherever they fall; periods within 10⁻⁶ of the peak tie.
  func worstSpan(cls: ConsumerClass, key: Demand.Key) -> String? {
    guard let series = a.shortfallTimeline(of: cls).first(where: { $0.key == key })?.shortfall,
      let peak = series.max(), peak > 0
    else { return nil }
    let worst = series.indices.filter { peak - series[$0] <= 1e-6 * peak }
    let each = worst.count == 1 ? "" : " a \(words.periodName)"
    return "in " + words.spans(worst) + " (\(Fmt.words(peak)) \(words.unit(key))\(each))"
  }

  func trendSentence(_ cls: ConsumerClass) -> String? {
    let timeline = a.shortfallTimeline(of: cls)
    guard
      let main = timeline.max(by: {
        ($0.shortfall.reduce(0, +) * weight($0.key), $1.key) < ($1.shortfall.reduce(0, +) * weight($1.key), $0.key)
      }), main.shortfall.reduce(0, +) > 1e-6
    else { return nil }
    let periodCount = main.shortfall.count
    guard periodCount >= 3 else { return nil }
    let third = periodCount / 3
    // Every shortfall ended before the last third: when it ends is the answer (a ceasefire's
    // shortfall all before it takes effect), not how the largest item's "shrinks".
    if let last = (0..<periodCount).last(where: { t in timeline.contains { $0.shortfall[t] > 0 } }),
      last < periodCount - third
    {
      let who = cls.title.lowercased()
      return "The \(who)'s last shortfall falls in \(period(last)): from \(period(last + 1)) to the end of the "
        + "horizon it gets all it consumes."
    }
    let early = main.shortfall[0..<third].reduce(0, +)
    let late = main.shortfall[(periodCount - third)..<periodCount].reduce(0, +)
    let per = words.periodName
    let name = words.name(main.key)
    let unit = words.unit(main.key)
    if late < early * 0.5 {
      return
        "The \(name) shortfall shrinks: \(Fmt.words(early)) \(unit) in the first third of the horizon, \(Fmt.words(late)) in the last."
    }
    if late > early * 1.5 {
      return
        "The \(name) shortfall grows: \(Fmt.words(early)) \(unit) in the first third of the horizon, \(Fmt.words(late)) in the last."
    }
    let mean = main.shortfall.reduce(0, +) / Double(periodCount)
    return
      "The \(name) shortfall averages \(Fmt.words(mean)) \(unit) a \(per), about as much in the last third of the horizon as in the first."
  }

  /// ", at €3,020 a round", or ", at €669 a round net (with 141,867 fewer bought at €1,500)"
  /// (`netShift`); nothing when no item carries the gain.
  func priceClause(_ b: Bottleneck) -> String {
    guard priceText(b) != "—" else { return "" }
    // The largest saving by money: why the average is below the price of what it adds.
    let fewer = netShift(b)?.moves.filter { $0.units < 0 }.min {
      ($0.units * $0.price, $1.price) < ($1.units * $1.price, $0.price)
    }
    let net = fewer.map { " (with \(Fmt.quantity(-$0.units)) fewer bought at \(Fmt.money($0.price)))" }
    return ", at \(priceText(b))" + (net ?? "")
  }

  func bottleneckSentences() -> [String] {
    var s: [String] = []
    let top = Array(relaxation.bottlenecks.prefix(2))
    let printed = relaxation.bottlenecks.map { Fmt.value($0.value) }
    for (n, b) in top.enumerated() {
      let lead = Self.bottleneckLead(rank: n, printedValues: printed)
      let sentence =
        "\(lead) \(words.limit(b.candidate.subject)) (\(b.candidate.kind.rawValue), binding "
        + "\(words.spans(b.candidate.periods))): \(words.stepPhrase(b.candidate, settings: relaxation.settings)), "
        + "it covers \(effectsText(b, limit: 2, afterGains: priceClause(b) + throughClause(b)))"
      s.append(sentence + ".")
    }
    if relaxation.bottlenecks.isEmpty && relaxation.measured > 0 {
      s.append("No binding limit's step covers more demand.")
    }
    let moves = relaxation.tradeOffs.filter { $0.category == .tradeOff }.count
    let sooner = relaxation.tradeOffs.filter { $0.category == .earlier }.count
    var parts: [String] = []
    if moves > 0 {
      parts.append(
        moves == 1
          ? "1 more limit only moves supply between consumers when raised"
          : "\(moves) more limits only move supply between consumers when raised")
    }
    if sooner > 0 {
      parts.append(
        sooner == 1 ? "1 more only covers the same demand sooner" : "\(sooner) more only cover the same demand sooner")
    }
    if !parts.isEmpty { s.append(parts.joined(separator: "; ") + " (trade-offs below).") }
    return s
  }

  /// How the summary opens its sentence on the bottleneck at `rank` (0 or 1), given every
  /// bottleneck's value as the table prints it, best first.
  ///
  /// Limits worth the same printed value are not ranked by the sentences either: the table's
  /// order between them is only the fixed order of limits. So a tie with the limits after it
  /// is said, with their number, and the second of two tied limits is "worth as much".
  static func bottleneckLead(rank: Int, printedValues v: [String]) -> String {
    guard v.indices.contains(rank) else { return rank == 0 ? "The top bottleneck is" : "Next comes" }
    if rank > 0 && v[rank - 1] == v[rank] { return "Worth as much is" }
    let after = v[(rank + 1)...].prefix { $0 == v[rank] }.count
    let tie =
      after == 0
      ? ""
      : rank == 0
        ? (after == 1 ? ", tied with the next," : ", tied with the next \(after),")
        : (after == 1 ? ", tied with the one after it," : ", tied with the \(after) after it,")
    return rank == 0 ? "The top bottleneck\(tie) is" : "Next comes\(tie)"
  }

  func idleSentence() -> String? {
    guard let shares = idleShares(), let main = shares.byReason.first else { return nil }
    return "\(Fmt.percent(shares.idle)) of end-item capacity (value-weighted) stands idle, mostly because of: "
      + "\(main.0) (\(Fmt.percent(main.1)) of the idle capacity)."
  }

  /// End-item products whose capacity the run's scenarios set to a positive level or scale
  /// by more than 1, and that stand idle somewhere, the most idle by value first.
  var raisedProducts: [IdleCapacity] {
    var raised = Set<[Int]>()
    for change in a.scenarios.flatMap(\.changes) {
      switch change {
      case .scaleCapacity(let ps, let items, let factor, _) where factor > 1:
        for p in ps.sorted() {
          for (k, product) in m.producers[p].products.indexed() where items?.contains(product.item) ?? true {
            raised.insert([p.rawValue, k.rawValue])
          }
        }
      case .setCapacity(let p, .item(let k), let level, _) where level > 0: raised.insert([p.rawValue, k.rawValue])
      default: continue
      }
    }
    // The idle table's rows: a product used in full is in no table to check the figure by.
    let lines = idleRows.enumerated().filter { _, l in
      raised.contains([l.producer.rawValue, l.product.rawValue])
        && m.items[m.producers[l.producer].products[l.product].item].kind == .end
    }
    // The most idle by value first, then in order: what a planner would check first.
    let weight = { (l: IdleCapacity) in l.idle * m.items[m.producers[l.producer].products[l.product].item].weight }
    return lines.sorted { (weight($0.element), $1.offset) > (weight($1.element), $0.offset) }.map(\.element)
  }

  /// "Of the end-item capacity the scenario sets or scales up, …": how much of what a scenario adds is
  /// used, and why not where it idles — us-eu-coproduction's PAC-3 line makes nothing, as US
  /// output already meets demand, and a planner reading it alone would not know.
  func raisedCapacitySentence() -> String? {
    let lines = raisedProducts
    guard !lines.isEmpty else { return nil }
    var parts = lines.prefix(3).map { l -> String in
      let product = m.producers[l.producer].products[l.product]
      let item = m.items[product.item]
      var text =
        "\(item.name) at \(m.producers[l.producer].name) makes \(Fmt.count(l.produced)) of "
        + "\(Fmt.count(l.capacity)) \(item.unit)"
      if let why = l.reasons.first, Fmt.percent(l.utilisation) != "100.0 %" {
        text += " (idle: \(words.reason(why.reason)))"
      }
      return text
    }
    if lines.count > 3 { parts.append("\(lines.count - 3) more") }
    return "Of the end-item capacity the scenario sets or scales up, " + Words.list(parts) + "."
  }

  /// "Of the budgets the scenario changes, … spends €8.10 bn of €15.00 bn (54.0 %), with no
  /// money left in 2027-Q1 to 2027-Q3": whether money a scenario adds is spent (ukraine-funded's
  /// covers nothing more; its summary read as the baseline's), in the order of funders.
  func changedBudgetsSentence() -> String? {
    var changed = Set<FunderIndex>()
    for change in a.scenarios.flatMap(\.changes) {
      switch change {
      case .scaleBudget(let f, _, _), .setBudget(let f, _, _): changed.insert(f)
      default: continue
      }
    }
    let uses = a.budgets.filter { changed.contains($0.funder) }
    guard !uses.isEmpty else { return nil }
    let parts = uses.map { b in
      Fmt.money(b.budget) == "€0"
        ? "\(m.funders[b.funder].name) has no money"
        : "\(m.funders[b.funder].name) spends \(Fmt.money(b.spent)) of \(Fmt.money(b.budget)) "
          + "(\(Fmt.percent(b.budget > 0 ? b.spent / b.budget : 0)))"
          + (b.binding.isEmpty ? ", never running out" : ", with no money left in \(words.spans(b.binding))")
    }
    return "Of the budgets the scenario changes, " + parts.joined(separator: "; ") + "."
  }

  /// How many stockpile targets are missed, naming the one furthest from its target (lowest
  /// share reached, then the larger gap, then the table's order): a total by units would add
  /// rounds to missiles and let a large target met hide a small one missed entirely.
  func targetsSentence() -> String? {
    let total = a.targets.reduce(Coverage()) { $0 + $1.coverage }
    guard total.demand > 0 else { return nil }
    let count = a.targets.count
    let missed = a.targets.enumerated().filter { $0.element.isMissed }
    let worst = missed.min { x, y in
      (x.element.coverage.fraction, -x.element.coverage.shortfall, x.offset)
        < (y.element.coverage.fraction, -y.element.coverage.shortfall, y.offset)
    }
    guard let t = worst?.element else {
      return count == 1 ? "The stockpile target is met." : "All \(count) stockpile targets are met."
    }
    let head =
      missed.count == 1
      ? "\(count == 1 ? "The" : "1 of \(count)") stockpile target\(count == 1 ? "" : "s") is missed: "
      : "\(missed.count) of \(count) stockpile targets are missed; the furthest from its target is "
    return head + "\(m.items[t.item].name) for \(m.consumers[t.consumer].name) by the end of \(period(t.period)), "
      + "\(Fmt.words(t.coverage.met)) of \(Fmt.words(t.coverage.demand)) \(words.unit(.item(t.item))) held "
      + "(\(Fmt.percent(t.coverage.fraction)) reached)."
  }

}
