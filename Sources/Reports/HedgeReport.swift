import Analysis
import Formulation
import PlanningModel

/// The report of a hedge question: the hedged plan's first stage, every plan on every path,
/// the value of the stochastic solution and of perfect information (docs/OUTPUTS.md).
public struct HedgeReport {
  let outcome: HedgeOutcome
  let model: PlanningModel
  let provenance: Provenance

  /// The report of `outcome`; `model` names the entities.
  public init(outcome: HedgeOutcome, model: PlanningModel, provenance: Provenance) {
    self.outcome = outcome
    self.model = model
    self.provenance = provenance
  }

  /// One plan on one path, in the report's figures.
  public struct Figures: Sendable, Hashable {
    /// The first stage's objective (the policy's weighted shortfall, or its first measure).
    public let objective: Double
    /// What the plan pays over the horizon (the cost stage), EUR.
    public let cost: Double
    /// Deliveries of the first periods at their price plus expansions ordered in them, EUR.
    public let firstStage: Double
    /// Per class present: its value-weighted coverage of consumption.
    public let coverage: [ConsumerClass: Double]
  }

  /// Classes with consumption demand, in class order.
  var classes: [ConsumerClass] {
    ConsumerClass.allCases.filter { cls in
      outcome.plans.first?.paths.first?.demand.contains { model.consumers[$0.consumer].consumerClass == cls } ?? false
    }
  }

  var probabilities: [Double] { outcome.study.probabilities }
  var first: Int { outcome.study.firstPeriods }

  /// Figures of one plan on one path: every figure snapped as CSV prints it, so sentences
  /// and tables agree to the last digit.
  public func figures(_ a: PlanAnalysis) -> Figures {
    func clean(_ x: Double) -> Double { Allocation.significant(Allocation.snap(x), 9) }
    let delivered = a.allocation.shipments.filter { $0.t < first }.reduce(0.0) {
      $0 + $1.quantity * a.nodes[$1.node].unitCost
    }
    let ordered = a.allocation.builds.filter { $0.decided < first }.reduce(0.0) { total, b in
      let x = model.producers[b.producer].expansions[b.expansion]
      return total + x.cost * b.lots / Double(x.lots ?? 1)
    }
    var coverage: [ConsumerClass: Double] = [:]
    for cls in classes { coverage[cls] = a.weightedCoverage(of: cls)?.fraction ?? 1 }
    return Figures(
      objective: clean(a.stages.first?.objective ?? 0),
      cost: clean((a.stages.first { $0.kind == .cost }?.objective ?? 0) / Formulation.moneyScale),
      firstStage: clean(delivered + ordered), coverage: coverage)
  }

  /// The probability-weighted mean of a figure of a plan over the paths.
  public func expected(_ plan: HedgeOutcome.Evaluated, _ figure: (Figures) -> Double) -> Double {
    let sum = zip(plan.paths, probabilities).reduce(0.0) { $0 + $1.1 * figure(figures($1.0)) }
    return Allocation.significant(Allocation.snap(sum), 9)
  }

  /// A difference of expected objectives, 0 within the stages' tolerance (what a held stage
  /// may give up, so smaller gaps are the solver's, not the plans').
  public func gap(_ a: Double, _ b: Double) -> Double {
    let noise = model.settings.stageTolerance * max(1, abs(a), abs(b))
    return abs(a - b) <= noise ? 0 : a - b
  }

  /// The plan's name in tables and sentences.
  public func name(_ plan: HedgeOutcome.Plan) -> String {
    switch plan {
    case .hedged: return "hedged"
    case .bet(let p): return "plan for \(outcome.study.paths[p])"
    case .meanDemand: return "plan for the mean demand"
    case .perfectInformation: return "perfect information"
    }
  }

  var objectiveName: String { outcome.plans.first?.paths.first?.stages.first?.name ?? "objective" }
  var firstPeriodsText: String {
    first == 0
      ? "no period"
      : first == 1
        ? model.horizon.label(0) : "\(model.horizon.label(0)) to \(model.horizon.label(first - 1))"
  }

