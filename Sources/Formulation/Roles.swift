import LinearProgram
import PlanningModel

/// A supply node of `Formulation.nodes`.
public typealias NodeIndex = EntityIndex<SupplyNode>

/// What an LP column stands for in the planning model.
public enum ColumnRole: Sendable, Hashable {
  /// Units of a product made in period t.
  case production(producer: ProducerIndex, product: ProductIndex, t: Int)
  /// Finished stock of a supply node (one or more producers of an end item) at the end of t.
  case nodeStock(node: NodeIndex, t: Int)
  /// Units shipped in t from a supply node to a consumer (arriving after the lead time).
  case shipment(node: NodeIndex, consumer: ConsumerIndex, t: Int)
  /// A consumer's stock of an end item at the end of t.
  case consumerStock(consumer: ConsumerIndex, item: ItemIndex, t: Int)
  /// Unmet demand of one of a consumer's demand series in t.
  case shortfall(consumer: ConsumerIndex, demand: DemandIndex, t: Int)
  /// Units of a member item used against a substitution-group demand.
  case groupUse(consumer: ConsumerIndex, demand: DemandIndex, item: ItemIndex, t: Int)
  /// Missing stock against a stockpile target.
  case targetGap(consumer: ConsumerIndex, target: TargetIndex)
  /// Stock of a component or material in a pool at the end of t.
  case poolStock(pool: PoolIndex, item: ItemIndex, t: Int)
  /// Units bought from a market's supply into a pool in t.
  case purchase(market: MarketIndex, supply: SupplyIndex, pool: PoolIndex, t: Int)
  /// Capacity an expansion has added by period t (cumulative, non-decreasing).
  case expansion(producer: ProducerIndex, expansion: ExpansionIndex, t: Int)
  /// Lots of an expansion ordered in period t with a build of `buildTime` periods (whole
  /// numbers for an option bought in lots).
  case build(producer: ProducerIndex, expansion: ExpansionIndex, t: Int, buildTime: Int)
  /// Money (EUR million) a funder pays towards a consumer's deliveries from one funding class.
  case payment(funder: FunderIndex, consumer: ConsumerIndex, fundingClass: Int, t: Int)
  /// Unspent money (EUR million) a funder carries from t to t + 1.
  case carryOver(funder: FunderIndex, t: Int)
  /// The smallest coverage fraction within a class (fair-share policy).
  case coverageFloor(consumerClass: ConsumerClass)
  /// The common gap fraction of a group of equal-priority consumers (fairness stage).
  case equalShare(group: Int)
  /// How far one member's gap lies from its share of the group's (fairness stage).
  case shareDeviation(group: Int, member: Int)
}

/// What an LP row stands for.
public enum RowRole: Sendable, Hashable {
  /// Product capacity when expansions can add to it (otherwise a column bound).
  case capacity(producer: ProducerIndex, product: ProductIndex, t: Int)
  /// A shared line's capacity.
  case line(producer: ProducerIndex, line: LineIndex, t: Int)
  /// A supply node's balance of finished items.
  case nodeBalance(node: NodeIndex, t: Int)
  /// A consumer's stock balance of one end item.
  case consumerBalance(consumer: ConsumerIndex, item: ItemIndex, t: Int)
  /// A substitution-group demand met by its members or short.
  case groupDemand(consumer: ConsumerIndex, demand: DemandIndex, t: Int)
  /// A stockpile target: stock plus gap at least the level.
  case target(consumer: ConsumerIndex, target: TargetIndex)
  /// A pool's balance of one component or material.
  case poolBalance(pool: PoolIndex, item: ItemIndex, t: Int)
  /// A market's supply limit shared by several pools (otherwise a column bound).
  case marketSupply(market: MarketIndex, supply: SupplyIndex, t: Int)
  /// What an expansion has added grows by the orders whose build ends in t.
  case expansionArrival(producer: ProducerIndex, expansion: ExpansionIndex, t: Int)
  /// What a funder puts into expansions in t, within its investment budget.
  case investmentBudget(funder: FunderIndex, t: Int)
  /// Deliveries of one funding class paid by its possible payers.
  case funding(consumer: ConsumerIndex, fundingClass: Int, t: Int)
  /// A funder's budget (with carry-over).
  case budget(funder: FunderIndex, t: Int)
  /// A route's capacity.
  case routeCapacity(route: RouteIndex, t: Int)
  /// A quota's limit.
  case quota(quota: QuotaIndex, t: Int)
  /// Coverage of one demand series or target ≥ the class's coverage floor (fair share).
  case fairShare(consumer: ConsumerIndex, demand: DemandIndex?, target: TargetIndex?)
  /// A member's deviation from the group's common gap fraction, from above or below.
  case shareDeviation(group: Int, member: Int, above: Bool)
  /// What a consumer can use of an item in t: its systems in service times their fire rate.
  case fireUnits(consumer: ConsumerIndex, item: ItemIndex, t: Int)
}

