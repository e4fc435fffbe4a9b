import LinearProgram
import PlanningModel

/// Facts about the model that several constraint families need, computed once.
struct FormulationContext {
  let model: PlanningModel
  let policy: AllocationPolicy
  /// Number of periods.
  let periods: Int
  /// Period labels as they appear in LP names ("2027-01").
  let labels: [String]
  /// Consumers in the program (inactive ones are left out).
  let active: [ConsumerIndex]
  /// For each active consumer, the last period each end item it draws on is needed (its
  /// last demand or stockpile target).
  let lastUse: [ConsumerIndex: [ItemIndex: Int]]
  /// The funders that pay for each active consumer.
  let fundersOf: [ConsumerIndex: [FunderIndex]]
  /// The first period each product can hold anything (capacity, a reachable expansion, or
  /// stock); `nil` when it can never make anything.
  let firstPossible: TypedArray<Producer, TypedArray<ProducerItem, Int?>>
  /// The model whose zeros decide which columns and rows exist (docs/MODEL.md, "One
  /// structure for many draws"): `model` itself, or a model of the same entities whose
  /// non-zero capacities, supplies, demand and targets include this one's, so that every
  /// variant of it formulates to the same structure and re-solves warm.
  let shape: PlanningModel

  init(model own: PlanningModel, policy: AllocationPolicy, shape: PlanningModel? = nil) {
    model = own
    let m = shape.flatMap { Self.sameEntities($0, own) ? $0 : nil } ?? own
    self.shape = m
    self.policy = policy
    periods = m.horizon.periods
    labels = (0..<m.horizon.periods).map { m.horizon.label($0) }
    active = own.consumers.indices.filter { own.consumers[$0].active }
    lastUse = Self.lastUse(m, active: active)
    fundersOf = Dictionary(uniqueKeysWithValues: active.map { ($0, own.funders(of: $0)) })
    firstPossible = Self.firstPossible(m)
  }

  /// Whether `a` has the entities of `b`, one for one, with the same horizon and the same
  /// active consumers: what a shape must share with the model it shapes (and, `targets`
  /// aside, the paths of a hedge).
  static func sameEntities(_ a: PlanningModel, _ b: PlanningModel, targets: Bool = true) -> Bool {
    guard a.horizon == b.horizon, a.producers.count == b.producers.count, a.consumers.count == b.consumers.count,
      a.markets.count == b.markets.count, a.items.count == b.items.count
    else { return false }
    for p in a.producers.indices {
      let x = a.producers[p]
      let y = b.producers[p]
      guard x.id == y.id, x.products.count == y.products.count, x.lines.count == y.lines.count,
        x.expansions.count == y.expansions.count
      else { return false }
    }
    for k in a.consumers.indices {
      let x = a.consumers[k]
      let y = b.consumers[k]
      guard x.id == y.id, x.active == y.active, x.demand.count == y.demand.count,
        !targets || x.targets.count == y.targets.count
      else { return false }
    }
    for mi in a.markets.indices where a.markets[mi].supplies.count != b.markets[mi].supplies.count { return false }
    return true
  }

  /// Which end items each consumer draws on, and the last period each is useful.
  private static func lastUse(_ m: PlanningModel, active: [ConsumerIndex]) -> [ConsumerIndex: [ItemIndex: Int]] {
    var lastUse: [ConsumerIndex: [ItemIndex: Int]] = [:]
    for k in active {
      let c = m.consumers[k]
      for d in c.demand {
        guard let last = d.quantity.lastIndex(where: { $0 > 0 }) else { continue }
        for i in m.items(meeting: d.key) { lastUse[k, default: [:]][i] = max(lastUse[k]?[i] ?? -1, last) }
      }
      for target in c.targets where target.level > 0 {
        lastUse[k, default: [:]][target.item] = max(lastUse[k]?[target.item] ?? -1, target.period)
      }
      // The system an item is fired from, and the part it wears, are needed as long as it is.
      for (i, last) in (lastUse[k] ?? [:]).sorted(by: { $0.key < $1.key }) {
        for link in [m.items[i].firedFrom, m.items[i].wears].compactMap({ $0 }) {
          lastUse[k, default: [:]][link.item] = max(lastUse[k]?[link.item] ?? -1, last)
        }
      }
    }
    return lastUse
  }

