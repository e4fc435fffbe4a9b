import Formulation
import LinearProgram
import Optimizer
import PlanningModel

extension PlanAnalysis {
  /// Whether row `r` is at its upper bound in the solution: from the activity, not the basis
  /// status, which depends on the solver's path.
  static func atUpperBound(_ f: Formulation, _ solution: LPSolution, row r: Int) -> Bool {
    let b = f.program.rowBounds[r].upper
    return b.isFinite && solution.rowActivities[r] >= b - 1e-6 * max(1, abs(b))
  }
}

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
  case starved(input: ItemIndex)
  /// Nothing in the producer's pool ever makes, holds or buys an input of the item: the
  /// producer is in the wrong pool (usually left in the default `main`).
  case noSource(input: ItemIndex)
  /// A component waits for a companion component that is short (shells without charges).
  case companionShort(input: ItemIndex)
  /// The plants that would use this component have no assembly capacity left.
  case assemblyFull(item: ItemIndex)
  /// A line the product shares with others is running at its capacity.
  case lineFull(producer: ProducerIndex, line: LineIndex)
  /// Deliveries would arrive after the last demand inside the horizon.
  case tooLate
  /// Route capacity or a quota is used up.
  case routeOrQuota
  /// The consumers short of the item fire all their systems can: they hold too few fire
  /// units (or guns) to use more.
  case fleetFull
  /// None of the above: cost or timing choices among equivalent plans.
  case other

  /// A fixed order for ties in tables.
  public static func < (a: IdleReason, b: IdleReason) -> Bool { a.order < b.order }

  private var order: Int {
    switch self {
    case .noDemand: return 0
    case .demandMet: return 1
    case .ineligible: return 2
    case .unfunded: return 3
    case .starved(let i): return 100 + i.rawValue
    case .noSource(let i): return 5_000 + i.rawValue
    case .companionShort(let i): return 10_000 + i.rawValue
    case .assemblyFull(let i): return 20_000 + i.rawValue
    case .lineFull(let p, let l): return 30_000 + p.rawValue * 100 + l.rawValue
    case .tooLate: return 4
    case .routeOrQuota: return 5
    case .other: return 6
    case .fleetFull: return 7
    }
  }
}

/// One period of a product's capacity: what it could make, made, and why the rest stood idle.
public struct IdlePeriod: Sendable, Hashable {
  /// Capacity including expansions.
  public let capacity: Double
  /// Units made.
  public let produced: Double
  /// Why capacity stood idle (`nil` when fully used).
  public let reason: IdleReason?
}

/// Idle units of a product for one reason.
public struct IdleShare: Sendable, Hashable {
  /// Why.
  public let reason: IdleReason
  /// Idle units over the horizon for that reason.
  public let units: Double
}

/// Capacity of one product that was not used, and why.
public struct IdleCapacity: Sendable, Hashable {
  /// The producer.
  public let producer: ProducerIndex
  /// Its product.
  public let product: ProductIndex
  /// Capacity over the horizon, with what expansions added.
  public let capacity: Double
  /// Units made over the horizon.
  public let produced: Double
  /// Capacity not used.
  public var idle: Double { max(0, capacity - produced) }
  /// Produced as a fraction of capacity.
  public var utilisation: Double { capacity > 0 ? produced / capacity : 0 }
  /// Idle units by reason, largest first.
  public let reasons: [IdleShare]
  /// Per period: capacity, production, the reason.
  public let periods: [IdlePeriod]
}

/// Facts about the solved plan that decide why capacity stood idle.
final class IdleExplainer {
  let m: PlanningModel
  let a: Allocation
  /// Unmet demand (shortfall or target gap): item → consumer → per period.
  var unmet: [ItemIndex: [ConsumerIndex: [Double]]] = [:]
  /// End items some active consumer asks for.
  var demanded = Set<ItemIndex>()
  /// Periods in which each funder is out of money.
  var budgetBinding: [FunderIndex: Set<Int>] = [:]
  /// Routes and quotas whose rows bind, by period.
  var routeBinding = Set<RoutePeriod>()
  var quotaBinding = Set<QuotaPeriod>()
  /// Fire rows that bind: (consumer, item) → periods in which it fires all its systems can.
  var fleetBinding: [ConsumerIndex: [ItemIndex: Set<Int>]] = [:]

  struct RoutePeriod: Hashable {
    let route: RouteIndex
    let t: Int
  }

  struct QuotaPeriod: Hashable {
    let quota: QuotaIndex
    let t: Int
  }

  /// Reasons already decided: a component's depends only on its pool, item and period.
  private struct ComponentKey: Hashable {
    let pool: PoolIndex
    let item: ItemIndex
    let t: Int
  }
  private var componentReasons: [ComponentKey: IdleReason] = [:]
  private var spares: [ComponentKey: Double] = [:]
  private var availables: [ComponentKey: Double] = [:]

