import Analysis
import Formulation
import Foundation
import PlanningModel

extension ScenarioReport {
  /// Deliveries: one row per producer's part of a shipment, with who paid, the route and
  /// the export rule that allowed it (docs/OUTPUTS.md gives the attribution rules).
  public func allocationsCSV() -> String {
    var w = CSVWriter(header: [
      "producer_id", "producer", "producer_country", "supply_node", "item_id", "item", "unit", "consumer_id",
      "consumer", "class", "shipped", "arrives", "quantity", "node_quantity", "unit_cost_eur", "route_cost_eur",
      "cost_eur", "funder_ids", "funder_shares", "route_id", "route", "lead_time_months", "rule_id", "rule",
    ])
    for s in a.allocation.shipments {
      let node = a.nodes[s.node]
      let item = m.items[s.item]
      let consumer = m.consumers[s.consumer]
      let routeCost = s.route.map { m.routes[$0].cost } ?? 0
      let route =
        s.route.map { ["route:\($0.rawValue + 1)", m.routes[$0].name, Fmt.plain(m.routes[$0].leadTimeMonths)] }
        ?? ["", "none (default lead time)", Fmt.plain(m.settings.defaultLeadTimeMonths)]
      let rule =
        node.members.first.flatMap { m.decidingRule(producer: $0.producer, consumer: s.consumer, item: s.item) }
        .map { ["rule:\($0.rawValue + 1)", "\(words.scope(m.rules[$0].scope)): \(m.rules[$0].note)"] }
        ?? ["", "none (eligible by default)"]
      let funders = [
        s.funders.map { m.funders[$0.funder].id }.joined(separator: ";"),
        s.funders.map { Fmt.plain($0.share, decimals: 6) }.joined(separator: ";"),
      ]
      let nodeIDs = node.members.map { m.producers[$0.producer].id }.joined(separator: "+")
      for part in s.producers {
        let p = m.producers[part.producer]
        w.add(
          [
            p.id, p.name, m.countries[p.country].code, nodeIDs, item.id, item.name, item.unit, consumer.id,
            consumer.name,
            consumer.consumerClass.rawValue, period(s.t),
            s.arrives < m.horizon.periods ? period(s.arrives) : "after horizon", Fmt.plain(part.quantity),
            Fmt.plain(s.quantity), Fmt.plain(node.unitCost), Fmt.plain(routeCost),
            Fmt.plain(part.quantity * (node.unitCost + routeCost)),
          ] + funders + route + rule)
      }
    }
    return w.text
  }

  /// Demand, met, short and unavoidable per consumer, item (or group) and period; targets.
  public func shortfallsCSV() -> String {
    var w = CSVWriter(header: [
      "consumer_id", "consumer", "class", "type", "item_id", "item", "unit", "period", "demand", "met", "shortfall",
      "unavoidable", "coverage",
    ])
    for line in a.demand.sorted(by: { ($0.consumer, $0.key) < ($1.consumer, $1.key) }) {
      let c = m.consumers[line.consumer]
      for (t, cov) in line.coverage.enumerated() where cov.demand > 0 {
        w.add([
          c.id, c.name, c.consumerClass.rawValue, "consumption", words.id(line.key), line.name, line.unit, period(t),
          Fmt.plain(cov.demand), Fmt.plain(cov.met), Fmt.plain(cov.shortfall), Fmt.plain(line.unavoidable[t]),
          Fmt.plain(cov.fraction, decimals: Fmt.fractionDecimals),
        ])
      }
    }
    for target in a.targets {
      let c = m.consumers[target.consumer]
      let item = m.items[target.item]
      let cov = target.coverage
      w.add([
        c.id, c.name, c.consumerClass.rawValue, "stockpile", item.id, item.name, item.unit, period(target.period),
        Fmt.plain(cov.demand), Fmt.plain(cov.met), Fmt.plain(cov.shortfall), Fmt.plain(target.unavoidable),
        Fmt.plain(cov.fraction, decimals: Fmt.fractionDecimals),
      ])
    }
    return w.text
  }

