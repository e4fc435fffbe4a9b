import Formulation
import PlanningModel

/// Shortfall no decision inside the horizon could avoid (docs/MODEL.md, "Start-up"): before
/// the first period any delivery could arrive — the earliest a producer that could be paid
/// could ship, plus the lead time, whatever the export rules — a consumer has only its
/// initial stock and the deliveries already scheduled.
///
/// What that cannot cover is short whatever the plan.
struct StartUp {
  /// consumer → demand series → per period: unavoidable shortfall.
  var demand: [ConsumerIndex: [DemandIndex: [Double]]] = [:]
  /// consumer → target → unavoidable gap.
  var targets: [ConsumerIndex: [TargetIndex: Double]] = [:]

  init(_ f: Formulation) {
    let m = f.model
    let periodCount = m.horizon.periods
    let first = Self.firstPossible(m)
    for k in m.consumers.indices where m.consumers[k].active {
      let c = m.consumers[k]
      let earliest = Self.earliestArrival(m, consumer: k, firstPossible: first)
      var initial: [ItemIndex: Double] = [:]
      for s in c.initialStock { initial[s.item, default: 0] += s.quantity }
      var arriving: [ItemIndex: [Double]] = [:]
      for a in c.scheduledArrivals {
        arriving[a.item, default: [Double](repeating: 0, count: periodCount)][a.period] += a.quantity
      }
      // Stock of each item over the periods before its earliest delivery, consumed by the
      // item's own demand first.
      var stockAt: [ItemIndex: [Double]] = [:]
      for (d, series) in c.demand.indexed() {
        guard case .item(let i) = series.key else { continue }
        let e = min(periodCount, earliest[i] ?? periodCount)
        var stock = initial[i] ?? 0
        var short = [Double](repeating: 0, count: periodCount)
        var held = [Double](repeating: 0, count: periodCount)
        for t in 0..<e {
          stock += arriving[i]?[t] ?? 0
          short[t] = max(0, series.quantity[t] - stock)
          stock = max(0, stock - series.quantity[t])
          held[t] = stock
        }
        demand[k, default: [:]][d] = short
        stockAt[i] = held
      }
      // A group demand is unavoidable only where none of its members could have anything.
      for (d, series) in c.demand.indexed() {
        guard case .group(let g) = series.key else { continue }
        let members = m.substitutes[g].members.map(\.item)
        let e = members.map { min(periodCount, earliest[$0] ?? periodCount) }.min() ?? periodCount
        let anyStock = members.contains { (initial[$0] ?? 0) > 0 || (arriving[$0]?.contains { $0 > 0 } ?? false) }
        var short = [Double](repeating: 0, count: periodCount)
        if !anyStock { for t in 0..<e { short[t] = series.quantity[t] } }
        demand[k, default: [:]][d] = short
      }
      for (ti, target) in c.targets.indexed() where target.level > 0 {
        let e = earliest[target.item] ?? periodCount
        guard target.period < e else { continue }
        let held: Double
        if let series = stockAt[target.item] {
          held = series[target.period]
        } else {
          held = (initial[target.item] ?? 0) + (arriving[target.item]?[0...target.period].reduce(0, +) ?? 0)
        }
        targets[k, default: [:]][ti] = max(0, target.level - held)
      }
    }
  }

  /// The first period each producer's product can hold anything.
  static func firstPossible(_ m: PlanningModel) -> [ProducerIndex: [ItemIndex: Int]] {
    var out: [ProducerIndex: [ItemIndex: Int]] = [:]
    for (p, producer) in m.producers.indexed() {
      for (k, product) in producer.products.indexed() {
        var first = product.initialStock > 0 ? 0 : product.capacity.firstIndex { $0 > 0 }
        for e in producer.expansions where e.capacity > 0 {
          let reaches: Bool
          switch e.target {
          case .item(let kk): reaches = kk == k
          case .line(let l): reaches = producer.lines[l].usage.contains { $0.item == product.item }
          }
          if reaches { first = min(first ?? Int.max, e.earliestStart + e.leadTime) }
        }
        if let first { out[p, default: [:]][product.item] = first }
      }
    }
    return out
  }

  /// For each end item, the first period a delivery to `k` could arrive.
  static func earliestArrival(
    _ m: PlanningModel, consumer k: ConsumerIndex, firstPossible: [ProducerIndex: [ItemIndex: Int]]
  )
    -> [ItemIndex: Int]
  {
    var out: [ItemIndex: Int] = [:]
    let funders = m.funders(of: k)
    for (p, items) in firstPossible {
      if !funders.isEmpty && !funders.contains(where: { m.funders[$0].mayBuy(from: p) }) { continue }
      // Export rules do not count: a rule is a limit the relaxation analysis lifts, so what
      // it bars is avoidable (by lifting it), not short whatever the plan.
      for (i, first) in items where m.items[i].kind == .end {
        let arrival = first + m.leadTime(route: m.route(producer: p, consumer: k, item: i))
        out[i] = min(out[i] ?? Int.max, arrival)
      }
    }
    return out
  }
}
