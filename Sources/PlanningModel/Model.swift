/// The validated planning model: what the formulation turns into a linear program.
///
/// Everything here has been checked by the loader: references resolve, numbers are finite
/// and in range, the bill of materials has no cycles. Entities refer to each other by typed
/// index (`ItemIndex`, `ProducerIndex`, …). Time series hold one value per period of the
/// horizon, already converted from the planner's units (`per = "year"`, …) into amounts per
/// period. Scenarios produce new models from a base one; outside this module a model is
/// read-only.
public struct PlanningModel: Sendable, Codable, Hashable {
  /// The data set's name.
  public internal(set) var name: String
  /// What the data set describes.
  public internal(set) var description: String
  /// Whether reports must say the figures are illustrative.
  public internal(set) var illustrative: Bool
  /// The planning periods.
  public internal(set) var horizon: Horizon
  /// Model-wide settings (policy, lead time, weights).
  public internal(set) var settings: Settings
  /// Class weights and ranks, indexed by `ConsumerClass.allCases` order.
  public internal(set) var classes: [ClassSettings]
  /// Countries producers, consumers and markets belong to.
  public internal(set) var countries: Entities<Country>
  /// Named groups of countries usable in selectors.
  public internal(set) var groups: [CountryGroup]
  /// Component and material pools.
  public internal(set) var pools: Entities<Pool>
  /// End items, components and materials.
  public internal(set) var items: Entities<Item>
  /// Demands several end items can meet.
  public internal(set) var substitutes: Entities<SubstitutionGroup>
  /// Sites or firms and what they make.
  public internal(set) var producers: Entities<Producer>
  /// Demand nodes.
  public internal(set) var consumers: Entities<Consumer>
  /// Where components and materials are bought.
  public internal(set) var markets: Entities<Market>
  /// Delivery routes (lead time, cost, capacity).
  public internal(set) var routes: Entities<Route>
  /// Export rules, applied in order (the last match decides).
  public internal(set) var rules: Entities<EligibilityRule>
  /// Limits on deliveries from some producers to some consumers.
  public internal(set) var quotas: Entities<Quota>
  /// Who pays, how much and for whom.
  public internal(set) var funders: Entities<Funder>
  /// SHA-256 of the data set's files, for report provenance.
  public internal(set) var contentHash: String
  /// The folder the data set was read from (as given).
  public internal(set) var source: String

  /// The weight and rank of a consumer class.
  public func classSettings(_ c: ConsumerClass) -> ClassSettings {
    classes[ConsumerClass.allCases.firstIndex(of: c) ?? 0]
  }

  /// The item with this id.
  public func itemIndex(_ id: String) -> ItemIndex? { items.firstIndex { $0.id == id } }
  /// The producer with this id.
  public func producerIndex(_ id: String) -> ProducerIndex? { producers.firstIndex { $0.id == id } }
  /// The consumer with this id.
  public func consumerIndex(_ id: String) -> ConsumerIndex? { consumers.firstIndex { $0.id == id } }
  /// The market with this id.
  public func marketIndex(_ id: String) -> MarketIndex? { markets.firstIndex { $0.id == id } }
  /// The funder with this id.
  public func funderIndex(_ id: String) -> FunderIndex? { funders.firstIndex { $0.id == id } }
  /// The country with this code.
  public func countryIndex(_ code: String) -> CountryIndex? { countries.firstIndex { $0.code == code } }
}

/// How the optimizer shares scarce supply between consumers.
public enum AllocationPolicy: String, Sendable, Codable, Hashable, CaseIterable {
  /// Minimise priority-weighted shortfall, then cost.
  case weighted
  /// Classes strictly in rank order: each class's shortfall is minimised and fixed
  /// (within a tolerance) before the next class is considered; then cost.
  case lexicographic
  /// Classes in rank order; within each class, first maximise the smallest coverage
  /// fraction of any consumer and item, then minimise the class's shortfall; then cost.
  case fairShare = "fair-share"
}