  /// Measured relaxations: bottlenecks by value, then trade-offs, then limits not measured.
  public func bottlenecksCSV() -> String {
    var w = CSVWriter(header: [
      "rank", "category", "limit_id", "limit", "kind", "binds", "step", "step_unit", "value", "money_eur",
      "eur_per_unit",
      "effects", "curve", "marginal", "marginal_period", "range_low", "range_high", "principal_eur_more",
      "principal_eur_less", "principal_moves", "through_input", "through_from", "through_to", "through_units",
      "budget_funder", "budget_consumer", "budget_from", "budget_to", "budget_eur",
    ])
    func add(_ rank: String, _ category: String, _ b: Bottleneck) {
      let c = b.candidate
      let effects = b.byClass(m).map { e -> String in
        let what: String
        switch e.what {
        case .demand(let key): what = words.id(key)
        case .stockpile(let i): what = "\(m.items[i].id) stockpile"
        }
        return "\(e.consumerClass.rawValue): \(what) \(Fmt.plain(e.units))"
      }.joined(separator: "; ")
      let curve = b.curve.map { "x\(Fmt.plain($0.scale)): \(Fmt.plain($0.value, decimals: 6))" }.joined(separator: "; ")
      var marginal = ["", "", "", ""]
      if let mg = b.marginal {
        let r = mg.ranging
        marginal = [
          Fmt.plain(mg.dual, decimals: 9), period(a.formulation.limits[mg.limit].t), Fmt.plain(r.activityRange.lower),
          Fmt.plain(r.activityRange.upper),
        ]
      }
      let stepUnit = c.kind == .budget ? "EUR" : c.kind == .exportRule ? "" : words.limitUnit(c.subject)
      let step = c.kind == .budget ? c.totalStep / Formulation.moneyScale : c.totalStep
      w.add(
        [
          rank, category, words.limitID(c.subject), words.limit(c.subject), c.kind.rawValue, words.spans(c.periods),
          c.kind == .exportRule ? "lifted" : Fmt.plain(step), stepUnit, Fmt.plain(b.value, decimals: 6),
          Fmt.plain(b.money),
          b.eurosPerUnit.map { Fmt.plain($0) } ?? "", effects, curve,
        ] + marginal + principalShift(b) + through(b) + budget(b))
    }
    func budget(_ b: Bottleneck) -> [String] {
      guard let shift = b.budgetShift else { return ["", "", "", "", ""] }
      return [
        m.funders[shift.funder].id, m.consumers[shift.consumer].id,
        m.items[shift.from].id + (shift.isStockpile ? " stockpile" : ""), m.items[shift.to].id, Fmt.plain(shift.euros),
      ]
    }
    func through(_ b: Bottleneck) -> [String] {
      guard let shift = b.inputShift else { return ["", "", "", ""] }
      return [m.items[shift.input].id, m.items[shift.from].id, m.items[shift.to].id, Fmt.plain(shift.units)]
    }
    func principalShift(_ b: Bottleneck) -> [String] {
      guard let shift = b.principalMoneyShift else { return ["", "", ""] }
      let moves = shift.moves.map { "\(Fmt.plain($0.units)) at \(Fmt.plain($0.price))" }.joined(separator: "; ")
      return [Fmt.plain(shift.more), Fmt.plain(shift.less), moves]
    }
    for (n, b) in relaxation.bottlenecks.enumerated() { add("\(n + 1)", "bottleneck", b) }
    for b in relaxation.tradeOffs { add("", "trade-off", b) }
    for c in relaxation.unmeasured {
      w.add(
        ["", "not measured", words.limitID(c.subject), words.limit(c.subject), c.kind.rawValue, words.spans(c.periods)]
          + Array(repeating: "", count: 23))
    }
    return w.text
  }

  /// Capacity, production and the idle reason per product and period.
  public func utilisationCSV() -> String {
    var w = CSVWriter(header: [
      "producer_id", "producer", "item_id", "item", "unit", "period", "capacity", "produced", "utilisation",
      "idle_reason_id", "idle_reason",
    ])
    for i in a.idle {
      let producer = m.producers[i.producer]
      let item = m.items[producer.products[i.product].item]
      for (t, p) in i.periods.enumerated() where p.capacity > 0 || p.produced > 0 {
        w.add([
          producer.id, producer.name, item.id, item.name, item.unit, period(t), Fmt.plain(p.capacity),
          Fmt.plain(p.produced),
          Fmt.plain(p.capacity > 0 ? p.produced / p.capacity : 0, decimals: Fmt.fractionDecimals),
          p.reason.map(words.reasonID) ?? "",
          p.reason.map(words.reason) ?? "",
        ])
      }
    }
    return w.text
  }