/// End-item products that share everything a consumer can see — item, price, and for every
/// consumer the eligibility, route, payers and quotas — and so ship as one.
public struct SupplyNode: Sendable, Hashable {
  /// One producer's product in the node.
  public struct Member: Sendable, Hashable {
    /// The producer.
    public let producer: ProducerIndex
    /// Its product of the node's item.
    public let product: ProductIndex
  }
  /// The end item the node ships.
  public let item: ItemIndex
  /// Price per unit, EUR (the same for every member).
  public let unitCost: Double
  /// The products pooled in the node.
  public internal(set) var members: [Member]
}

/// What kind of limit a binding constraint is, in the brief's words.
public enum LimitKind: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Capacity to make an end item.
  case productionCapacity = "production capacity"
  /// A line several products share.
  case sharedLine = "shared line"
  /// Capacity to make (or supply to buy) a component.
  case component
  /// Capacity to make (or supply to buy) a raw material.
  case rawMaterial = "raw material"
  /// A funder's money.
  case budget
  /// A funder's money for capacity expansions.
  case investmentBudget = "investment budget"
  /// A route's capacity.
  case route
  /// An export quota.
  case quota
  /// The most an expansion option can add.
  case expansionCap = "expansion cap"
  /// The systems a consumer holds, which limit how much of a munition it can fire.
  case systemsInService = "systems in service"
  /// An export rule that bars deliveries.
  case exportRule = "export rule"
  /// The binding limits of an end item's supply chain, relaxed together (the analysis's
  /// joint step where limits in series each gain nothing alone; never a limit of the LP).
  case supplyChain = "supply chain"

  /// Orders as `allCases`.
  public static func < (a: LimitKind, b: LimitKind) -> Bool {
    (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
  }
}

/// A row or column bound that limits supply: a candidate bottleneck.
public struct Limit: Sendable, Hashable {
  /// What the limit belongs to in the model.
  public enum Subject: Sendable, Hashable {
    /// A producer's capacity for one product.
    case product(producer: ProducerIndex, product: ProductIndex)
    /// A shared line.
    case line(producer: ProducerIndex, line: LineIndex)
    /// A market's supply of one item.
    case market(market: MarketIndex, supply: SupplyIndex)
    /// A funder's budget.
    case funder(FunderIndex)
    /// A route's capacity.
    case route(RouteIndex)
    /// A quota.
    case quota(QuotaIndex)
    /// An expansion option's cap.
    case expansion(producer: ProducerIndex, expansion: ExpansionIndex)
    /// A funder's investment budget.
    case investment(FunderIndex)
    /// The systems a consumer holds to fire an item (its `fire` rows).
    case fleet(consumer: ConsumerIndex, item: ItemIndex)
    /// Several supplies of one market relaxed together (no formulation limit of its own: the
    /// relaxation analysis adds it where two or more of a market's supplies bind, since
    /// inputs used together, like a drone's motors and batteries, gain nothing one by one).
    case marketWhole(market: MarketIndex, supplies: [SupplyIndex])
  }

  /// The row or column whose upper bound is the limit.
  public let variable: LPVariable
  /// What kind of limit it is: capacity, budget, route and so on.
  public let kind: LimitKind
  /// The entity it limits.
  public let subject: Subject
  /// Period the limit applies to (for an expansion cap, the period of the column).
  public let t: Int
}
