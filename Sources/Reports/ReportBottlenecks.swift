import Analysis
import Formulation
import Optimizer
import PlanningModel

/// The bottleneck section: measured relaxations first, shadow prices second.
extension ScenarioReport {
  var relaxation: RelaxationAnalysis { a.relaxation }

  /// How many of the best bottlenecks were measured item by item.
  var detailedCount: Int { relaxation.bottlenecks.filter(\.detailed).count }

  /// "52,800 rounds of 155 mm … for the front line; at the cost of 300 rounds … stockpile for
  /// national readiness" — gains first (then `afterGains`, which qualifies them), then losses,
  /// at most `limit` of each.
  func effectsText(_ b: Bottleneck, limit: Int, afterGains: String = "") -> String {
    guard b.detailed else { return "(value only: not among the \(detailedCount) measured item by item)" }
    let effects = b.byClass(m)
    let gains = effects.filter { $0.units > 0 }
    let losses = effects.filter { $0.units < 0 }
    var parts = gains.prefix(limit).map {
      words.effect(units: $0.units, what: $0.what, consumerClass: $0.consumerClass)
    }
    if gains.count > limit { parts.append(Self.count(gains.count - limit, "smaller gain")) }
    var text = parts.joined(separator: "; ") + afterGains
    if !losses.isEmpty {
      var budgetSaid = false
      var lost = losses.prefix(limit).map { loss -> String in
        var text = words.effect(units: loss.units, what: loss.what, consumerClass: loss.consumerClass)
        if !budgetSaid, let clause = budgetClause(b, loss) {
          text += clause
          budgetSaid = true
        }
        return text
      }
      if losses.count > limit { lost.append(Self.count(losses.count - limit, "smaller loss")) }
      text += (text.isEmpty ? "" : "; ") + "at the cost of " + lost.joined(separator: "; ")
    }
    return text
  }

  /// "1 smaller gain", "2 smaller gains".
  static func count(_ n: Int, _ noun: String) -> String {
    n == 1 ? "1 \(noun)" : "\(n) \(noun)\(noun.hasSuffix("s") ? "es" : "s")"
  }

  /// "€4,000 a round", "€669 a round net", or "—" when no item carries the gain.
  ///
  /// A euro per value unit means nothing to a planner (the money column gives what the step
  /// costs). "Net" when the step also saves on the item's deliveries from some makers
  /// (`netShift`).
  func priceText(_ b: Bottleneck) -> String {
    if let price = b.eurosPerUnit, let p = b.principal {
      let unit: String
      switch p.what {
      case .demand(let key): unit = Words.singular(words.unit(key))
      case .stockpile(let i): unit = Words.singular(m.items[i].unit)
      }
      return "\(Fmt.money(price)) a \(unit)" + (netShift(b) == nil ? "" : " net")
    }
    return "—"
  }

  /// The principal item's deliveries by price, when what it saves at some prices changes the
  /// price shown: what it pays more at the prices it buys more at, over the units covered more,
  /// would print otherwise.
  func netShift(_ b: Bottleneck) -> MoneyShift? {
    guard let shift = b.principalMoneyShift, shift.less < 0, let price = b.eurosPerUnit, let units = b.principalUnits,
      Fmt.money(shift.more / units) != Fmt.money(price)
    else { return nil }
    return shift
  }

  /// "360,000 more at €1,000 and 141,867 fewer at €1,500": the two largest moves each way by
  /// money, then how many more prices (`netShift`).
  func shiftText(_ shift: MoneyShift) -> String {
    func side(_ moves: [PriceMove], _ word: String) -> [String] {
      let sorted = moves.sorted { (abs($0.units * $0.price), $1.price) > (abs($1.units * $1.price), $0.price) }
      var parts = sorted.prefix(2).map { "\(Fmt.quantity(abs($0.units))) \(word) at \(Fmt.money($0.price))" }
      if sorted.count > 2 { parts.append("\(word) at \(sorted.count - 2) more price\(sorted.count == 3 ? "" : "s")") }
      return parts
    }
    return Words.list(
      side(shift.moves.filter { $0.units > 0 }, "more") + side(shift.moves.filter { $0.units < 0 }, "fewer"))
  }

