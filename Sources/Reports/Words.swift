import Analysis
import Formulation
import PlanningModel

/// Every word reports say about the model: names of limits, reasons, units.
///
/// Analysis hands over numbers and references; the words live here, in one place.
struct Words {
  let m: PlanningModel

  /// The label of period `t`: "2027-03", or "2027-Q1" with quarterly periods.
  func period(_ t: Int) -> String { m.horizon.label(t) }

  /// "month" or "quarter".
  var periodName: String { m.horizon.length.rawValue }

  /// "2027-01 to 2027-09" or "2027-01"; several spans joined: "2027-01 to 2027-03, 2028-05".
  func spans(_ periods: [Int]) -> String {
    let sorted = Array(Set(periods)).sorted()
    var parts: [String] = []
    var i = 0
    while i < sorted.count {
      var j = i
      while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
      parts.append(sorted[i] == sorted[j] ? period(sorted[i]) : "\(period(sorted[i])) to \(period(sorted[j]))")
      i = j + 1
    }
    return parts.joined(separator: ", ")
  }

  /// The name and unit of a demand key.
  func name(_ key: Demand.Key) -> String { m.describe(key).name }
  func unit(_ key: Demand.Key) -> String { m.describe(key).unit }
  func id(_ key: Demand.Key) -> String { m.id(of: key) }

  /// A selector as written ("US → ua-front").
  func scope(_ s: LinkScope) -> String {
    var text = "\(s.from.text) → \(s.to.text)"
    if let items = s.items { text += " (" + items.map { m.items[$0].id }.joined(separator: ", ") + ")" }
    return text
  }

  /// A relaxed limit in planner words.
  func limit(_ subject: RelaxedSubject) -> String {
    switch subject {
    case .limit(let s): return limit(s)
    case .rule(let r): return "export rule \(scope(m.rules[r].scope))"
    case .chain(let i, _): return "\(m.items[i].name) supply chain, its binding limits together"
    }
  }

  /// A supply chain's limits by item, in the chain's order: "120 mm mortar bomb (HE) at PGZ
  /// and VMZ Sopot; 120 mm mortar bomb body at PGZ" (nil for any other subject).
  func chainParts(_ subject: RelaxedSubject) -> String? {
    guard case .chain(_, let parts) = subject else { return nil }
    var order: [String] = []
    var at: [String: [String]] = [:]
    for part in parts {
      let (item, place): (String, String)
      switch part {
      case .product(let p, let k): (item, place) = (m.items[m.producers[p].products[k].item].name, m.producers[p].name)
      case .line(let p, let l): (item, place) = ("\(m.producers[p].lines[l].name) line", m.producers[p].name)
      case .market(let mi, let s): (item, place) = (m.items[m.markets[mi].supplies[s].item].name, m.markets[mi].name)
      default: (item, place) = (limit(part), "")
      }
      if at[item] == nil { order.append(item) }
      at[item, default: []] += place.isEmpty ? [] : [place]
    }
    return order.map { item in
      let places = at[item] ?? []
      return places.isEmpty ? item : "\(item) at \(Words.list(places))"
    }.joined(separator: "; ")
  }

  func limit(_ subject: Limit.Subject) -> String {
    switch subject {
    case .product(let p, let k):
      let producer = m.producers[p]
      return "\(m.items[producer.products[k].item].name), \(producer.name)"
    case .line(let p, let l):
      return "\(m.producers[p].lines[l].name) line, \(m.producers[p].name)"
    case .market(let mi, let s):
      return "\(m.items[m.markets[mi].supplies[s].item].name) from \(m.markets[mi].name)"
    case .funder(let f): return "budget of \(m.funders[f].name)"
    case .route(let r): return m.routes[r].name
    case .quota(let q): return "quota \(m.quotas[q].id) (\(scope(m.quotas[q].scope)))"
    case .expansion(let p, let e):
      return "expansion cap of \(m.producers[p].expansions[e].name), \(m.producers[p].name)"
    case .investment(let f): return "investment budget of \(m.funders[f].name)"
    case .fleet(let k, let i):
      let system = m.items[i].firedFrom.map { m.items[$0.item].name } ?? "systems"
      return "\(system) held by \(m.consumers[k].name), firing \(m.items[i].name)"
    case .marketWhole(let mi, let supplies):
      let items = supplies.map { m.items[m.markets[mi].supplies[$0].item].name }
      return "\(Words.list(items)) from \(m.markets[mi].name), together"
    }
  }

