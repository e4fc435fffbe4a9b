import LinearProgram
import PlanningModel

/// A shortfall or gap column and its penalty in the shortfall stages.
struct Penalty {
  let column: ColumnID
  let consumer: ConsumerIndex
  /// ω: class weight (weighted policy only) × priority × item weight × urgency.
  let weight: Double
  /// What the column is short of: a demand key in a period, or a target's item and date.
  let share: ShareKey
  /// The demand or target level the column is part of (units).
  let level: Double
}

/// What a shortfall or gap column is short of; consumers of one class with the same
/// penalty and the same `ShareKey` share scarcity by the fairness rule (docs/MODEL.md).
struct ShareKey: Hashable {
  enum Kind: Hashable {
    case demand(Demand.Key)
    case target(ItemIndex)
  }
  let kind: Kind
  let period: Int
}

/// One demand series or target whose coverage the fair-share policy keeps above a floor.
struct FairRow {
  let consumer: ConsumerIndex
  let demand: DemandIndex?
  let target: TargetIndex?
  /// Shortfall and gap terms, each divided by the series' total (so they sum to 1 − coverage).
  var terms: [(ColumnID, Double)] = []
}

/// Consumers (docs/MODEL.md): demand series with their shortfall, substitution groups,
/// stock balances and stockpile targets, one consumer at a time.
struct Consumers {
  var penalties: [Penalty] = []
  var fairRows: [FairRow] = []

  /// item → period → terms of the consumer being built, and its right-hand sides.
  private var balanceTerms: [ItemIndex: [Int: [(ColumnID, Double)]]] = [:]
  private var balanceRHS: [ItemIndex: [Int: Double]] = [:]
  /// The consumer's stock columns: item → period → column.
  private var stockColumns: [ItemIndex: [Int: ColumnID]] = [:]

  mutating func add(
    _ ctx: FormulationContext, consumer k: ConsumerIndex, arrivals: [ItemIndex: [Int: [(ColumnID, Double)]]],
    lp: inout LPAssembly
  ) throws(LPError) {
    let c = ctx.model.consumers[k]
    let classWeight = ctx.model.classSettings(c.consumerClass).weight
    let baseWeight = ctx.policy == .weighted ? classWeight * c.priority : c.priority
    balanceTerms = [:]
    balanceRHS = [:]
    stockColumns = [:]
    for d in c.demand.indices { try demandSeries(ctx, consumer: k, demand: d, baseWeight: baseWeight, lp: &lp) }
    guard let uses = ctx.lastUse[k] else { return }
    try stockBalance(ctx, consumer: k, uses: uses, arrivals: arrivals, lp: &lp)
    try fireUnits(ctx, consumer: k, lp: &lp)
    try targets(ctx, consumer: k, baseWeight: baseWeight, lp: &lp)
  }

  /// Units of item i the consumer uses in t (served demand): its right-hand side less its
  /// shortfall and group-use terms, as (terms, constant): used = constant − Σ coefficient · column.
  private func used(_ i: ItemIndex, _ t: Int) -> (terms: [(ColumnID, Double)], constant: Double) {
    (balanceTerms[i]?[t] ?? [], balanceRHS[i]?[t] ?? 0)
  }

  /// Fire units (`fire`): an item fired from a system is used at most `fire_rate` a month
  /// per unit of the system the consumer holds at the end of the period:
  /// Σ_d (q_kdt − u_kdt) + Σ w_kdit ≤ r_i · months · s_kft.
  private mutating func fireUnits(_ ctx: FormulationContext, consumer k: ConsumerIndex, lp: inout LPAssembly)
    throws(LPError)
  {
    let m = ctx.model
    let c = m.consumers[k]
    for i in balanceTerms.keys.sorted() {
      guard let link = m.items[i].firedFrom else { continue }
      let rate = link.rate * Double(m.horizon.length.months)
      for t in (balanceTerms[i] ?? [:]).keys.sorted() {
        guard let fleet = stockColumns[link.item]?[t] else { continue }
        let use = used(i, t)
        let r = try lp.row(
          "fire[\(c.id),\(m.items[i].id),\(ctx.labels[t])]", .fireUnits(consumer: k, item: i, t: t),
          bounds: .atMost(-use.constant), terms: use.terms.map { ($0.0, -$0.1) } + [(fleet, -rate)])
        lp.limit(.row(r.index), .systemsInService, .fleet(consumer: k, item: i), t: t)
      }
    }
  }

