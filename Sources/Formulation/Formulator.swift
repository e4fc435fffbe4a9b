import LinearProgram
import PlanningModel

/// Why a formulation could not be built.
///
/// Only a bug (or a model too large for names) reaches this: validated models always
/// formulate.
public struct FormulationError: Error, Sendable, CustomStringConvertible {
  /// What the LP builder refused.
  public let underlying: LPError
  /// The refusal in words.
  public var description: String { "could not build the linear program: \(underlying)" }
}

/// Builds the LP of docs/MODEL.md from a validated planning model, one constraint family at
/// a time (the types in `Families/`, each named as docs/MODEL.md names it).
///
/// Sparsity is the main lever on GLPK's speed: a variable is created only where it can be
/// non-zero — production only in periods with capacity (or reachable expansions) and only
/// up to the last period its output can still be used; shipments only on eligible, funded
/// routes that arrive inside the horizon before the consumer's last demand; stock chains
/// only over the periods they can carry something.
public enum Formulator {
  /// The formulation of `model` under `policy` (the model's own when `nil`).
  ///
  /// With a `shape` (a model of the same entities whose non-zero figures include this
  /// one's), the columns and rows are those of the shape: variants of one model, such as the
  /// draws of a risk study, then share one structure and re-solve warm from each other.
  public static func formulate(
    _ model: PlanningModel, policy: AllocationPolicy? = nil, shape: PlanningModel? = nil
  ) throws(FormulationError) -> Formulation {
    do {
      return try build(FormulationContext(model: model, policy: policy ?? model.settings.policy, shape: shape))
    } catch {
      throw FormulationError(underlying: error)
    }
  }

  static func build(_ ctx: FormulationContext) throws(LPError) -> Formulation {
    var lp = LPAssembly()
    var shared = SharedTerms()
    let nodes = SupplyNodes(ctx)
    let shipments = try Shipments(ctx, nodes: nodes, lp: &lp)
    let windows = ProductionWindows(ctx, nodes: nodes, shipments: shipments)
    var expansions = Expansions(ctx.model)
    var capacity = Capacity(ctx.model)
    for p in ctx.model.producers.indices {
      try expansions.add(ctx, producer: p, lp: &lp, money: &shared)
      try capacity.add(ctx, producer: p, windows: windows, expansions: expansions, lp: &lp, shared: &shared)
      try SharedLines.add(ctx, producer: p, capacity: capacity, expansions: expansions, lp: &lp)
    }
    try NodeBalance.add(ctx, nodes: nodes, shipments: shipments, capacity: capacity, lp: &lp)
    try Markets.add(ctx, windows: windows, lp: &lp, shared: &shared)
    try Pools.add(ctx, windows: windows, shared: shared, lp: &lp)
    var consumers = Consumers()
    for k in ctx.active {
      try consumers.add(ctx, consumer: k, arrivals: shipments.arrivals[k] ?? [:], lp: &lp)
    }
    try Funding.add(ctx, shipments: shipments, lp: &lp, shared: &shared)
    try Budgets.add(ctx, shared: shared, lp: &lp)
    try RoutesAndQuotas.add(ctx, shipments: shipments, lp: &lp, shared: &shared)
    var stages = try Objectives.stages(ctx, consumers: consumers, cost: shared.cost, lp: &lp)
    // The program carries the first stage's objective (as a minimisation), so that an
    // exported LP is exactly the first LP solved.
    if let first = stages.first {
      let sign = first.sense == .minimize ? 1.0 : -1.0
      for term in first.objective {
        try lp.builder.setObjective(sign * term.coefficient, column: ColumnID(term.column))
      }
    }
    let program = lp.builder.build()
    // Fairness comes after the shortfall stages, its variables appended only then (they
    // would slow the first stage, the costliest solve, by half).
    let fairness = Fairness(ctx, penalties: consumers.penalties, firstColumn: program.numberOfColumns)
    if !fairness.objective.isEmpty {
      let cost = stages.count - 1
      stages.insert(
        Stage(
          name: "fairness", kind: .fairness, sense: .minimize, objective: fairness.objective, holds: true,
          block: StageBlock(columns: fairness.columns, rows: fairness.rows)), at: cost)
    }
    let names = program.columnNames + fairness.columns.map(\.name)
    stages.append(
      Stage(name: "tie-break", kind: .tieBreak, sense: .minimize, objective: TieBreak.objective(names), holds: false))
    return Formulation(
      model: ctx.model, policy: ctx.policy, program: program, columnRoles: lp.columnRoles + fairness.roles,
      rowRoles: lp.rowRoles, stages: stages, limits: lp.limits, routeOfShipment: shipments.route, nodes: nodes.nodes,
      barredShipments: shipments.barredBy, payersOfShipment: shipments.payers)
  }
}
