import PlanningModel

/// Who made and who paid for each shipment (docs/OUTPUTS.md, allocations.csv): the LP ships
/// from supply nodes and pays per funding class, so both are apportioned by documented rules.
extension Allocation {
  /// Splits each supply node's shipments among its members.
  ///
  /// In shipping order (period, then consumer), pro rata of what each member holds — its initial stock plus what it has made
  /// up to the shipping period, less what earlier shipments took from it. Units are
  /// apportioned in thousandths (largest remainder), so the parts add up to the shipment.
  mutating func attributeToProducers(_ f: Formulation) {
    let m = f.model
    var byNode: [NodeIndex: [Int]] = [:]
    for (s, flow) in shipments.enumerated() { byNode[flow.node, default: []].append(s) }
    for (n, list) in byNode {
      let members = f.nodes[n].members
      var held = members.map { m.producers[$0.producer].products[$0.product].initialStock }
      var added = 0  // periods whose production is counted in `held`
      let ordered = list.sorted {
        (shipments[$0].t, shipments[$0].consumer) < (shipments[$1].t, shipments[$1].consumer)
      }
      for s in ordered {
        let t = shipments[s].t
        while added <= t && added < m.horizon.periods {
          for (x, member) in members.enumerated() { held[x] += production[member.producer][member.product][added] }
          added += 1
        }
        let parts = Self.apportion(shipments[s].quantity, weights: held.map { max(0, $0) })
        for x in held.indices { held[x] -= parts[x] }
        shipments[s].producers = zip(members, parts).compactMap { member, q in
          q > 0 ? ProducerPart(producer: member.producer, quantity: q) : nil
        }
      }
    }
  }

  /// Shares each shipment's cost among its payers: one payer pays all; several (a funding
  /// class) pay pro rata of their payments to the class in the shipping period, since the LP
  /// records payments per class and period, not per shipment.
  mutating func attributeToFunders(_ payments: Payments) {
    for s in shipments.indices {
      let flow = shipments[s]
      switch flow.payers.count {
      case 0: continue
      case 1: shipments[s].funders = [FunderPart(funder: flow.payers[0], share: 1)]
      default:
        let paid = payments.paid(by: flow.payers, consumer: flow.consumer, t: flow.t)
        let total = paid.reduce(0, +)
        shipments[s].funders = zip(flow.payers, paid).compactMap { f, v in
          let share = total > 0 ? v / total : 1 / Double(flow.payers.count)
          return share > 0 ? FunderPart(funder: f, share: Self.significant(share, 6)) : nil
        }
      }
    }
  }

  /// `q` split in proportion to `weights` (equally when they are all zero), in thousandths of a
  /// unit, the remainders going to the largest fractional parts (ties: the earlier member).
  public static func apportion(_ q: Double, weights: [Double]) -> [Double] {
    guard weights.count > 1 else { return weights.isEmpty ? [] : [q] }
    let total = weights.reduce(0, +)
    let w = total > 0 ? weights : weights.map { _ in 1.0 }
    let sum = total > 0 ? total : Double(weights.count)
    let thousandths = (q * 1000).rounded()
    let exact = w.map { thousandths * $0 / sum }
    var floors = exact.map { $0.rounded(.down) }
    var left = Int(thousandths - floors.reduce(0, +))
    let order = exact.indices.sorted { a, b in
      let (ra, rb) = (exact[a] - floors[a], exact[b] - floors[b])
      return ra != rb ? ra > rb : a < b
    }
    for x in order where left > 0 {
      floors[x] += 1
      left -= 1
    }
    return floors.map { $0 / 1000 }
  }
}

/// Payments to funding classes, as solved: consumer → class → period → funder → EUR million.
struct Payments {
  private var paid: [ConsumerIndex: [Int: [Int: [FunderIndex: Double]]]] = [:]
  /// The funders of each class, to find a shipment's class from its payers.
  private var members: [ConsumerIndex: [Int: Set<FunderIndex>]] = [:]

  mutating func add(funder f: FunderIndex, consumer k: ConsumerIndex, fundingClass h: Int, t: Int, paid v: Double) {
    paid[k, default: [:]][h, default: [:]][t, default: [:]][f] = v
    members[k, default: [:]][h, default: []].insert(f)
  }

  /// What each of `payers` paid in `t` to the class they form for consumer `k`.
  func paid(by payers: [FunderIndex], consumer k: ConsumerIndex, t: Int) -> [Double] {
    let set = Set(payers)
    guard let h = members[k]?.first(where: { $0.value == set })?.key else { return payers.map { _ in 0 } }
    return payers.map { paid[k]?[h]?[t]?[$0] ?? 0 }
  }
}
