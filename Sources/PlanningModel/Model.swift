/// The validated planning model: what the formulation turns into a linear program.
///
/// Everything here has been checked by the loader: references resolve, numbers are finite
/// and in range, the bill of materials has no cycles. Entities refer to each other by array
/// index. Time series hold one value per period of the horizon, already converted from the
/// planner's units (`per = "year"`, …) into amounts per period. Scenarios produce new
/// models from a base one; a model itself never changes.
public struct PlanningModel: Sendable, Hashable {
  public var name: String
  public var description: String
  public var illustrative: Bool
  public var horizon: Horizon
  public var settings: Settings
  public var classes: [ClassSettings]  // indexed by ConsumerClass.allCases order
  public var countries: [Country]
  public var groups: [CountryGroup]
  public var pools: [String]
  public var items: [Item]
  public var substitutes: [SubstitutionGroup]
  public var producers: [Producer]
  public var consumers: [Consumer]
  public var markets: [Market]
  public var routes: [Route]
  public var rules: [EligibilityRule]
  public var quotas: [Quota]
  public var funders: [Funder]
  /// SHA-256 of the data set's files, for report provenance.
  public var contentHash: String
  /// The folder the data set was read from (as given).
  public var source: String

  public func classSettings(_ c: ConsumerClass) -> ClassSettings {
    classes[ConsumerClass.allCases.firstIndex(of: c) ?? 0]
  }

  public func itemIndex(_ id: String) -> Int? { items.firstIndex { $0.id == id } }
  public func producerIndex(_ id: String) -> Int? { producers.firstIndex { $0.id == id } }
  public func consumerIndex(_ id: String) -> Int? { consumers.firstIndex { $0.id == id } }
  public func marketIndex(_ id: String) -> Int? { markets.firstIndex { $0.id == id } }
  public func funderIndex(_ id: String) -> Int? { funders.firstIndex { $0.id == id } }
  public func countryIndex(_ code: String) -> Int? { countries.firstIndex { $0.code == code } }
}

/// How the optimizer shares scarce supply between consumers.
public enum AllocationPolicy: String, Sendable, Hashable, CaseIterable {
  /// Minimise priority-weighted shortfall, then cost.
  case weighted
  /// Classes strictly in rank order: each class's shortfall is minimised and fixed
  /// (within a tolerance) before the next class is considered; then cost.
  case lexicographic
  /// Classes in rank order; within each class, first maximise the smallest coverage
  /// fraction of any consumer and item, then minimise the class's shortfall; then cost.
  case fairShare = "fair-share"
}

public struct Settings: Sendable, Hashable {
  public var policy: AllocationPolicy
  /// Lead time in months for producer–consumer pairs no route matches.
  public var defaultLeadTimeMonths: Double
  /// Relative tolerance with which a stage's optimum is fixed before the next stage.
  public var stageTolerance: Double
  /// Penalty per unit of stockpile-target gap, relative to a unit of consumption shortfall.
  public var stockpileWeight: Double
  /// Extra weight per period of earliness: a shortfall in period t weighs
  /// 1 + urgency × (T − 1 − t) times its base weight, so sooner coverage wins ties.
  public var urgency: Double
  /// Whether producer–consumer pairs are eligible unless a rule says otherwise.
  public var defaultEligible: Bool
}

/// The three kinds of demand node the brief names.
public enum ConsumerClass: String, Sendable, Hashable, CaseIterable, Comparable {
  case frontLine = "front-line"
  case readiness
  case reassurance

  public var title: String {
    switch self {
    case .frontLine: return "Front line"
    case .readiness: return "National readiness"
    case .reassurance: return "Reassurance Force"
    }
  }

