/// Eligibility, routes, quotas and demand keys as the model decides them; the formulation
/// and the analysis share these, so that both read a rule the same way.
extension PlanningModel {
  /// Whether producer `p` may deliver item `i` to consumer `k`: the last matching rule
  /// decides, `settings.defaultEligible` when none matches.
  public func isEligible(producer p: ProducerIndex, consumer k: ConsumerIndex, item i: ItemIndex) -> Bool {
    decidingRule(producer: p, consumer: k, item: i).map { rules[$0].allow } ?? settings.defaultEligible
  }

  /// The rule that decides whether `p` may deliver `i` to `k` (the last that matches), or
  /// `nil` when the default decides.
  public func decidingRule(producer p: ProducerIndex, consumer k: ConsumerIndex, item i: ItemIndex) -> RuleIndex? {
    rules.indices.last { rules[$0].scope.applies(producer: p, consumer: k, item: i) }
  }

  /// The most specific route matching (p, k, i) — producer over country over group over
  /// "*", the supply side first; `nil` when none matches.
  ///
  /// Two equally specific routes never both match (the loader rejects that).
  public func route(producer p: ProducerIndex, consumer k: ConsumerIndex, item i: ItemIndex) -> RouteIndex? {
    var best: RouteIndex?
    var bestScore = -1
    for r in routes.indices where routes[r].scope.applies(producer: p, consumer: k, item: i) {
      let score = routes[r].specificityScore
      if score > bestScore {
        best = r
        bestScore = score
      }
    }
    return best
  }

  /// The quotas that count deliveries of `i` from `p` to `k`.
  public func quotas(producer p: ProducerIndex, consumer k: ConsumerIndex, item i: ItemIndex) -> [QuotaIndex] {
    quotas.indices.filter { quotas[$0].scope.applies(producer: p, consumer: k, item: i) }
  }

  /// Delivery lead time in periods of a route, or the default when `route` is `nil`.
  public func leadTime(route r: RouteIndex?) -> Int {
    r.map { routes[$0].leadTime } ?? horizon.periods(forMonths: settings.defaultLeadTimeMonths)
  }

  /// The funders that pay for consumer `k`'s purchases.
  public func funders(of k: ConsumerIndex) -> [FunderIndex] {
    funders.indices.filter { funders[$0].paysFor.consumers.contains(k) }
  }

  /// The end items that can meet a demand key: the item, or the group's members.
  public func items(meeting key: Demand.Key) -> [ItemIndex] {
    switch key {
    case .item(let i): return [i]
    case .group(let g): return substitutes[g].members.map(\.item)
    }
  }

  /// How a demand key reads in reports, its unit and its weight (importance of one unit).
  public func describe(_ key: Demand.Key) -> DemandDescription {
    switch key {
    case .item(let i): return DemandDescription(name: items[i].name, unit: items[i].unit, weight: items[i].weight)
    case .group(let g):
      return DemandDescription(name: substitutes[g].name, unit: substitutes[g].unit, weight: substitutes[g].weight)
    }
  }

  /// The id a demand key has in the input files.
  public func id(of key: Demand.Key) -> String {
    switch key {
    case .item(let i): return items[i].id
    case .group(let g): return substitutes[g].id
    }
  }
}

extension PlanningModel {
  /// The inputs one unit of `product` draws from its producer's pool: the item's bill of
  /// materials, or nothing when the producer delivers it finished.
  public func inputs(of product: ProducerItem) -> [BOMLine] {
    product.finished ? [] : product.billOfMaterials ?? items[product.item].billOfMaterials
  }

  /// For every item, the items that can go into it on some producer's route: its bill of
  /// materials and the producers' own (`ProducerItem.billOfMaterials`), each input once, in
  /// index order (indexed by the item's `rawValue`).
  public var inputGraph: [[ItemIndex]] {
    var inputs = items.indices.map { Set(items[$0].billOfMaterials.map(\.item)) }
    for producer in producers {
      for product in producer.products {
        for line in product.billOfMaterials ?? [] { inputs[product.item.rawValue].insert(line.item) }
      }
    }
    return inputs.map { $0.sorted() }
  }

  /// The end items made with `item`, directly or through components (the item itself when
  /// it is an end item): what a change to its supply can reach.
  public func endItems(using item: ItemIndex) -> EntitySet<Item> {
    itemsMade(from: item).filter { items[$0].kind == .end }
  }

  /// `item` and every item made with it on some producer's route, directly or through
  /// components and materials.
  public func itemsMade(from item: ItemIndex) -> EntitySet<Item> {
    let inputs = inputGraph
    var reached = EntitySet<Item>([item])
    var frontier = [item]
    while let next = frontier.popLast() {
      for i in items.indices where !reached.contains(i) && inputs[i.rawValue].contains(next) {
        reached.insert(i)
        frontier.append(i)
      }
    }
    return reached
  }

  /// `item` and every item that goes into it on some producer's route, directly or through
  /// components and materials: the other way from `itemsMade(from:)`.
  public func itemsGoing(into item: ItemIndex) -> EntitySet<Item> {
    let inputs = inputGraph
    var reached = EntitySet<Item>([item])
    var frontier = [item]
    while let next = frontier.popLast() {
      for i in inputs[next.rawValue] where !reached.contains(i) {
        reached.insert(i)
        frontier.append(i)
      }
    }
    return reached
  }

  /// The systems and parts in service: the items some munition is fired from or wears.
  public var systemItems: EntitySet<Item> {
    EntitySet(items.flatMap { [$0.firedFrom?.item, $0.wears?.item].compactMap { $0 } })
  }

  /// The demand keys an end item can meet: its own and those of the groups it belongs to.
  public func demandKeys(metBy item: ItemIndex) -> [Demand.Key] {
    [.item(item)]
      + substitutes.indices.filter { substitutes[$0].members.contains { $0.item == item } }.map { .group($0) }
  }
}

/// What a demand key is to a reader: its name, its unit and its weight.
public struct DemandDescription: Sendable, Hashable {
  /// The item's or group's display name.
  public let name: String
  /// What one unit is ("rounds").
  public let unit: String
  /// Importance of one unit of shortfall (the item's or group's weight).
  public let weight: Double

}

extension PlanningModel {
  /// Whether pool `g` can ever have item `j`: a producer there makes it (or holds some at the
  /// start, or may expand to make it), or a market delivers it there.
  public func canEverHave(_ j: ItemIndex, inPool g: PoolIndex) -> Bool {
    let m = self
    for q in m.producers where q.pool == g {
      if q.products.contains(where: { $0.item == j && ($0.capacity.contains { $0 > 0 } || $0.initialStock > 0) }) {
        return true
      }
      if q.expansions.contains(where: { e in
        if case .item(let k) = e.target { return q.products[k].item == j }
        return false
      }) {
        return true
      }
    }
    return m.markets.contains { market in
      market.supplies.contains { $0.item == j && ($0.pools.isEmpty || $0.pools.contains(g)) }
    }
  }
}
