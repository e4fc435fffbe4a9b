import LinearProgram
import PlanningModel

/// A solved plan in planning terms: what is made, shipped, bought, held and missed.
///
/// Quantities are in items' units per period; money in EUR.
public struct Allocation: Sendable {
  /// A delivery from a supply node to a consumer.
  public struct Flow: Sendable, Hashable {
    /// The supply node shipped from (`Formulation.nodes`): one or more producers.
    public let node: NodeIndex
    /// The end item.
    public let item: ItemIndex
    /// The receiver.
    public let consumer: ConsumerIndex
    /// Period shipped.
    public let t: Int
    /// Period it arrives.
    public let arrives: Int
    /// Units.
    public let quantity: Double
    /// The route it takes (`nil`: none matches; the default lead time applies).
    public let route: RouteIndex?
    /// The funders that may pay for it (empty: no modelled budget pays).
    public let payers: [FunderIndex]
    /// The node's members and the units attributed to each (`attributeToProducers`).
    public internal(set) var producers: [ProducerPart] = []
    /// The funders and the share of its cost each paid (`attributeToFunders`); empty when no
    /// modelled budget pays.
    public internal(set) var funders: [FunderPart] = []
  }

  /// Units of a shipment attributed to one producer of its supply node.
  public struct ProducerPart: Sendable, Hashable {
    /// The producer.
    public let producer: ProducerIndex
    /// Units attributed to it.
    public let quantity: Double
  }

  /// The share of a shipment's cost one funder paid.
  public struct FunderPart: Sendable, Hashable {
    /// The funder.
    public let funder: FunderIndex
    /// Fraction 0–1 of the shipment's cost.
    public let share: Double
  }

  /// A per-period series for each entity of a kind.
  public typealias Series<Key> = TypedArray<Key, [Double]>

  /// Units made, by producer, product and period: `production[p][product][t]`.
  public internal(set) var production: TypedArray<Producer, Series<ProducerItem>>
  /// Deliveries, by consumer, period and node.
  public internal(set) var shipments: [Flow]
  /// Unmet demand, by consumer, demand series and period: `shortfall[k][demand][t]` (zero where the demand is zero).
  public internal(set) var shortfall: TypedArray<Consumer, Series<Demand>>
  /// Stock missing against each of a consumer's stockpile targets: `targetGap[k][target]`.
  public internal(set) var targetGap: TypedArray<Consumer, TypedArray<StockpileTarget, Double>>
  /// A consumer's end-of-period stock of each item it draws on: `consumerStock[k][item]` → per period.
  public internal(set) var consumerStock: TypedArray<Consumer, [ItemIndex: [Double]]>
  /// Units bought from each market supply per period: `purchases[market][supply][t]`, summed over pools.
  public internal(set) var purchases: TypedArray<Market, Series<MarketSupply>>
  /// Stock of each item in each pool at the end of each period: `poolStock[pool][item][t]`.
  public internal(set) var poolStock: TypedArray<Pool, Series<Item>>
  /// Capacity each expansion has added by each period: `expansionAdded[p][expansion][t]`.
  public internal(set) var expansionAdded: TypedArray<Producer, Series<Expansion>>
  /// Expansion orders: lots of an option ordered in a period with a build time, in
  /// producer, expansion, period and build order.
  public internal(set) var builds: [Build]
  /// Money each funder spends in each period: `spend[funder][t]` in EUR.
  public internal(set) var spend: Series<Funder>
  /// The coverage floor found per class under fair share.
  public internal(set) var coverageFloor: [ConsumerClass: Double]

  /// Values below this are solver noise and read as zero: GLPK holds bounds to about 10⁻⁷
  /// relative, and a report prints 0.0005 of a unit as 0 anyway — a value that prints as
  /// zero must be zero, or it would decide a table's wording (a quota "used") by noise.
  public static let tiny = 5e-4

  /// `v` rounded to 8 significant digits, by way of 9: the unique optimum reached by
  /// different simplex paths (warm or cold, one worker or two, GLPK's ratio test) differs only
  /// in digits beyond these, so the reported plan is the same to the last digit printed.
  ///
  /// Round data put exact values on a rounding boundary: a risk draw's cost of
  /// €152,740.505 M printed as 152740.51 or 152740.5 as the path's noise fell (with
  /// `ratio=flip`). Rounded first to 9 digits, such a value is exactly the boundary on every
  /// path whose noise stays below 5·10⁻¹⁰ of it, and rounds away from zero.
  public static func snap(_ v: Double) -> Double { rounded(rounded(v, 9), 8) }

  /// `v` rounded to `digits` significant digits: a difference of two solutions, or a ratio of
  /// such, carries noise far above the 10th digit (GLPK's tolerances are about 10⁻⁷
  /// relative), so derived figures are rounded harder than plan values.
  public static func significant(_ v: Double, _ digits: Int) -> Double { rounded(v, digits) }

  /// `v` to `digits` significant digits by way of `digits + 2`.
  ///
  /// For what the relaxation analysis measures as a difference of two optima: a figure whose exact value lies on a
  /// rounding boundary (a curve point of 979,162.5 rounds to 979,163) would otherwise print
  /// either way as the noise of the solver's path fell, as it did with and without GLPK's
  /// presolver.
  public static func measured(_ v: Double, _ digits: Int) -> Double { rounded(rounded(v, digits + 2), digits) }

  private static func rounded(_ v: Double, _ digits: Int) -> Double {
    guard v != 0, v.isFinite else { return v }
    let shift = digits - 1 - Int((abs(v)).log10Floor)
    return shift >= 0 ? (v * pow10(shift)).rounded() / pow10(shift) : (v / pow10(-shift)).rounded() * pow10(-shift)
  }

