import LinearProgram
import PlanningModel

/// Why a formulation could not be built. Only a bug (or a model too large for names)
/// reaches this: validated models always formulate.
public struct FormulationError: Error, Sendable, CustomStringConvertible {
  public let underlying: LPError
  public var description: String { "could not build the linear program: \(underlying)" }
}

/// Builds the LP of docs/MODEL.md from a validated planning model.
///
/// Sparsity is the main lever on GLPK's speed: a variable is created only where it can be
/// non-zero — production only in periods with capacity (or reachable expansions) and only
/// up to the last period its output can still be used; shipments only on eligible, funded
/// routes that arrive inside the horizon before the consumer's last demand; stock chains
/// only over the periods they can carry something.
public struct Formulator {
  let m: PlanningModel
  let policy: AllocationPolicy
  var b: LPBuilder
  var columnRoles: [ColumnRole] = []
  var rowRoles: [RowRole] = []
  var limits: [Limit] = []
  var routeOfShipment: [Int: Int] = [:]
  var nodes: [SupplyNode] = []
  var nodeConsumers: [Int: [Int]] = [:]
  let T: Int
  let labels: [String]

  public static func formulate(_ model: PlanningModel, policy: AllocationPolicy? = nil) throws(FormulationError) -> Formulation {
    var f = Formulator(model: model, policy: policy ?? model.settings.policy)
    do {
      return try f.build()
    } catch let e as LPError {
      throw FormulationError(underlying: e)
    } catch {
      throw FormulationError(underlying: .invalidName(kind: .row, name: "?", reason: "\(error)"))
    }
  }

  init(model: PlanningModel, policy: AllocationPolicy) {
    self.m = model
    self.policy = policy
    self.b = LPBuilder(name: "arsenal", sense: .minimize)
    self.T = model.horizon.periods
    self.labels = (0..<model.horizon.periods).map { model.horizon.label($0) }
  }

  // MARK: Helpers

  mutating func column(_ name: String, _ role: ColumnRole, bounds: Bounds = .nonNegative) throws -> ColumnID {
    let c = try b.addColumn(name, bounds: bounds)
    columnRoles.append(role)
    return c
  }

  mutating func row(_ name: String, _ role: RowRole, bounds: Bounds, terms: [(ColumnID, Double)]) throws -> RowID {
    let r = try b.addRow(name, bounds: bounds, terms: terms)
    rowRoles.append(role)
    return r
  }

  /// A node's name in LP names: its first producer, and how many more share it ("p1&3").
  /// (Not "+": GLPK's LP writer replaces names with characters outside its set.)
  func nodeName(_ n: Int) -> String {
    guard let first = nodes[n].members.first else { return "node\(n)" }
    let id = m.producers[first.producer].id
    return nodes[n].members.count == 1 ? id : "\(id)&\(nodes[n].members.count - 1)"
  }

  /// Shortfall in an earlier period weighs slightly more, so that among plans with the same
  /// total the one covering demand sooner wins (and the optimum is less arbitrary).
  func urgency(_ t: Int) -> Double { 1 + m.settings.urgency * Double(T - 1 - t) }

  // MARK: Build

