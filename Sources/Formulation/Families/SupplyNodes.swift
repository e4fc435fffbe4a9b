import LinearProgram
import PlanningModel

/// Supply nodes (docs/MODEL.md, "Supply nodes"): end-item products that no consumer could
/// tell apart — same item and price, and for every consumer the same eligibility, route,
/// payers and quotas — share one node; their output is pooled and shipped together.
///
/// This keeps shipments growing with nodes × consumers instead of products × consumers,
/// and changes no optimum (money, routes and rules see identical shipments either way).
struct SupplyNodes {
  /// The nodes, in the order their first member appears.
  var nodes = TypedArray<SupplyNode, SupplyNode>()
  /// The node of each end-item product (`nil` for components, materials and products that
  /// can never make anything).
  var nodeOf: TypedArray<Producer, TypedArray<ProducerItem, NodeIndex?>>
  /// The consumers each node may deliver to.
  var consumers: [NodeIndex: [ConsumerIndex]] = [:]
  /// The consumers an export rule bars each node from: their shipments exist, fixed at zero,
  /// so that relaxing the rule is a bound change (docs/MODEL.md, relaxation analysis).
  var barred: [NodeIndex: [(consumer: ConsumerIndex, rule: RuleIndex)]] = [:]

  private struct Profile: Hashable {
    var item: ItemIndex
    var unitCost: Double
    var consumers: [ConsumerIndex]
    var eligible: [Bool]
    var routes: [RouteIndex?]
    var payers: [[FunderIndex]?]
    var quotas: [[QuotaIndex]]
    var barredBy: [RuleIndex?]
  }

  init(_ ctx: FormulationContext) {
    let m = ctx.model
    nodeOf = m.producers.mapValues { p in TypedArray(repeating: nil, count: p.products.count) }
    var nodeIndex: [Profile: NodeIndex] = [:]
    for p in m.producers.indices {
      for (pk, product) in m.producers[p].products.indexed() {
        let i = product.item
        guard m.items[i].kind == .end, ctx.firstPossible[p][pk] != nil else { continue }
        let users = ctx.active.filter { ctx.lastUse[$0]?[i] != nil }
        let profile = Profile(
          item: i, unitCost: product.unitCost, consumers: users,
          eligible: users.map { m.isEligible(producer: p, consumer: $0, item: i) },
          routes: users.map { m.route(producer: p, consumer: $0, item: i) },
          payers: users.map { ctx.payers(p, $0) },
          quotas: users.map { m.quotas(producer: p, consumer: $0, item: i) },
          barredBy: users.map { k in
            m.isEligible(producer: p, consumer: k, item: i) ? nil : m.decidingRule(producer: p, consumer: k, item: i)
          })
        let member = SupplyNode.Member(producer: p, product: pk)
        let n: NodeIndex
        if let existing = nodeIndex[profile] {
          n = existing
          nodes[n].members.append(member)
        } else {
          n = nodes.add(SupplyNode(item: i, unitCost: product.unitCost, members: [member]))
          nodeIndex[profile] = n
        }
        nodeOf[p][pk] = n
        consumers[n] = zip(users, profile.eligible).filter { $0.1 }.map { $0.0 }
        barred[n] = zip(users, profile.barredBy).compactMap { k, r in r.map { (k, $0) } }
      }
    }
  }

  /// A node's name in LP names: its first producer, and how many more share it ("p1&3").
  /// (Not "+": GLPK's LP writer replaces names with characters outside its set.)
  func name(_ n: NodeIndex, _ m: PlanningModel) -> String {
    guard let first = nodes[n].members.first else { return "node\(n)" }
    let id = m.producers[first.producer].id
    return nodes[n].members.count == 1 ? id : "\(id)&\(nodes[n].members.count - 1)"
  }
}
