import LinearProgram
import PlanningModel

/// One solve of a staged (lexicographic) optimisation.
public struct Stage: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// Minimise priority-weighted shortfall of these classes.
    case shortfall([ConsumerClass])
    /// Maximise the coverage floor of one class (fair share).
    case coverageFloor(ConsumerClass)
    /// Minimise money spent, every shortfall stage held at its optimum.
    case cost
  }

  public let name: String
  public let kind: Kind
  public let sense: OptimizationSense
  /// Objective coefficients (column index, coefficient); all others are zero.
  public let objective: [(column: Int, coefficient: Double)]
  /// Whether later stages hold this one near its optimum (all but the last). The
  /// optimizer then appends the objective as a row; it is not in the program before,
  /// because a dense free row in the basis slows every simplex iteration.
  public let holds: Bool

  /// Classes whose shortfall this stage decides: what "demand covered" counts for it.
  public var classes: [ConsumerClass] {
    switch kind {
    case .shortfall(let c): return c
    case .coverageFloor(let c): return [c]
    case .cost: return []
    }
  }

  public static func == (a: Stage, b: Stage) -> Bool {
    a.name == b.name && a.kind == b.kind && a.holds == b.holds && a.objective.map(\.column) == b.objective.map(\.column)
      && a.objective.map(\.coefficient) == b.objective.map(\.coefficient)
  }

  public func hash(into h: inout Hasher) {
    h.combine(name)
    h.combine(objective.count)
  }
}

/// A planning model turned into a linear program, with the meaning of every row and column.
public struct Formulation: Sendable {
  public let model: PlanningModel
  public let policy: AllocationPolicy
  public let program: LinearProgram
  public let columnRoles: [ColumnRole]
  public let rowRoles: [RowRole]
  public let stages: [Stage]
  /// Constraints that limit supply: bottleneck candidates.
  public let limits: [Limit]
  /// Route of each shipment column (−1: the default lead time).
  public let routeOfShipment: [Int: Int]
  /// Supply nodes: end-item products shipped together (docs/MODEL.md).
  public let nodes: [SupplyNode]
  /// Money is carried in the LP in EUR million, to keep coefficients near 1.
  public static let moneyScale = 1e-6

  /// Shortfall and target-gap columns of consumers of the given classes: what "demand
  /// covered" sums over.
  public func demandColumns(of classes: Set<ConsumerClass>) -> [Int] {
    var out: [Int] = []
    for (j, role) in columnRoles.enumerated() {
      switch role {
      case .shortfall(let k, _, _), .targetGap(let k, _):
        if classes.contains(model.consumers[k].consumerClass) { out.append(j) }
      default: continue
      }
    }
    return out
  }
}
