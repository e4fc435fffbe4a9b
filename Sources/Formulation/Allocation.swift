import LinearProgram
import PlanningModel

/// A solved plan in planning terms: what is made, shipped, bought, held and missed.
/// Quantities are in items' units per period; money in EUR.
public struct Allocation: Sendable {
  public struct Flow: Sendable, Hashable {
    /// The supply node shipped from (`Formulation.nodes`): one or more producers.
    public let node: Int
    public let item: Int
    public let consumer: Int
    /// Period shipped.
    public let t: Int
    /// Period it arrives.
    public let arrives: Int
    public let quantity: Double
  }

  /// production[p][product][t]
  public var production: [[[Double]]]
  public var shipments: [Flow]
  /// shortfall[k][demand][t] (zero where the demand is zero)
  public var shortfall: [[[Double]]]
  /// targetGap[k][target]
  public var targetGap: [[Double]]
  /// consumerStock[k][item] → per period (only items the consumer draws on)
  public var consumerStock: [[Int: [Double]]]
  /// purchases[market][supply][t], summed over pools
  public var purchases: [[[Double]]]
  /// poolStock[pool][item][t]
  public var poolStock: [[[Double]]]
  /// added[p][expansion][t]: capacity the expansion adds by period t
  public var expansionAdded: [[[Double]]]
  /// spend[funder][t] in EUR
  public var spend: [[Double]]
  /// The coverage floor found per class under fair share.
  public var coverageFloor: [ConsumerClass: Double]

  /// Values below this are solver noise and read as zero.
  public static let tiny = 1e-7

  public init(formulation f: Formulation, columnValues x: [Double], rowActivities y: [Double]) {
    let m = f.model
    let T = m.horizon.periods
    production = m.producers.map { p in p.products.map { _ in [Double](repeating: 0, count: T) } }
    shipments = []
    shortfall = m.consumers.map { c in c.demand.map { _ in [Double](repeating: 0, count: T) } }
    targetGap = m.consumers.map { c in [Double](repeating: 0, count: c.targets.count) }
    consumerStock = m.consumers.map { _ in [:] }
    purchases = m.markets.map { mk in mk.supplies.map { _ in [Double](repeating: 0, count: T) } }
    poolStock = m.pools.map { _ in m.items.map { _ in [Double](repeating: 0, count: T) } }
    expansionAdded = m.producers.map { p in p.expansions.map { _ in [Double](repeating: 0, count: T) } }
    spend = m.funders.map { _ in [Double](repeating: 0, count: T) }
    coverageFloor = [:]
    var bank = m.funders.map { _ in [Double](repeating: 0, count: T) }

    func clean(_ v: Double) -> Double { abs(v) < Self.tiny ? 0 : v }

    for (j, role) in f.columnRoles.enumerated() {
      let v = clean(x[j])
      switch role {
      case .production(let p, let k, let t): production[p][k][t] = v
      case .shipment(let n, let c, let t):
        guard v > 0 else { continue }
        let route = f.routeOfShipment[j] ?? -1
        let lead = m.leadTime(route: route >= 0 ? route : nil)
        shipments.append(Flow(node: n, item: f.nodes[n].item, consumer: c, t: t, arrives: t + lead, quantity: v))
      case .shortfall(let k, let d, let t): shortfall[k][d][t] = v
      case .targetGap(let k, let ti): targetGap[k][ti] = v
      case .consumerStock(let k, let i, let t):
        consumerStock[k][i, default: [Double](repeating: 0, count: T)][t] = v
      case .purchase(let mk, let s, _, let t): purchases[mk][s][t] += v
      case .poolStock(let g, let i, let t): poolStock[g][i][t] = v
      case .expansion(let p, let e, let t): expansionAdded[p][e][t] = v
      case .carryOver(let fu, let t): bank[fu][t] = v
      case .coverageFloor(let cls): coverageFloor[cls] = v
      case .nodeStock, .groupUse, .payment: continue
      }
    }
    // Spending = budget row activity − money carried out + money carried in.
    for (i, role) in f.rowRoles.enumerated() {
      guard case .budget(let fu, let t) = role else { continue }
      let carriedIn = t > 0 ? bank[fu][t - 1] : 0
      spend[fu][t] = clean((y[i] - bank[fu][t] + carriedIn) / Formulation.moneyScale)
    }
    shipments.sort { ($0.consumer, $0.t, $0.node) < ($1.consumer, $1.t, $1.node) }
  }

  /// Units of end item `item` arriving at consumer `k` in each period.
  public func arrivals(consumer k: Int, item: Int, model m: PlanningModel) -> [Double] {
    var out = [Double](repeating: 0, count: m.horizon.periods)
    for s in shipments where s.consumer == k && s.item == item {
      if s.arrives < out.count { out[s.arrives] += s.quantity }
    }
    return out
  }
}
