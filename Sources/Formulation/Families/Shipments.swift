import LinearProgram
import PlanningModel

/// Shipments from supply nodes to consumers (decided first: they determine which production
/// is useful).
///
/// A shipment exists only on an eligible, funded pair, from the first period a member can
/// hold anything, arriving before the consumer's last need.
struct Shipments {
  /// node → consumer → period → column.
  var columns: [NodeIndex: [ConsumerIndex: [Int: ColumnID]]] = [:]
  /// The last period each node ships (−1: never).
  var lastShip: TypedArray<SupplyNode, Int>
  /// consumer → item → arrival period → terms.
  var arrivals: [ConsumerIndex: [ItemIndex: [Int: [(ColumnID, Double)]]]] = [:]
  /// EUR per unit the buyer pays, per shipment column.
  var unitCost: [Int: Double] = [:]
  /// The funders that may pay, per shipment column of a budget-limited consumer.
  var payers: [Int: [FunderIndex]] = [:]
  /// The route of each shipment column that a route matches (the others take the default
  /// lead time).
  var route: [Int: RouteIndex] = [:]
  /// route → period → terms, for routes with a capacity.
  var routeTerms: [RouteIndex: [Int: [(ColumnID, Double)]]] = [:]
  /// quota → period → terms.
  var quotaTerms: [QuotaIndex: [Int: [(ColumnID, Double)]]] = [:]
  /// Shipment columns an export rule bars (fixed at zero), with the rule.
  var barredBy: [Int: RuleIndex] = [:]

  init(_ ctx: FormulationContext, nodes: SupplyNodes, lp: inout LPAssembly) throws(LPError) {
    lastShip = TypedArray(repeating: -1, count: nodes.nodes.count)
    for k in ctx.active {
      guard let uses = ctx.lastUse[k] else { continue }
      for n in nodes.nodes.indices {
        let rule = nodes.barred[n]?.first { $0.consumer == k }?.rule
        guard rule != nil || nodes.consumers[n]?.contains(k) ?? false else { continue }
        let node = nodes.nodes[n]
        guard let last = uses[node.item], let representative = node.members.first else { continue }
        try add(
          ctx, node: n, nodes: nodes, representative: representative.producer, consumer: k, last: last, barredBy: rule,
          lp: &lp)
      }
    }
  }

  private mutating func add(
    _ ctx: FormulationContext, node n: NodeIndex, nodes: SupplyNodes, representative p: ProducerIndex,
    consumer k: ConsumerIndex, last: Int, barredBy rule: RuleIndex?, lp: inout LPAssembly
  ) throws(LPError) {
    let m = ctx.model
    let node = nodes.nodes[n]
    let i = node.item
    let first = node.members.compactMap { ctx.firstPossible[$0.producer][$0.product] }.min() ?? ctx.periods
    let payerList = ctx.payers(p, k)
    if let payerList, payerList.isEmpty { return }  // budget-limited, nobody may pay
    let r = m.route(producer: p, consumer: k, item: i)
    let lead = m.leadTime(route: r)
    let routeCost = r.map { m.routes[$0].cost } ?? 0
    let matchingQuotas = m.quotas(producer: p, consumer: k, item: i)
    var t = first
    while t + lead <= last && t < ctx.periods {
      let c = try lp.column(
        "ship[\(nodes.name(n, m)),\(m.items[i].id),\(m.consumers[k].id),\(ctx.labels[t])]",
        .shipment(node: n, consumer: k, t: t), bounds: rule == nil ? .nonNegative : .exactly(0))
      if let rule { barredBy[c.index] = rule }
      columns[n, default: [:]][k, default: [:]][t] = c
      if let r { route[c.index] = r }
      arrivals[k, default: [:]][i, default: [:]][t + lead, default: []].append((c, 1))
      lastShip[n] = max(lastShip[n], t)
      unitCost[c.index] = node.unitCost + routeCost
      if let payerList { payers[c.index] = payerList }
      if let r, m.routes[r].capacity != nil { routeTerms[r, default: [:]][t, default: []].append((c, 1)) }
      for q in matchingQuotas { quotaTerms[q, default: [:]][t, default: []].append((c, 1)) }
      t += 1
    }
  }
}

/// For each product, the last period in which making it can help, traced top-down through
/// the bill of materials; and for each pool, the last period each input is needed there.
struct ProductionWindows {
  /// producer → product → last useful period (−1: never).
  var prodLast: TypedArray<Producer, TypedArray<ProducerItem, Int>>
  /// pool → item → last period a producer there may consume it (−1: never).
  var poolNeed: TypedArray<Pool, TypedArray<Item, Int>>

  init(_ ctx: FormulationContext, nodes: SupplyNodes, shipments: Shipments) {
    let m = ctx.model
    let items = m.items
    prodLast = m.producers.mapIndexed { p, producer in
      producer.products.mapIndexed { pk, _ in nodes.nodeOf[p][pk].map { shipments.lastShip[$0] } ?? -1 }
    }
    // Topological depth: end items 0, their inputs deeper.
    var depth = TypedArray<Item, Int>(repeating: 0, count: items.count)
    let inputs = m.inputGraph
    var changed = true
    while changed {
      changed = false
      for i in items.indices {
        for j in inputs[i.rawValue] where depth[j] < depth[i] + 1 {
          depth[j] = depth[i] + 1
          changed = true
        }
      }
    }
    let order = items.indices.sorted { (depth[$0], $0) < (depth[$1], $1) }
    poolNeed = m.pools.mapValues { _ in TypedArray(repeating: -1, count: items.count) }
    for i in order where items[i].kind != .end {
      // Last period any producer in each pool may consume item i.
      for (p, producer) in m.producers.indexed() {
        for (pk, product) in producer.products.indexed() where prodLast[p][pk] >= 0 {
          if m.inputs(of: product).contains(where: { $0.item == i }) {
            poolNeed[producer.pool][i] = max(poolNeed[producer.pool][i], prodLast[p][pk])
          }
        }
      }
      for (p, producer) in m.producers.indexed() {
        for (pk, product) in producer.products.indexed() where product.item == i {
          prodLast[p][pk] = poolNeed[producer.pool][i]
        }
      }
    }
  }
}
