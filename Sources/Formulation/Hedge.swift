import LinearProgram
import PlanningModel

/// Why the paths of a hedge cannot be joined in one program.
public struct HedgeFormulationError: Error, Sendable, CustomStringConvertible {
  /// The problem in words.
  public let description: String
}

/// The deterministic equivalent of a two-stage stochastic program over weighted paths
/// (docs/MODEL.md, "Hedged plans").
///
/// Every path keeps its own copy of the plan's columns and rows, except the first-stage
/// columns — production, deliveries, purchases and expansion orders of the first K periods —
/// which are one column shared by every path's rows: one decision, whatever path follows
/// (nonanticipativity by substitution, so no equality rows and no degenerate copies). A
/// first-stage column that some path lacks (nothing could use it there) is held at zero.
/// Each stage's objective is the probability-weighted sum of the paths' objectives; the
/// tie-break is the usual rule applied to the joined program's names.
///
/// `formulation` runs through the optimizer like any formulation; its allocation is not a
/// plan (paths overwrite each other): read each path's with the column and row maps.
public struct DeterministicEquivalent: Sendable {
  /// The paths' own formulations.
  public let paths: [Formulation]
  /// Each path's probability.
  public let probabilities: [Double]
  /// Periods whose decisions are common to every path.
  public let firstPeriods: Int
  /// The joined program and its stages.
  public let formulation: Formulation
  /// Per path: the joined column of each of the path's columns (the program's, then its stage
  /// blocks' in stage order).
  public let columns: [[Int]]
  /// Per path: the joined row of each of the path's program rows.
  public let rows: [[Int]]
  /// The shared first-stage columns, ascending.
  public let firstStage: [Int]
  /// First-stage columns held at zero because some path has no such column.
  public let heldAtZero: Int

  /// Whether a column is a decision of the first `k` periods that every path must share.
  public static func isFirstStage(_ role: ColumnRole, periods k: Int) -> Bool {
    switch role {
    case .production(_, _, let t), .shipment(_, _, let t), .purchase(_, _, _, let t), .build(_, _, let t, _):
      return t < k
    default: return false
    }
  }

  /// The joined program of `paths` weighted by `probabilities`, sharing the decisions of the
  /// first `firstPeriods` periods.
  public init(paths: [Formulation], probabilities: [Double], firstPeriods: Int) throws(HedgeFormulationError) {
    guard let reference = paths.first, paths.count == probabilities.count else {
      throw HedgeFormulationError(description: "a hedge needs at least one path and one probability per path")
    }
    for (p, f) in paths.enumerated().dropFirst() {
      guard FormulationContext.sameEntities(f.model, reference.model, targets: false), f.nodes == reference.nodes else {
        throw HedgeFormulationError(
          description:
            "path \(p + 1) changes more than figures (entities, export rules or prices differ from path 1's), so its plan cannot share decisions with it"
        )
      }
      guard f.stages.count == reference.stages.count,
        zip(f.stages, reference.stages).allSatisfy({
          $0.name == $1.name && $0.sense == $1.sense && $0.holds == $1.holds
        })
      else {
        throw HedgeFormulationError(description: "path \(p + 1) solves different stages from path 1's")
      }
    }
    var joined = Joiner(paths: paths, firstPeriods: firstPeriods)
    do {
      try joined.addColumnsAndRows()
      let stages = try joined.stages(probabilities: probabilities)
      self.formulation = try joined.formulation(stages: stages, model: reference)
    } catch {
      throw HedgeFormulationError(description: "could not build the joined program: \(error)")
    }
    self.paths = paths
    self.probabilities = probabilities
    self.firstPeriods = firstPeriods
    self.columns = joined.columns
    self.rows = joined.rows
    self.firstStage = joined.shared.values.sorted()
    self.heldAtZero = joined.heldAtZero
  }

  /// Path `p`'s values of its columns, from the joined program's.
  public func values(ofPath p: Int, _ x: [Double]) -> [Double] {
    columns[p].map { $0 < x.count ? x[$0] : 0 }
  }

