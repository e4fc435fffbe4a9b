import Formulation
import LinearProgram
import PlanningModel

/// What one consumer held of one system or part in service (a fire unit, a gun, a barrel)
/// over the horizon (docs/OUTPUTS.md, "Systems in service").
public struct SystemUse: Sendable, Hashable {
  /// The consumer.
  public let consumer: ConsumerIndex
  /// The system or part: an item some munition is fired from or wears.
  public let item: ItemIndex
  /// Units held at the start.
  public let start: Double
  /// Units received: deliveries arriving inside the horizon and scheduled arrivals.
  public let received: Double
  /// Units held at the end of the last period.
  public let end: Double
  /// Periods in which the consumer fired all its systems could (a `fire` row of a munition
  /// fired from the item binds).
  public let fireBinds: [Int]

  /// Units gone over the horizon: lost in combat, worn out, or used against a demand —
  /// start + received − end.
  public var gone: Double { max(0, start + received - end) }
}

extension PlanAnalysis {
  /// Every active consumer's systems and parts in service, in consumer then item order.
  static func systemUse(_ f: Formulation, _ a: Allocation, _ solution: LPSolution) -> [SystemUse] {
    let m = f.model
    let systems = m.systemItems
    guard !systems.isEmpty else { return [] }
    let last = m.horizon.periods - 1
    var fireBinds: [ConsumerIndex: [ItemIndex: Set<Int>]] = [:]
    for (r, role) in f.rowRoles.enumerated() {
      guard case .fireUnits(let k, let i, let t) = role, let system = m.items[i].firedFrom?.item else { continue }
      if atUpperBound(f, solution, row: r) { fireBinds[k, default: [:]][system, default: []].insert(t) }
    }
    var received: [ConsumerIndex: [ItemIndex: Double]] = [:]
    for s in a.shipments where systems.contains(s.item) && s.arrives <= last {
      received[s.consumer, default: [:]][s.item, default: 0] += s.quantity
    }
    var out: [SystemUse] = []
    for (k, c) in m.consumers.indexed() where c.active {
      for i in systems.sorted() {
        let start: Double = c.initialStock.filter { $0.item == i }.reduce(0.0) { $0 + $1.quantity }
        let scheduled = c.scheduledArrivals.filter { $0.item == i && $0.period <= last }.reduce(0.0) {
          $0 + $1.quantity
        }
        let got = (received[k]?[i] ?? 0) + scheduled
        let held: [Double] = a.consumerStock[k][i] ?? []
        let end: Double = held.indices.contains(last) ? held[last] : 0
        guard start > 0 || got > 0 || end > 0 else { continue }
        out.append(
          SystemUse(
            consumer: k, item: i, start: start, received: got, end: end,
            fireBinds: (fireBinds[k]?[i] ?? []).sorted()))
      }
    }
    return out
  }
}
