import Analysis
import Foundation
import PlanningModel

extension ScenarioReport {
  public func allocationsCSV() -> String {
    var w = CSVWriter(header: ["producer", "producer_country", "item", "consumer", "shipped", "arrives", "quantity", "unit_cost_eur"])
    for s in a.allocation.shipments {
      // A node of several producers (same item, price and rules) ships as one.
      let node = a.nodes[s.node]
      let producers = node.members.map { m.producers[$0.producer] }
      var countries: [String] = []
      for p in producers where !countries.contains(m.countries[p.country].code) { countries.append(m.countries[p.country].code) }
      w.add([
        producers.map(\.id).joined(separator: "+"), countries.joined(separator: "+"), m.items[s.item].id, m.consumers[s.consumer].id,
        period(s.t), s.arrives < m.horizon.periods ? period(s.arrives) : "after horizon", Fmt.plain(s.quantity),
        Fmt.plain(node.unitCost),
      ])
    }
    return w.text
  }

  public func shortfallsCSV() -> String {
    var w = CSVWriter(header: ["consumer", "class", "type", "item", "period", "demand", "met", "shortfall", "coverage"])
    for line in a.demand.sorted(by: { ($0.consumer, $0.demand) < ($1.consumer, $1.demand) }) {
      let c = m.consumers[line.consumer]
      let id: String
      switch line.key {
      case .item(let i): id = m.items[i].id
      case .group(let g): id = m.substitutes[g].id
      }
      for (t, cov) in line.coverage.enumerated() where cov.demand > 0 {
        w.add([c.id, c.consumerClass.rawValue, "consumption", id, period(t), Fmt.plain(cov.demand), Fmt.plain(cov.met), Fmt.plain(cov.shortfall), Fmt.plain(cov.fraction, decimals: 4)])
      }
    }
    for target in a.targets {
      let c = m.consumers[target.consumer]
      let cov = target.coverage
      w.add([c.id, c.consumerClass.rawValue, "stockpile", m.items[target.item].id, period(target.period), Fmt.plain(cov.demand), Fmt.plain(cov.met), Fmt.plain(cov.shortfall), Fmt.plain(cov.fraction, decimals: 4)])
    }
    return w.text
  }

  public func bottlenecksCSV() -> String {
    var w = CSVWriter(header: [
      "rank", "stage", "kind", "bottleneck", "from", "to", "level", "limit_unit", "marginal", "value_per_unit", "value_unit",
      "range_low", "range_high", "degenerate", "measured_step", "effects",
    ])
    for (n, b) in a.bottlenecks.enumerated() {
      for sp in b.spans {
        let effects = sp.effects.map { "\($0.what) for \($0.consumer): \(Fmt.plain($0.rate, decimals: 6)) \($0.unit)" }
          .joined(separator: "; ")
        w.add([
          "\(n + 1)", b.stage, b.kind.rawValue, b.name, period(sp.from), period(sp.to), Fmt.plain(sp.level), b.limitUnit,
          Fmt.plain(sp.marginal, decimals: 9), Fmt.plain(sp.value, decimals: 6), b.valueUnit, Fmt.plain(sp.level - sp.rangeDown),
          Fmt.plain(sp.level + sp.rangeUp), sp.degenerate ? "yes" : "no", sp.measuredStep.map { Fmt.plain($0) } ?? "",
          effects,
        ])
      }
    }
    return w.text
  }

  public func utilisationCSV() -> String {
    var w = CSVWriter(header: ["producer", "item", "period", "capacity", "produced", "utilisation", "idle_reason"])
    for i in a.idle {
      let producer = m.producers[i.producer]
      let item = m.items[producer.products[i.product].item]
      for (t, p) in i.periods.enumerated() where p.capacity > 0 || p.produced > 0 {
        w.add([
          producer.id, item.id, period(t), Fmt.plain(p.capacity), Fmt.plain(p.produced),
          Fmt.plain(p.capacity > 0 ? p.produced / p.capacity : 0, decimals: 4), p.reason.map { $0.text(m) } ?? "",
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
    root["lp"] = .object(["rows": .number(Double(a.lpRows)), "columns": .number(Double(a.lpColumns)), "nonzeros": .number(Double(a.lpNonZeros))])
    root["stages"] = .array(a.stages.map { .object(["name": .string($0.name), "objective": .number($0.objective)]) })
    var classes: [String: JSONValue] = [:]
    for cls in a.classesPresent {
      var items: [String: JSONValue] = [:]
      for r in a.coverage(of: cls) {
        items[r.name] = .object([
          "demand": .number(r.coverage.demand), "delivered": .number(r.coverage.met), "shortfall": .number(r.coverage.shortfall),
          "coverage": .number(r.coverage.fraction), "unit": .string(r.unit),
        ])
      }
      var entry: [String: JSONValue] = ["items": .object(items)]
      if let w = a.weightedCoverage(of: cls) { entry["weighted_coverage"] = .number(w.fraction) }
      classes[cls.rawValue] = .object(entry)
    }
    root["coverage"] = .object(classes)
    let targets = a.targets.reduce(Coverage()) { $0 + $1.coverage }
    root["stockpile_targets"] = .object(["target": .number(targets.demand), "held": .number(targets.met), "reached": .number(targets.fraction)])
    root["bottlenecks"] = .array(
      a.bottlenecks.prefix(10).map { b in
        .object([
          "name": .string(b.name), "kind": .string(b.kind.rawValue), "stage": .string(b.stage),
          "total_value": .number(b.totalValue), "value_unit": .string(b.valueUnit),
          "first_period": .string(b.spans.first.map { period($0.from) } ?? ""),
          "value_per_unit": .number(b.spans.first?.value ?? 0),
        ])
      })
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

  public func render(indent: Int) -> String {
    let pad = String(repeating: "  ", count: indent)
    let inner = String(repeating: "  ", count: indent + 1)
    switch self {
    case .string(let s): return Self.quote(s)
    case .number(let x): return x.isFinite ? Fmt.plain(x, decimals: 6) : "null"
    case .bool(let b): return b ? "true" : "false"
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
