import Formulation
import Optimizer
import PlanningModel

/// Demand against what was met: the unit of every coverage table.
public struct Coverage: Sendable, Hashable {
  public var demand: Double = 0
  public var met: Double = 0
  public var shortfall: Double { max(0, demand - met) }
  /// Met as a fraction of demand (1 when there is no demand).
  public var fraction: Double { demand > 0 ? met / demand : 1 }

  public init(demand: Double = 0, met: Double = 0) {
    self.demand = demand
    self.met = met
  }

  public static func + (a: Coverage, b: Coverage) -> Coverage { Coverage(demand: a.demand + b.demand, met: a.met + b.met) }
}

/// What one consumer asked for under one demand key (an item or a substitution group).
public struct DemandLine: Sendable, Hashable {
  public let consumer: Int
  public let demand: Int
  public let key: Demand.Key
  public let name: String
  public let unit: String
  public let weight: Double
  /// Per period.
  public let coverage: [Coverage]

  public var total: Coverage { coverage.reduce(Coverage(), +) }
}

/// A stockpile target and how far the plan reaches it.
public struct TargetLine: Sendable, Hashable {
  public let consumer: Int
  public let target: Int
  public let item: Int
  public let period: Int
  public let coverage: Coverage
}

extension PlanAnalysis {
  static func demandLines(_ m: PlanningModel, _ a: Allocation) -> [DemandLine] {
    var out: [DemandLine] = []
    for (k, c) in m.consumers.enumerated() where c.active {
      for (d, demand) in c.demand.enumerated() {
        let name: String
        let unit: String
        let weight: Double
        switch demand.key {
        case .item(let i):
          (name, unit, weight) = (m.items[i].name, m.items[i].unit, m.items[i].weight)
        case .group(let g):
          (name, unit, weight) = (m.substitutes[g].name, m.substitutes[g].unit, m.substitutes[g].weight)
        }
        let coverage = demand.quantity.indices.map { t in
          Coverage(demand: demand.quantity[t], met: demand.quantity[t] - a.shortfall[k][d][t])
        }
        guard demand.quantity.contains(where: { $0 > 0 }) else { continue }
        out.append(DemandLine(consumer: k, demand: d, key: demand.key, name: name, unit: unit, weight: weight, coverage: coverage))
      }
    }
    return out
  }

  static func targetLines(_ m: PlanningModel, _ a: Allocation) -> [TargetLine] {
    var out: [TargetLine] = []
    for (k, c) in m.consumers.enumerated() where c.active {
      for (ti, target) in c.targets.enumerated() where target.level > 0 {
        out.append(
          TargetLine(
            consumer: k, target: ti, item: target.item, period: target.period,
            coverage: Coverage(demand: target.level, met: target.level - a.targetGap[k][ti])))
      }
    }
    return out
  }
}