  private static func pow10(_ n: Int) -> Double {
    var p = 1.0
    for _ in 0..<max(0, n) { p *= 10 }
    return p
  }

  /// The plan of a solution of `f`'s program.
  public init(formulation f: Formulation, columnValues x: [Double], rowActivities y: [Double]) {
    let m = f.model
    let periodCount = m.horizon.periods
    let zeros = [Double](repeating: 0, count: periodCount)
    production = m.producers.mapValues { p in p.products.mapValues { _ in zeros } }
    shipments = []
    shortfall = m.consumers.mapValues { c in c.demand.mapValues { _ in zeros } }
    targetGap = m.consumers.mapValues { c in TypedArray(repeating: 0, count: c.targets.count) }
    consumerStock = m.consumers.mapValues { _ in [:] }
    purchases = m.markets.mapValues { mk in mk.supplies.mapValues { _ in zeros } }
    poolStock = m.pools.mapValues { _ in m.items.mapValues { _ in zeros } }
    expansionAdded = m.producers.mapValues { p in p.expansions.mapValues { _ in zeros } }
    builds = []
    spend = m.funders.mapValues { _ in zeros }
    coverageFloor = [:]
    var bank = m.funders.mapValues { _ in zeros }
    var payments = Payments()

    func clean(_ v: Double) -> Double { Self.snap(abs(v) < Self.tiny ? 0 : v) }

    for (j, role) in f.columnRoles.enumerated() {
      let v = clean(x[j])
      switch role {
      case .production(let p, let k, let t): production[p][k][t] = v
      case .shipment(let n, let c, let t):
        guard v > 0 else { continue }
        shipments.append(
          Flow(
            node: n, item: f.nodes[n].item, consumer: c, t: t, arrives: t + f.leadTime(ofShipment: j), quantity: v,
            route: f.routeOfShipment[j], payers: f.payersOfShipment[j] ?? []))
      case .shortfall(let k, let d, let t): shortfall[k][d][t] = v
      case .targetGap(let k, let ti):
        // A hedge's joined program carries other paths' targets (not a plan; see
        // `DeterministicEquivalent`).
        if targetGap[k].indices.contains(ti) { targetGap[k][ti] = v }
      case .consumerStock(let k, let i, let t):
        consumerStock[k][i, default: zeros][t] = v
      case .purchase(let mk, let s, _, let t): purchases[mk][s][t] += v
      case .poolStock(let g, let i, let t): poolStock[g][i][t] = v
      case .expansion(let p, let e, let t): expansionAdded[p][e][t] = v
      case .build(let p, let e, let t, let b):
        // Lots, or a fraction of a continuous option: a small order is still an order.
        let lots = abs(x[j]) < 1e-7 ? 0 : Self.snap(x[j])
        if lots > 0 { builds.append(Build(producer: p, expansion: e, decided: t, buildTime: b, lots: lots)) }
      case .carryOver(let fu, let t): bank[fu][t] = v
      case .coverageFloor(let cls): coverageFloor[cls] = v
      case .payment(let fu, let k, let h, let t): payments.add(funder: fu, consumer: k, fundingClass: h, t: t, paid: v)
      case .nodeStock, .groupUse, .equalShare, .shareDeviation: continue
      }
    }
    // Spending = budget row activity − money carried out + money carried in.
    for (i, role) in f.rowRoles.enumerated() {
      guard case .budget(let fu, let t) = role else { continue }
      let carriedIn = t > 0 ? bank[fu][t - 1] : 0
      spend[fu][t] = clean((y[i] - bank[fu][t] + carriedIn) / Formulation.moneyScale)
    }
    shipments.sort { ($0.consumer, $0.t, $0.node) < ($1.consumer, $1.t, $1.node) }
    attributeToProducers(f)
    attributeToFunders(payments)
  }

  /// Units of end item `item` arriving at consumer `k` in each period.
  public func arrivals(consumer k: ConsumerIndex, item: ItemIndex, model m: PlanningModel) -> [Double] {
    var out = [Double](repeating: 0, count: m.horizon.periods)
    for s in shipments where s.consumer == k && s.item == item {
      if s.arrives < out.count { out[s.arrives] += s.quantity }
    }
    return out
  }
}

/// Lots of an expansion option ordered in one period with one build time.
public struct Build: Sendable, Hashable {
  /// The producer.
  public let producer: ProducerIndex
  /// Its option.
  public let expansion: ExpansionIndex
  /// The period of the decision (the build starts then).
  public let decided: Int
  /// Periods the build takes: the added capacity arrives at `decided + buildTime`.
  public let buildTime: Int
  /// Lots ordered (a fraction of the full option when it is not bought in lots).
  public let lots: Double

  /// The period the capacity arrives.
  public var arrives: Int { decided + buildTime }

  /// An order of `lots` lots of `producer`'s option `expansion`, decided in `decided`.
  public init(producer: ProducerIndex, expansion: ExpansionIndex, decided: Int, buildTime: Int, lots: Double) {
    self.producer = producer
    self.expansion = expansion
    self.decided = decided
    self.buildTime = buildTime
    self.lots = lots
  }
}

extension Double {
  /// ⌊log₁₀ |self|⌋ for a finite, non-zero value.
  var log10Floor: Double {
    var e = 0.0
    var x = abs(self)
    while x >= 10 {
      x /= 10
      e += 1
    }
    while x < 1 {
      x *= 10
      e -= 1
    }
    return e
  }
}