  private struct PoolItem: Hashable {
    let pool: PoolIndex
    let item: ItemIndex
  }
  /// Whether a pool can ever have an item: the same for every period, so asked of the model
  /// once (it scans every producer and market).
  private var everHas: [PoolItem: Bool] = [:]

  func canEverHave(_ item: ItemIndex, inPool pool: PoolIndex) -> Bool {
    let key = PoolItem(pool: pool, item: item)
    if let known = everHas[key] { return known }
    let answer = m.canEverHave(item, inPool: pool)
    everHas[key] = answer
    return answer
  }

  init(_ f: Formulation, _ a: Allocation, _ solution: LPSolution, budgets: [BudgetUse]) {
    self.m = f.model
    self.a = a
    collectUnmet()
    collectBudgets(budgets)
    collectBindingRows(f, solution)
  }

  private func collectUnmet() {
    let periodCount = m.horizon.periods
    for k in m.consumers.indices where m.consumers[k].active {
      let c = m.consumers[k]
      for (d, demand) in c.demand.indexed() {
        let members = m.items(meeting: demand.key)
        if demand.quantity.contains(where: { $0 > 0 }) { demanded.formUnion(members) }
        for t in 0..<periodCount where a.shortfall[k][d][t] > 1e-6 {
          for i in members {
            unmet[i, default: [:]][k, default: [Double](repeating: 0, count: periodCount)][t] += a.shortfall[k][d][t]
          }
        }
      }
      for (ti, target) in c.targets.indexed() {
        if target.level > 0 { demanded.insert(target.item) }
        if a.targetGap[k][ti] > 1e-6 {
          unmet[target.item, default: [:]][k, default: [Double](repeating: 0, count: periodCount)][target.period] +=
            a.targetGap[k][ti]
        }
      }
    }
  }

  /// Funders out of money per period: with carry-over, money spent later could have been
  /// saved, so a funder that has spent everything by period s is out of money before s too.
  private func collectBudgets(_ budgets: [BudgetUse]) {
    for use in budgets {
      let exhausted = PlanAnalysis.moneyExhausted(m.funders[use.funder], spend: a.spend[use.funder])
      if m.funders[use.funder].carryOver, let last = exhausted.max() {
        budgetBinding[use.funder] = Set(0...last)
      } else {
        budgetBinding[use.funder] = Set(exhausted)
      }
    }
  }

  /// Binding route and quota rows per period (from the final solution).
  private func collectBindingRows(_ f: Formulation, _ solution: LPSolution) {
    for (i, role) in f.rowRoles.enumerated() {
      let tight = PlanAnalysis.atUpperBound(f, solution, row: i)
      switch role {
      case .routeCapacity(let r, let t) where tight: routeBinding.insert(RoutePeriod(route: r, t: t))
      case .quota(let q, let t) where tight: quotaBinding.insert(QuotaPeriod(quota: q, t: t))
      case .fireUnits(let k, let i, let t) where tight: fleetBinding[k, default: [:]][i, default: []].insert(t)
      default: continue
      }
    }
  }

  /// Spare supply of a component or material in a pool and period.
  func spare(_ g: PoolIndex, _ j: ItemIndex, _ t: Int) -> Double {
    let key = ComponentKey(pool: g, item: j, t: t)
    if let known = spares[key] { return known }
    let s = computeSpare(g, j, t)
    spares[key] = s
    return s
  }

  /// What of a component or material the pool could still have in t: its spare supply
  /// (`spare`), less spare capacity whose own inputs are exhausted — charge plants idle for
  /// want of nitrocellulose make no charge available.
  func available(_ g: PoolIndex, _ j: ItemIndex, _ t: Int, depth: Int = 0) -> Double {
    let key = ComponentKey(pool: g, item: j, t: t)
    if let known = availables[key] { return known }
    var s = spare(g, j, t)
    if s >= Allocation.tiny && depth < 4 {
      for (p, producer) in m.producers.indexed() where producer.pool == g {
        for (k, product) in producer.products.indexed() where product.item == j {
          let idle = max(0, product.capacity[t] - a.production[p][k][t])
          let starved = m.inputs(of: product).contains { available(g, $0.item, t, depth: depth + 1) < Allocation.tiny }
          if idle > 0 && starved { s -= idle }
        }
      }
      s = max(0, s)
    }
    availables[key] = s
    return s
  }

