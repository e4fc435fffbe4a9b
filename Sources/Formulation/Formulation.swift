import LinearProgram
import PlanningModel

/// One solve of a staged (lexicographic) optimisation.
public struct Stage: Sendable, Hashable {
  /// What a stage optimises.
  public enum Kind: Sendable, Hashable {
    /// Minimise priority-weighted shortfall of these classes.
    case shortfall([ConsumerClass])
    /// Maximise the coverage floor of one class (fair share).
    case coverageFloor(ConsumerClass)
    /// Share scarcity evenly among consumers of equal priority (docs/MODEL.md, fairness).
    case fairness
    /// Minimise money spent, every earlier stage held at its optimum.
    case cost
    /// Pick one plan among the remaining equal ones by a fixed rule (docs/MODEL.md).
    case tieBreak
  }

  /// The stage's name in reports and LP row names ("weighted shortfall", "cost").
  public let name: String
  /// What it optimises.
  public let kind: Kind
  /// Minimise or maximise.
  public let sense: OptimizationSense
  /// Objective coefficients; all other columns' are zero.
  public let objective: [Term]
  /// Whether later stages hold this one near its optimum (all but the last).
  ///
  /// The optimizer then appends the objective as a row; it is not in the program
  /// before, because a dense free row in the basis slows every simplex iteration.
  public let holds: Bool
  /// Columns and rows the stage adds to the program before it is solved, kept for the later
  /// stages (the fairness stage's own variables): they cost nothing to the stages before.
  public let block: StageBlock?

  /// A stage.
  public init(
    name: String, kind: Kind, sense: OptimizationSense, objective: [Term], holds: Bool,
    block: StageBlock? = nil
  ) {
    self.name = name
    self.kind = kind
    self.sense = sense
    self.objective = objective
    self.holds = holds
    self.block = block
  }

  /// Classes whose shortfall this stage decides: what "demand covered" counts for it.
  public var classes: [ConsumerClass] {
    switch kind {
    case .shortfall(let c): return c
    case .coverageFloor(let c): return [c]
    case .fairness, .cost, .tieBreak: return []
    }
  }

  /// Whether the stage minimises money (its objective is in EUR million).
  public var isCost: Bool { kind == .cost }

  /// Whether the stage decides how much demand is covered (a shortfall or floor stage).
  public var decidesCoverage: Bool {
    switch kind {
    case .shortfall, .coverageFloor: return true
    case .fairness, .cost, .tieBreak: return false
    }
  }

  /// Equal when name, kind, hold and objective agree.
  public static func == (a: Stage, b: Stage) -> Bool {
    a.name == b.name && a.kind == b.kind && a.holds == b.holds && a.objective.map(\.column) == b.objective.map(\.column)
      && a.objective.map(\.coefficient) == b.objective.map(\.coefficient)
  }

  /// Whether `other` has the same variables, rows and coefficient pattern, so that bases
  /// of one fit the other (the coefficients may differ: a sweep over demand changes the
  /// fairness stage's).
  public func hasSameStructure(as other: Stage) -> Bool {
    name == other.name && kind == other.kind && holds == other.holds && sense == other.sense
      && objective.map(\.column) == other.objective.map(\.column)
      && block?.columns.count == other.block?.columns.count
      && (block?.rows ?? .init()).hasSamePattern(as: other.block?.rows ?? .init())
  }

  /// Hashes the name and the objective's size.
  public func hash(into h: inout Hasher) {
    h.combine(name)
    h.combine(objective.count)
  }
}

/// Columns and rows a stage appends to the program (their column indices follow the
/// program's and the earlier blocks' columns).
public struct StageBlock: Sendable {
  /// The new columns, in order.
  public let columns: [LinearProgram.NewColumn]
  /// The new rows (which may use the new columns).
  public let rows: LinearProgram.NewRows
}

/// A planning model turned into a linear program, with the meaning of every row and column.
public struct Formulation: Sendable {
  /// The model formulated.
  public let model: PlanningModel
  /// The allocation policy the stages implement.
  public let policy: AllocationPolicy
  /// The LP, carrying the first stage's objective.
  public let program: LinearProgram
  /// What each column stands for: the program's, then those stage blocks append.
  public let columnRoles: ColumnRoles
  /// What each row stands for.
  public let rowRoles: [RowRole]
  /// The policy's solves, in order.
  public let stages: [Stage]
  /// Constraints that limit supply: bottleneck candidates.
  public let limits: [Limit]
  /// Route of each shipment column that a route matches (the others take the default lead
  /// time).
  public let routeOfShipment: [Int: RouteIndex]
  /// Supply nodes: end-item products shipped together (docs/MODEL.md).
  public let nodes: TypedArray<SupplyNode, SupplyNode>
  /// Shipment columns an export rule bars (bounded at zero), with the rule that bars them.
  public let barredShipments: [Int: RuleIndex]
  /// The funders that may pay for each shipment column of a budget-limited consumer (absent:
  /// no modelled budget pays).
  public let payersOfShipment: [Int: [FunderIndex]]
  /// Whether `Formulator` built it from `model` alone (no shape, not a hedge's join): its
  /// program is then exactly `model`'s, which `Formulator.rebound` builds on.
  let plain: Bool
  /// Money is carried in the LP in EUR million, to keep coefficients near 1.
  public static let moneyScale = 1e-6

  /// The same formulation with another program of the same structure (bounds changed): of
  /// `model` when given, and `plain` only when the program is exactly that model's.
  func replacing(program: LinearProgram, model: PlanningModel? = nil, plain: Bool = false) -> Formulation {
    Formulation(
      model: model ?? self.model, policy: policy, program: program, columnRoles: columnRoles, rowRoles: rowRoles,
      stages: stages, limits: limits, routeOfShipment: routeOfShipment, nodes: nodes, barredShipments: barredShipments,
      payersOfShipment: payersOfShipment, plain: plain)
  }

  /// Delivery lead time, in periods, of a shipment column.
  public func leadTime(ofShipment j: Int) -> Int { model.leadTime(route: routeOfShipment[j]) }

  /// T − d for an order decided in period d: the weight of the tie-break among portfolios
  /// of equal cost (the latest decisions win), in plans and investment questions alike.
  public func lateness(decided d: Int) -> Double { Double(model.horizon.periods - d) }
}