  /// A stable id for machine-readable outputs: "product:rheinmetall-unterluss:155mm".
  func limitID(_ subject: RelaxedSubject) -> String {
    switch subject {
    case .rule(let r): return "rule:\(r.rawValue + 1)"
    // One id an item, whichever of its limits bind: a comparison or a risk study counts it as
    // one limit across runs and draws (the parts are in report.md's detailed sentence).
    case .chain(let i, _): return "chain:\(m.items[i].id)"
    case .limit(let s):
      switch s {
      case .product(let p, let k): return "product:\(m.producers[p].id):\(m.items[m.producers[p].products[k].item].id)"
      case .line(let p, let l): return "line:\(m.producers[p].id):\(m.producers[p].lines[l].id)"
      case .market(let mi, let s): return "market:\(m.markets[mi].id):\(m.items[m.markets[mi].supplies[s].item].id)"
      case .funder(let f): return "budget:\(m.funders[f].id)"
      case .route(let r): return "route:\(r.rawValue + 1)"
      case .quota(let q): return "quota:\(m.quotas[q].id)"
      case .expansion(let p, let e): return "expansion:\(m.producers[p].id):\(m.producers[p].expansions[e].id)"
      case .investment(let f): return "investment-budget:\(m.funders[f].id)"
      case .fleet(let k, let i): return "fleet:\(m.consumers[k].id):\(m.items[i].id)"
      case .marketWhole(let mi, let supplies):
        return "market:\(m.markets[mi].id):"
          + supplies.map { m.items[m.markets[mi].supplies[$0].item].id }.joined(separator: "+")
      }
    }
  }

  /// What one unit of a limit is counted in: "charge sets", "EUR", "units".
  func limitUnit(_ subject: RelaxedSubject) -> String {
    switch subject {
    case .rule: return "deliveries"
    case .chain: return "units"
    case .limit(let s):
      switch s {
      case .product(let p, let k): return m.items[m.producers[p].products[k].item].unit
      case .market(let mi, let s): return m.items[m.markets[mi].supplies[s].item].unit
      case .funder: return "EUR"
      case .line: return "line units"
      case .route, .quota, .expansion: return "units"
      case .investment: return "EUR million"
      case .fleet(_, let i): return m.items[i].unit
      case .marketWhole: return "units"
      }
    }
  }

  /// The step in words: "+10 % in each of the 24 months it binds (+52,800 rounds in all)",
  /// "+€100.0 M from 2027-01", "lifted".
  func step(_ c: RelaxationCandidate, settings: RelaxationSettings) -> String {
    switch c.kind {
    case .exportRule: return "lifted for every delivery it bars"
    case .budget:
      let from = c.periods.first.map(period) ?? ""
      return "+\(Fmt.money(c.totalStep / Formulation.moneyScale)) from \(from)"
    default:
      let n = c.periods.count
      let percent = Fmt.quantity(settings.fraction(for: c.kind) * 100, decimals: 0)
      if case .limit(.marketWhole(_, let supplies)) = c.subject {
        let each = n == 1 ? "in the \(periodName) they bind" : "in each of the \(n) \(periodName)s they bind"
        return "+\(percent) % of each of its \(supplies.count) supplies \(each)"
      }
      if case .chain(_, let parts) = c.subject {
        let how = settings.fractionByKind.isEmpty ? "+\(percent) %" : "by its kind's step"
        return "\(how) of each of its \(parts.count) limits in the \(periodName)s each binds"
      }
      let each = n == 1 ? "in the \(periodName) it binds" : "in each of the \(n) \(periodName)s it binds"
      return "+\(percent) % \(each) (+\(Fmt.quantity(c.totalStep)) \(limitUnit(c.subject)) in all)"
    }
  }

  /// The step as a phrase: "raised +10 % in …", "lifted for every delivery it bars".
  func stepPhrase(_ c: RelaxationCandidate, settings: RelaxationSettings) -> String {
    c.kind == .exportRule ? step(c, settings: settings) : "raised \(step(c, settings: settings))"
  }

  /// What a relaxation changes for one class, in units of the item: "52,800 rounds of 155 mm
  /// artillery round (HE, complete) for the front line".
  func effect(units: Double, what: RelaxationEffect.What, consumerClass: ConsumerClass) -> String {
    let who = "the " + consumerClass.title.lowercased()
    switch what {
    case .demand(let key):
      return "\(Fmt.value(abs(units))) \(unit(key)) of \(name(key)) for \(who)"
    case .stockpile(let i):
      return "\(Fmt.value(abs(units))) \(m.items[i].unit) of \(m.items[i].name) stockpile for \(who)"
    }
  }