/// Model-wide settings from `dataset.toml`.
public struct Settings: Sendable, Codable, Hashable {
  /// The allocation policy unless a run chooses another.
  public internal(set) var policy: AllocationPolicy
  /// Lead time in months for producer–consumer pairs no route matches.
  public internal(set) var defaultLeadTimeMonths: Double
  /// Relative tolerance with which a stage's optimum is fixed before the next stage.
  public internal(set) var stageTolerance: Double
  /// Penalty per unit of stockpile-target gap, relative to a unit of consumption shortfall.
  public internal(set) var stockpileWeight: Double
  /// Extra weight per period of earliness: a shortfall in period t weighs
  /// 1 + urgency × (T − 1 − t) times its base weight, so sooner coverage wins ties.
  public internal(set) var urgency: Double
  /// Whether producer–consumer pairs are eligible unless a rule says otherwise.
  public internal(set) var defaultEligible: Bool
}

/// The three kinds of demand node the brief names.
public enum ConsumerClass: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
  /// Ukraine's armed forces at war.
  case frontLine = "front-line"
  /// A European country's forces: peacetime use and stockpile targets.
  case readiness
  /// A European Reassurance Force deployed in Ukraine.
  case reassurance
  /// Buyers outside Europe and Ukraine whose demand competes for the same production: US
  /// forces, other export customers.
  case competing

  /// The class's name in report headings.
  public var title: String {
    switch self {
    case .frontLine: return "Front line"
    case .readiness: return "National readiness"
    case .reassurance: return "Reassurance Force"
    case .competing: return "Competing demand"
    }
  }

  /// Orders as `allCases`.
  public static func < (a: ConsumerClass, b: ConsumerClass) -> Bool {
    (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
  }
}

/// The weight and rank of one consumer class.
public struct ClassSettings: Sendable, Codable, Hashable {
  /// The class these settings are for.
  public internal(set) var consumerClass: ConsumerClass
  /// Penalty per unit of shortfall under the weighted policy (times consumer priority and
  /// item weight).
  public internal(set) var weight: Double
  /// Order under the lexicographic and fair-share policies: 1 is served first.
  public internal(set) var rank: Int
}

/// A country, by ISO code.
public struct Country: Sendable, Codable, Hashable {
  /// ISO 3166-1 code, such as "DE".
  public internal(set) var code: String
  /// Display name.
  public internal(set) var name: String
}

/// A named group of countries usable in selectors ("EU").
public struct CountryGroup: Sendable, Codable, Hashable {
  /// The group's name as written in selectors.
  public internal(set) var id: String
  /// Display name.
  public internal(set) var name: String
  /// The member countries.
  public internal(set) var members: [CountryIndex]
}

/// A pool of components and materials: producers in one pool share their inputs.
public struct Pool: Sendable, Codable, Hashable {
  /// The pool's name as written in producers.toml.
  public internal(set) var name: String
}

/// What role an item plays in production.
public enum ItemKind: String, Sendable, Codable, Hashable, CaseIterable {
  /// Delivered to consumers.
  case end
  /// Made by producers and consumed in assembly.
  case component
  /// Bought from markets (or made by producers) and consumed in production.
  case material
}

/// An end item, component or material.
public struct Item: Sendable, Codable, Hashable {
  /// Identifier used in the input files.
  public internal(set) var id: String
  /// Display name.
  public internal(set) var name: String
  /// End item, component or material.
  public internal(set) var kind: ItemKind
  /// The unit demand, capacity and stock of this item are counted in ("rounds", "t").
  public internal(set) var unit: String
  /// Importance of one unit of shortfall relative to other items (weighted policy).
  public internal(set) var weight: Double
  /// Inputs per unit produced.
  public internal(set) var billOfMaterials: [BOMLine]
  /// The family reports group end items by ("artillery", "air-defence interceptors"): a
  /// headline per family, so that no single plentiful item can carry a class's figure.
  public internal(set) var family: String
  /// Share of the units a consumer holds in service lost per month of combat (a system's
  /// attrition; docs/MODEL.md, "Systems in service"); 0 for munitions used as they are drawn.
  public internal(set) var attrition: Double = 0
  /// The system this item is fired from, and how many units of it a consumer can use per
  /// month for each unit of the system it holds (interceptors per fire unit).
  public internal(set) var firedFrom: SystemLink?
  /// The part this item wears out as it is used, and how many units of it use up one unit of
  /// the part (rounds per barrel life).
  public internal(set) var wears: SystemLink?
}

/// A coupling of a munition to a system or part (docs/MODEL.md, "Systems in service").
public struct SystemLink: Sendable, Codable, Hashable {
  /// The system or part, an end item consumers hold.
  public internal(set) var item: ItemIndex
  /// Units of the munition per unit of the system per month (`fire_rate`), or per unit of
  /// the part worn out (`wear_life`).
  public internal(set) var rate: Double
}