  mutating func build() throws -> Formulation {
    let items = m.items
    let active = m.consumers.indices.filter { m.consumers[$0].active }

    // Which end items each consumer draws on, and the last period each is useful.
    var lastUse: [Int: [Int: Int]] = [:]  // consumer → item → last period with demand or target
    for k in active {
      let c = m.consumers[k]
      for d in c.demand {
        guard let last = d.quantity.lastIndex(where: { $0 > 0 }) else { continue }
        let members: [Int]
        switch d.key {
        case .item(let i): members = [i]
        case .group(let g): members = m.substitutes[g].members.map(\.item)
        }
        for i in members { lastUse[k, default: [:]][i] = max(lastUse[k]?[i] ?? -1, last) }
      }
      for target in c.targets where target.level > 0 {
        lastUse[k, default: [:]][target.item] = max(lastUse[k]?[target.item] ?? -1, target.period)
      }
    }

    // Funding: which funders may pay for deliveries from p to k.
    let fundersOf: [Int: [Int]] = Dictionary(
      uniqueKeysWithValues: active.map { k in (k, m.funders.indices.filter { m.funders[$0].paysFor.consumers.contains(k) }) })
    func payers(_ p: Int, _ k: Int) -> [Int]? {
      guard let fs = fundersOf[k], !fs.isEmpty else { return nil }  // nil: not budget-limited
      return fs.filter { m.funders[$0].buysFrom?.producers.contains(p) ?? true }
    }

    // First period each product can hold anything: capacity, reachable expansion, or stock.
    var firstPossible: [[Int?]] = m.producers.map { p in
      p.products.enumerated().map { k, product in
        if product.initialStock > 0 { return 0 }
        var first = product.capacity.firstIndex { $0 > 0 }
        for e in p.expansions {
          let arrives = e.earliestStart + e.leadTime
          guard arrives < T, e.capacity > 0 else { continue }
          let reaches: Bool
          switch e.target {
          case .item(let kk): reaches = kk == k
          case .line(let l): reaches = p.lines[l].usage.contains { $0.item == product.item }
          }
          if reaches { first = min(first ?? arrives, arrives) }
        }
        return first
      }
    }
    // A product on a line whose capacity is zero throughout and cannot expand makes nothing.
    for (p, producer) in m.producers.enumerated() {
      for line in producer.lines.indices {
        let lineCapacity = producer.lines[line].capacity
        let expandable = producer.expansions.contains { e in
          if case .line(let l) = e.target { return l == line && e.capacity > 0 }
          return false
        }
        if lineCapacity.allSatisfy({ $0 <= 0 }) && !expandable {
          for u in producer.lines[line].usage {
            if let k = producer.products.firstIndex(where: { $0.item == u.item }), producer.products[k].initialStock <= 0 {
              firstPossible[p][k] = nil
            }
          }
        }
      }
    }

    // MARK: Supply nodes
    // End-item products that no consumer could tell apart — same item and price, and for
    // every consumer the same eligibility, route, payers and quotas — share one node:
    // their output is pooled and shipped together. This keeps shipments growing with
    // nodes × consumers instead of products × consumers, and changes no optimum (money,
    // routes and rules see identical shipments either way).
    struct Profile: Hashable {
      var item: Int
      var unitCost: Double
      var consumers: [Int]
      var eligible: [Bool]
      var routes: [Int]
      var payers: [[Int]?]
      var quotas: [[Int]]
    }
    var nodeIndex: [Profile: Int] = [:]
    var nodeOf: [[Int?]] = m.producers.map { Array(repeating: nil, count: $0.products.count) }
    for (p, producer) in m.producers.enumerated() {
      for (pk, product) in producer.products.enumerated() {
        let i = product.item
        guard items[i].kind == .end, firstPossible[p][pk] != nil else { continue }
        let users = active.filter { lastUse[$0]?[i] != nil }
        let profile = Profile(
          item: i, unitCost: product.unitCost, consumers: users,
          eligible: users.map { m.isEligible(producer: p, consumer: $0, item: i) },
          routes: users.map { m.route(producer: p, consumer: $0, item: i) ?? -1 },
          payers: users.map { payers(p, $0) },
          quotas: users.map { k in
            m.quotas.indices.filter { q in
              m.quotas[q].from.producers.contains(p) && m.quotas[q].to.consumers.contains(k)
                && (m.quotas[q].items?.contains(i) ?? true)
            }
          })
        let n: Int
        if let existing = nodeIndex[profile] {
          n = existing
          nodes[n].members.append(SupplyNode.Member(producer: p, product: pk))
        } else {
          n = nodes.count
          nodeIndex[profile] = n
          nodes.append(SupplyNode(item: i, unitCost: product.unitCost, members: [SupplyNode.Member(producer: p, product: pk)]))
        }
        nodeOf[p][pk] = n
        nodeConsumers[n] = zip(users, profile.eligible).filter { $0.1 }.map { $0.0 }
      }
    }

    // MARK: Shipments (decide first: they determine which production is useful)
    var shipColumns: [Int: [Int: [Int: ColumnID]]] = [:]  // node → consumer → t → column
    var lastShip = [Int](repeating: -1, count: nodes.count)
    var arrivals: [Int: [Int: [Int: [(ColumnID, Double)]]]] = [:]  // consumer → item → period → terms
    var shipmentCost: [Int: Double] = [:]  // column → EUR per unit paid by the buyer
    var payersOfShipment: [Int: [Int]] = [:]
    var routeTerms: [Int: [Int: [(ColumnID, Double)]]] = [:]  // route → t → terms
    var quotaTerms: [Int: [Int: [(ColumnID, Double)]]] = [:]
    for k in active {
      guard let uses = lastUse[k] else { continue }
      for (n, node) in nodes.enumerated() where nodeConsumers[n]?.contains(k) ?? false {
        let i = node.item
        guard let last = uses[i], let representative = node.members.first else { continue }
        let p = representative.producer
        let first = node.members.compactMap { firstPossible[$0.producer][$0.product] }.min() ?? T
        let payerList = payers(p, k)
        if let payerList, payerList.isEmpty { continue }  // budget-limited, nobody may pay
        let r = m.route(producer: p, consumer: k, item: i)
        let lead = m.leadTime(route: r)
        let routeCost = r.map { m.routes[$0].cost } ?? 0
        let matchingQuotas = m.quotas.indices.filter { q in
          m.quotas[q].from.producers.contains(p) && m.quotas[q].to.consumers.contains(k)
            && (m.quotas[q].items?.contains(i) ?? true)
        }
        var t = first
        while t + lead <= last && t < T {
          let name = "ship[\(nodeName(n)),\(items[i].id),\(m.consumers[k].id),\(labels[t])]"
          let c = try column(name, .shipment(node: n, consumer: k, t: t))
          shipColumns[n, default: [:]][k, default: [:]][t] = c
          routeOfShipment[c.index] = r ?? -1
          arrivals[k, default: [:]][i, default: [:]][t + lead, default: []].append((c, 1))
          lastShip[n] = max(lastShip[n], t)
          shipmentCost[c.index] = node.unitCost + routeCost
          if let payerList { payersOfShipment[c.index] = payerList }
          if let r, m.routes[r].capacity != nil { routeTerms[r, default: [:]][t, default: []].append((c, 1)) }
          for q in matchingQuotas { quotaTerms[q, default: [:]][t, default: []].append((c, 1)) }
          t += 1
        }
      }
    }

    // MARK: Production ranges, top-down through the bill of materials
    // For each product, the periods [first, last] in which making it can help.
    var prodLast: [[Int]] = m.producers.indices.map { p in
      m.producers[p].products.indices.map { pk in nodeOf[p][pk].map { lastShip[$0] } ?? -1 }
    }
    // Topological depth: end items 0, their inputs deeper.
    var depth = [Int](repeating: 0, count: items.count)
    var changed = true
    while changed {
      changed = false
      for i in items.indices {
        for line in items[i].billOfMaterials where depth[line.item] < depth[i] + 1 {
          depth[line.item] = depth[i] + 1
          changed = true
        }
      }
    }
    let order = items.indices.sorted { (depth[$0], $0) < (depth[$1], $1) }
    var poolNeed = [[Int]](repeating: [Int](repeating: -1, count: items.count), count: m.pools.count)
    for i in order where items[i].kind != .end {
      // Last period any producer in each pool may consume item i.
      for (p, producer) in m.producers.enumerated() {
        for (pk, product) in producer.products.enumerated() where prodLast[p][pk] >= 0 {
          if items[product.item].billOfMaterials.contains(where: { $0.item == i }) {
            poolNeed[producer.pool][i] = max(poolNeed[producer.pool][i], prodLast[p][pk])
          }
        }
      }
      for (p, producer) in m.producers.enumerated() {
        for (pk, product) in producer.products.enumerated() where product.item == i {
          prodLast[p][pk] = poolNeed[producer.pool][i]
        }
      }
    }

    // MARK: Production, capacity, lines, expansions
    var prodColumns: [[[Int: ColumnID]]] = m.producers.map { Array(repeating: [:], count: $0.products.count) }
    var poolInflow: [Int: [Int: [Int: [(ColumnID, Double)]]]] = [:]  // pool → item → t → terms (+ in, − out)
    var costTerms: [(ColumnID, Double)] = []
    var expansionColumns: [[[Int: ColumnID]]] = m.producers.map { Array(repeating: [:], count: $0.expansions.count) }
    var budgetTerms: [Int: [Int: [(ColumnID, Double)]]] = [:]  // funder → t → terms (M€)
    for (p, producer) in m.producers.enumerated() {
      // Expansion columns: capacity added by t, non-decreasing.
      for (e, expansion) in producer.expansions.enumerated() where expansion.capacity > 0 {
        let first = expansion.earliestStart + expansion.leadTime
        guard first < T else { continue }
        var previous: ColumnID?
        for t in first..<T {
          let c = try column(
            "expand[\(producer.id),\(expansion.id),\(labels[t])]", .expansion(producer: p, expansion: e, t: t),
            bounds: .between(0, expansion.capacity))
          expansionColumns[p][e][t] = c
          limits.append(
            Limit(
              variable: .column(c.index), kind: .expansionCap, subject: .expansion(producer: p, expansion: e), t: t,
              unit: "units per period"))
          let perUnit = expansion.cost / expansion.capacity * Formulation.moneyScale
          if let previous {
            _ = try row(
              "order[\(producer.id),\(expansion.id),\(labels[t])]", .expansionOrder(producer: p, expansion: e, t: t),
              bounds: .atLeast(0), terms: [(c, 1), (previous, -1)])
            if let f = expansion.funder {
              let decided = t - expansion.leadTime
              budgetTerms[f, default: [:]][decided, default: []].append(contentsOf: [(c, perUnit), (previous, -perUnit)])
            }
          } else if let f = expansion.funder {
            budgetTerms[f, default: [:]][t - expansion.leadTime, default: []].append((c, perUnit))
          }
          if t == T - 1 { costTerms.append((c, perUnit)) }
          previous = c
        }
      }
      for (pk, product) in producer.products.enumerated() {
        guard let first = firstPossible[p][pk], prodLast[p][pk] >= first else { continue }
        let i = product.item
        let kind: LimitKind =
          items[i].kind == .end ? .productionCapacity : items[i].kind == .component ? .component : .rawMaterial
        let expansionsHere = producer.expansions.indices.filter {
          if case .item(let kk) = producer.expansions[$0].target { return kk == pk }
          return false
        }
        for t in first...prodLast[p][pk] {
          let added = expansionsHere.compactMap { expansionColumns[p][$0][t] }
          let capacity = product.capacity[t]
          if capacity <= 0 && added.isEmpty { continue }
          let name = "prod[\(producer.id),\(items[i].id),\(labels[t])]"
          let c: ColumnID
          if added.isEmpty {
            c = try column(name, .production(producer: p, product: pk, t: t), bounds: .between(0, capacity))
            limits.append(
              Limit(variable: .column(c.index), kind: kind, subject: .product(producer: p, product: pk), t: t, unit: items[i].unit))
          } else {
            c = try column(name, .production(producer: p, product: pk, t: t))
            let r = try row(
              "cap[\(producer.id),\(items[i].id),\(labels[t])]", .capacity(producer: p, product: pk, t: t),
              bounds: .atMost(capacity), terms: [(c, 1)] + added.map { ($0, -1) })
            limits.append(
              Limit(variable: .row(r.index), kind: kind, subject: .product(producer: p, product: pk), t: t, unit: items[i].unit))
          }
          prodColumns[p][pk][t] = c
          if product.unitCost > 0 { costTerms.append((c, product.unitCost * Formulation.moneyScale)) }
          if items[i].kind != .end {
            poolInflow[producer.pool, default: [:]][i, default: [:]][t, default: []].append((c, 1))
          }
          for input in items[i].billOfMaterials {
            poolInflow[producer.pool, default: [:]][input.item, default: [:]][t, default: []].append((c, -input.quantity))
          }
        }
      }
      // Shared lines.
      for (l, line) in producer.lines.enumerated() {
        let lineExpansions = producer.expansions.indices.filter {
          if case .line(let ll) = producer.expansions[$0].target { return ll == l }
          return false
        }
        for t in 0..<T {
          var terms: [(ColumnID, Double)] = []
          for u in line.usage {
            if let pk = producer.products.firstIndex(where: { $0.item == u.item }), let c = prodColumns[p][pk][t] {
              terms.append((c, u.usage))
            }
          }
          guard !terms.isEmpty else { continue }
          for e in lineExpansions {
            if let c = expansionColumns[p][e][t] { terms.append((c, -1)) }
          }
          let r = try row(
            "line[\(producer.id),\(line.id),\(labels[t])]", .line(producer: p, line: l, t: t),
            bounds: .atMost(line.capacity[t]), terms: terms)
          limits.append(Limit(variable: .row(r.index), kind: .sharedLine, subject: .line(producer: p, line: l), t: t, unit: "line units"))
        }
      }
    }

    // MARK: Supply-node balance of end items
    for (n, node) in nodes.enumerated() where lastShip[n] >= 0 {
      let i = node.item
      guard let first = node.members.compactMap({ firstPossible[$0.producer][$0.product] }).min() else { continue }
      let initial = node.members.reduce(0) { $0 + m.producers[$1.producer].products[$1.product].initialStock }
      var previous: ColumnID?
      let ships = shipColumns[n] ?? [:]
      for t in first...lastShip[n] {
        var terms: [(ColumnID, Double)] = []
        for member in node.members {
          if let c = prodColumns[member.producer][member.product][t] { terms.append((c, -1)) }
        }
        for k in ships.keys.sorted() { if let c = ships[k]?[t] { terms.append((c, 1)) } }
        if let previous { terms.append((previous, -1)) }
        let rhs = t == first ? initial : 0
        // Stock at the end of t, kept only while a later shipment can draw on it.
        if t < lastShip[n] {
          let s = try column("pstock[\(nodeName(n)),\(items[i].id),\(labels[t])]", .nodeStock(node: n, t: t))
          terms.append((s, 1))
          previous = s
        } else {
          previous = nil
        }
        // Made + carried in − shipped − carried out: ≤ because surplus may stay unused.
        _ = try row(
          "pbal[\(nodeName(n)),\(items[i].id),\(labels[t])]", .nodeBalance(node: n, t: t), bounds: .atMost(rhs),
          terms: terms)
      }
    }

    // MARK: Pools of components and materials
    // Market purchases into pools.
    for (mi, market) in m.markets.enumerated() {
      for (s, supply) in market.supplies.enumerated() {
        let servedPools = supply.pools.filter { poolNeed[$0][supply.item] >= 0 }
        guard !servedPools.isEmpty else { continue }
        let kind: LimitKind = items[supply.item].kind == .component ? .component : .rawMaterial
        for t in 0..<T where supply.limit[t] > 0 {
          let poolsNow = servedPools.filter { poolNeed[$0][supply.item] >= t }
          guard !poolsNow.isEmpty else { continue }
          var columns: [ColumnID] = []
          for g in poolsNow {
            let name = "buy[\(market.id),\(items[supply.item].id),\(m.pools[g]),\(labels[t])]"
            let bounds: Bounds = poolsNow.count == 1 ? .between(0, supply.limit[t]) : .nonNegative
            let c = try column(name, .purchase(market: mi, supply: s, pool: g, t: t), bounds: bounds)
            columns.append(c)
            poolInflow[g, default: [:]][supply.item, default: [:]][t, default: []].append((c, 1))
            if supply.price > 0 { costTerms.append((c, supply.price * Formulation.moneyScale)) }
            if poolsNow.count == 1 {
              limits.append(
                Limit(variable: .column(c.index), kind: kind, subject: .market(market: mi, supply: s), t: t, unit: items[supply.item].unit))
            }
          }
          if poolsNow.count > 1 {
            let r = try row(
              "market[\(market.id),\(items[supply.item].id),\(labels[t])]", .marketSupply(market: mi, supply: s, t: t),
              bounds: .atMost(supply.limit[t]), terms: columns.map { ($0, 1) })
            limits.append(
              Limit(variable: .row(r.index), kind: kind, subject: .market(market: mi, supply: s), t: t, unit: items[supply.item].unit))
          }
        }
      }
    }
    // Initial pool stocks: producers' stocks of components and materials.
    var poolInitial = [[Double]](repeating: [Double](repeating: 0, count: items.count), count: m.pools.count)
    for producer in m.producers {
      for product in producer.products where items[product.item].kind != .end {
        poolInitial[producer.pool][product.item] += product.initialStock
      }
    }
    for g in m.pools.indices {
      for j in items.indices where items[j].kind != .end {
        let last = poolNeed[g][j]
        guard last >= 0 else { continue }
        var previous: ColumnID?
        for t in 0...last {
          var terms = poolInflow[g]?[j]?[t] ?? []
          if terms.isEmpty && previous == nil && !(t == 0 && poolInitial[g][j] > 0) { continue }
          // Inflow − use + carried in − carried out ≥ −initial: surplus may stay unused.
          if let previous { terms.append((previous, 1)) }
          if t < last {
            let s = try column("inv[\(m.pools[g]),\(items[j].id),\(labels[t])]", .poolStock(pool: g, item: j, t: t))
            terms.append((s, -1))
            previous = s
          } else {
            previous = nil
          }
          let initial = t == 0 ? poolInitial[g][j] : 0
          _ = try row(
            "pool[\(m.pools[g]),\(items[j].id),\(labels[t])]", .poolBalance(pool: g, item: j, t: t),
            bounds: .atLeast(-initial), terms: terms)
        }
      }
    }

    // MARK: Consumers: stock, demand, shortfall, targets
    var penalties: [(column: ColumnID, consumer: Int, weight: Double)] = []
    var fairTerms: [Int: [(ColumnID, Double)]] = [:]  // fair-share row key → terms
    var fairRows: [(consumer: Int, demand: Int?, target: Int?, total: Double)] = []
    var stockColumns: [Int: [Int: [Int: ColumnID]]] = [:]  // consumer → item → t
    for k in active {
      let c = m.consumers[k]
      let classWeight = m.classSettings(c.consumerClass).weight
      let baseWeight = policy == .weighted ? classWeight * c.priority : c.priority
      var balanceTerms: [Int: [Int: [(ColumnID, Double)]]] = [:]  // item → t → terms
      var balanceRHS: [Int: [Int: Double]] = [:]
      // Demand series.
      for (d, demand) in c.demand.enumerated() {
        let total = demand.quantity.reduce(0, +)
        guard total > 0 else { continue }
        let fairIndex = fairRows.count
        fairRows.append((k, d, nil, total))
        switch demand.key {
        case .item(let i):
          for t in 0..<T where demand.quantity[t] > 0 {
            let s = try column(
              "short[\(c.id),\(items[i].id),\(labels[t])]", .shortfall(consumer: k, demand: d, t: t),
              bounds: .between(0, demand.quantity[t]))
            penalties.append((s, k, baseWeight * items[i].weight * urgency(t)))
            fairTerms[fairIndex, default: []].append((s, 1 / total))
            balanceTerms[i, default: [:]][t, default: []].append((s, 1))
            balanceRHS[i, default: [:]][t, default: 0] += demand.quantity[t]
          }
        case .group(let g):
          let group = m.substitutes[g]
          for t in 0..<T where demand.quantity[t] > 0 {
            let s = try column(
              "short[\(c.id),\(group.id),\(labels[t])]", .shortfall(consumer: k, demand: d, t: t),
              bounds: .between(0, demand.quantity[t]))
            penalties.append((s, k, baseWeight * group.weight * urgency(t)))
            fairTerms[fairIndex, default: []].append((s, 1 / total))
            var terms: [(ColumnID, Double)] = [(s, 1)]
            for member in group.members {
              let u = try column(
                "use[\(c.id),\(group.id),\(items[member.item].id),\(labels[t])]",
                .groupUse(consumer: k, demand: d, item: member.item, t: t))
              terms.append((u, member.factor))
              balanceTerms[member.item, default: [:]][t, default: []].append((u, -1))
            }
            _ = try row(
              "gdem[\(c.id),\(group.id),\(labels[t])]", .groupDemand(consumer: k, demand: d, t: t),
              bounds: .exactly(demand.quantity[t]), terms: terms)
          }
        }
      }
      // Stock balances per item: initial + arrivals + shortfall − demand − group use = stock.
      guard let uses = lastUse[k] else { continue }
      let initial = Dictionary(c.initialStock.map { ($0.item, $0.quantity) }, uniquingKeysWith: +)
      for i in uses.keys.sorted() {
        let last = uses[i] ?? -1
        guard last >= 0 else { continue }
        var previous: ColumnID?
        for t in 0...last {
          var terms = balanceTerms[i]?[t] ?? []
          for (col, coef) in arrivals[k]?[i]?[t] ?? [] { terms.append((col, coef)) }
          if let previous { terms.append((previous, 1)) }
          let stock = try column("cstock[\(c.id),\(items[i].id),\(labels[t])]", .consumerStock(consumer: k, item: i, t: t))
          terms.append((stock, -1))
          stockColumns[k, default: [:]][i, default: [:]][t] = stock
          previous = stock
          let rhs = (balanceRHS[i]?[t] ?? 0) - (t == 0 ? initial[i] ?? 0 : 0)
          _ = try row(
            "cbal[\(c.id),\(items[i].id),\(labels[t])]", .consumerBalance(consumer: k, item: i, t: t),
            bounds: .exactly(rhs), terms: terms)
        }
      }
      // Stockpile targets.
      for (ti, target) in c.targets.enumerated() where target.level > 0 {
        guard let stock = stockColumns[k]?[target.item]?[target.period] else { continue }
        let gap = try column(
          "gap[\(c.id),\(items[target.item].id),\(labels[target.period])]", .targetGap(consumer: k, target: ti),
          bounds: .between(0, target.level))
        penalties.append((gap, k, baseWeight * items[target.item].weight * m.settings.stockpileWeight * urgency(target.period)))
        _ = try row(
          "target[\(c.id),\(items[target.item].id),\(labels[target.period])]", .target(consumer: k, target: ti),
          bounds: .atLeast(target.level), terms: [(stock, 1), (gap, 1)])
        let fairIndex = fairRows.count
        fairRows.append((k, nil, ti, target.level))
        fairTerms[fairIndex, default: []].append((gap, 1 / target.level))
      }
    }

    // MARK: Funding and budgets
    // Deliveries to a budget-limited consumer are paid by one of the funders allowed for
    // their producer; producers with the same set of allowed funders form a funding class.
    var fundingClasses: [Int: [[Int]: Int]] = [:]  // consumer → payer set → class index
    var fundingTerms: [Int: [Int: [Int: [(ColumnID, Double)]]]] = [:]  // consumer → class → t → terms
    for (col, payerList) in payersOfShipment.sorted(by: { $0.key < $1.key }) {
      guard case .shipment(_, let k, let t) = columnRoles[col] else { continue }
      let money = (shipmentCost[col] ?? 0) * Formulation.moneyScale
      guard money > 0 else { continue }
      if payerList.count == 1 {
        budgetTerms[payerList[0], default: [:]][t, default: []].append((ColumnID(col), money))
      } else {
        let h: Int
        if let existing = fundingClasses[k]?[payerList] {
          h = existing
        } else {
          h = fundingClasses[k]?.count ?? 0
          fundingClasses[k, default: [:]][payerList] = h
        }
        fundingTerms[k, default: [:]][h, default: [:]][t, default: []].append((ColumnID(col), -money))
      }
    }
    for k in fundingTerms.keys.sorted() {
      guard let classes = fundingClasses[k] else { continue }
      for (payerList, h) in classes.sorted(by: { $0.value < $1.value }) {
        for t in (fundingTerms[k]?[h] ?? [:]).keys.sorted() {
          var terms = fundingTerms[k]?[h]?[t] ?? []
          for f in payerList {
            let pay = try column(
              "pay[\(m.funders[f].id),\(m.consumers[k].id),\(h),\(labels[t])]",
              .payment(funder: f, consumer: k, fundingClass: h, t: t))
            terms.append((pay, 1))
            budgetTerms[f, default: [:]][t, default: []].append((pay, 1))
          }
          _ = try row(
            "fund[\(m.consumers[k].id),\(h),\(labels[t])]", .funding(consumer: k, fundingClass: h, t: t),
            bounds: .exactly(0), terms: terms)
        }
      }
    }
    for f in budgetTerms.keys.sorted() {
      let funder = m.funders[f]
      let periods = (budgetTerms[f] ?? [:]).keys.filter { $0 >= 0 && $0 < T }
      guard let last = periods.max() else { continue }
      var previous: ColumnID?
      for t in 0...last {
        var terms = budgetTerms[f]?[t] ?? []
        if funder.carryOver {
          if let previous { terms.append((previous, -1)) }
          if t < last {
            let bank = try column("bank[\(funder.id),\(labels[t])]", .carryOver(funder: f, t: t))
            terms.append((bank, 1))
            previous = bank
          }
        }
        guard !terms.isEmpty else { continue }
        // Spent + carried out − carried in ≤ budget of the period (EUR million).
        let r = try row(
          "budget[\(funder.id),\(labels[t])]", .budget(funder: f, t: t),
          bounds: .atMost(funder.budget[t] * Formulation.moneyScale), terms: terms)
        limits.append(Limit(variable: .row(r.index), kind: .budget, subject: .funder(f), t: t, unit: "EUR million"))
      }
    }

    // MARK: Routes and quotas
    for r in routeTerms.keys.sorted() {
      guard let capacity = m.routes[r].capacity else { continue }
      for t in (routeTerms[r] ?? [:]).keys.sorted() {
        let row = try self.row(
          "route[\(r + 1),\(labels[t])]", .routeCapacity(route: r, t: t), bounds: .atMost(capacity[t]),
          terms: routeTerms[r]?[t] ?? [])
        limits.append(Limit(variable: .row(row.index), kind: .route, subject: .route(r), t: t, unit: "units"))
      }
    }
    for q in quotaTerms.keys.sorted() {
      for t in (quotaTerms[q] ?? [:]).keys.sorted() {
        let row = try self.row(
          "quota[\(m.quotas[q].id),\(labels[t])]", .quota(quota: q, t: t), bounds: .atMost(m.quotas[q].limit[t]),
          terms: quotaTerms[q]?[t] ?? [])
        limits.append(Limit(variable: .row(row.index), kind: .quota, subject: .quota(q), t: t, unit: "units"))
      }
    }
    for (col, route) in routeOfShipment where route >= 0 && m.routes[route].cost > 0 {
      costTerms.append((ColumnID(col), m.routes[route].cost * Formulation.moneyScale))
    }

    // MARK: Stages
    let stages = try buildStages(penalties: penalties, fairRows: fairRows, fairTerms: fairTerms, cost: costTerms)
    // The program carries the first stage's objective (as a minimisation), so that an
    // exported LP is exactly the first LP solved.
    if let first = stages.first {
      let sign = first.sense == .minimize ? 1.0 : -1.0
      for (j, c) in first.objective { try b.setObjective(sign * c, column: ColumnID(j)) }
    }
    let program = b.build()
    return Formulation(
      model: m, policy: policy, program: program, columnRoles: columnRoles, rowRoles: rowRoles, stages: stages,
      limits: limits, routeOfShipment: routeOfShipment, nodes: nodes)
  }