  /// The joined program with its first stage fixed at another plan's first-stage decisions
  /// (`plan`'s columns of the same names; absent ones at zero, each clamped into the joined
  /// column's bounds): that plan's first year, with every path's best recourse after it.
  public func fixingFirstStage(to plan: Formulation, values x: [Double]) throws(HedgeFormulationError) -> Formulation {
    let names = plan.program.columnNames
    var value: [String: Double] = [:]
    for (j, role) in plan.columnRoles.enumerated()
    where j < names.count && j < x.count && Self.isFirstStage(role, periods: firstPeriods) {
      value[names[j]] = x[j]
    }
    var program = formulation.program
    do {
      for j in firstStage {
        let b = program.columnBounds[j]
        let v = min(max(value[program.columnNames[j]] ?? 0, b.lower), b.upper)
        try program.setBounds(.exactly(v), column: ColumnID(j))
      }
    } catch {
      throw HedgeFormulationError(description: "could not fix the first stage: \(error)")
    }
    return formulation.replacing(program: program)
  }
}

/// Joins the paths' programs column by column and row by row.
private struct Joiner {
  let paths: [Formulation]
  let firstPeriods: Int
  var builder = LPBuilder(name: "arsenal-hedge")
  var columns: [[Int]]
  var rows: [[Int]]
  var roles: [ColumnRole] = []
  /// The joined program's column names, in order (the tie-break's weights come from them).
  var names: [String] = []
  var rowRoles: [RowRole] = []
  /// First-stage column name → its joined column.
  var shared: [String: Int] = [:]
  /// How many paths have each shared column.
  var sharedBy: [Int: Int] = [:]
  /// The bounds every path allows a shared column.
  var sharedBounds: [Int: Bounds] = [:]
  var heldAtZero = 0
  var blockColumns = 0
  var routes: [Int: RouteIndex] = [:]
  var barred: [Int: RuleIndex] = [:]
  var payers: [Int: [FunderIndex]] = [:]

  init(paths: [Formulation], firstPeriods: Int) {
    self.paths = paths
    self.firstPeriods = firstPeriods
    columns = paths.map { Array(repeating: -1, count: $0.columnRoles.count) }
    rows = paths.map { Array(repeating: -1, count: $0.program.numberOfRows) }
  }

  mutating func addColumnsAndRows() throws(LPError) {
    for (p, f) in paths.enumerated() {
      let program = f.program
      for j in 0..<program.numberOfColumns {
        let role = f.columnRoles[j]
        let name = program.columnNames[j]
        let bounds = program.columnBounds[j]
        if DeterministicEquivalent.isFirstStage(role, periods: firstPeriods) {
          if let c = shared[name] {
            columns[p][j] = c
            sharedBy[c, default: 0] += 1
            sharedBounds[c] = Self.intersection(sharedBounds[c] ?? bounds, bounds)
            continue
          }
          let c = try builder.addColumn(name, bounds: bounds).index
          names.append(name)
          shared[name] = c
          sharedBy[c] = 1
          sharedBounds[c] = bounds
          add(c, path: p, column: j, role: role)
        } else {
          add(try builder.addColumn("\(name)@\(p + 1)", bounds: bounds).index, path: p, column: j, role: role)
          names.append("\(name)@\(p + 1)")
        }
      }
    }
    // A decision only some paths could take cannot be common to all: none is taken.
    for (c, count) in sharedBy {
      if count < paths.count {
        try builder.setBounds(.exactly(0), column: ColumnID(c))
        heldAtZero += 1
      } else if let b = sharedBounds[c] {
        try builder.setBounds(b, column: ColumnID(c))
      }
    }
    for (p, f) in paths.enumerated() {
      for i in 0..<f.program.numberOfRows {
        let terms = f.program.terms(ofRow: i).map { (ColumnID(columns[p][$0.column]), $0.coefficient) }
        rows[p][i] = try builder.addRow(
          "\(f.program.rowNames[i])@\(p + 1)", bounds: f.program.rowBounds[i], terms: terms
        )
        .index
        rowRoles.append(f.rowRoles[i])
      }
    }
  }