  /// The planner's sentences, each from the figures of the tables below.
  public func summary() -> [String] {
    var out: [String] = []
    guard let hedged = outcome.evaluated(.hedged) else { return out }
    let study = outcome.study
    let pathList = Words.list(
      study.paths.indices.map { "\(study.paths[$0]) (\(Fmt.percent(probabilities[$0])))" })
    let h = figures(hedged.paths[0])
    let likely = outcome.mostLikely
    var first =
      "Hedged over \(pathList), the plan for \(firstPeriodsText) buys \(Fmt.money(h.firstStage)) of deliveries and expansion orders"
    if let bet = outcome.evaluated(.bet(path: likely)) {
      let b = figures(bet.paths[0])
      let more = h.firstStage - b.firstStage
      first +=
        "; the plan for \(study.paths[likely]) alone (the most likely path) buys \(Fmt.money(b.firstStage)), so the hedge "
        + (abs(more) < 0.5 ? "buys the same now" : "costs \(Fmt.money(abs(more))) \(more > 0 ? "more" : "less") now")
    }
    out.append(first + ".")
    let eh = expected(hedged, \.objective)
    let ch = expected(hedged, \.cost)
    for plan in outcome.plans where plan.plan == .bet(path: likely) || plan.plan == .meanDemand {
      let eb = expected(plan, \.objective)
      let cb = expected(plan, \.cost)
      let vss = gap(eb, eh)
      var text =
        "Against the \(name(plan.plan))'s first stage (every path re-planned after it), the hedged plan "
      if vss > 0 {
        text += "saves \(Fmt.value(vss)) of expected \(objectiveName) (\(Fmt.value(eb)) against \(Fmt.value(eh)))"
      } else {
        text += "leaves the same expected \(objectiveName) (\(Fmt.value(eh)))"
      }
      let dc = cb - ch
      text +=
        abs(dc) < 0.5
        ? " at the same expected cost"
        : dc > 0 ? " and saves \(Fmt.money(dc)) in expectation" : " and costs \(Fmt.money(-dc)) more in expectation"
      // Birge's value of the stochastic solution is the gap to the mean-demand plan; the gap to
      // one path's plan is what hedging gains over betting on that path.
      out.append(
        text
          + (plan.plan == .meanDemand
            ? ": the value of the stochastic solution." : ": what hedging gains over planning for that path alone."))
    }
    if let missing = outcome.meanDemandMissing { out.append("No mean-demand plan: \(missing).") }
    if let cls = classes.first, let rows = familyRows(hedged, cls), !rows.isEmpty {
      // Per family, never one figure across families (docs/MODEL.md, "Coverage").
      let least = rows.min { ($0.expected, $0.family) < ($1.expected, $1.family) } ?? rows[0]
      out.append(
        "With the hedged plan the \(cls.title.lowercased()) expects, value-weighted within each family, "
          + Words.list(rows.map { "\($0.family) \(Fmt.percent($0.expected))" }) + " of its consumption; its least "
          + "covered family, \(least.family), gets "
          + Words.list(study.paths.indices.map { "\(Fmt.percent(least.paths[$0])) under \(study.paths[$0])" })
          + " (the table after this summary).")
    }
    if let perfect = outcome.evaluated(.perfectInformation) {
      let ep = expected(perfect, \.objective)
      let evpi = gap(eh, ep)
      let saved = ch - expected(perfect, \.cost)
      out.append(
        "Knowing the path before \(model.horizon.label(0)) would "
          + (evpi > 0
            ? "lower the expected \(objectiveName) by \(Fmt.value(evpi)) (to \(Fmt.value(ep)))"
            : "not lower the expected \(objectiveName)")
          + (abs(saved) < 0.5
            ? "" : " and would \(saved > 0 ? "save" : "cost") \(Fmt.money(abs(saved))) in expectation")
          + ": the expected value of perfect information.")
    }
    return out
  }
}

extension HedgeReport {
  /// hedge.md and hedge.html, hedge.csv (every plan on every path, and expected) and
  /// hedge.json.
  public func files() -> FileSet {
    var set = FileSet()
    set.addReport(markdown: "hedge.md", html: "hedge.html", markdown(), charts: [])
    set.add("hedge.csv", csv())
    set.add("hedge.json", json().render(indent: 0) + "\n")
    return set
  }