  /// ", by moving 1,234 t of nitrocellulose from 152 mm charges to 155 mm charges": how a
  /// step covers an item not made from what the limit is on (`Bottleneck.inputShift`).
  func throughClause(_ b: Bottleneck) -> String {
    guard let shift = b.inputShift, Fmt.value(shift.units) != "0" else { return "" }
    let input = m.items[shift.input]
    return ", by moving \(Fmt.value(shift.units)) \(input.unit) of \(input.name) from \(m.items[shift.from].name) to "
      + m.items[shift.to].name
  }

  /// ", whose funder (…) has no money left in 2027-Q4 to 2031-Q3: €216.1 M it paid for them
  /// goes to 120 mm mortar bomb (HE) instead", after the loss a budget with none left explains
  /// (`Bottleneck.budgetShift`).
  func budgetClause(_ b: Bottleneck, _ loss: ClassEffect) -> String? {
    guard let shift = b.budgetShift, m.consumers[shift.consumer].consumerClass == loss.consumerClass,
      loss.what == shift.what, Fmt.money(shift.euros) != "€0",
      let use = a.budgets.first(where: { $0.funder == shift.funder })
    else { return nil }
    return ", whose funder (\(m.funders[shift.funder].name)) has no money left in \(words.spans(use.binding)): "
      + "\(Fmt.money(shift.euros)) it paid for them goes to \(m.items[shift.to].name) instead"
  }

  func moneyText(_ money: Double) -> String {
    if money == 0 { return "€0" }
    return money > 0 ? "+\(Fmt.money(money))" : Fmt.money(money)
  }

  func curveText(_ b: Bottleneck) -> String {
    guard !b.curve.isEmpty else { return "—" }
    return b.curve.map { point -> String in
      let label: String
      if b.candidate.kind == .budget {
        label = "+\(Fmt.money(b.candidate.totalStep * point.scale / Formulation.moneyScale))"
      } else {
        label = "+\(Fmt.plain(relaxation.settings.fraction(for: b.candidate.kind) * point.scale * 100, decimals: 1)) %"
      }
      return "\(label): \(Fmt.value(point.value))"
    }.joined(separator: "; ")
  }

  /// The shadow price and its validity: "4.00 in 2027-01, valid +167 / −256".
  func marginalText(_ b: Bottleneck) -> String {
    guard let mg = b.marginal else { return "—" }
    let limit = a.formulation.limits[mg.limit]
    let r = mg.ranging
    let noise = 1e-9 * max(1, abs(r.activity))
    let up = r.activityRange.upper - r.activity
    let down = r.activity - r.activityRange.lower
    // Snapped to 8 significant digits before rounding for the page, as bottlenecks.csv's
    // figures are: a dual of 509.5 reached by two paths differs in its 12th digit, and rounded
    // raw it printed 509 on one and 510 on the other.
    let upText = up.isFinite ? "+\(Fmt.value(Allocation.snap(up > noise ? up : 0)))" : "no upper limit"
    let downText = down.isFinite ? "−\(Fmt.value(Allocation.snap(down > noise ? down : 0)))" : "no lower limit"
    return "\(Fmt.value(Allocation.snap(abs(mg.dual)))) in \(period(limit.t)), valid \(upText) / \(downText)"
  }