  /// First period each product can hold anything: capacity, a reachable expansion, or stock.
  private static func firstPossible(_ m: PlanningModel) -> TypedArray<Producer, TypedArray<ProducerItem, Int?>> {
    let periodCount = m.horizon.periods
    var first = m.producers.mapValues { p in
      p.products.mapIndexed { k, product -> Int? in
        if product.initialStock > 0 { return 0 }
        var first = product.capacity.firstIndex { $0 > 0 }
        for e in p.expansions {
          let arrives = e.earliestStart + e.leadTime
          guard arrives < periodCount, e.capacity > 0 else { continue }
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
    for p in m.producers.indices {
      let producer = m.producers[p]
      for line in producer.lines.indices {
        let expandable = producer.expansions.contains { e in
          if case .line(let l) = e.target { return l == line && e.capacity > 0 }
          return false
        }
        guard producer.lines[line].capacity.allSatisfy({ $0 <= 0 }) && !expandable else { continue }
        for u in producer.lines[line].usage {
          if let k = producer.product(making: u.item), producer.products[k].initialStock <= 0 {
            first[p][k] = nil
          }
        }
      }
    }
    return first
  }

  /// The funders that may pay for deliveries from `p` to `k`; `nil` when `k` has no funder
  /// (its purchases are not budget-limited), empty when nobody may pay.
  func payers(_ p: ProducerIndex, _ k: ConsumerIndex) -> [FunderIndex]? {
    guard let fs = fundersOf[k], !fs.isEmpty else { return nil }
    return fs.filter { model.funders[$0].mayBuy(from: p) }
  }

  /// Shortfall in an earlier period weighs slightly more, so that among plans with the same
  /// total the one covering demand sooner wins (and the optimum is less arbitrary).
  func urgency(_ t: Int) -> Double { 1 + model.settings.urgency * Double(periods - 1 - t) }
}

/// The LP under construction: the builder and the meaning of each row and column.
struct LPAssembly {
  var builder = LPBuilder(name: "arsenal", sense: .minimize)
  var columnRoles: [ColumnRole] = []
  var rowRoles: [RowRole] = []
  var limits: [Limit] = []

  /// Adds a column with its role.
  mutating func column(
    _ name: @autoclosure () -> String, _ role: ColumnRole, bounds: Bounds = .nonNegative, integer: Bool = false
  ) throws(LPError) -> ColumnID {
    let c = try builder.addColumn(name(), bounds: bounds, integer: integer)
    columnRoles.append(role)
    return c
  }

  /// Adds a row with its role.
  @discardableResult
  mutating func row(
    _ name: @autoclosure () -> String, _ role: RowRole, bounds: Bounds, terms: [(ColumnID, Double)]
  ) throws(LPError) -> RowID {
    let r = try builder.addRow(name(), bounds: bounds, terms: terms)
    rowRoles.append(role)
    return r
  }

  /// Records a bottleneck candidate.
  mutating func limit(_ variable: LPVariable, _ kind: LimitKind, _ subject: Limit.Subject, t: Int) {
    limits.append(Limit(variable: variable, kind: kind, subject: subject, t: t))
  }
}

/// Terms several families add to and a later family turns into rows.
struct SharedTerms {
  /// Money (EUR million) per column for the cost stage.
  var cost: [(ColumnID, Double)] = []
  /// funder → period → money terms (EUR million) charged to its budget.
  var budget: [FunderIndex: [Int: [(ColumnID, Double)]]] = [:]
  /// funder → period → capital (EUR million) it puts into expansions.
  var investment: [FunderIndex: [Int: [(ColumnID, Double)]]] = [:]
  /// pool → item → period → terms (+ inflow, − use).
  var poolInflow: [PoolIndex: [ItemIndex: [Int: [(ColumnID, Double)]]]] = [:]
}