  private func computeSpare(_ g: PoolIndex, _ j: ItemIndex, _ t: Int) -> Double {
    var s = 0.0
    for (p, producer) in m.producers.indexed() where producer.pool == g {
      for (k, product) in producer.products.indexed() where product.item == j {
        s += max(0, product.capacity[t] - a.production[p][k][t])
      }
    }
    for (mi, market) in m.markets.indexed() {
      for (si, supply) in market.supplies.indexed() where supply.item == j && supply.pools.contains(g) {
        s += max(0, supply.limit[t] - a.purchases[mi][si][t])
      }
    }
    if t > 0 { s += a.poolStock[g][j][t - 1] }
    return s
  }

  /// Why end item `i` at producer `p` was not needed in period t: the first of the
  /// documented reasons (docs/MODEL.md, "Idle capacity") that applies.
  func endItemReason(_ p: ProducerIndex, _ i: ItemIndex, _ t: Int) -> IdleReason {
    guard demanded.contains(i) else { return .noDemand }
    // A product that can never be made: whatever else holds, that is what the planner must fix.
    let pool = m.producers[p].pool
    let inputs = m.producers[p].products.first { $0.item == i }.map(m.inputs(of:)) ?? []
    for input in inputs where !canEverHave(input.item, inPool: pool) { return .noSource(input: input.item) }
    let short = (unmet[i] ?? [:]).filter { _, series in series[t...].contains { $0 > 1e-6 } }
    if short.isEmpty { return .demandMet }
    // Output of t arrives after the lead time: too late for every shortfall left.
    let inTime = short.keys.sorted().filter { k in
      let lead = m.leadTime(route: m.route(producer: p, consumer: k, item: i))
      let series = unmet[i]?[k] ?? []
      return series.indices.contains { $0 >= t + lead && series[$0] > 1e-6 }
    }
    if inTime.isEmpty { return .tooLate }
    let eligible = inTime.filter { m.isEligible(producer: p, consumer: $0, item: i) }
    if eligible.isEmpty { return .ineligible }
    let funded = eligible.filter { k in
      let fs = m.funders(of: k)
      guard !fs.isEmpty else { return true }
      return fs.filter { m.funders[$0].mayBuy(from: p) }.contains { !(budgetBinding[$0]?.contains(t) ?? false) }
    }
    if funded.isEmpty { return .unfunded }
    if funded.allSatisfy({ isBlocked(p, $0, i, t) }) { return .routeOrQuota }
    if funded.allSatisfy({ k in
      let lead = m.leadTime(route: m.route(producer: p, consumer: k, item: i))
      let series = unmet[i]?[k] ?? []
      let fired = fleetBinding[k]?[i] ?? []
      return series.indices.allSatisfy { $0 < t + lead || series[$0] <= 1e-6 || fired.contains($0) }
    }) {
      return .fleetFull
    }
    for input in inputs where available(pool, input.item, t) < Allocation.tiny {
      return .starved(input: input.item)
    }
    return .other
  }

  /// Whether deliveries of `i` from `p` to `k` in t are behind a full route or quota.
  private func isBlocked(_ p: ProducerIndex, _ k: ConsumerIndex, _ i: ItemIndex, _ t: Int) -> Bool {
    if let r = m.route(producer: p, consumer: k, item: i), routeBinding.contains(RoutePeriod(route: r, t: t)) {
      return true
    }
    return m.quotas(producer: p, consumer: k, item: i).contains { quotaBinding.contains(QuotaPeriod(quota: $0, t: t)) }
  }

  /// Why a component (or made material) at p was not needed in t: ask the plants in the
  /// pool that would use it (the same for every plant of the pool), then p's own inputs.
  func componentReason(_ p: ProducerIndex, _ j: ItemIndex, _ t: Int, depth: Int = 0) -> IdleReason {
    let pool = m.producers[p].pool
    let key = ComponentKey(pool: pool, item: j, t: t)
    let users: IdleReason
    if let known = componentReasons[key] {
      users = known
    } else {
      users = computeComponentReason(p, j, t, depth: depth)
      componentReasons[key] = users
    }
    // Needed downstream, but an input of its own (which may differ from one plant's route to
    // another's) is exhausted: that is what stops this plant.
    guard users != .demandMet && users != .noDemand,
      let product = m.producers[p].products.first(where: { $0.item == j }),
      let input = m.inputs(of: product).first(where: { available(pool, $0.item, t) < Allocation.tiny })
    else { return users }
    return .starved(input: input.item)
  }