  func markdown() -> String {
    let study = outcome.study
    var out = "# Hedged plan: \(study.name)\n\n"
    if model.illustrative {
      out += "> **Illustrative data.** The figures are open-source estimates, not official planning figures.\n\n"
    }
    if !study.description.isEmpty { out += study.description + "\n\n" }
    var head = MarkdownTable(["", ""], alignment: [.left, .left])
    head.add(["Data set", "\(model.name) (`\(model.source)`)"])
    head.add(["Content hash", "sha256:" + model.contentHash.prefix(16)])
    if !study.scenarios.isEmpty { head.add(["Under every path", study.scenarios.joined(separator: ", ")]) }
    head.add([
      "Paths",
      Words.list(study.paths.indices.map { "\(study.paths[$0]) (\(Fmt.percent(probabilities[$0])))" }),
    ])
    head.add([
      "Common to all paths",
      "production, deliveries, purchases and expansion orders of \(firstPeriodsText) (\(first) of \(model.horizon.periods) periods)",
    ])
    head.add(["Solver", "GLPK \(provenance.glpkVersion); expansions in any fraction (the LP relaxation of whole lots)"])
    let s = outcome.sizes
    func size(_ v: [Int]) -> String {
      v.count == 3
        ? "\(Fmt.quantity(Double(v[0]))) rows, \(Fmt.quantity(Double(v[1]))) columns, \(Fmt.quantity(Double(v[2]))) non-zeros"
        : ""
    }
    head.add([
      "Linear programs",
      "one path: \(size(s.path)); joined: \(size(s.joined)), \(Fmt.quantity(Double(s.shared))) first-stage columns shared"
        + (s.heldAtZero > 0 ? " (\(s.heldAtZero) held at zero: some path has no use for them)" : ""),
    ])
    out += head.render() + "\n"
    out += "## Summary\n\n" + summary().map { "- " + $0 }.joined(separator: "\n") + "\n\n"
    out += familySection() + plansSection() + firstStageSection() + methodSection()
    out +=
      "Files: `hedge.csv` (every plan on every path, and the expectation), `hedge.json` (the same and the summary).\n"
    return out
  }

  /// Each item family's value-weighted coverage of `cls`'s consumption under `plan` on each
  /// path, and its probability-weighted mean, as the by-family table prints them.
  func familyRows(_ plan: HedgeOutcome.Evaluated, _ cls: ConsumerClass) -> [(
    family: String, paths: [Double], expected: Double
  )]? {
    guard let first = plan.paths.first else { return nil }
    // Each path's families once, not once a family.
    let byPath = plan.paths.map { a in
      Dictionary(a.familyCoverage(of: cls).map { ($0.family, $0.weighted.fraction) }, uniquingKeysWith: { x, _ in x })
    }
    return first.familyCoverage(of: cls).map { family in
      let values = byPath.map { Allocation.significant(Allocation.snap($0[family.family] ?? 1), 9) }
      let mean = zip(values, probabilities).reduce(0.0) { $0 + $1.0 * $1.1 }
      return (family.family, values, Allocation.significant(Allocation.snap(mean), 9))
    }
  }

  /// The hedged plan's coverage of the first class by item family, on each path.
  func familySection() -> String {
    guard let hedged = outcome.evaluated(.hedged), let cls = classes.first,
      let rows = familyRows(hedged, cls), !rows.isEmpty
    else { return "" }
    var t = MarkdownTable(
      ["family"] + outcome.study.paths + ["expected"],
      alignment: [.left] + Array(repeating: .right, count: outcome.study.paths.count + 1))
    for r in rows { t.add([r.family] + r.paths.map(Fmt.percent) + [Fmt.percent(r.expected)]) }
    return "## \(cls.title) by item family, with the hedged plan\n\nValue-weighted within each family, as a "
      + "scenario report's coverage table.\n\n" + t.render() + "\n"
  }

