import Formulation
import Optimizer
import PlanningModel

/// Demand against what was met: the unit of every coverage table.
public struct Coverage: Sendable, Hashable {
  /// Units wanted.
  public var demand: Double = 0
  /// Units of the demand that were covered.
  public var met: Double = 0
  /// Units wanted but not covered (never negative).
  public var shortfall: Double { max(0, demand - met) }
  /// Met as a fraction of demand (1 when there is no demand).
  public var fraction: Double { demand > 0 ? met / demand : 1 }

  /// Coverage of `demand` units of which `met` were covered.
  public init(demand: Double = 0, met: Double = 0) {
    self.demand = demand
    self.met = met
  }

  /// The two combined: demands and met units added, as when summing lines of a table.
  public static func + (a: Coverage, b: Coverage) -> Coverage {
    Coverage(demand: a.demand + b.demand, met: a.met + b.met)
  }
}

/// What one consumer asked for under one demand key (an item or a substitution group).
public struct DemandLine: Sendable, Hashable {
  /// The consumer.
  public let consumer: ConsumerIndex
  /// Its demand series.
  public let demand: DemandIndex
  /// The item or group asked for.
  public let key: Demand.Key
  /// The item's or group's name.
  public let name: String
  /// The unit demand is counted in.
  public let unit: String
  /// Importance of one unit of shortfall.
  public let weight: Double
  /// Per period.
  public let coverage: [Coverage]
  /// Per period: the part of the shortfall no decision inside the horizon could avoid.
  public let unavoidable: [Double]

  /// Over the horizon.
  public var total: Coverage { coverage.reduce(Coverage(), +) }
  /// Unavoidable shortfall over the horizon.
  public var unavoidableTotal: Double { unavoidable.reduce(0, +) }
}

/// A stockpile target and how far the plan reaches it.
public struct TargetLine: Sendable, Hashable {
  /// The consumer.
  public let consumer: ConsumerIndex
  /// Its target.
  public let target: TargetIndex
  /// The end item.
  public let item: ItemIndex
  /// The period by whose end the level is due.
  public let period: Int
  /// Level against stock held.
  public let coverage: Coverage
  /// The part of the gap no decision inside the horizon could avoid.
  public let unavoidable: Double
}

extension PlanAnalysis {
  static func demandLines(_ m: PlanningModel, _ a: Allocation, _ startUp: StartUp) -> [DemandLine] {
    var out: [DemandLine] = []
    for (k, c) in m.consumers.indexed() where c.active {
      for (d, demand) in c.demand.indexed() {
        let described = m.describe(demand.key)
        let coverage = demand.quantity.indices.map { t in
          Coverage(demand: demand.quantity[t], met: demand.quantity[t] - a.shortfall[k][d][t])
        }
        guard demand.quantity.contains(where: { $0 > 0 }) else { continue }
        // The plan's shortfall bounds what is unavoidable (both are solver numbers).
        let unavoidable = (startUp.demand[k]?[d] ?? []).enumerated().map { t, u in min(u, coverage[t].shortfall) }
        out.append(
          DemandLine(
            consumer: k, demand: d, key: demand.key, name: described.name, unit: described.unit,
            weight: described.weight, coverage: coverage,
            unavoidable: unavoidable.isEmpty ? coverage.map { _ in 0 } : unavoidable))
      }
    }
    return out
  }

  static func targetLines(_ m: PlanningModel, _ a: Allocation, _ startUp: StartUp) -> [TargetLine] {
    var out: [TargetLine] = []
    for (k, c) in m.consumers.indexed() where c.active {
      for (ti, target) in c.targets.indexed() where target.level > 0 {
        let coverage = Coverage(demand: target.level, met: target.level - a.targetGap[k][ti])
        out.append(
          TargetLine(
            consumer: k, target: ti, item: target.item, period: target.period, coverage: coverage,
            unavoidable: min(startUp.targets[k]?[ti] ?? 0, coverage.shortfall)))
      }
    }
    return out
  }
}