/// One input of an item's bill of materials.
public struct BOMLine: Sendable, Codable, Hashable {
  /// The input item.
  public internal(set) var item: ItemIndex
  /// Units of the input per unit of the output.
  public internal(set) var quantity: Double
}

/// A demand that several end items can meet, each unit of item `item` counting `factor`.
public struct SubstitutionGroup: Sendable, Codable, Hashable {
  /// Identifier used in the input files.
  public internal(set) var id: String
  /// Display name.
  public internal(set) var name: String
  /// The unit the group's demand is counted in.
  public internal(set) var unit: String
  /// Importance of one unit of shortfall (weighted policy).
  public internal(set) var weight: Double
  /// The items that can meet the demand.
  public internal(set) var members: [GroupMember]
}

/// An item of a substitution group.
public struct GroupMember: Sendable, Codable, Hashable {
  /// The member item.
  public internal(set) var item: ItemIndex
  /// Group units one unit of the item counts for.
  public internal(set) var factor: Double
}

/// A site or firm.
public struct Producer: Sendable, Codable, Hashable {
  /// Identifier used in the input files.
  public internal(set) var id: String
  /// Display name.
  public internal(set) var name: String
  /// The country the producer is in (export rules apply by country).
  public internal(set) var country: CountryIndex
  /// The component and material pool the producer draws from and delivers to.
  public internal(set) var pool: PoolIndex
  /// What it makes.
  public internal(set) var products: Entities<ProducerItem>
  /// Capacity several of its products share.
  public internal(set) var lines: Entities<ProductionLine>
  /// Capacity the optimizer may add.
  public internal(set) var expansions: Entities<Expansion>

  /// The product that makes `item`, if any.
  public func product(making item: ItemIndex) -> ProductIndex? { products.firstIndex { $0.item == item } }
}

/// One item a producer makes.
public struct ProducerItem: Sendable, Codable, Hashable {
  /// The item made.
  public internal(set) var item: ItemIndex
  /// Units per period.
  public internal(set) var capacity: [Double]
  /// Price per unit paid by the buyer, EUR.
  public internal(set) var unitCost: Double
  /// Finished stock at the start of the horizon (components and materials go to the pool).
  public internal(set) var initialStock: Double
  /// Whether the producer delivers the item finished, bought elsewhere (a broker or a
  /// third-country market): it then draws no inputs from its pool.
  public internal(set) var finished: Bool
  /// The producer's own route to the item, replacing the item's bill of materials (a
  /// nitrocellulose plant on wood pulp rather than cotton linters); `nil`: the item's.
  public internal(set) var billOfMaterials: [BOMLine]? = nil
}

/// Capacity several items share, each unit of item `i` using `usage` units of it.
public struct ProductionLine: Sendable, Codable, Hashable {
  /// Identifier used in the input files (unique within the producer).
  public internal(set) var id: String
  /// Display name.
  public internal(set) var name: String
  /// Line units per period.
  public internal(set) var capacity: [Double]
  /// Line units each item uses.
  public internal(set) var usage: [LineUsage]
}

/// How much of a shared line one unit of an item uses.
public struct LineUsage: Sendable, Codable, Hashable {
  /// The item.
  public internal(set) var item: ItemIndex
  /// Line units per unit of the item.
  public internal(set) var usage: Double
}

/// Extra capacity the optimizer may buy: up to `capacity` more units per period, ordered in
/// any period from `earliestStart`, arriving `leadTime` to `maxLeadTime` periods later (the
/// build time chosen), at `cost` EUR for the full amount, paid evenly over the build; either
/// any fraction of it (`lots == nil`) or whole lots of `capacity / lots` each.
public struct Expansion: Sendable, Codable, Hashable {
  /// What the expansion adds capacity to.
  public enum Target: Sendable, Codable, Hashable {
    /// One of the producer's products.
    case item(ProductIndex)
    /// One of the producer's shared lines.
    case line(LineIndex)
  }
  /// Identifier used in the input files (unique within the producer).
  public internal(set) var id: String
  /// Display name.
  public internal(set) var name: String
  /// The product or line it expands.
  public internal(set) var target: Target
  /// Units (or line units) per period added in full.
  public internal(set) var capacity: Double
  /// Periods from the decision to the first added output: the shortest build.
  public internal(set) var leadTime: Int
  /// The longest build, in periods (≥ `leadTime`): a slower build spreads the capital
  /// over more periods.
  public internal(set) var maxLeadTime: Int
  /// Identical modules bought whole (`nil`: any fraction of the capacity).
  public internal(set) var lots: Int?
  /// EUR per period to run the full capacity once it has arrived (pro rata for less).
  public internal(set) var runningCost: Double
  /// The first period a decision may be taken.
  public internal(set) var earliestStart: Int
  /// EUR for the full capacity.
  public internal(set) var cost: Double
  /// Who pays, from its budget in the decision period (`nil`: the firm itself).
  public internal(set) var funder: FunderIndex?
}

