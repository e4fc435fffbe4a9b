/// Where a row or column stands in a simplex basis.
public enum BasisStatus: String, Sendable, Hashable {
  /// In the basis: its value is determined by the others.
  case basic
  /// Non-basic at its lower bound.
  case atLower
  /// Non-basic at its upper bound.
  case atUpper
  /// Non-basic free (unbounded) variable.
  case free
  /// Non-basic fixed variable (lower = upper).
  case fixed

  /// Whether the variable is in the basis (`basic`) rather than held at a bound.
  public var isBasic: Bool { self == .basic }
}

/// How a solve ended.
///
/// `optimal` is the only status with trustworthy values and duals.
public enum SolveStatus: String, Sendable, Hashable {
  case optimal
  /// No point satisfies all constraints.
  case infeasible
  /// The objective can improve without limit.
  case unbounded
  /// The solver proved neither optimality nor infeasibility (for example a presolver that
  /// found the problem primal or dual infeasible without telling which).
  case infeasibleOrUnbounded = "infeasible-or-unbounded"
  case timeLimit = "time-limit"
  case iterationLimit = "iteration-limit"
  /// The basis became singular or ill-conditioned, or the solver failed otherwise.
  case numericalFailure = "numerical-failure"
  /// Exact (rational) verification disagreed with the floating-point optimum.
  case verificationFailed = "verification-failed"
}

/// The values of a solved program, indexed like its rows and columns.
public struct LPSolution: Sendable {
  /// The objective value, including the program's constant term.
  public let objective: Double
  /// The value of each column, by position.
  public let columnValues: [Double]
  /// The activity `A x` of each row, by position.
  public let rowActivities: [Double]
  /// Row duals (shadow prices): the change of the objective per unit increase of the
  /// row's active bound.
  public let rowDuals: [Double]
  /// Reduced costs of the columns.
  public let reducedCosts: [Double]
  /// Basis statuses, or empty after an interior-point solve (which gives no basis).
  public let rowStatus: [BasisStatus]
  /// Column basis statuses, or empty after an interior-point solve.
  public let columnStatus: [BasisStatus]

  /// A solution as read from a solver; every array is indexed like the program's rows or columns.
  public init(
    objective: Double, columnValues: [Double], rowActivities: [Double], rowDuals: [Double],
    reducedCosts: [Double], rowStatus: [BasisStatus], columnStatus: [BasisStatus]
  ) {
    self.objective = objective
    self.columnValues = columnValues
    self.rowActivities = rowActivities
    self.rowDuals = rowDuals
    self.reducedCosts = reducedCosts
    self.rowStatus = rowStatus
    self.columnStatus = columnStatus
  }

  /// Whether the solution comes with a basis (a simplex solve, not interior point).
  public var hasBasis: Bool { !rowStatus.isEmpty || !columnStatus.isEmpty }

  /// The basis status of a row or column, or `nil` when there is no basis or no such variable.
  public func status(of variable: LPVariable) -> BasisStatus? {
    switch variable {
    case .row(let i): return rowStatus.indices.contains(i) ? rowStatus[i] : nil
    case .column(let j): return columnStatus.indices.contains(j) ? columnStatus[j] : nil
    }
  }

  /// The activity of a row or the value of a column.
  public func value(of variable: LPVariable) -> Double {
    switch variable {
    case .row(let i): return rowActivities[i]
    case .column(let j): return columnValues[j]
    }
  }

  /// The dual of a row or the reduced cost of a column.
  public func marginal(of variable: LPVariable) -> Double {
    switch variable {
    case .row(let i): return rowDuals[i]
    case .column(let j): return reducedCosts[j]
    }
  }
}

/// Sensitivity of the optimal basis for one row or column, with the same meaning as the
/// columns of GLPK's `glp_print_ranges` report.
///
/// For a **non-basic** variable (a binding constraint or a column at a bound):
/// `activityRange` is how far its active bound may move while the basis stays optimal, so
/// the marginal value holds over that range; `objectiveAtLimits` is the objective at
/// either end. The objective coefficient range follows from the reduced cost.
///
/// For a **basic** variable: `objectiveCoefficientRange` is how far its objective
/// coefficient may move while the basis stays optimal, and `activityRange` gives the
/// variable's value at those break points.
public struct Ranging: Sendable, Equatable {
  /// The row or column analysed.
  public let variable: LPVariable
  /// Its status in the optimal basis.
  public let status: BasisStatus
  /// Its row activity or column value at the optimum.
  public let activity: Double
  /// Row dual or column reduced cost.
  public let marginal: Double
  /// Non-basic: how far the active bound may move with the basis staying optimal; basic: the
  /// variable's value at the ends of `objectiveCoefficientRange`.
  public let activityRange: Interval<Double>
  /// How far the objective coefficient may move with the basis staying optimal.
  public let objectiveCoefficientRange: Interval<Double>
  /// The objective value at either end of `activityRange` (non-basic variables).
  public let objectiveAtLimits: Interval<Double>
  /// The basic variable that leaves the basis first at each end, if any.
  public let limitingVariables: Interval<LPVariable?>