  /// An idle reason in planner words.
  func reason(_ r: IdleReason) -> String {
    switch r {
    case .noDemand: return "no demand"
    case .demandMet: return "demand already met"
    case .ineligible: return "ineligible: export rules bar the consumers who are short"
    case .unfunded: return "unfunded: the consumers who are short have no budget left for it"
    case .starved(let i): return "starved of \(m.items[i].name)"
    case .noSource(let i):
      return "no source of \(m.items[i].name) in its pool: nothing there makes, holds or buys it (check its pool)"
    case .companionShort(let i): return "waiting for \(m.items[i].name) (short)"
    case .assemblyFull(let i): return "no assembly capacity left for \(m.items[i].name)"
    case .lineFull(let p, let l): return "the shared line \(m.producers[p].lines[l].name) is full"
    case .tooLate: return "too late: output would arrive after every shortfall left"
    case .routeOrQuota: return "route capacity or quota used up"
    case .fleetFull: return "its buyers who are short hold too few systems to fire more"
    case .other: return "not needed by the chosen plan"
    }
  }

  /// A short machine-readable name of an idle reason.
  func reasonID(_ r: IdleReason) -> String {
    switch r {
    case .noDemand: return "no-demand"
    case .demandMet: return "demand-met"
    case .ineligible: return "ineligible"
    case .unfunded: return "unfunded"
    case .starved(let i): return "starved:\(m.items[i].id)"
    case .noSource(let i): return "no-source:\(m.items[i].id)"
    case .companionShort(let i): return "companion-short:\(m.items[i].id)"
    case .assemblyFull(let i): return "assembly-full:\(m.items[i].id)"
    case .lineFull(let p, let l): return "line-full:\(m.producers[p].id):\(m.producers[p].lines[l].id)"
    case .fleetFull: return "fleet-full"
    case .tooLate: return "too-late"
    case .routeOrQuota: return "route-or-quota"
    case .other: return "not-needed"
    }
  }

  /// A class's demand in a sentence: "front line demand", "competing demand" (not "competing
  /// demand demand").
  static func demand(of cls: ConsumerClass) -> String {
    let title = cls.title.lowercased()
    return title.hasSuffix(" demand") ? title : title + " demand"
  }

  /// Parts joined as in a sentence: "a, b and c".
  static func list(_ parts: [String]) -> String {
    switch parts.count {
    case 0: return ""
    case 1: return parts[0]
    case 2: return "\(parts[0]) and \(parts[1])"
    default: return parts.dropLast().joined(separator: ", ") + " and " + (parts.last ?? "")
    }
  }

  /// "rounds" → "round", "bodies" → "body", "charge sets" → "charge set".
  static func singular(_ unit: String) -> String {
    var words = unit.split(separator: " ").map(String.init)
    guard var last = words.last else { return unit }
    if last.hasSuffix("ies") {
      last = String(last.dropLast(3)) + "y"
    } else if last.hasSuffix("s") && !last.hasSuffix("ss") && last.count > 1 {
      last.removeLast()
    }
    words[words.count - 1] = last
    return words.joined(separator: " ")
  }
}

extension Bottleneck {
  /// Effects summed per class and demand (what the tables show), largest value first.
  func byClass(_ m: PlanningModel) -> [ClassEffect] {
    struct Key: Hashable {
      let cls: ConsumerClass
      let what: RelaxationEffect.What
    }
    var sums: [Key: ClassEffect] = [:]
    for e in effects {
      let key = Key(cls: m.consumers[e.consumer].consumerClass, what: e.what)
      let old = sums[key] ?? ClassEffect(consumerClass: key.cls, what: e.what, units: 0, value: 0)
      sums[key] = ClassEffect(
        consumerClass: key.cls, what: e.what, units: old.units + e.units, value: old.value + e.value)
    }
    return sums.values.filter { abs($0.units) > 1e-6 }
      .sorted { (abs($0.value), $1.consumerClass, $1.what) > (abs($1.value), $0.consumerClass, $0.what) }
  }
}

/// A relaxation's effect on one class's demand or stockpile of one item.
struct ClassEffect: Hashable {
  let consumerClass: ConsumerClass
  let what: RelaxationEffect.What
  let units: Double
  let value: Double
}