  public static func < (a: ConsumerClass, b: ConsumerClass) -> Bool {
    (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
  }
}

public struct ClassSettings: Sendable, Hashable {
  public var consumerClass: ConsumerClass
  /// Penalty per unit of shortfall under the weighted policy (times consumer priority and
  /// item weight).
  public var weight: Double
  /// Order under the lexicographic and fair-share policies: 1 is served first.
  public var rank: Int
}

public struct Country: Sendable, Hashable {
  public var code: String
  public var name: String
}

public struct CountryGroup: Sendable, Hashable {
  public var id: String
  public var name: String
  public var members: [Int]  // country indices
}

public enum ItemKind: String, Sendable, Hashable, CaseIterable {
  /// Delivered to consumers.
  case end
  /// Made by producers and consumed in assembly.
  case component
  /// Bought from markets (or made by producers) and consumed in production.
  case material
}

public struct Item: Sendable, Hashable {
  public var id: String
  public var name: String
  public var kind: ItemKind
  /// The unit demand, capacity and stock of this item are counted in ("rounds", "t").
  public var unit: String
  /// Importance of one unit of shortfall relative to other items (weighted policy).
  public var weight: Double
  /// Inputs per unit produced: (item index, quantity).
  public var billOfMaterials: [BOMLine]
}

public struct BOMLine: Sendable, Hashable {
  public var item: Int
  public var quantity: Double
}

/// A demand that several end items can meet, each unit of item `item` counting `factor`.
public struct SubstitutionGroup: Sendable, Hashable {
  public var id: String
  public var name: String
  public var unit: String
  public var weight: Double
  public var members: [GroupMember]
}

public struct GroupMember: Sendable, Hashable {
  public var item: Int
  public var factor: Double
}

public struct Producer: Sendable, Hashable {
  public var id: String
  public var name: String
  public var country: Int
  /// The component and material pool the producer draws from and delivers to.
  public var pool: Int
  public var products: [ProducerItem]
  public var lines: [ProductionLine]
  public var expansions: [Expansion]
}

public struct ProducerItem: Sendable, Hashable {
  public var item: Int
  /// Units per period.
  public var capacity: [Double]
  /// Price per unit paid by the buyer, EUR.
  public var unitCost: Double
  /// Finished stock at the start of the horizon (components and materials go to the pool).
  public var initialStock: Double
}

/// Capacity several items share, each unit of item `i` using `usage` units of it.
public struct ProductionLine: Sendable, Hashable {
  public var id: String
  public var name: String
  public var capacity: [Double]
  public var usage: [LineUsage]
}

public struct LineUsage: Sendable, Hashable {
  public var item: Int
  public var usage: Double
}

/// Extra capacity the optimizer may buy: up to `capacity` more units per period, ordered in
/// any period from `earliestStart`, arriving `leadTime` periods later, at `cost` EUR for the
/// full amount (pro rata for less).
public struct Expansion: Sendable, Hashable {
  public enum Target: Sendable, Hashable {
    case item(Int)  // index into the producer's products
    case line(Int)  // index into the producer's lines
  }
  public var id: String
  public var name: String
  public var target: Target
  public var capacity: Double
  public var leadTime: Int
  public var earliestStart: Int
  public var cost: Double
  public var funder: Int?
}

public struct Consumer: Sendable, Hashable {
  public var id: String
  public var name: String
  public var consumerClass: ConsumerClass
  public var country: Int
  /// Multiplies the class weight (weighted policy).
  public var priority: Double
  /// Inactive consumers (a Reassurance Force not deployed) are left out of the program.
  public var active: Bool
  public var initialStock: [StockLevel]
  public var demand: [Demand]
  public var targets: [StockpileTarget]
}

public struct StockLevel: Sendable, Hashable {
  public var item: Int
  public var quantity: Double
}

/// What a consumer draws per period: an end item or a substitution group.
public struct Demand: Sendable, Hashable {
  public enum Key: Sendable, Hashable {
    case item(Int)
    case group(Int)
  }
  public var key: Key
  public var quantity: [Double]
}

/// A stock level to hold at the end of a period.
public struct StockpileTarget: Sendable, Hashable {
  public var item: Int
  public var period: Int
  public var level: Double
}

public struct Market: Sendable, Hashable {
  public var id: String
  public var name: String
  public var country: Int
  public var supplies: [MarketSupply]
}

public struct MarketSupply: Sendable, Hashable {
  public var item: Int
  /// Units per period the market can sell.
  public var limit: [Double]
  /// EUR per unit.
  public var price: Double
  /// Pools it can deliver to.
  public var pools: [Int]
}

/// Who a rule, route, quota or funder applies to on the supply side, resolved to producers.
public struct ProducerSelection: Sendable, Hashable {
  public var text: String
  public var producers: Set<Int>
  /// How specific the selector is: 3 producer, 2 country, 1 group, 0 any.
  public var specificity: Int
}

/// Who a rule, route, quota or funder applies to on the demand side, resolved to consumers.
public struct ConsumerSelection: Sendable, Hashable {
  public var text: String
  public var consumers: Set<Int>
  /// 3 consumer, 2 country, 1 class or group, 0 any.
  public var specificity: Int
}

public struct Route: Sendable, Hashable {
  public var from: ProducerSelection
  public var to: ConsumerSelection
  public var items: Set<Int>?
  public var leadTime: Int  // periods
  public var leadTimeMonths: Double
  /// EUR per unit carried.
  public var cost: Double
  /// Units per period across the pairs and items using this route.
  public var capacity: [Double]?
  public var name: String
}

public struct EligibilityRule: Sendable, Hashable {
  public var from: ProducerSelection
  public var to: ConsumerSelection
  public var items: Set<Int>?
  public var allow: Bool
  public var note: String
}

public struct Quota: Sendable, Hashable {
  public var id: String
  public var from: ProducerSelection
  public var to: ConsumerSelection
  public var items: Set<Int>?
  /// Units per period.
  public var limit: [Double]
  public var note: String
}

public struct Funder: Sendable, Hashable {
  public var id: String
  public var name: String
  public var country: Int?
  /// EUR per period.
  public var budget: [Double]
  public var paysFor: ConsumerSelection
  /// Producers whose deliveries it may pay for (all when `nil`).
  public var buysFrom: ProducerSelection?
  /// Unspent money carries over to later periods.
  public var carryOver: Bool
}