  func plansSection() -> String {
    var out = "## Every plan on every path\n\n"
    out +=
      "Each plan's first stage is fixed and every path then re-planned after it through every stage of the policy; "
      + "*perfect information* plans each path alone from the start. The expectation weighs the paths by their "
      + "probabilities. A plan for one path, or for the mean demand, is its canonical plan: where several plans cost "
      + "the same over that path, the tie-break stage picks one (docs/MODEL.md), and what its first stage costs on the "
      + "other paths, so the value of the stochastic solution in money, is that plan's; another of its equal plans "
      + "could buy its first year differently. The \(objectiveName) is in value units, not rounds: each unit short "
      + "counts its item's weight (docs/MODEL.md), so rounds, missiles and drones add up in one figure.\n\n"
    let classes = self.classes
    var table = MarkdownTable(
      ["plan", "path", "probability", objectiveName, "cost", "first stage"]
        + classes.map { "\($0.title.lowercased()) coverage" },
      alignment: [.left, .left] + Array(repeating: .right, count: 4 + classes.count))
    for plan in outcome.plans {
      for (p, a) in plan.paths.enumerated() {
        let f = figures(a)
        table.add(
          [
            name(plan.plan), outcome.study.paths[p], Fmt.percent(probabilities[p]), Fmt.value(f.objective),
            Fmt.money(f.cost), Fmt.money(f.firstStage),
          ] + classes.map { Fmt.percent(f.coverage[$0] ?? 1) })
      }
      table.add(
        [
          "**\(name(plan.plan))**", "**expected**", "", "**\(Fmt.value(expected(plan, \.objective)))**",
          "**\(Fmt.money(expected(plan, \.cost)))**", Fmt.money(expected(plan, \.firstStage)),
        ]
          + classes.map { cls in Fmt.percent(expected(plan) { $0.coverage[cls] ?? 1 }) })
    }
    out += table.render() + "\n"
    guard let hedged = outcome.evaluated(.hedged) else { return out }
    let eh = expected(hedged, \.objective)
    let ch = expected(hedged, \.cost)
    var values = MarkdownTable(
      ["measure", "against", objectiveName, "cost"], alignment: [.left, .left, .right, .right])
    for plan in outcome.plans where plan.plan != .hedged {
      let e = expected(plan, \.objective)
      let c = expected(plan, \.cost)
      let isPerfect = plan.plan == .perfectInformation
      values.add([
        isPerfect
          ? "expected value of perfect information"
          : plan.plan == .meanDemand ? "value of the stochastic solution" : "gain of hedging over one path's plan",
        name(plan.plan), Fmt.value(isPerfect ? gap(eh, e) : gap(e, eh)), Fmt.money(isPerfect ? ch - c : c - ch),
      ])
    }
    out += values.render() + "\n"
    out +=
      "The value of the stochastic solution is what the mean-demand plan's first stage loses in expectation against "
      + "the hedged one, and the gain of hedging what the plan for one path alone loses; the expected value of "
      + "perfect information is what knowing the path from the start would gain. "
      + "Differences within the stages' tolerance read 0. The cost column is a second figure: each plan spends "
      + "what its own shortfall-first stages leave.\n\n"
    return out
  }

  func firstStageSection() -> String {
    var out = "## The first stage: what to decide now\n\n"
    let compared = outcome.plans.filter { $0.plan != .perfectInformation }
    guard let hedged = compared.first, hedged.plan == .hedged else { return out }
    struct Key: Hashable, Comparable {
      let cls: ConsumerClass
      let item: ItemIndex
      static func < (a: Key, b: Key) -> Bool {
        ((ConsumerClass.allCases.firstIndex(of: a.cls) ?? 0), a.item) < (
          (ConsumerClass.allCases.firstIndex(of: b.cls) ?? 0), b.item
        )
      }
    }
    func delivered(_ a: PlanAnalysis) -> [Key: Double] {
      var out: [Key: Double] = [:]
      for s in a.allocation.shipments where s.t < first {
        out[Key(cls: model.consumers[s.consumer].consumerClass, item: s.item), default: 0] += s.quantity
      }
      return out
    }
    let totals = compared.map { delivered($0.paths[0]) }
    let keys = Set(totals.flatMap(\.keys)).sorted()
    var table = MarkdownTable(
      ["class", "item", "unit"] + compared.map { name($0.plan) },
      alignment: [.left, .left, .left] + compared.map { _ in .right })
    for k in keys {
      table.add(
        [k.cls.title, model.items[k.item].name, model.items[k.item].unit]
          + totals.map { Fmt.quantity($0[k] ?? 0) })
    }
    out += "Deliveries shipped in \(firstPeriodsText), by class and item:\n\n" + table.render() + "\n"
    var orders = MarkdownTable(
      ["producer", "expansion", "ordered"] + compared.map { name($0.plan) + " (lots)" },
      alignment: [.left, .left, .left] + compared.map { _ in .right })
    struct Order: Hashable, Comparable {
      let producer: ProducerIndex
      let expansion: ExpansionIndex
      let t: Int
      static func < (a: Order, b: Order) -> Bool { (a.producer, a.expansion, a.t) < (b.producer, b.expansion, b.t) }
    }
    let lots = compared.map { plan in
      Dictionary(
        plan.paths[0].allocation.builds.filter { $0.decided < first }.map {
          (Order(producer: $0.producer, expansion: $0.expansion, t: $0.decided), $0.lots)
        }, uniquingKeysWith: +)
    }
    let ordered = Set(lots.flatMap(\.keys)).sorted()
    for o in ordered {
      orders.add(
        [
          model.producers[o.producer].name, model.producers[o.producer].expansions[o.expansion].name,
          model.horizon.label(o.t),
        ]
          + lots.map { Fmt.value($0[o] ?? 0) })
    }
    out +=
      ordered.isEmpty
      ? "No plan orders an expansion in \(firstPeriodsText).\n\n"
      : "Expansions ordered in \(firstPeriodsText):\n\n" + orders.render() + "\n"
    return out
  }

