import LinearProgram
import PlanningModel

/// What an LP column stands for in the planning model. Indices refer to the model:
/// `producer`, `product` (index into the producer's products), `consumer`, `item`, `t`.
public enum ColumnRole: Sendable, Hashable {
  /// Units of a product made in period t.
  case production(producer: Int, product: Int, t: Int)
  /// Finished stock of a supply node (one or more producers of an end item) at the end of t.
  case nodeStock(node: Int, t: Int)
  /// Units shipped in t from a supply node to a consumer (arriving after the lead time).
  case shipment(node: Int, consumer: Int, t: Int)
  /// A consumer's stock of an end item at the end of t.
  case consumerStock(consumer: Int, item: Int, t: Int)
  /// Unmet demand of one of a consumer's demand series in t.
  case shortfall(consumer: Int, demand: Int, t: Int)
  /// Units of a member item used against a substitution-group demand.
  case groupUse(consumer: Int, demand: Int, item: Int, t: Int)
  /// Missing stock against a stockpile target.
  case targetGap(consumer: Int, target: Int)
  /// Stock of a component or material in a pool at the end of t.
  case poolStock(pool: Int, item: Int, t: Int)
  /// Units bought from a market's supply into a pool in t.
  case purchase(market: Int, supply: Int, pool: Int, t: Int)
  /// Capacity an expansion has added by period t (cumulative, non-decreasing).
  case expansion(producer: Int, expansion: Int, t: Int)
  /// Money (EUR million) a funder pays towards a consumer's deliveries from one funding class.
  case payment(funder: Int, consumer: Int, fundingClass: Int, t: Int)
  /// Unspent money (EUR million) a funder carries from t to t + 1.
  case carryOver(funder: Int, t: Int)
  /// The smallest coverage fraction within a class (fair-share policy).
  case coverageFloor(consumerClass: ConsumerClass)
}

/// What an LP row stands for.
public enum RowRole: Sendable, Hashable {
  /// Product capacity when expansions can add to it (otherwise a column bound).
  case capacity(producer: Int, product: Int, t: Int)
  case line(producer: Int, line: Int, t: Int)
  case nodeBalance(node: Int, t: Int)
  case consumerBalance(consumer: Int, item: Int, t: Int)
  case groupDemand(consumer: Int, demand: Int, t: Int)
  case target(consumer: Int, target: Int)
  case poolBalance(pool: Int, item: Int, t: Int)
  /// A market's supply limit shared by several pools (otherwise a column bound).
  case marketSupply(market: Int, supply: Int, t: Int)
  case expansionOrder(producer: Int, expansion: Int, t: Int)
  case funding(consumer: Int, fundingClass: Int, t: Int)
  case budget(funder: Int, t: Int)
  case routeCapacity(route: Int, t: Int)
  case quota(quota: Int, t: Int)
  /// Coverage of one demand series or target ≥ the class's coverage floor (fair share).
  case fairShare(consumer: Int, demand: Int?, target: Int?)
}

/// End-item products that share everything a consumer can see — item, price, and for every
/// consumer the eligibility, route, payers and quotas — and so ship as one.
public struct SupplyNode: Sendable, Hashable {
  public struct Member: Sendable, Hashable {
    public let producer: Int
    public let product: Int
  }
  public let item: Int
  public let unitCost: Double
  public var members: [Member]
}

/// What kind of limit a binding constraint is, in the brief's words.
public enum LimitKind: String, Sendable, Hashable, CaseIterable, Comparable {
  case productionCapacity = "production capacity"
  case sharedLine = "shared line"
  case component
  case rawMaterial = "raw material"
  case budget
  case route
  case quota = "eligibility or quota"
  case expansionCap = "expansion cap"

  public static func < (a: LimitKind, b: LimitKind) -> Bool {
    (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
  }
}

/// A row or column bound that limits supply: a candidate bottleneck.
public struct Limit: Sendable, Hashable {
  public enum Subject: Sendable, Hashable {
    case product(producer: Int, product: Int)
    case line(producer: Int, line: Int)
    case market(market: Int, supply: Int)
    case funder(Int)
    case route(Int)
    case quota(Int)
    case expansion(producer: Int, expansion: Int)
  }

  public let variable: LPVariable
  public let kind: LimitKind
  public let subject: Subject
  /// Period the limit applies to (for an expansion cap, the horizon's last period).
  public let t: Int
  /// Units of the limit: "rounds/month", "EUR million", …
  public let unit: String
}