/// A demand node: a country's forces, Ukraine's front line, a Reassurance Force.
public struct Consumer: Sendable, Codable, Hashable {
  /// Identifier used in the input files.
  public internal(set) var id: String
  /// Display name.
  public internal(set) var name: String
  /// Front line, readiness or reassurance.
  public internal(set) var consumerClass: ConsumerClass
  /// The consumer's country (export rules apply by country).
  public internal(set) var country: CountryIndex
  /// Multiplies the class weight (weighted policy).
  public internal(set) var priority: Double
  /// Inactive consumers (a Reassurance Force not deployed) are left out of the program.
  public internal(set) var active: Bool
  /// How hard it fights in each period, from 0 (no combat) to 1: the systems it holds lose
  /// their items' attrition times this share (default: 1 for the front line, else 0).
  public internal(set) var combat: [Double] = []
  /// End-item stock at the start of the horizon.
  public internal(set) var initialStock: [StockLevel]
  /// What it draws per period.
  public internal(set) var demand: Entities<Demand>
  /// Stock levels to hold by given dates.
  public internal(set) var targets: Entities<StockpileTarget>
  /// Deliveries already in transit or contracted when the horizon opens, arriving in given
  /// periods (outside the capacities the producers have left).
  public internal(set) var scheduledArrivals: [ScheduledArrival]
}

/// Units of an end item that reach a consumer in a given period whatever the plan decides:
/// in transit or contracted before the horizon opens (`deliveries.csv`).
public struct ScheduledArrival: Sendable, Codable, Hashable {
  /// The end item.
  public internal(set) var item: ItemIndex
  /// The period it arrives in.
  public internal(set) var period: Int
  /// Units.
  public internal(set) var quantity: Double
}

/// A quantity of one end item.
public struct StockLevel: Sendable, Codable, Hashable {
  /// The end item.
  public internal(set) var item: ItemIndex
  /// Units.
  public internal(set) var quantity: Double
}

/// What a consumer draws per period: an end item or a substitution group.
public struct Demand: Sendable, Codable, Hashable {
  /// What a demand series asks for.
  public enum Key: Sendable, Hashable, Comparable, Codable {
    /// One end item.
    case item(ItemIndex)
    /// Any member of a substitution group.
    case group(GroupIndex)

    /// Items before groups, each by index.
    public static func < (a: Key, b: Key) -> Bool {
      switch (a, b) {
      case (.item(let x), .item(let y)): return x < y
      case (.group(let x), .group(let y)): return x < y
      case (.item, .group): return true
      case (.group, .item): return false
      }
    }
  }
  /// The item or group asked for.
  public internal(set) var key: Key
  /// Units per period.
  public internal(set) var quantity: [Double]
}

/// A stock level to hold at the end of a period.
public struct StockpileTarget: Sendable, Codable, Hashable {
  /// The end item.
  public internal(set) var item: ItemIndex
  /// The period by whose end the level must be held.
  public internal(set) var period: Int
  /// Units.
  public internal(set) var level: Double
}

/// Where components and materials are bought.
public struct Market: Sendable, Codable, Hashable {
  /// Identifier used in the input files.
  public internal(set) var id: String
  /// Display name.
  public internal(set) var name: String
  /// The market's country (or the main one).
  public internal(set) var country: CountryIndex
  /// What it sells.
  public internal(set) var supplies: Entities<MarketSupply>
}

/// One item a market sells.
public struct MarketSupply: Sendable, Codable, Hashable {
  /// The item sold.
  public internal(set) var item: ItemIndex
  /// Units per period the market can sell.
  public internal(set) var limit: [Double]
  /// EUR per unit.
  public internal(set) var price: Double
  /// Pools it can deliver to.
  public internal(set) var pools: [PoolIndex]
}