  func bottleneckSection() -> String {
    var out = "## Bottlenecks\n\n"
    if provenance.method == .interiorPoint {
      return out
        + "The interior-point method leaves no simplex basis to re-solve from: solve with a simplex method (the default) for bottlenecks.\n\n"
    }
    let s = relaxation.settings
    let byKind = s.fractionByKind.sorted { $0.key < $1.key }.map {
      "\($0.key.rawValue) +\(Fmt.quantity($0.value * 100)) %"
    }
    out +=
      "Every limit that binds somewhere in the plan was raised by a planner-sized step — "
      + "+\(Fmt.quantity(s.fraction * 100)) % of its level in each period it binds"
      + (byKind.isEmpty ? "" : " (\(byKind.joined(separator: ", ")))") + ", budgets +\(Fmt.money(s.budgetStep)), "
      + "export rules lifted — and the plan re-solved through every stage of the policy. "
      + "*Value* ranks them in one currency, the fall of the policy's weighted shortfall: each unit of demand covered counts "
      + "its item's weight × its class's weight × its consumer's priority (stockpile units × "
      + "\(Fmt.value(m.settings.stockpileWeight))), a little more the earlier it falls. "
      + "The best \(detailedCount) were also re-solved through the cost stage: what the step covers, class by class and "
      + "item by item, and *money*, what buyers then pay more for deliveries and expansions. "
      + "*Price*, where one item carries the gain, is what buyers pay more for that item over its units covered more "
      + "(money spent on other items is not in it); *net* where the step also buys fewer of the item at a higher price. "
      + "The shadow price is secondary: the change of the policy's first objective per unit of the limit in its first "
      + "binding period, valid over GLPK's range"
      + (a.degenerate ? " — the optimum is degenerate, so it is one valid value among several." : ".") + "\n\n"
    out +=
      "\(relaxation.binding) limits bind somewhere in the plan (a limit with a zero shadow price provably gains nothing "
    out += "from a step, by convexity, and needs no re-solve): \(relaxation.bottlenecks.count) bottlenecks"
    out += ", \(relaxation.tradeOffs.count) trade-offs"
    out +=
      relaxation.unmeasured.isEmpty ? ".\n\n" : ", \(relaxation.unmeasured.count) not measured (iteration limit).\n\n"
    guard !relaxation.bottlenecks.isEmpty else {
      return out + "No limit's step covers more demand.\n\n" + tradeOffSection()
    }
    var t = MarkdownTable(
      [
        "#", "limit", "kind", "binds", "step", "value", "what the step covers", "money", "price", "curve",
        "shadow price",
      ],
      alignment: [.right, .left, .left, .left, .left, .right, .left, .right, .right, .left, .left])
    let shown = Array(relaxation.bottlenecks.prefix(25))
    for (n, b) in shown.enumerated() {
      t.add([
        "\(n + 1)", words.limit(b.candidate.subject), b.candidate.kind.rawValue, words.spans(b.candidate.periods),
        words.step(b.candidate, settings: s), Fmt.value(b.value), effectsText(b, limit: 2),
        b.detailed ? moneyText(b.money) : "—",
        priceText(b), curveText(b), marginalText(b),
      ])
    }
    out += t.render() + "\n"
    if relaxation.bottlenecks.count > shown.count {
      out += "\(relaxation.bottlenecks.count - shown.count) more in `bottlenecks.csv`.\n\n"
    }
    for (n, b) in shown.prefix(10).enumerated() where b.detailed {
      var line = "\(n + 1). **\(words.limit(b.candidate.subject))** (\(b.candidate.kind.rawValue); binds "
      let phrase = words.stepPhrase(b.candidate, settings: s)
      line += "\(words.spans(b.candidate.periods))). \(phrase.prefix(1).uppercased() + phrase.dropFirst()), it covers "
      var paid =
        b.money > 0
        ? ", for \(Fmt.money(b.money)) more" : b.money < 0 ? ", and buyers pay \(Fmt.money(-b.money)) less" : ""
      if b.eurosPerUnit != nil {
        paid += " (\(priceText(b))" + (netShift(b).map { ": " + shiftText($0) } ?? "") + ")"
      }
      line += effectsText(b, limit: 3, afterGains: paid + throughClause(b))
      if let parts = words.chainParts(b.candidate.subject) { line += ". Its limits: \(parts)" }
      out += line + ".\n"
    }
    return out + "\n" + tradeOffSection()
  }

  func tradeOffSection() -> String {
    guard !relaxation.tradeOffs.isEmpty else { return "" }
    var out = "### Trade-offs\n\n"
    out +=
      "Raising these limits moves supply between consumers, or covers the same demand sooner, and covers nothing more "
    out += "in value.\n\n"
    var t = MarkdownTable(["limit", "kind", "binds", "step", "moves"], alignment: [.left, .left, .left, .left, .left])
    for b in relaxation.tradeOffs {
      t.add([
        words.limit(b.candidate.subject), b.candidate.kind.rawValue, words.spans(b.candidate.periods),
        words.step(b.candidate, settings: relaxation.settings),
        b.category == .earlier ? "the same demand, covered sooner" : effectsText(b, limit: 2),
      ])
    }
    return out + t.render() + "\n"
  }
}
