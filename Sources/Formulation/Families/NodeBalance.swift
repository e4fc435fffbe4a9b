import LinearProgram
import PlanningModel

/// Node balance of end items (docs/MODEL.md, `pbal`): from the first period a member can hold
/// anything, shipped + carried out ≤ made + carried in (+ initial stock in the first period).
///
/// Stock is kept only while a later shipment can draw on it.
enum NodeBalance {
  static func add(
    _ ctx: FormulationContext, nodes: SupplyNodes, shipments: Shipments, capacity: Capacity, lp: inout LPAssembly
  ) throws(LPError) {
    let m = ctx.model
    for n in nodes.nodes.indices where shipments.lastShip[n] >= 0 {
      let node = nodes.nodes[n]
      let i = node.item
      guard let first = node.members.compactMap({ ctx.firstPossible[$0.producer][$0.product] }).min() else { continue }
      let initial = node.members.reduce(0) { $0 + m.producers[$1.producer].products[$1.product].initialStock }
      let last = shipments.lastShip[n]
      let ships = shipments.columns[n] ?? [:]
      var previous: ColumnID?
      for t in first...last {
        var terms: [(ColumnID, Double)] = []
        for member in node.members {
          if let c = capacity.production[member.producer][member.product][t] { terms.append((c, -1)) }
        }
        for k in ships.keys.sorted() { if let c = ships[k]?[t] { terms.append((c, 1)) } }
        if let previous { terms.append((previous, -1)) }
        let rhs = t == first ? initial : 0
        if t < last {
          let s = try lp.column(
            "pstock[\(nodes.name(n, m)),\(m.items[i].id),\(ctx.labels[t])]", .nodeStock(node: n, t: t))
          terms.append((s, 1))
          previous = s
        } else {
          previous = nil
        }
        // Made + carried in − shipped − carried out: ≤ because surplus may stay unused.
        try lp.row(
          "pbal[\(nodes.name(n, m)),\(m.items[i].id),\(ctx.labels[t])]", .nodeBalance(node: n, t: t),
          bounds: .atMost(rhs), terms: terms)
      }
    }
  }
}

/// Market supply limits (docs/MODEL.md, `market`): purchases into the pools a supply serves,
/// at most its limit — a column bound when one pool can use it, a `market` row otherwise.
enum Markets {
  static func add(
    _ ctx: FormulationContext, windows: ProductionWindows, lp: inout LPAssembly, shared: inout SharedTerms
  )
    throws(LPError)
  {
    let m = ctx.model
    for (mi, market) in m.markets.indexed() {
      for (s, supply) in market.supplies.indexed() {
        let servedPools = supply.pools.filter { windows.poolNeed[$0][supply.item] >= 0 }
        guard !servedPools.isEmpty else { continue }
        let kind: LimitKind = m.items[supply.item].kind == .component ? .component : .rawMaterial
        let shaped = ctx.shape.markets[mi].supplies[s].limit
        for t in 0..<ctx.periods where shaped[t] > 0 {
          let poolsNow = servedPools.filter { windows.poolNeed[$0][supply.item] >= t }
          guard !poolsNow.isEmpty else { continue }
          var columns: [ColumnID] = []
          for g in poolsNow {
            let bounds = columnBounds(limit: supply.limit[t], shared: poolsNow.count > 1)
            let c = try lp.column(
              "buy[\(market.id),\(m.items[supply.item].id),\(m.pools[g].name),\(ctx.labels[t])]",
              .purchase(market: mi, supply: s, pool: g, t: t), bounds: bounds)
            columns.append(c)
            shared.poolInflow[g, default: [:]][supply.item, default: [:]][t, default: []].append((c, 1))
            if supply.price > 0 { shared.cost.append((c, supply.price * Formulation.moneyScale)) }
            if poolsNow.count == 1 { lp.limit(.column(c.index), kind, .market(market: mi, supply: s), t: t) }
          }
          if poolsNow.count > 1 {
            let r = try lp.row(
              "market[\(market.id),\(m.items[supply.item].id),\(ctx.labels[t])]",
              .marketSupply(market: mi, supply: s, t: t), bounds: rowBounds(limit: supply.limit[t]),
              terms: columns.map { ($0, 1) })
            lp.limit(.row(r.index), kind, .market(market: mi, supply: s), t: t)
          }
        }
      }
    }
  }
}

extension Markets {
  /// A purchase column's bounds.
  ///
  /// Up to the supply's limit, or unbounded above when several pools share the supply (its
  /// `market` row then bounds them). `Formulator.rebound` reads them here too.
  static func columnBounds(limit: Double, shared: Bool) -> Bounds { shared ? .nonNegative : .between(0, limit) }

  /// A `market` row's bounds.
  static func rowBounds(limit: Double) -> Bounds { .atMost(limit) }
}

/// Pools (docs/MODEL.md, `pool`): for every component or material, what producers make and
/// markets sell into a pool, plus its stock, covers what the pool's producers use.
enum Pools {
  static func add(_ ctx: FormulationContext, windows: ProductionWindows, shared: SharedTerms, lp: inout LPAssembly)
    throws(LPError)
  {
    let m = ctx.model
    // Initial pool stocks: producers' stocks of components and materials.
    var poolInitial = m.pools.mapValues { _ in TypedArray<Item, Double>(repeating: 0, count: m.items.count) }
    for producer in m.producers {
      for product in producer.products where m.items[product.item].kind != .end {
        poolInitial[producer.pool][product.item] += product.initialStock
      }
    }
    for g in m.pools.indices {
      for j in m.items.indices where m.items[j].kind != .end {
        let last = windows.poolNeed[g][j]
        guard last >= 0 else { continue }
        var previous: ColumnID?
        for t in 0...last {
          var terms = shared.poolInflow[g]?[j]?[t] ?? []
          if terms.isEmpty && previous == nil && !(t == 0 && poolInitial[g][j] > 0) { continue }
          // Inflow − use + carried in − carried out ≥ −initial: surplus may stay unused.
          if let previous { terms.append((previous, 1)) }
          if t < last {
            let s = try lp.column(
              "inv[\(m.pools[g].name),\(m.items[j].id),\(ctx.labels[t])]", .poolStock(pool: g, item: j, t: t))
            terms.append((s, -1))
            previous = s
          } else {
            previous = nil
          }
          let initial = t == 0 ? poolInitial[g][j] : 0
          try lp.row(
            "pool[\(m.pools[g].name),\(m.items[j].id),\(ctx.labels[t])]", .poolBalance(pool: g, item: j, t: t),
            bounds: .atLeast(-initial), terms: terms)
        }
      }
    }
  }
}
