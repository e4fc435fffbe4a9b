import LinearProgram
import PlanningModel

/// Funding (docs/MODEL.md, `fund`): deliveries to a budget-limited consumer are paid by one
/// of the funders allowed for their producer.
///
/// Producers with the same set of allowed funders form a funding class; a class with one
/// payer charges that payer's budget directly, otherwise the payers' payments P_fkht cover
/// the class's deliveries.
enum Funding {
  static func add(_ ctx: FormulationContext, shipments: Shipments, lp: inout LPAssembly, shared: inout SharedTerms)
    throws(LPError)
  {
    let m = ctx.model
    var classes: [ConsumerIndex: [[FunderIndex]: Int]] = [:]  // consumer → payer set → class index
    var classTerms: [ConsumerIndex: [Int: [Int: [(ColumnID, Double)]]]] = [:]  // consumer → class → t → terms
    for (col, payerList) in shipments.payers.sorted(by: { $0.key < $1.key }) {
      guard case .shipment(_, let k, let t) = lp.columnRoles[col] else { continue }
      let money = (shipments.unitCost[col] ?? 0) * Formulation.moneyScale
      guard money > 0 else { continue }
      if payerList.count == 1 {
        shared.budget[payerList[0], default: [:]][t, default: []].append((ColumnID(col), money))
      } else {
        let h: Int
        if let existing = classes[k]?[payerList] {
          h = existing
        } else {
          h = classes[k]?.count ?? 0
          classes[k, default: [:]][payerList] = h
        }
        classTerms[k, default: [:]][h, default: [:]][t, default: []].append((ColumnID(col), -money))
      }
    }
    for k in classTerms.keys.sorted() {
      guard let fundingClasses = classes[k] else { continue }
      for (payerList, h) in fundingClasses.sorted(by: { $0.value < $1.value }) {
        for t in (classTerms[k]?[h] ?? [:]).keys.sorted() {
          var terms = classTerms[k]?[h]?[t] ?? []
          for f in payerList {
            let pay = try lp.column(
              "pay[\(m.funders[f].id),\(m.consumers[k].id),\(h),\(ctx.labels[t])]",
              .payment(funder: f, consumer: k, fundingClass: h, t: t))
            terms.append((pay, 1))
            shared.budget[f, default: [:]][t, default: []].append((pay, 1))
          }
          try lp.row(
            "fund[\(m.consumers[k].id),\(h),\(ctx.labels[t])]", .funding(consumer: k, fundingClass: h, t: t),
            bounds: .exactly(0), terms: terms)
        }
      }
    }
  }
}

/// Budgets (docs/MODEL.md, `budget`): spent + carried out − carried in ≤ the period's budget,
/// in EUR million.
enum Budgets {
  static func add(_ ctx: FormulationContext, shared: SharedTerms, lp: inout LPAssembly) throws(LPError) {
    let m = ctx.model
    for f in shared.budget.keys.sorted() {
      let funder = m.funders[f]
      let periods = (shared.budget[f] ?? [:]).keys.filter { $0 >= 0 && $0 < ctx.periods }
      guard let last = periods.max() else { continue }
      var previous: ColumnID?
      for t in 0...last {
        var terms = shared.budget[f]?[t] ?? []
        if funder.carryOver {
          if let previous { terms.append((previous, -1)) }
          if t < last {
            let bank = try lp.column("bank[\(funder.id),\(ctx.labels[t])]", .carryOver(funder: f, t: t))
            terms.append((bank, 1))
            previous = bank
          }
        }
        guard !terms.isEmpty else { continue }
        let r = try lp.row(
          "budget[\(funder.id),\(ctx.labels[t])]", .budget(funder: f, t: t),
          bounds: rowBounds(budget: funder.budget[t]), terms: terms)
        lp.limit(.row(r.index), .budget, .funder(f), t: t)
      }
    }
    for f in shared.investment.keys.sorted() {
      guard let limit = m.funders[f].investmentBudget else { continue }
      for (t, terms) in (shared.investment[f] ?? [:]).sorted(by: { $0.key < $1.key }) where t < ctx.periods {
        let r = try lp.row(
          "invest[\(m.funders[f].id),\(ctx.labels[t])]", .investmentBudget(funder: f, t: t),
          bounds: .atMost(limit[t] * Formulation.moneyScale), terms: terms)
        lp.limit(.row(r.index), .investmentBudget, .investment(f), t: t)
      }
    }
  }
}

extension Budgets {
  /// A `budget` row's bounds, in EUR million.
  ///
  /// `Formulator.rebound` reads them here too.
  static func rowBounds(budget: Double) -> Bounds { .atMost(budget * Formulation.moneyScale) }
}

/// Routes and quotas (docs/MODEL.md, `route`, `quota`): shipments on a route with a capacity,
/// or counted by a quota, at most its limit per period; route costs go to the cost stage.
enum RoutesAndQuotas {
  static func add(_ ctx: FormulationContext, shipments: Shipments, lp: inout LPAssembly, shared: inout SharedTerms)
    throws(LPError)
  {
    let m = ctx.model
    for r in shipments.routeTerms.keys.sorted() {
      guard let capacity = m.routes[r].capacity else { continue }
      for t in (shipments.routeTerms[r] ?? [:]).keys.sorted() {
        let row = try lp.row(
          "route[\(r.rawValue + 1),\(ctx.labels[t])]", .routeCapacity(route: r, t: t), bounds: .atMost(capacity[t]),
          terms: shipments.routeTerms[r]?[t] ?? [])
        lp.limit(.row(row.index), .route, .route(r), t: t)
      }
    }
    for q in shipments.quotaTerms.keys.sorted() {
      for t in (shipments.quotaTerms[q] ?? [:]).keys.sorted() {
        let row = try lp.row(
          "quota[\(m.quotas[q].id),\(ctx.labels[t])]", .quota(quota: q, t: t), bounds: .atMost(m.quotas[q].limit[t]),
          terms: shipments.quotaTerms[q]?[t] ?? [])
        lp.limit(.row(row.index), .quota, .quota(q), t: t)
      }
    }
    for (col, route) in shipments.route where m.routes[route].cost > 0 {
      shared.cost.append((ColumnID(col), m.routes[route].cost * Formulation.moneyScale))
    }
  }
}