  /// A ranging result as computed by the solver.
  public init(
    variable: LPVariable, status: BasisStatus, activity: Double, marginal: Double,
    activityRange: Interval<Double>, objectiveCoefficientRange: Interval<Double>,
    objectiveAtLimits: Interval<Double>, limitingVariables: Interval<LPVariable?>
  ) {
    self.variable = variable
    self.status = status
    self.activity = activity
    self.marginal = marginal
    self.activityRange = activityRange
    self.objectiveCoefficientRange = objectiveCoefficientRange
    self.objectiveAtLimits = objectiveAtLimits
    self.limitingVariables = limitingVariables
  }

}

/// A saved simplex basis: the status of every row and column, to restore later.
public struct Basis: Sendable, Equatable {
  /// The status of each row, by position.
  public let rowStatus: [BasisStatus]
  /// The status of each column, by position.
  public let columnStatus: [BasisStatus]

  /// A basis with the given statuses, one per row and one per column.
  public init(rowStatus: [BasisStatus], columnStatus: [BasisStatus]) {
    self.rowStatus = rowStatus
    self.columnStatus = columnStatus
  }
}

/// A basis kept as where it differs from another basis (its reference).
///
/// A measured relaxation's optimum lies a few hundred pivots from the plan's basis, where it
/// started: kept this way it costs a few kilobytes rather than a byte for every row and
/// column (about 37 MB for the 139 relaxations of generated large).
public struct BasisDelta: Sendable, Equatable {
  let rowCount: Int
  let columnCount: Int
  let rows: [Int]
  let rowStatus: [BasisStatus]
  let columns: [Int]
  let columnStatus: [BasisStatus]

  /// `basis` by its differences from `reference`.
  public init(_ basis: Basis, from reference: Basis) {
    rowCount = basis.rowStatus.count
    columnCount = basis.columnStatus.count
    (rows, rowStatus) = Self.differences(basis.rowStatus, reference.rowStatus)
    (columns, columnStatus) = Self.differences(basis.columnStatus, reference.columnStatus)
  }

  /// How many rows and columns it records, of the basis's rows and columns.
  public var count: Int { rows.count + columns.count }

  /// The basis: `reference` with the differences put in (the same `reference` as it was made
  /// from).
  public func basis(from reference: Basis) -> Basis {
    Basis(
      rowStatus: Self.apply(rows, rowStatus, to: reference.rowStatus, count: rowCount),
      columnStatus: Self.apply(columns, columnStatus, to: reference.columnStatus, count: columnCount))
  }

  /// The positions where `a` differs from `b`, every position beyond `b`'s end included.
  private static func differences(_ a: [BasisStatus], _ b: [BasisStatus]) -> ([Int], [BasisStatus]) {
    var positions: [Int] = []
    var statuses: [BasisStatus] = []
    for (i, status) in a.enumerated() where i >= b.count || b[i] != status {
      positions.append(i)
      statuses.append(status)
    }
    return (positions, statuses)
  }

  private static func apply(_ positions: [Int], _ statuses: [BasisStatus], to b: [BasisStatus], count: Int)
    -> [BasisStatus]
  {
    var out = Array(b.prefix(count))
    // Beyond the reference's end every position was recorded; basic until then is only a filler.
    if out.count < count { out += Array(repeating: .basic, count: count - out.count) }
    for (i, status) in zip(positions, statuses) where i < count { out[i] = status }
    return out
  }
}

/// One entry of a simplex tableau column: how a basic variable moves per unit increase of a
/// non-basic one.
public struct TableauEntry: Sendable, Hashable {
  /// The basic row or column.
  public let variable: LPVariable
  /// Its change per unit.
  public let rate: Double

  /// An entry.
  public init(variable: LPVariable, rate: Double) {
    self.variable = variable
    self.rate = rate
  }
}

/// A pair of limits, lower and upper (of a range, or of what limits it at each end).
public struct Interval<Value: Sendable & Equatable>: Sendable, Equatable {
  /// The lower end.
  public let lower: Value
  /// The upper end.
  public let upper: Value

  /// The interval from `lower` to `upper`.
  public init(_ lower: Value, _ upper: Value) {
    self.lower = lower
    self.upper = upper
  }
}
