import Formulation
import LinearProgram
import Optimizer
import PlanningModel

/// Why capacity stood idle, in the brief's words.
public enum IdleReason: Sendable, Hashable, Comparable {
  /// No active consumer asks for the item.
  case noDemand
  /// Every consumer's demand for the item is already met.
  case demandMet
  /// Consumers short of the item may not receive it from this producer (export rules).
  case ineligible
  /// Consumers short of the item have no money for it: their funders' budgets are spent,
  /// or none of their funders may buy from this producer.
  case unfunded
  /// An input of the item is exhausted in the producer's pool.
  case starved(input: Int)
  /// A component waits for a companion component that is short (shells without charges).
  case companionShort(input: Int)
  /// The plants that would use this component have no assembly capacity left.
  case assemblyFull(item: Int)
  /// A line the product shares with others is running at its capacity.
  case lineFull(producer: Int, line: Int)
  /// Deliveries would arrive after the last demand inside the horizon.
  case tooLate
  /// Route capacity or a quota is used up.
  case routeOrQuota
  /// None of the above: cost or timing choices among equivalent plans.
  case other

  public func text(_ m: PlanningModel) -> String {
    switch self {
    case .noDemand: return "no demand"
    case .demandMet: return "demand already met"
    case .ineligible: return "ineligible: export rules bar the consumers who are short"
    case .unfunded: return "unfunded: the consumers who are short have no budget left for it"
    case .starved(let i): return "starved of \(m.items[i].name)"
    case .companionShort(let i): return "waiting for \(m.items[i].name) (short)"
    case .assemblyFull(let i): return "no assembly capacity left for \(m.items[i].name)"
    case .lineFull(let p, let l): return "the shared \(m.producers[p].lines[l].name) line is full"
    case .tooLate: return "end of horizon: output would arrive after the last need"
    case .routeOrQuota: return "route capacity or quota used up"
    case .other: return "not needed by the chosen plan"
    }
  }

  public static func < (a: IdleReason, b: IdleReason) -> Bool { a.order < b.order }

  private var order: Int {
    switch self {
    case .noDemand: return 0
    case .demandMet: return 1
    case .ineligible: return 2
    case .unfunded: return 3
    case .starved(let i): return 100 + i
    case .companionShort(let i): return 10_000 + i
    case .assemblyFull(let i): return 20_000 + i
    case .lineFull(let p, let l): return 30_000 + p * 100 + l
    case .tooLate: return 4
    case .routeOrQuota: return 5
    case .other: return 6
    }
  }
}

/// Capacity of one product that was not used, and why.
public struct IdleCapacity: Sendable, Hashable {
  public let producer: Int
  public let product: Int
  public let capacity: Double
  public let produced: Double
  public var idle: Double { max(0, capacity - produced) }
  public var utilisation: Double { capacity > 0 ? produced / capacity : 0 }
  /// Idle units by reason, largest first.
  public let reasons: [(reason: IdleReason, units: Double)]
  /// Per period: capacity, production, the reason (nil when fully used).
  public let periods: [(capacity: Double, produced: Double, reason: IdleReason?)]

  public static func == (a: IdleCapacity, b: IdleCapacity) -> Bool {
    a.producer == b.producer && a.product == b.product && a.capacity == b.capacity && a.produced == b.produced
  }

  public func hash(into h: inout Hasher) {
    h.combine(producer)
    h.combine(product)
  }
}

