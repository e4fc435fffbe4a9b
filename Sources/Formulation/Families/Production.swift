import LinearProgram
import PlanningModel

/// Expansions (docs/MODEL.md, `arrive`).
///
/// B_edb, the lots of an option ordered in period d
/// with a build of b periods, whole numbers for an option bought in lots (the program's only
/// integer columns); X_et, the capacity it has added by period t, grows by what arrives in t.
/// The capital is paid evenly over the build, to the funder's budget (and its investment
/// budget) in those periods and to the cost stage in full; the running cost is charged on
/// X_et from arrival.
struct Expansions {
  /// producer → expansion → period → column.
  var columns: TypedArray<Producer, TypedArray<Expansion, [Int: ColumnID]>>

  init(_ m: PlanningModel) {
    columns = m.producers.mapValues { TypedArray(repeating: [:], count: $0.expansions.count) }
  }

  mutating func add(
    _ ctx: FormulationContext, producer p: ProducerIndex, lp: inout LPAssembly, money: inout SharedTerms
  )
    throws(LPError)
  {
    let producer = ctx.model.producers[p]
    let periodCount = ctx.periods
    for (e, expansion) in producer.expansions.indexed() where expansion.capacity > 0 {
      let first = expansion.earliestStart + expansion.leadTime
      guard first < periodCount else { continue }
      let lots = expansion.lots ?? 1
      let lotCapacity = expansion.capacity / Double(lots)
      let lotCost = expansion.cost / Double(lots) * Formulation.moneyScale
      // What arrives in each period: the orders whose build ends then.
      var arriving: [Int: [(ColumnID, Double)]] = [:]
      let builds = expansion.leadTime...max(expansion.leadTime, expansion.maxLeadTime)
      for d in expansion.earliestStart..<periodCount {
        for b in builds where d + b < periodCount {
          let suffix = builds.count > 1 ? ",\(b)" : ""
          let c = try lp.column(
            "build[\(producer.id),\(expansion.id),\(ctx.labels[d])\(suffix)]",
            .build(producer: p, expansion: e, t: d, buildTime: b), bounds: .between(0, Double(lots)),
            integer: expansion.lots != nil)
          arriving[d + b, default: []].append((c, -lotCapacity))
          money.cost.append((c, lotCost))
          // Paid evenly over the build's periods (at the decision when the build is instant).
          for paid in d..<(d + max(1, b)) {
            let share = lotCost / Double(max(1, b))
            if let f = expansion.funder {
              money.budget[f, default: [:]][paid, default: []].append((c, share))
              money.investment[f, default: [:]][paid, default: []].append((c, share))
            }
          }
        }
      }
      let running = expansion.runningCost / expansion.capacity * Formulation.moneyScale
      var previous: ColumnID?
      for t in first..<periodCount {
        let c = try lp.column(
          "expand[\(producer.id),\(expansion.id),\(ctx.labels[t])]", .expansion(producer: p, expansion: e, t: t),
          bounds: .between(0, expansion.capacity))
        columns[p][e][t] = c
        lp.limit(.column(c.index), .expansionCap, .expansion(producer: p, expansion: e), t: t)
        var terms = [(c, 1.0)] + (arriving[t] ?? [])
        if let previous { terms.append((previous, -1)) }
        try lp.row(
          "arrive[\(producer.id),\(expansion.id),\(ctx.labels[t])]", .expansionArrival(producer: p, expansion: e, t: t),
          bounds: .exactly(0), terms: terms)
        if running > 0 { money.cost.append((c, running)) }
        previous = c
      }
    }
  }

  /// The columns of expansions targeting `target` in period t.
  func added(producer p: ProducerIndex, target: Expansion.Target, t: Int, _ m: PlanningModel) -> [ColumnID] {
    m.producers[p].expansions.indices.compactMap { e in
      m.producers[p].expansions[e].target == target ? columns[p][e][t] : nil
    }
  }
}

/// Capacity (docs/MODEL.md): production of a product in a period is at most its capacity plus
/// what expansions targeting it have added — a column bound when no expansion can, a `cap`
/// row when one can.
///
/// Production draws its inputs from the producer's pool.
struct Capacity {
  /// producer → product → period → column.
  var production: TypedArray<Producer, TypedArray<ProducerItem, [Int: ColumnID]>>

