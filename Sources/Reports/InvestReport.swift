import Formulation
import Optimizer
import PlanningModel

/// The answer to an investment question as report files: invest.md, portfolio.csv,
/// curve.csv and invest.json (docs/OUTPUTS.md, "Investment reports").
///
/// Every sentence is built from the same figures as the tables beside it.
public struct InvestReport {
  let answer: InvestmentAnswer
  let scenarios: String
  let title: String
  let provenance: Provenance
  var m: PlanningModel { answer.question.formulation.model }
  var q: InvestmentProgram { answer.question }

  /// The report of `answer` for the scenarios named `scenarios`.
  public init(_ answer: InvestmentAnswer, scenarios: String, title: String = "", provenance: Provenance) {
    self.answer = answer
    self.scenarios = scenarios
    self.title = title
    self.provenance = provenance
  }

  /// The report set.
  public func files() -> FileSet {
    var set = FileSet()
    set.addReport(markdown: "invest.md", html: "invest.html", markdown(), charts: charts())
    set.add("portfolio.csv", portfolioCSV())
    set.add("added.csv", addedCSV())
    set.add("curve.csv", curveCSV())
    set.add("invest.json", json().render(indent: 0) + "\n")
    return set
  }

  // MARK: Words

  func period(_ t: Int) -> String { m.horizon.label(t) }

  func optionName(_ o: Int) -> String {
    let option = q.options[o]
    return m.producers[option.producer].expansions[option.expansion].name
  }

  func optionID(_ o: Int) -> String {
    let option = q.options[o]
    return "\(m.producers[option.producer].id):\(m.producers[option.producer].expansions[option.expansion].id)"
  }

  /// The options of a portfolio, by index, in the question's order.
  func options(of c: PortfolioChoice) -> [Int] { c.optionCost.keys.sorted() }

  func optionList(_ c: PortfolioChoice) -> String {
    let names = options(of: c).map(optionName)
    return names.isEmpty ? "no investment" : Words.list(names)
  }

  /// Lots of option `o` in a portfolio: a whole number for an option bought in lots.
  func lots(_ o: Int, in c: PortfolioChoice) -> Double {
    q.options[o].builds.reduce(0) { $0 + (c.lots[$1] ?? 0) }
  }

  /// The unit goal `g` counts in: its item's or group's, else "units".
  func unit(_ g: Int) -> String {
    switch q.goals[g].key {
    case .item(let i): return m.items[i].unit
    case .group(let s): return m.substitutes[s].unit
    case nil: return "units"
    }
  }

  /// What a list of per-goal additions reads as: "147,000 rounds" for one goal, "147,000
  /// rounds (goal 1), 40 missiles (goal 2)" for several.
  func added(_ units: [Double]) -> String {
    let gaining = units.indices.filter { units[$0] > 0.5 }
    if gaining.isEmpty { return "0" }
    if q.goals.count == 1, let g = gaining.first { return "\(Fmt.quantity(units[g])) \(unit(g))" }
    return gaining.map { "\(Fmt.quantity(units[$0])) \(unit($0)) (goal \($0 + 1))" }.joined(separator: ", ")
  }

  /// The unit of the one goal that gains, for "€ per round".
  func gainingUnit(_ units: [Double]) -> String {
    let gaining = units.indices.filter { units[$0] > 0.5 }
    return gaining.count == 1 ? Words.singular(unit(gaining[0])) : "unit"
  }

  /// The lowest coverage a goal reaches over its periods.
  func lowest(_ coverage: [Int: Double]) -> Double { coverage.values.min() ?? 1 }