/// How specific a selector is: rules and routes prefer the most specific match.
public enum Specificity: Int, Sendable, Codable, Hashable, Comparable {
  /// `*`: everyone.
  case any = 0
  /// A country group (or a consumer class).
  case group = 1
  /// A country.
  case country = 2
  /// One producer or consumer by id.
  case entity = 3

  /// Orders from least to most specific.
  public static func < (a: Specificity, b: Specificity) -> Bool { a.rawValue < b.rawValue }
}

/// Who a rule, route, quota or funder applies to on the supply side, resolved to producers.
public struct ProducerSelection: Sendable, Codable, Hashable {
  /// The selector as written.
  public internal(set) var text: String
  /// The producers it selects.
  public internal(set) var producers: EntitySet<Producer>
  /// How specific the selector is.
  public internal(set) var specificity: Specificity
}

/// Who a rule, route, quota or funder applies to on the demand side, resolved to consumers.
public struct ConsumerSelection: Sendable, Codable, Hashable {
  /// The selector as written.
  public internal(set) var text: String
  /// The consumers it selects.
  public internal(set) var consumers: EntitySet<Consumer>
  /// How specific the selector is.
  public internal(set) var specificity: Specificity
}

/// What a rule, route or quota applies to: producers, consumers and (optionally) items.
public struct LinkScope: Sendable, Codable, Hashable {
  /// The supply side.
  public internal(set) var from: ProducerSelection
  /// The demand side.
  public internal(set) var to: ConsumerSelection
  /// The items it covers (`nil`: every item).
  public internal(set) var items: EntitySet<Item>?

  /// Whether deliveries of `item` from `producer` to `consumer` fall under it — the one
  /// matcher rules, routes and quotas share.
  public func applies(producer: ProducerIndex, consumer: ConsumerIndex, item: ItemIndex) -> Bool {
    from.producers.contains(producer) && to.consumers.contains(consumer) && (items?.contains(item) ?? true)
  }
}

/// A delivery route: lead time, cost and capacity between selected producers and consumers.
public struct Route: Sendable, Codable, Hashable {
  /// Who and what it carries.
  public internal(set) var scope: LinkScope
  /// Lead time in periods.
  public internal(set) var leadTime: Int
  /// Lead time in months, as given.
  public internal(set) var leadTimeMonths: Double
  /// EUR per unit carried.
  public internal(set) var cost: Double
  /// Units per period across the pairs and items using this route.
  public internal(set) var capacity: [Double]?
  /// Display name.
  public internal(set) var name: String

  /// How specific the route is, the supply side first: where several routes match a
  /// delivery, the highest score applies.
  public var specificityScore: Int { scope.from.specificity.rawValue * 4 + scope.to.specificity.rawValue }
}

/// An export rule: whether selected producers may deliver to selected consumers.
public struct EligibilityRule: Sendable, Codable, Hashable {
  /// Who and what it governs.
  public internal(set) var scope: LinkScope
  /// Allowed or barred.
  public internal(set) var allow: Bool
  /// Why (cited in reports).
  public internal(set) var note: String
}

/// A limit on deliveries from selected producers to selected consumers.
public struct Quota: Sendable, Codable, Hashable {
  /// Identifier used in the input files.
  public internal(set) var id: String
  /// Who and what it limits.
  public internal(set) var scope: LinkScope
  /// Units per period.
  public internal(set) var limit: [Double]
  /// Why (cited in reports).
  public internal(set) var note: String
}

/// Who pays: a budget per period for selected consumers' purchases.
public struct Funder: Sendable, Codable, Hashable {
  /// Identifier used in the input files.
  public internal(set) var id: String
  /// Display name.
  public internal(set) var name: String
  /// The funder's country, if it has one.
  public internal(set) var country: CountryIndex?
  /// EUR per period.
  public internal(set) var budget: [Double]
  /// Consumers whose purchases it pays for.
  public internal(set) var paysFor: ConsumerSelection
  /// Producers whose deliveries it may pay for (all when `nil`).
  public internal(set) var buysFrom: ProducerSelection?
  /// Unspent money carries over to later periods.
  public internal(set) var carryOver: Bool
  /// EUR per period it may put into capacity expansions (capital, as paid over the builds),
  /// besides its budget; `nil`: only its budget limits them.
  public internal(set) var investmentBudget: [Double]?

  /// Whether it may pay for deliveries from `producer`.
  public func mayBuy(from producer: ProducerIndex) -> Bool { buysFrom?.producers.contains(producer) ?? true }
}