  init(_ m: PlanningModel) {
    production = m.producers.mapValues { TypedArray(repeating: [:], count: $0.products.count) }
  }

  mutating func add(
    _ ctx: FormulationContext, producer p: ProducerIndex, windows: ProductionWindows, expansions: Expansions,
    lp: inout LPAssembly, shared: inout SharedTerms
  ) throws(LPError) {
    let m = ctx.model
    let producer = m.producers[p]
    for (pk, product) in producer.products.indexed() {
      guard let first = ctx.firstPossible[p][pk], windows.prodLast[p][pk] >= first else { continue }
      let i = product.item
      let kind: LimitKind =
        m.items[i].kind == .end ? .productionCapacity : m.items[i].kind == .component ? .component : .rawMaterial
      for t in first...windows.prodLast[p][pk] {
        let added = expansions.added(producer: p, target: .item(pk), t: t, m)
        let capacity = product.capacity[t]
        if ctx.shape.producers[p].products[pk].capacity[t] <= 0 && added.isEmpty { continue }
        let c = try lp.column(
          "prod[\(producer.id),\(m.items[i].id),\(ctx.labels[t])]", .production(producer: p, product: pk, t: t),
          bounds: Self.columnBounds(capacity: capacity, expandable: !added.isEmpty))
        if added.isEmpty {
          lp.limit(.column(c.index), kind, .product(producer: p, product: pk), t: t)
        } else {
          let r = try lp.row(
            "cap[\(producer.id),\(m.items[i].id),\(ctx.labels[t])]", .capacity(producer: p, product: pk, t: t),
            bounds: Self.rowBounds(capacity: capacity), terms: [(c, 1)] + added.map { ($0, -1) })
          lp.limit(.row(r.index), kind, .product(producer: p, product: pk), t: t)
        }
        production[p][pk][t] = c
        if product.unitCost > 0 { shared.cost.append((c, product.unitCost * Formulation.moneyScale)) }
        if m.items[i].kind != .end {
          shared.poolInflow[producer.pool, default: [:]][i, default: [:]][t, default: []].append((c, 1))
        }
        for input in m.inputs(of: product) {
          shared.poolInflow[producer.pool, default: [:]][input.item, default: [:]][t, default: []].append(
            (c, -input.quantity))
        }
      }
    }
  }
}

extension Capacity {
  /// A production column's bounds.
  ///
  /// Up to its capacity, or unbounded above when expansions can add to it (its `cap` row
  /// then bounds it). `Formulator.rebound` reads them here too.
  static func columnBounds(capacity: Double, expandable: Bool) -> Bounds {
    expandable ? .nonNegative : .between(0, capacity)
  }

  /// A `cap` row's bounds.
  static func rowBounds(capacity: Double) -> Bounds { .atMost(capacity) }
}

/// Shared lines (docs/MODEL.md): Σ_i μ_li x_pit ≤ CL_lt + Σ_{e → l} X_et.
enum SharedLines {
  static func add(
    _ ctx: FormulationContext, producer p: ProducerIndex, capacity: Capacity, expansions: Expansions,
    lp: inout LPAssembly
  ) throws(LPError) {
    let m = ctx.model
    let producer = m.producers[p]
    for (l, line) in producer.lines.indexed() {
      for t in 0..<ctx.periods {
        var terms: [(ColumnID, Double)] = []
        for u in line.usage {
          if let pk = producer.product(making: u.item), let c = capacity.production[p][pk][t] {
            terms.append((c, u.usage))
          }
        }
        guard !terms.isEmpty else { continue }
        for c in expansions.added(producer: p, target: .line(l), t: t, m) { terms.append((c, -1)) }
        let r = try lp.row(
          "line[\(producer.id),\(line.id),\(ctx.labels[t])]", .line(producer: p, line: l, t: t),
          bounds: rowBounds(capacity: line.capacity[t]), terms: terms)
        lp.limit(.row(r.index), .sharedLine, .line(producer: p, line: l), t: t)
      }
    }
  }
}

extension SharedLines {
  /// A `line` row's bounds.
  ///
  /// `Formulator.rebound` reads them here too.
  static func rowBounds(capacity: Double) -> Bounds { .atMost(capacity) }
}