  /// The first period whose coverage prints as the lowest, and that coverage.
  ///
  /// Periods that print alike are tied: which of them holds the last bits of the minimum is
  /// the solver's path, not the plan (a goal met in full is at 100 % in every period, some
  /// of them at 1 − 10⁻¹⁶), so the earliest is named.
  public static func worstPeriod(_ coverage: [Int: Double]) -> (period: Int, coverage: Double)? {
    guard let low = coverage.values.min() else { return nil }
    return coverage.filter { printed($0.value) == printed(low) }.min { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// A coverage as `Fmt.percent` prints it, in tenths of a per cent: what ties are judged by.
  static func printed(_ coverage: Double) -> Double { (coverage * 1000).rounded() }

  var question: String {
    if let b = answer.budget { return "the most progress towards the goals for at most \(Fmt.money(b))" }
    return "the cheapest portfolio that reaches every goal"
  }

  // MARK: Markdown

  func markdown() -> String {
    var out = "# Investment question: \(title.isEmpty ? scenarios : title)\n\n"
    var head = MarkdownTable(["", ""], alignment: [.left, .left])
    head.add(["Data set", m.name])
    head.add(["Scenarios", scenarios])
    head.add(["Question", question])
    head.add(["Goals", q.goals.map { "`\($0.text)`" }.joined(separator: "; ")])
    let limit = answer.mip.timeLimit.map { "\(Fmt.plain($0)) s" } ?? "none"
    head.add([
      "Solver",
      "GLPK \(provenance.glpkVersion) branch and bound (glp_intopt) after the LP relaxation; relative gap asked "
        + "\(Fmt.percent(answer.mip.relativeGap)), time limit \(limit) per MIP",
    ])
    head.add(["Arsenal", provenance.arsenalVersion])
    out += head.render() + "\n"
    out += "## Answer\n\n" + summary().map { "- \($0)\n" }.joined() + "\n"
    out += goalsSection() + portfolioSection() + alternativesSection() + curveSection() + solverSection()
    out +=
      "## Files\n\n`invest.html` (this report with its chart, one page that prints to A4), `curve.svg`, `portfolio.csv` (the options chosen, their orders and costs), `added.csv` (what the portfolio and "
      + "each option add, goal by goal), `curve.csv` "
      + "(the cost-coverage curve), `invest.json` (everything above).\n"
    return out
  }

  /// The answer in sentences, each from the figures of the tables below.
  public func summary() -> [String] {
    let best = answer.best
    var s: [String] = []
    let n = options(of: best).count
    let what = n == 0 ? "no investment" : "\(n) option\(n == 1 ? "" : "s"): \(optionList(best))"
    if best.reachesGoals {
      s.append(
        "The cheapest portfolio that reaches \(q.goals.count == 1 ? "the goal" : "all \(q.goals.count) goals") "
          + "costs \(Fmt.money(best.cost)) (\(what)).")
    } else {
      // The first goal whose lowest coverage prints as the lowest (`worstPeriod`'s reason).
      let low = { (g: Int) in Self.printed(self.lowest(best.coverage[g])) }
      let worst = q.goals.indices.min { (low($0), $0) < (low($1), $1) } ?? 0
      let budget = answer.budget.map { " within \(Fmt.money($0))" } ?? ""
      s.append(
        "No portfolio\(budget) reaches every goal: the closest leaves `\(q.goals[worst].text)` at "
          + "\(Fmt.percent(lowest(best.coverage[worst]))) in its worst period; it costs \(Fmt.money(best.cost)) "
          + "(\(what)).")
      if n == 0 && best.proven {
        // Proven by the gap stages: the least gap over every portfolio is the gap with none.
        let k = q.options.count
        s.append(
          "No portfolio of the \(k) expansion option\(k == 1 ? "" : "s") in the data set\(budget) brings the goals "
            + "closer than buying nothing: what holds them back is a limit that no option raises in time and within "
            + "the investment budgets.")
      }
    }
    for g in q.goals.indices where answer.unitsAdded[g] > 0.5 {
      s.append(
        "With it \(Fmt.quantity(answer.unitsAdded[g])) more \(unit(g)) of `\(q.goals[g].text)` can be met than "
          + "with no investment, the goals' demand served first (\(Fmt.quantity(answer.shortWithout[g])) short "
          + "without, \(Fmt.quantity(answer.shortWith[g])) with)"
          + (answer.averageEURPerUnit.map { ": \(Fmt.money($0)) per \(gainingUnit(answer.unitsAdded)) on average." }
            ?? "."))
    }
    if best.proven {
      s.append("The optimum is proven: every MIP closed within the gap asked for.")
    } else {
      let stages: [(String, MIPSummary?)] = [
        ("worst fraction missed", best.goalStage), ("total gap", best.gapStage), ("cost", best.costStage),
        ("latest decisions", best.timingStage),
      ]
      let open = stages.compactMap { name, stage -> String? in
        guard let stage, !stage.proven else { return nil }
        let gap = stage.gap.map { ", relative gap \(Fmt.percent($0))" } ?? ""
        return "the \(name) MIP ended \(stage.status.rawValue)\(gap)"
      }
      s.append("The optimum is not proven: \(Words.list(open)).")
    }
    if let runnerUp = answer.alternatives.first, runnerUp.choice.found {
      let c = runnerUp.choice
      // Gaps are held to 10⁻⁷ plus 10⁻⁶ relative: closer than that, two portfolios are as good.
      if c.reachesGoals == best.reachesGoals && (abs(c.gap - best.gap) <= 1e-5 || best.reachesGoals) {
        let more = best.cost > 0 ? (c.cost - best.cost) / best.cost : 0
        s.append(
          "The closest runner-up does without \(optionName(runnerUp.without)): \(Fmt.money(c.cost)) "
            + "(\(more <= 0.05 ? "within 5 %, a close choice" : "\(Fmt.percent(more)) more")).")
      } else {
        s.append(
          "Without \(optionName(runnerUp.without)) no portfolio comes as close to the goals: every chosen option is "
            + "needed.")
      }
    }
    s += kneeSentences()
    return s
  }

  /// The curve's knees in words: a level after which the next costs at least twice as much
  /// per point, apart from the last level a portfolio reaches, which is said as such.
  func kneeSentences() -> [String] {
    let curve = answer.curve
    let knees = curve.indices.filter { curve[$0].knee }
    let edge = knees.filter { $0 + 1 < curve.count && !curve[$0 + 1].choice.reachesGoals }
    let steep = knees.filter { !edge.contains($0) }
    var s: [String] = []
    if !steep.isEmpty {
      s.append(
        "The cost-coverage curve turns at \(Words.list(steep.map { Fmt.percent(curve[$0].level) })): beyond "
          + "\(steep.count == 1 ? "it" : "each") the next step of coverage costs at least twice as much per point.")
    }
    for i in edge {
      s.append(
        "\(Fmt.percent(curve[i].level)) is the highest level of the curve that a portfolio reaches, at "
          + "\(Fmt.money(curve[i].choice.cost)): none reaches \(Fmt.percent(curve[i + 1].level)).")
    }
    return s
  }

  func goalsSection() -> String {
    var t = MarkdownTable(
      ["goal", "periods", "demand", "lowest coverage", "in", "reached"],
      alignment: [.left, .left, .right, .right, .left, .left])
    for (g, goal) in q.goals.enumerated() {
      let periods = q.goalDemand[g].keys.sorted()
      let coverage = answer.best.coverage.indices.contains(g) ? answer.best.coverage[g] : [:]
      let worst = Self.worstPeriod(coverage)
      t.add([
        "`\(goal.text)`", periods.first.map { "\(period($0)) to \(period(periods.last ?? $0))" } ?? "none",
        Fmt.quantity(q.totalDemand(g)), worst.map { Fmt.percent($0.coverage) } ?? "—",
        worst.map { period($0.period) } ?? "—", lowest(coverage) >= goal.fraction - 1e-5 ? "yes" : "no",
      ])
    }
    return
      "## Goals\n\nCoverage is the portfolio's plan as the MIP found it, the goals' demand put before all other "
      + "demand (the scenario's own plan, which weighs all demand, may cover less of it): at least the goal wherever "
      + "the goal is reached (the cheapest plan meets no more than it must).\n\n" + t.render() + "\n"
  }

  func portfolioSection() -> String {
    let best = answer.best
    guard !answer.chosen.isEmpty else { return "## Portfolio\n\nNo option is bought.\n\n" }
    var t = MarkdownTable(
      ["option", "producer", "lots", "decided", "build", "arrives", "capital", "running", "added", "€ per unit added"],
      alignment: [.left, .left, .right, .left, .right, .left, .right, .right, .right, .right])
    for c in answer.chosen {
      let option = q.options[c.option]
      let e = m.producers[option.producer].expansions[option.expansion]
      let first = c.builds.min { ($0.decided, $0.buildTime) < ($1.decided, $1.buildTime) }
      let lotsText =
        e.lots.map { "\(Fmt.plain(lots(c.option, in: best))) of \($0)" }
        ?? "\(Fmt.percent(lots(c.option, in: best))) of it"
      t.add([
        e.name, m.producers[option.producer].name, lotsText, first.map { period($0.decided) } ?? "—",
        first.map { "\($0.buildTime) \(m.horizon.length == .quarter ? "quarters" : "months")" } ?? "—",
        first.map { period($0.arrives) } ?? "—", Fmt.money(c.cost.capital), Fmt.money(c.cost.running),
        added(c.unitsAdded), c.eurPerUnit.map { "\(Fmt.money($0)) a \(gainingUnit(c.unitsAdded))" } ?? "—",
      ])
    }
    var out = "## Portfolio\n\n"
    out +=
      "*Added* is measured: the goals' demand that can be met with the portfolio and not when re-solved without that "
      + "option (the others kept), the goals' demand served first; *€ per unit added* is the option's capital and "
      + "running cost over it (marginal; given when it adds to one goal only). Capital is paid evenly over the "
      + "build.\n\n"
    out += t.render() + "\n"
    out +=
      "The whole portfolio: \(Fmt.money(best.cost)) for \(added(answer.unitsAdded)) added"
      + (answer.averageEURPerUnit.map { ", \(Fmt.money($0)) per \(gainingUnit(answer.unitsAdded)) on average" } ?? "")
      + ".\n\n"
    return out
  }

  func alternativesSection() -> String {
    guard !answer.alternatives.isEmpty else { return "" }
    var t = MarkdownTable(
      ["without", "cost", "against the optimum", "reaches the goals", "options"],
      alignment: [.left, .right, .right, .left, .left])
    for a in answer.alternatives {
      let c = a.choice
      guard c.found else {
        t.add([optionName(a.without), "—", "—", "no portfolio found in time", "—"])
        continue
      }
      let more = answer.best.cost > 0 ? (c.cost - answer.best.cost) / answer.best.cost : 0
      t.add([
        optionName(a.without), Fmt.money(c.cost), "+" + Fmt.percent(more), c.reachesGoals ? "yes" : "no",
        optionList(c),
      ])
    }
    return
      "## Runner-ups\n\nThe cheapest portfolio that does without each chosen option in turn: how close the choice "
      + "is.\n\n" + t.render() + "\n"
  }

  func curveSection() -> String {
    guard !answer.curve.isEmpty else { return "" }
    var t = MarkdownTable(
      ["goal level", "reached", "cost", "options", "knee"], alignment: [.right, .left, .right, .left, .left])
    for p in answer.curve {
      let c = p.choice
      t.add([
        Fmt.percent(p.level), c.found ? (c.reachesGoals ? "yes" : "no") : "not solved in time",
        c.found ? Fmt.money(c.cost) : "—", c.found ? optionList(c) : "—", p.knee ? "knee" : "",
      ])
    }
    return
      "## Cost-coverage curve\n\nEvery goal set to the same level in turn; where no portfolio reaches a level, the "
      + "cost is that of the closest. A *knee* is a level after which the next step costs at least twice as much "
      + "per point of coverage as the step before, or cannot be reached.\n\n" + t.render() + "\n"
  }

  func solverSection() -> String {
    var t = MarkdownTable(
      ["MIP", "status", "LP relaxation", "best solution", "best bound", "gap", "nodes"],
      alignment: [.left, .left, .right, .right, .right, .right, .right])
    func row(_ name: String, _ s: MIPSummary?, money: Bool) {
      guard let s else { return }
      func v(_ x: Double?) -> String {
        guard let x else { return "—" }
        return money ? Fmt.money(x / Formulation.moneyScale) : Fmt.plain(x, decimals: 6)
      }
      t.add([
        name, s.status.rawValue, v(s.relaxationBound), v(s.objective), v(s.bestBound),
        s.gap.map(Fmt.percent) ?? "—", Fmt.quantity(Double(s.nodes)),
      ])
    }
    row("worst fraction of a goal missed", answer.best.goalStage, money: false)
    row("total gap, the worst held", answer.best.gapStage, money: false)
    row("cost, the goals held", answer.best.costStage, money: true)
    row("latest decisions, the cost held", answer.best.timingStage, money: false)
    return
      "## Solver\n\nThe question is answered lexicographically: first the worst fraction of a goal missed in any "
      + "period is minimised (0 when every goal can be reached); when it is not 0, then the goals' total gap with it "
      + "held; then the cost with both held; then, among portfolios of that cost, the one whose decisions come "
      + "latest (Σ lots × periods before the horizon's end). Each MIP starts from its LP relaxation, whose optimum bounds what any "
      + "portfolio can do.\n\n" + t.render() + "\n"
  }

  /// The cost-coverage curve as a chart: the portfolio's cost against the goal level, the
  /// levels no portfolio reaches left out, the knees marked.
  func charts() -> [ReportChart] {
    let points = answer.curve.filter { $0.choice.found && $0.choice.reachesGoals }
    guard points.count >= 2 else { return [] }
    let xs = points.map { $0.level * 100 }
    let series = [Chart.Series(name: "cheapest portfolio", values: points.map { $0.choice.cost / 1e6 })]
    let rules = points.filter(\.knee).map { (x: $0.level * 100, label: "knee at \(Fmt.percent($0.level))") }
    let title = "Cost of reaching each goal level"
    let svg = Chart.lines(
      id: "curve", title: title,
      description: "The cheapest portfolio's cost (EUR million) for every goal set to each level; dashed rules mark "
        + "the knees" + (rules.isEmpty ? "" : ": " + rules.map(\.label).joined(separator: "; ")) + ".",
      x: xs, xTickLabels: xs.map { ($0, Fmt.plain($0, decimals: 2) + " %") }, series: series, rules: rules,
      axis: "EUR million", xAxis: "goal level", format: { Fmt.quantity($0, decimals: $0 < 10 ? 1 : 0) })
    return [ReportChart(file: "curve.svg", section: "Cost-coverage curve", title: title, svg: svg)]
  }

  // MARK: CSV and JSON

  func portfolioCSV() -> String {
    var csv = CSVWriter(header: [
      "option_id", "option", "producer_id", "lots", "decided", "build_periods", "arrives", "option_capital_eur",
      "option_running_eur",
    ])
    for c in answer.chosen {
      let option = q.options[c.option]
      for b in c.builds {
        csv.add([
          optionID(c.option), optionName(c.option), m.producers[option.producer].id, Fmt.plain(b.lots, decimals: 6),
          period(b.decided), String(b.buildTime), period(b.arrives), Fmt.plain(c.cost.capital),
          Fmt.plain(c.cost.running),
        ])
      }
    }
    return csv.text
  }

  /// What the portfolio and each option add, goal by goal.
  func addedCSV() -> String {
    var csv = CSVWriter(header: [
      "what", "option_id", "goal", "unit", "short_without", "units_added", "cost_eur", "eur_per_unit_added",
    ])
    for g in q.goals.indices {
      csv.add([
        "portfolio", "", q.goals[g].text, unit(g), Fmt.plain(answer.shortWithout[g]), Fmt.plain(answer.unitsAdded[g]),
        Fmt.plain(answer.best.cost), answer.averageEURPerUnit.map { Fmt.plain($0) } ?? "",
      ])
    }
    for c in answer.chosen {
      for g in q.goals.indices {
        csv.add([
          "option", optionID(c.option), q.goals[g].text, unit(g), "", Fmt.plain(c.unitsAdded[g]),
          Fmt.plain(c.cost.total), c.eurPerUnit.map { Fmt.plain($0) } ?? "",
        ])
      }
    }
    return csv.text
  }

  func curveCSV() -> String {
    var csv = CSVWriter(header: ["level", "found", "reaches_goals", "gap", "cost_eur", "options", "knee", "proven"])
    for p in answer.curve {
      let c = p.choice
      csv.add([
        Fmt.plain(p.level, decimals: Fmt.fractionDecimals), c.found ? "true" : "false",
        c.reachesGoals ? "true" : "false", c.found ? Fmt.plain(c.gap, decimals: Fmt.fractionDecimals) : "",
        c.found ? Fmt.plain(c.cost) : "", options(of: c).map(optionID).joined(separator: ";"),
        p.knee ? "true" : "false", c.proven ? "true" : "false",
      ])
    }
    return csv.text
  }

  func choiceJSON(_ c: PortfolioChoice) -> JSONValue {
    .object([
      "found": .bool(c.found), "reaches_goals": .bool(c.reachesGoals),
      "gap": c.found ? .number(c.gap) : .null, "cost_eur": c.found ? .number(c.cost) : .null,
      "options": .array(options(of: c).map { .string(optionID($0)) }), "proven": .bool(c.proven),
    ])
  }

  func json() -> JSONValue {
    func mip(_ s: MIPSummary?) -> JSONValue {
      guard let s else { return .null }
      return .object([
        "status": .string(s.status.rawValue), "relaxation_bound": s.relaxationBound.map(JSONValue.number) ?? .null,
        "objective": s.objective.map(JSONValue.number) ?? .null,
        "best_bound": s.bestBound.map(JSONValue.number) ?? .null, "gap": s.gap.map(JSONValue.number) ?? .null,
        "nodes": .number(Double(s.nodes)),
      ])
    }
    return .object([
      "scenarios": .string(scenarios),
      "goals": .array(
        q.goals.enumerated().map { g, goal in
          .object([
            "goal": .string(goal.text),
            "lowest_coverage": .number(
              lowest(answer.best.coverage.indices.contains(g) ? answer.best.coverage[g] : [:])),
          ])
        }),
      "budget_eur": answer.budget.map(JSONValue.number) ?? .null,
      "portfolio": choiceJSON(answer.best),
      "chosen": .array(
        answer.chosen.map { c in
          .object([
            "option": .string(optionID(c.option)), "lots": .number(lots(c.option, in: answer.best)),
            "capital_eur": .number(c.cost.capital), "running_eur": .number(c.cost.running),
            "units_added": .array(c.unitsAdded.map(JSONValue.number)),
            "eur_per_unit_added": c.eurPerUnit.map(JSONValue.number) ?? .null,
            "orders": .array(
              c.builds.map { b in
                .object([
                  "decided": .string(period(b.decided)), "arrives": .string(period(b.arrives)),
                  "lots": .number(b.lots),
                ])
              }),
          ])
        }),
      "short_without_investment": .array(answer.shortWithout.map(JSONValue.number)),
      "short_with_portfolio": .array(answer.shortWith.map(JSONValue.number)),
      "average_eur_per_unit_added": answer.averageEURPerUnit.map(JSONValue.number) ?? .null,
      "alternatives": .array(
        answer.alternatives.map {
          .object(["without": .string(optionID($0.without)), "portfolio": choiceJSON($0.choice)])
        }
      ),
      "curve": .array(
        answer.curve.map { p in
          .object(["level": .number(p.level), "knee": .bool(p.knee), "portfolio": choiceJSON(p.choice)])
        }),
      "mip": .object(["goals": mip(answer.best.goalStage), "cost": mip(answer.best.costStage)]),
    ])
  }
}