  private mutating func add(_ c: Int, path p: Int, column j: Int, role: ColumnRole) {
    columns[p][j] = c
    roles.append(role)
    let f = paths[p]
    if let r = f.routeOfShipment[j] { routes[c] = r }
    if let r = f.barredShipments[j] { barred[c] = r }
    if let fu = f.payersOfShipment[j] { payers[c] = fu }
  }

  private static func intersection(_ a: Bounds, _ b: Bounds) -> Bounds {
    let lower = max(a.lower, b.lower)
    let upper = min(a.upper, b.upper)
    return lower <= upper ? .between(lower, upper) : .exactly(lower)
  }

  /// Each stage's objective weighted over the paths, with the paths' blocks joined.
  mutating func stages(probabilities: [Double]) throws(LPError) -> [Stage] {
    let base = builder.numberOfColumns
    var out: [Stage] = []
    var columnNames: [String] = []
    var offsets = paths.map { $0.program.numberOfColumns }
    for (s, stage) in paths[0].stages.enumerated() {
      var blockColumns: [LinearProgram.NewColumn] = []
      var blockRows = LinearProgram.NewRows()
      for (p, f) in paths.enumerated() {
        guard let block = f.stages[s].block else { continue }
        for (c, column) in block.columns.enumerated() {
          columns[p][offsets[p] + c] = base + self.blockColumns + blockColumns.count
          blockColumns.append(.init(name: "\(column.name)@\(p + 1)", bounds: column.bounds))
          roles.append(f.columnRoles[offsets[p] + c])
        }
        offsets[p] += block.columns.count
        for row in block.rows {
          let terms = row.terms.map { Term(column: columns[p][$0.column], coefficient: $0.coefficient) }
          try blockRows.append(.init(name: "\(row.name)@\(p + 1)", bounds: row.bounds, terms: terms))
        }
      }
      self.blockColumns += blockColumns.count
      columnNames += blockColumns.map(\.name)
      var weights: [Int: Double] = [:]
      if stage.kind != .tieBreak {
        for (p, f) in paths.enumerated() {
          for term in f.stages[s].objective {
            weights[columns[p][term.column], default: 0] += probabilities[p] * term.coefficient
          }
        }
      }
      let objective = weights.keys.sorted().compactMap { c in
        weights[c].flatMap { $0 == 0 ? nil : Term(column: c, coefficient: $0) }
      }
      out.append(
        Stage(
          name: stage.name, kind: stage.kind, sense: stage.sense, objective: objective, holds: stage.holds,
          block: blockColumns.isEmpty && blockRows.isEmpty ? nil : StageBlock(columns: blockColumns, rows: blockRows)))
    }
    // The tie-break: the usual rule on the joined names (every path's columns and blocks).
    if let last = out.last, last.kind == .tieBreak {
      let all = names + columnNames
      out[out.count - 1] = Stage(
        name: last.name, kind: .tieBreak, sense: last.sense, objective: TieBreak.objective(all), holds: last.holds)
    }
    return out
  }

  func formulation(stages: [Stage], model reference: Formulation) throws(LPError) -> Formulation {
    var builder = builder
    // The program carries the first stage's objective, as a single path's does.
    if let first = stages.first {
      let sign = first.sense == .minimize ? 1.0 : -1.0
      for term in first.objective where term.column < builder.numberOfColumns {
        try builder.setObjective(sign * term.coefficient, column: ColumnID(term.column))
      }
    }
    return Formulation(
      model: reference.model, policy: reference.policy, program: builder.build(), columnRoles: ColumnRoles(roles),
      rowRoles: rowRoles,
      stages: stages, limits: [], routeOfShipment: routes, nodes: reference.nodes, barredShipments: barred,
      payersOfShipment: payers, plain: false)
  }
}