  /// Headline figures for other tools; keys sorted, numbers plain, no timings.
  public func summaryJSON() -> String {
    var root: [String: JSONValue] = [:]
    root["data_set"] = .string(m.name)
    root["data_source"] = .string(m.source)
    root["content_sha256"] = .string(m.contentHash)
    root["illustrative"] = .bool(m.illustrative)
    root["scenarios"] = .array(a.scenarios.map { .string($0.name) })
    root["policy"] = .string(a.policy.rawValue)
    root["horizon"] = .object([
      "start": .string(m.horizon.start.description), "periods": .number(Double(m.horizon.periods)),
      "period": .string(m.horizon.length.rawValue),
    ])
    root["glpk_version"] = .string(provenance.glpkVersion)
    root["status"] = .string(a.status.rawValue)
    root["lp"] = .object([
      "rows": .number(Double(a.lpRows)), "columns": .number(Double(a.lpColumns)),
      "nonzeros": .number(Double(a.lpNonZeros)),
    ])
    root["stages"] = .array(
      a.stages.map { .object(["name": .string($0.name), "objective": .number(Allocation.snap($0.objective))]) })
    var classes: [String: JSONValue] = [:]
    for cls in a.classesPresent {
      var items: [String: JSONValue] = [:]
      for r in a.coverage(of: cls) {
        items[words.id(r.key)] = .object([
          "name": .string(words.name(r.key)), "unit": .string(words.unit(r.key)), "demand": .number(r.coverage.demand),
          "delivered": .number(r.coverage.met), "shortfall": .number(r.coverage.shortfall),
          "unavoidable": .number(r.unavoidable), "coverage": .number(r.coverage.fraction),
        ])
      }
      var families: [String: JSONValue] = [:]
      for f in a.familyCoverage(of: cls) {
        families[f.family] = .object([
          "coverage": .number(f.weighted.fraction), "worst_item": .string(f.worst.map { words.id($0.key) } ?? ""),
        ])
      }
      var entry: [String: JSONValue] = ["items": .object(items), "families": .object(families)]
      if let t = a.targetAttainment(of: cls) { entry["stockpile_targets_reached"] = .number(t.fraction) }
      classes[cls.rawValue] = .object(entry)
    }
    root["coverage"] = .object(classes)
    let targets = a.targets.reduce(Coverage()) { $0 + $1.coverage }
    root["stockpile_targets"] = .object([
      "target": .number(targets.demand), "held": .number(targets.met), "reached": .number(targets.fraction),
      "count": .number(Double(a.targets.count)), "missed": .number(Double(a.targets.filter(\.isMissed).count)),
    ])
    root["bottlenecks"] = .array(
      relaxation.bottlenecks.prefix(10).map { b in
        .object([
          "limit_id": .string(words.limitID(b.candidate.subject)), "limit": .string(words.limit(b.candidate.subject)),
          "kind": .string(b.candidate.kind.rawValue), "binds": .string(words.spans(b.candidate.periods)),
          "value": .number(b.value), "money_eur": .number(b.money),
          "eur_per_unit": b.eurosPerUnit.map { .number($0) } ?? .null,
          "principal_eur_more": b.principalMoneyShift.map { .number($0.more) } ?? .null,
          "principal_eur_less": b.principalMoneyShift.map { .number($0.less) } ?? .null,
          "principal_moves": b.principalMoneyShift.map { shift in
            .array(shift.moves.map { .object(["price": .number($0.price), "units": .number($0.units)]) })
          } ?? .null,
          "through": b.inputShift.map { shift in
            .object([
              "input": .string(m.items[shift.input].id), "from": .string(m.items[shift.from].id),
              "to": .string(m.items[shift.to].id), "units": .number(shift.units),
            ])
          } ?? .null,
          "budget": b.budgetShift.map { shift in
            .object([
              "funder": .string(m.funders[shift.funder].id), "consumer": .string(m.consumers[shift.consumer].id),
              "from": .string(m.items[shift.from].id), "to": .string(m.items[shift.to].id),
              "eur": .number(shift.euros), "stockpile": .bool(shift.isStockpile),
            ])
          } ?? .null,
        ])
      })
    root["trade_offs"] = .number(Double(relaxation.tradeOffs.count))
    root["investments_eur"] = .number(a.investments.reduce(0) { $0 + $1.cost })
    root["degenerate"] = .bool(a.degenerate)
    root["summary"] = .string(summary().joined(separator: " "))
    return JSONValue.object(root).render(indent: 0) + "\n"
  }
}

/// A minimal JSON value with deterministic output (sorted keys, plain numbers).
public indirect enum JSONValue: Sendable {
  case string(String)
  case number(Double)
  case bool(Bool)
  case array([JSONValue])
  case object([String: JSONValue])
  /// No value (a figure that does not exist for this row).
  case null

  /// The value as JSON text nested `indent` levels deep (two spaces a level), keys sorted.
  public func render(indent: Int) -> String {
    let pad = String(repeating: "  ", count: indent)
    let inner = String(repeating: "  ", count: indent + 1)
    switch self {
    case .string(let s): return Self.quote(s)
    case .number(let x):
      guard x.isFinite else { return "null" }
      // Six decimals, but never past a double's 15 significant digits, whose binary noise
      // (93,960,732,425.2 printed as …425.199997) would read as a figure.
      let whole = abs(x) < 1 ? 1 : Int(log10(abs(x))) + 1
      return Fmt.plain(x, decimals: max(0, min(6, 15 - whole)))
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .array(let a):
      if a.isEmpty { return "[]" }
      return "[\n" + a.map { inner + $0.render(indent: indent + 1) }.joined(separator: ",\n") + "\n" + pad + "]"
    case .object(let o):
      if o.isEmpty { return "{}" }
      return "{\n"
        + o.keys.sorted().map { key in inner + Self.quote(key) + ": " + (o[key]?.render(indent: indent + 1) ?? "null") }
        .joined(separator: ",\n") + "\n" + pad + "}"
    }
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          out += String(format: "\\u%04x", u.value)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}