extension PlanAnalysis {
  static func idleCapacity(_ f: Formulation, _ a: Allocation, _ solution: LPSolution) -> [IdleCapacity] {
    let m = f.model
    let T = m.horizon.periods
    let active = m.consumers.indices.filter { m.consumers[$0].active }

    // Unmet demand (shortfall or target gap) per consumer, item, period.
    var unmet: [Int: [Int: [Double]]] = [:]  // item → consumer → per period
    for k in active {
      let c = m.consumers[k]
      for (d, demand) in c.demand.enumerated() {
        let members: [Int]
        switch demand.key {
        case .item(let i): members = [i]
        case .group(let g): members = m.substitutes[g].members.map(\.item)
        }
        for t in 0..<T where a.shortfall[k][d][t] > 1e-6 {
          for i in members { unmet[i, default: [:]][k, default: [Double](repeating: 0, count: T)][t] += a.shortfall[k][d][t] }
        }
      }
      for (ti, target) in c.targets.enumerated() where a.targetGap[k][ti] > 1e-6 {
        unmet[target.item, default: [:]][k, default: [Double](repeating: 0, count: T)][target.period] += a.targetGap[k][ti]
      }
    }
    var demanded = Set<Int>()
    for k in active {
      for d in m.consumers[k].demand where d.quantity.contains(where: { $0 > 0 }) {
        switch d.key {
        case .item(let i): demanded.insert(i)
        case .group(let g): demanded.formUnion(m.substitutes[g].members.map(\.item))
        }
      }
      for target in m.consumers[k].targets where target.level > 0 { demanded.insert(target.item) }
    }

    // Funders out of money per period: with carry-over, money spent later could have been
    // saved, so a funder that has spent everything by period s is out of money before s too.
    var budgetBinding: [Int: Set<Int>] = [:]  // funder → periods
    for (fu, funder) in m.funders.enumerated() {
      let exhausted = PlanAnalysis.moneyExhausted(funder, spend: a.spend[fu])
      if funder.carryOver, let last = exhausted.max() {
        budgetBinding[fu] = Set(0...last)
      } else {
        budgetBinding[fu] = Set(exhausted)
      }
    }
    // Binding route and quota rows per period (from the final solution).
    var routeBinding = Set<[Int]>()  // [route, t] with a binding capacity row
    var quotaBinding = Set<[Int]>()  // [quota, t] with a binding row
    for (i, role) in f.rowRoles.enumerated() {
      let atLimit = solution.rowStatus.isEmpty ? false : solution.rowStatus[i] == .atUpper
      let b = f.program.rowBounds[i].upper
      let tight = atLimit || (b.isFinite && solution.rowActivities[i] >= b - 1e-6 * max(1, abs(b)))
      switch role {
      case .routeCapacity(let r, let t) where tight:
        routeBinding.insert([r, t])
      case .quota(let q, let t) where tight:
        quotaBinding.insert([q, t])
      default: continue
      }
    }
    // Spare supply of each component or material per pool and period.
    func spare(_ g: Int, _ j: Int, _ t: Int) -> Double {
      var s = 0.0
      for (p, producer) in m.producers.enumerated() where producer.pool == g {
        for (k, product) in producer.products.enumerated() where product.item == j {
          s += max(0, product.capacity[t] - a.production[p][k][t])
        }
      }
      for (mi, market) in m.markets.enumerated() {
        for (si, supply) in market.supplies.enumerated() where supply.item == j && supply.pools.contains(g) {
          s += max(0, supply.limit[t] - a.purchases[mi][si][t])
        }
      }
      if t > 0 { s += a.poolStock[g][j][t - 1] }
      return s
    }
    let funderOf: [Int: [Int]] = Dictionary(
      uniqueKeysWithValues: active.map { k in (k, m.funders.indices.filter { m.funders[$0].paysFor.consumers.contains(k) }) })

    func endItemReason(_ p: Int, _ i: Int, _ t: Int) -> IdleReason {
      guard demanded.contains(i) else { return .noDemand }
      let short = (unmet[i] ?? [:]).filter { _, series in series[t...].contains { $0 > 1e-6 } }
      if short.isEmpty { return .demandMet }
      let eligible = short.keys.sorted().filter { m.isEligible(producer: p, consumer: $0, item: i) }
      if eligible.isEmpty { return .ineligible }
      let inTime = eligible.filter { k in
        let lead = m.leadTime(route: m.route(producer: p, consumer: k, item: i))
        return (unmet[i]?[k] ?? []).indices.contains { $0 >= t + lead && (unmet[i]?[k]?[$0] ?? 0) > 1e-6 }
      }
      if inTime.isEmpty { return .tooLate }
      let funded = inTime.filter { k in
        guard let fs = funderOf[k], !fs.isEmpty else { return true }
        let allowed = fs.filter { m.funders[$0].buysFrom?.producers.contains(p) ?? true }
        return allowed.contains { !(budgetBinding[$0]?.contains(t) ?? false) }
      }
      if funded.isEmpty { return .unfunded }
      // Every consumer still reachable is behind a full route or quota.
      let blocked = funded.allSatisfy { k in
        if let r = m.route(producer: p, consumer: k, item: i), routeBinding.contains([r, t]) { return true }
        return m.quotas.indices.contains { q in
          quotaBinding.contains([q, t]) && m.quotas[q].from.producers.contains(p) && m.quotas[q].to.consumers.contains(k)
            && (m.quotas[q].items?.contains(i) ?? true)
        }
      }
      if blocked { return .routeOrQuota }
      let pool = m.producers[p].pool
      for input in m.items[i].billOfMaterials where spare(pool, input.item, t) < 1e-6 {
        return .starved(input: input.item)
      }
      return .other
    }

    // Why a component (or made material) at p was not needed in t: ask the plants in the
    // pool that would use it.
    func componentReason(_ p: Int, _ j: Int, _ t: Int, depth: Int = 0) -> IdleReason {
      let pool = m.producers[p].pool
      var reasons: [IdleReason] = []
      for (q, producer) in m.producers.enumerated() where producer.pool == pool {
        for (k, product) in producer.products.enumerated()
        where product.capacity[t] > 0 && m.items[product.item].billOfMaterials.contains(where: { $0.item == j }) {
          let u = product.item
          // Another input of u exhausted: j waits for it.
          if let other = m.items[u].billOfMaterials.first(where: { $0.item != j && spare(pool, $0.item, t) < 1e-6 }) {
            reasons.append(.companionShort(input: other.item))
          } else if a.production[q][k][t] >= product.capacity[t] * (1 - 1e-6) {
            reasons.append(.assemblyFull(item: u))
          } else if m.items[u].kind == .end {
            reasons.append(endItemReason(q, u, t))
          } else if depth < 4 {
            reasons.append(componentReason(q, u, t, depth: depth + 1))
          }
        }
      }
      if reasons.isEmpty { return .noDemand }
      // The most telling reason: a short companion, then full assembly, then the rest.
      let order: (IdleReason) -> Int = { r in
        switch r {
        case .companionShort: return 0
        case .assemblyFull, .lineFull: return 1
        case .starved: return 2
        case .unfunded: return 3
        case .ineligible: return 4
        case .routeOrQuota: return 5
        case .tooLate: return 6
        case .other: return 7
        case .demandMet: return 8
        case .noDemand: return 9
        }
      }
      // Demand met or no demand only when every user says so.
      if reasons.allSatisfy({ $0 == .noDemand }) { return .noDemand }
      if reasons.allSatisfy({ $0 == .noDemand || $0 == .demandMet }) { return .demandMet }
      return reasons.filter { $0 != .noDemand && $0 != .demandMet }.min { (order($0), $0) < (order($1), $1) } ?? .other
    }

    // A shared line at its capacity (with what expansions added) holds its products back.
    func fullLine(_ p: Int, _ item: Int, _ t: Int) -> Int? {
      let producer = m.producers[p]
      for (l, line) in producer.lines.enumerated() where line.usage.contains(where: { $0.item == item }) {
        var used = 0.0
        for u in line.usage {
          if let k = producer.products.firstIndex(where: { $0.item == u.item }) { used += u.usage * a.production[p][k][t] }
        }
        var available = line.capacity[t]
        for (e, x) in producer.expansions.enumerated() {
          if case .line(let ll) = x.target, ll == l { available += a.expansionAdded[p][e][t] }
        }
        if used >= available - 1e-6 * max(1, available) { return l }
      }
      return nil
    }

    var out: [IdleCapacity] = []
    for (p, producer) in m.producers.enumerated() {
      for (k, product) in producer.products.enumerated() {
        // Capacity includes what expansions targeting the product have added.
        let added: [Double] = (0..<T).map { t in
          producer.expansions.indices.reduce(0) { sum, e in
            if case .item(let kk) = producer.expansions[e].target, kk == k { return sum + a.expansionAdded[p][e][t] }
            return sum
          }
        }
        let capacity = product.capacity.reduce(0, +) + added.reduce(0, +)
        guard capacity > 0 else { continue }
        var reasons: [IdleReason: Double] = [:]
        var periods: [(capacity: Double, produced: Double, reason: IdleReason?)] = []
        for t in 0..<T {
          let cap = product.capacity[t] + added[t]
          let made = a.production[p][k][t]
          let idle = cap - made
          guard idle > 1e-6 * max(1, cap) else {
            periods.append((cap, made, nil))
            continue
          }
          let reason: IdleReason
          if let l = fullLine(p, product.item, t) {
            reason = .lineFull(producer: p, line: l)
          } else {
            reason =
              m.items[product.item].kind == .end ? endItemReason(p, product.item, t) : componentReason(p, product.item, t)
          }
          reasons[reason, default: 0] += idle
          periods.append((cap, made, reason))
        }
        let produced = a.production[p][k].reduce(0, +)
        out.append(
          IdleCapacity(
            producer: p, product: k, capacity: capacity, produced: produced,
            reasons: reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) },
            periods: periods))
      }
    }
    return out
  }
}