  /// The policy's sequence of solves. The optimizer appends each solved stage's objective
  /// as a row, held near its optimum while later stages run.
  mutating func buildStages(
    penalties: [(column: ColumnID, consumer: Int, weight: Double)],
    fairRows: [(consumer: Int, demand: Int?, target: Int?, total: Double)],
    fairTerms: [Int: [(ColumnID, Double)]],
    cost: [(ColumnID, Double)]
  ) throws -> [Stage] {
    var stages: [Stage] = []
    func merged(_ terms: [(ColumnID, Double)]) -> [(column: Int, coefficient: Double)] {
      var sums: [Int: Double] = [:]
      for (c, v) in terms { sums[c.index, default: 0] += v }
      return sums.keys.sorted().compactMap { j in
        guard let v = sums[j], v != 0 else { return nil }
        return (j, v)
      }
    }
    func addStage(_ name: String, _ kind: Stage.Kind, _ sense: OptimizationSense, _ terms: [(ColumnID, Double)]) throws {
      stages.append(Stage(name: name, kind: kind, sense: sense, objective: merged(terms), holds: true))
    }
    let classesPresent = Set(penalties.map { m.consumers[$0.consumer].consumerClass })
    let ranked = ConsumerClass.allCases.filter { classesPresent.contains($0) }
      .sorted { (m.classSettings($0).rank, $0) < (m.classSettings($1).rank, $1) }

    switch policy {
    case .weighted:
      try addStage("weighted shortfall", .shortfall(ranked), .minimize, penalties.map { ($0.column, $0.weight) })
    case .lexicographic:
      for cls in ranked {
        let terms = penalties.filter { m.consumers[$0.consumer].consumerClass == cls }.map { ($0.column, $0.weight) }
        try addStage("\(cls.rawValue) shortfall", .shortfall([cls]), .minimize, terms)
      }
    case .fairShare:
      for cls in ranked {
        // z ≤ coverage of every demand series and target of the class.
        let z = try column("floor[\(cls.rawValue)]", .coverageFloor(consumerClass: cls), bounds: .between(0, 1))
        for (n, fr) in fairRows.enumerated() where m.consumers[fr.consumer].consumerClass == cls {
          let name = "fair[\(m.consumers[fr.consumer].id),\(fr.demand.map { "d\($0)" } ?? "t\(fr.target ?? 0)")]"
          _ = try row(
            name, .fairShare(consumer: fr.consumer, demand: fr.demand, target: fr.target), bounds: .atMost(1),
            terms: (fairTerms[n] ?? []) + [(z, 1)])
        }
        try addStage("\(cls.rawValue) coverage floor", .coverageFloor(cls), .maximize, [(z, 1)])
        let terms = penalties.filter { m.consumers[$0.consumer].consumerClass == cls }.map { ($0.column, $0.weight) }
        try addStage("\(cls.rawValue) shortfall", .shortfall([cls]), .minimize, terms)
      }
    }
    let objective = merged(cost)
    stages.append(Stage(name: "cost", kind: .cost, sense: .minimize, objective: objective, holds: false))
    return stages
  }
}