  private func computeComponentReason(_ p: ProducerIndex, _ j: ItemIndex, _ t: Int, depth: Int) -> IdleReason {
    let pool = m.producers[p].pool
    var reasons: [IdleReason] = []
    for (q, producer) in m.producers.indexed() where producer.pool == pool {
      for (k, product) in producer.products.indexed()
      where product.capacity[t] > 0 && m.inputs(of: product).contains(where: { $0.item == j }) {
        let u = product.item
        // What the user's output is for comes first: where its demand is met, a short
        // companion or a full assembly line stops nothing anyone needs.
        let downstream: IdleReason? =
          m.items[u].kind == .end
          ? endItemReason(q, u, t) : depth < 4 ? componentReason(q, u, t, depth: depth + 1) : nil
        if let downstream, downstream == .demandMet || downstream == .noDemand {
          reasons.append(downstream)
        } else if let other = m.inputs(of: product).first(where: {
          // Another input of u exhausted: j waits for it.
          $0.item != j && available(pool, $0.item, t) < Allocation.tiny
        }) {
          reasons.append(.companionShort(input: other.item))
        } else if a.production[q][k][t] >= product.capacity[t] * (1 - 1e-6) {
          reasons.append(.assemblyFull(item: u))
        } else if let downstream {
          reasons.append(downstream)
        }
      }
    }
    return Self.mostTelling(reasons)
  }

  /// The most telling of the users' reasons: a short companion, then full assembly, a
  /// starved input, the end of the horizon (output too late for any use wins over rules and
  /// money), then the rest; demand met or no demand only when every user says so.
  static func mostTelling(_ reasons: [IdleReason]) -> IdleReason {
    if reasons.isEmpty { return .noDemand }
    func rank(_ r: IdleReason) -> Int {
      switch r {
      case .companionShort: return 0
      case .assemblyFull, .lineFull: return 1
      case .starved, .noSource: return 2
      case .tooLate: return 3
      case .unfunded: return 4
      case .ineligible: return 5
      case .routeOrQuota: return 6
      case .fleetFull: return 7
      case .other: return 8
      case .demandMet: return 9
      case .noDemand: return 10
      }
    }
    if reasons.allSatisfy({ $0 == .noDemand }) { return .noDemand }
    if reasons.allSatisfy({ $0 == .noDemand || $0 == .demandMet }) { return .demandMet }
    return reasons.filter { $0 != .noDemand && $0 != .demandMet }.min { (rank($0), $0) < (rank($1), $1) } ?? .other
  }

  /// A shared line at its capacity (with what expansions added) that holds `item` back.
  func fullLine(_ p: ProducerIndex, _ item: ItemIndex, _ t: Int) -> LineIndex? {
    let producer = m.producers[p]
    for (l, line) in producer.lines.indexed() where line.usage.contains(where: { $0.item == item }) {
      var used = 0.0
      for u in line.usage {
        if let k = producer.product(making: u.item) { used += u.usage * a.production[p][k][t] }
      }
      var available = line.capacity[t]
      for (e, x) in producer.expansions.indexed() where x.target == .line(l) { available += a.expansionAdded[p][e][t] }
      if used >= available - 1e-6 * max(1, available) { return l }
    }
    return nil
  }

  /// The idle capacity of one product with a reason per period.
  func idle(producer p: ProducerIndex, product k: ProductIndex) -> IdleCapacity? {
    let producer = m.producers[p]
    let product = producer.products[k]
    // Capacity includes what expansions targeting the product have added.
    let added: [Double] = (0..<m.horizon.periods).map { t in
      producer.expansions.indices.reduce(0) { sum, e in
        producer.expansions[e].target == .item(k) ? sum + a.expansionAdded[p][e][t] : sum
      }
    }
    let capacity = product.capacity.reduce(0, +) + added.reduce(0, +)
    guard capacity > 0 else { return nil }
    var reasons: [IdleReason: Double] = [:]
    var periods: [IdlePeriod] = []
    for t in 0..<m.horizon.periods {
      let cap = product.capacity[t] + added[t]
      let made = a.production[p][k][t]
      let idle = cap - made
      guard idle > 1e-6 * max(1, cap) else {
        periods.append(IdlePeriod(capacity: cap, produced: made, reason: nil))
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
      periods.append(IdlePeriod(capacity: cap, produced: made, reason: reason))
    }
    return IdleCapacity(
      producer: p, product: k, capacity: capacity, produced: a.production[p][k].reduce(0, +),
      reasons: reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
        IdleShare(reason: $0.key, units: $0.value)
      },
      periods: periods)
  }
}

extension PlanAnalysis {
  static func idleCapacity(_ f: Formulation, _ a: Allocation, _ solution: LPSolution, budgets: [BudgetUse])
    -> [IdleCapacity]
  {
    let explainer = IdleExplainer(f, a, solution, budgets: budgets)
    var out: [IdleCapacity] = []
    for (p, producer) in f.model.producers.indexed() {
      for k in producer.products.indices {
        if let idle = explainer.idle(producer: p, product: k) { out.append(idle) }
      }
    }
    return out
  }
}