  func methodSection() -> String {
    "## Method\n\n"
      + "One linear program holds every path's plan (the deterministic equivalent of a two-stage stochastic program, "
      + "docs/MODEL.md, \"Hedged plans\"): the decisions of \(firstPeriodsText) are single columns every path's "
      + "constraints share, the rest is each path's own, and each stage of the policy minimises the paths' "
      + "probability-weighted objective. The plan for one path and the plan for the mean demand (every demand series "
      + "and target level at its expectation over the paths) are solved alone; their first stages are then fixed in "
      + "the joined program and the paths re-planned after them.\n\n"
  }

  func csv() -> String {
    let classes = self.classes
    var lines = [
      (["plan", "path", "probability", "objective", "cost_eur", "first_stage_eur"]
        + classes.map { "coverage_\($0.rawValue)" }).joined(separator: ",")
    ]
    func cell(_ x: Double) -> String { Fmt.plain(x, decimals: 6) }
    for plan in outcome.plans {
      for (p, a) in plan.paths.enumerated() {
        let f = figures(a)
        lines.append(
          ([
            name(plan.plan), outcome.study.paths[p], cell(probabilities[p]), cell(f.objective), cell(f.cost),
            cell(f.firstStage),
          ] + classes.map { cell(f.coverage[$0] ?? 1) }).map(CSVWriter.escape).joined(separator: ","))
      }
      lines.append(
        ([
          name(plan.plan), "expected", "1", cell(expected(plan, \.objective)), cell(expected(plan, \.cost)),
          cell(expected(plan, \.firstStage)),
        ] + classes.map { cls in cell(expected(plan) { $0.coverage[cls] ?? 1 }) })
        .map(CSVWriter.escape).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  func json() -> JSONValue {
    let hedged = outcome.evaluated(.hedged)
    let eh = hedged.map { expected($0, \.objective) } ?? 0
    let plans: [JSONValue] = outcome.plans.map { plan in
      let e = expected(plan, \.objective)
      var object: [String: JSONValue] = [
        "plan": .string(name(plan.plan)), "expected_objective": .number(e),
        "expected_cost_eur": .number(expected(plan, \.cost)),
        "first_stage_eur": .number(expected(plan, \.firstStage)),
        "paths": .array(
          plan.paths.enumerated().map { p, a in
            let f = figures(a)
            return .object([
              "path": .string(outcome.study.paths[p]), "objective": .number(f.objective), "cost_eur": .number(f.cost),
              "first_stage_eur": .number(f.firstStage),
            ])
          }),
      ]
      switch plan.plan {
      case .hedged: break
      case .perfectInformation: object["evpi"] = .number(gap(eh, e))
      case .bet, .meanDemand: object["vss"] = .number(gap(e, eh))
      }
      return .object(object)
    }
    let s = outcome.sizes
    return .object([
      "hedge": .string(outcome.study.name), "paths": .array(outcome.study.paths.map(JSONValue.string)),
      "probabilities": .array(probabilities.map(JSONValue.number)),
      "first_periods": .number(Double(first)), "objective": .string(objectiveName),
      "summary": .array(summary().map(JSONValue.string)), "plans": .array(plans),
      "mean_demand_missing": outcome.meanDemandMissing.map(JSONValue.string) ?? .null,
      "sizes": .object([
        "path": .array(s.path.map { .number(Double($0)) }), "joined": .array(s.joined.map { .number(Double($0)) }),
        "shared_columns": .number(Double(s.shared)), "held_at_zero": .number(Double(s.heldAtZero)),
      ]),
    ])
  }
}