  /// Shortfall u_kdt ≤ q_kdt of one demand series; for a substitution group (`gdem`), the
  /// members used w_kdit with their factors: Σ_i φ_hi w_kdit + u_kdt = q_kdt.
  private mutating func demandSeries(
    _ ctx: FormulationContext, consumer k: ConsumerIndex, demand d: DemandIndex, baseWeight: Double,
    lp: inout LPAssembly
  ) throws(LPError) {
    let m = ctx.model
    let c = m.consumers[k]
    let demand = c.demand[d]
    let total = demand.quantity.reduce(0, +)
    // Which periods get a column is the shape's to say (Context.shape); the bounds are the model's.
    let shaped = ctx.shape.consumers[k].demand[d].quantity
    guard shaped.reduce(0, +) > 0 else { return }
    var fair = FairRow(consumer: k, demand: d, target: nil)
    let weight = m.describe(demand.key).weight
    for t in 0..<ctx.periods where shaped[t] > 0 {
      let s = try lp.column(
        "short[\(c.id),\(m.id(of: demand.key)),\(ctx.labels[t])]", .shortfall(consumer: k, demand: d, t: t),
        bounds: .between(0, demand.quantity[t]))
      penalties.append(
        Penalty(
          column: s, consumer: k, weight: baseWeight * weight * ctx.urgency(t),
          share: ShareKey(kind: .demand(demand.key), period: t), level: demand.quantity[t]))
      if total > 0 { fair.terms.append((s, 1 / total)) }
      switch demand.key {
      case .item(let i):
        balanceTerms[i, default: [:]][t, default: []].append((s, 1))
        balanceRHS[i, default: [:]][t, default: 0] += demand.quantity[t]
      case .group(let g):
        var terms: [(ColumnID, Double)] = [(s, 1)]
        for member in m.substitutes[g].members {
          let u = try lp.column(
            "use[\(c.id),\(m.substitutes[g].id),\(m.items[member.item].id),\(ctx.labels[t])]",
            .groupUse(consumer: k, demand: d, item: member.item, t: t))
          terms.append((u, member.factor))
          balanceTerms[member.item, default: [:]][t, default: []].append((u, -1))
        }
        try lp.row(
          "gdem[\(c.id),\(m.substitutes[g].id),\(ctx.labels[t])]", .groupDemand(consumer: k, demand: d, t: t),
          bounds: .exactly(demand.quantity[t]), terms: terms)
      }
    }
    fairRows.append(fair)
  }

  /// Consumer balance (`cbal`): stock carried in + initial + arrivals + shortfall − group use
  /// − stock carried out = demand of the item.
  private mutating func stockBalance(
    _ ctx: FormulationContext, consumer k: ConsumerIndex, uses: [ItemIndex: Int],
    arrivals: [ItemIndex: [Int: [(ColumnID, Double)]]], lp: inout LPAssembly
  ) throws(LPError) {
    let m = ctx.model
    let c = m.consumers[k]
    let initial = Dictionary(c.initialStock.map { ($0.item, $0.quantity) }, uniquingKeysWith: +)
    var scheduled: [ItemIndex: [Int: Double]] = [:]
    for a in c.scheduledArrivals { scheduled[a.item, default: [:]][a.period, default: 0] += a.quantity }
    // The items that wear each part out, with their lives (units per part).
    var wearers: [ItemIndex: [(ItemIndex, Double)]] = [:]
    for i in balanceTerms.keys.sorted() {
      if let link = m.items[i].wears { wearers[link.item, default: []].append((i, link.rate)) }
    }
    for i in uses.keys.sorted() {
      let last = uses[i] ?? -1
      guard last >= 0 else { continue }
      var previous: ColumnID?
      for t in 0...last {
        // Attrition: what is held at the start of the period, less the share lost in it.
        let monthly = 1 - m.items[i].attrition * (t < c.combat.count ? c.combat[t] : 0)
        var keep = 1.0
        for _ in 0..<m.horizon.length.months { keep *= monthly }
        var terms = balanceTerms[i]?[t] ?? []
        var worn = 0.0
        for (wearer, life) in wearers[i] ?? [] {
          // A part is used up as the items that wear it are used: used / life.
          let use = used(wearer, t)
          terms += use.terms.map { ($0.0, $0.1 / life) }
          worn += use.constant / life
        }
        for (col, coef) in arrivals[i]?[t] ?? [] { terms.append((col, coef)) }
        if let previous { terms.append((previous, keep)) }
        let stock = try lp.column(
          "cstock[\(c.id),\(m.items[i].id),\(ctx.labels[t])]", .consumerStock(consumer: k, item: i, t: t))
        terms.append((stock, -1))
        stockColumns[i, default: [:]][t] = stock
        previous = stock
        let rhs = (balanceRHS[i]?[t] ?? 0) + worn - (t == 0 ? keep * (initial[i] ?? 0) : 0) - (scheduled[i]?[t] ?? 0)
        try lp.row(
          "cbal[\(c.id),\(m.items[i].id),\(ctx.labels[t])]", .consumerBalance(consumer: k, item: i, t: t),
          bounds: .exactly(rhs), terms: terms)
      }
    }
  }

  /// Stockpile targets (`target`): s_ki,τ + v_kn ≥ Λ_n, the gap v penalised σ times a unit of
  /// shortfall of the item.
  private mutating func targets(
    _ ctx: FormulationContext, consumer k: ConsumerIndex, baseWeight: Double, lp: inout LPAssembly
  )
    throws(LPError)
  {
    let m = ctx.model
    let c = m.consumers[k]
    for (ti, target) in c.targets.indexed() where ctx.shape.consumers[k].targets[ti].level > 0 {
      guard let stock = stockColumns[target.item]?[target.period] else { continue }
      let item = m.items[target.item]
      let label = ctx.labels[target.period]
      let gap = try lp.column(
        "gap[\(c.id),\(item.id),\(label)]", .targetGap(consumer: k, target: ti), bounds: .between(0, target.level))
      penalties.append(
        Penalty(
          column: gap, consumer: k,
          weight: baseWeight * item.weight * m.settings.stockpileWeight * ctx.urgency(target.period),
          share: ShareKey(kind: .target(target.item), period: target.period), level: target.level))
      try lp.row(
        "target[\(c.id),\(item.id),\(label)]", .target(consumer: k, target: ti), bounds: .atLeast(target.level),
        terms: [(stock, 1), (gap, 1)])
      fairRows.append(FairRow(consumer: k, demand: nil, target: ti, terms: [(gap, 1 / target.level)]))
    }
  }
}
