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
  ///
  /// With a formulation `like` this one (an earlier point of a sweep or draw of a risk
  /// study), the work done for it is reused, and the result is always what formulating
  /// without `like` gives (docs/PERFORMANCE.md, "Where a warm point's time goes"):
  /// - a model that differs from its model only in capacities, market supplies or budgets,
  ///   positive in the same periods (a capacity, delay, market or budget sweep's point),
  ///   takes its program with those bounds changed (`rebound`): nothing is formulated;
  /// - a model of the same data set (its content hash the same) is built without names and
  ///   takes that one's: a new point's numbers at half the cost. When the columns or rows
  ///   come out otherwise (a figure that fell to zero removed one), or the data differ, the
  ///   program is formulated afresh.
  public static func formulate(
    _ model: PlanningModel, policy: AllocationPolicy? = nil, shape: PlanningModel? = nil,
    like previous: Formulation? = nil
  ) throws(FormulationError) -> Formulation {
    // A model that differs in capacities, supplies or budgets only takes `like`'s program
    // with other bounds.
    if let previous, shape == nil, (policy ?? model.settings.policy) == previous.policy,
      let f = rebound(previous, to: model)
    {
      return f
    }
    let ctx = FormulationContext(model: model, policy: policy ?? model.settings.policy, shape: shape)
    // Names come from the data set's ids, which its content hash covers: a formulation of
    // other data never lends its names, however alike the structure.
    if let previous, ctx.policy == previous.policy, !model.contentHash.isEmpty,
      previous.model.contentHash == model.contentHash, let f = try? build(ctx, reusing: previous)
    {
      return f
    }
    do {
      return try build(ctx)
    } catch {
      throw FormulationError(underlying: error)
    }
  }

  /// The formulation of `ctx`; with `previous`, built with `previous`'s names, which throws
  /// `LPError.indexOutOfRange` when its rows and columns (their roles, in order) differ from
  /// `previous`'s.
  static func build(_ ctx: FormulationContext, reusing previous: Formulation? = nil) throws(LPError) -> Formulation {
    var lp = LPAssembly()
    if let previous { lp.builder = LPBuilder(reusingNamesOf: previous.program) }
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
    if let previous {
      // The same roles in the same order name the same columns and rows, given the same
      // supply nodes (a shipment's name carries its node's first member and their count).
      guard lp.builder.hasReusedShape, lp.rowRoles == previous.rowRoles,
        lp.columnRoles.elementsEqual(previous.columnRoles.prefix(lp.columnRoles.count)),
        nodes.nodes.elementsEqual(previous.nodes, by: { $0.item == $1.item && $0.members == $1.members })
      else {
        throw .indexOutOfRange(kind: .column, index: lp.columnRoles.count, count: previous.program.numberOfColumns)
      }
    }
    let program = lp.builder.build()
    // Fairness comes after the shortfall stages, its variables appended only then (they
    // would slow the first stage, the costliest solve, by half).
    let fairness = try Fairness(ctx, penalties: consumers.penalties, firstColumn: program.numberOfColumns)
    if !fairness.objective.isEmpty {
      let cost = stages.count - 1
      stages.insert(
        Stage(
          name: "fairness", kind: .fairness, sense: .minimize, objective: fairness.objective, holds: true,
          block: StageBlock(columns: fairness.columns.withExactCapacity(), rows: fairness.rows.withExactCapacity())),
        at: cost)
    }
    // The tie-break's weights hash every column's name: the same names give the same weights.
    let blockNames = fairness.columns.map(\.name)
    let tieBreak: [Term]
    if let previous, let last = previous.stages.last, last.kind == .tieBreak,
      blockNames == previous.stages.compactMap(\.block).flatMap({ $0.columns.map(\.name) })
    {
      tieBreak = last.objective
    } else {
      tieBreak = TieBreak.objective(program.columnNames + blockNames)
    }
    stages.append(Stage(name: "tie-break", kind: .tieBreak, sense: .minimize, objective: tieBreak, holds: false))
    return Formulation(
      model: ctx.model, policy: ctx.policy, program: program,
      columnRoles: ColumnRoles(lp.columnRoles, appending: fairness.roles),
      rowRoles: lp.rowRoles.withExactCapacity(),
      stages: stages, limits: lp.limits.withExactCapacity(), routeOfShipment: shipments.route, nodes: nodes.nodes,
      barredShipments: shipments.barredBy, payersOfShipment: shipments.payers, plain: ctx.shape == ctx.model)
  }
}
