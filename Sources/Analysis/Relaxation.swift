import Formulation
import LinearProgram
import Optimizer
import PlanningModel

/// What the relaxation analysis raises: a limit of the formulation, or an export rule.
public enum RelaxedSubject: Sendable, Hashable {
  /// Capacity, line, market supply, budget, route, quota or expansion cap.
  case limit(Limit.Subject)
  /// An export rule that bars deliveries (lifted for every pair it bars).
  case rule(RuleIndex)
  /// The binding limits of an end item's supply chain — its own and its inputs' capacities,
  /// shared lines and market supplies — raised together, each by its own step: limits in
  /// series (a bomb line and its body line of equal capacity) each gain nothing alone.
  case chain(item: ItemIndex, parts: [Limit.Subject])
}

/// How big a planner-sized step is, per kind of limit (docs/MODEL.md, relaxation analysis).
public struct RelaxationSettings: Sendable, Hashable {
  /// Fraction of a limit's level added in each period it binds (0.10: +10 %).
  public var fraction: Double
  /// EUR added to a budget (spread over the periods it binds, or added to the first of them
  /// when unspent money carries over).
  public var budgetStep: Double
  /// Per-kind fractions that replace `fraction` (budgets take `budgetStep`).
  public var fractionByKind: [LimitKind: Double]
  /// Multiples of the step measured for the best bottlenecks, to show the curve's shape.
  public var curve: [Double]
  /// How many of the best bottlenecks get the curve.
  public var curveTop: Int

  /// The defaults: +10 % of a limit, +€100 M of a budget; curve at +25 % and +50 % (or
  /// +€250 M and +€500 M) for the top five.
  public init(
    fraction: Double = 0.10, budgetStep: Double = 100e6, fractionByKind: [LimitKind: Double] = [:],
    curve: [Double] = [2.5, 5], curveTop: Int = 5
  ) {
    self.fraction = fraction
    self.budgetStep = budgetStep
    self.fractionByKind = fractionByKind
    self.curve = curve
    self.curveTop = curveTop
  }

  /// The same steps, with no curve measured.
  public var withoutCurve: RelaxationSettings {
    var s = self
    s.curveTop = 0
    return s
  }

  /// The fraction of the limit added for a limit of this kind.
  public func fraction(for kind: LimitKind) -> Double { fractionByKind[kind] ?? fraction }
}

/// A limit the analysis can raise, over the periods it binds, with the LP bounds it changes.
public struct RelaxationCandidate: Sendable {
  /// What is raised.
  public let subject: RelaxedSubject
  /// The kind of limit.
  public let kind: LimitKind
  /// Periods in which the limit binds (for a rule: the periods of the deliveries it bars).
  public let periods: [Int]
  /// The limit's level in each of those periods (LP units: units a period, EUR million).
  public let levels: [Double]
  /// What one step adds in each of those periods (LP units).
  public let step: [Double]
  /// The bounded rows or columns, one per period (empty for a rule).
  let variables: [LPVariable]
  /// Shipment columns the rule bars (empty for a limit).
  let barred: [Int]

  /// Units the step adds over all its periods (LP units; 0 for a rule).
  public var totalStep: Double { step.reduce(0, +) }

  /// The bound changes of `scale` steps.
  func changes(scale: Double, program: LinearProgram) -> LPChanges {
    var c = LPChanges()
    for (variable, add) in zip(variables, step) {
      switch variable {
      case .row(let i):
        let b = program.rowBounds[i]
        c.rowBounds.append(Change(RowID(i), Bounds(lower: b.lower, upper: b.upper + add * scale)))
      case .column(let j):
        let b = program.columnBounds[j]
        c.columnBounds.append(Change(ColumnID(j), Bounds(lower: b.lower, upper: b.upper + add * scale)))
      }
    }
    for j in barred { c.columnBounds.append(Change(ColumnID(j), .nonNegative)) }
    return c
  }
}

/// What relaxing a limit changes for one consumer's demand series or target.
public struct RelaxationEffect: Sendable, Hashable {
  /// What was covered more (or less).
  public enum What: Sendable, Hashable, Comparable {
    /// Consumption of an end item or substitution group.
    case demand(Demand.Key)
    /// Stock held against a target of an end item.
    case stockpile(ItemIndex)

    /// Demand before stockpiles, each by key.
    public static func < (a: What, b: What) -> Bool {
      switch (a, b) {
      case (.demand(let x), .demand(let y)): return x < y
      case (.stockpile(let x), .stockpile(let y)): return x < y
      case (.demand, .stockpile): return true
      case (.stockpile, .demand): return false
      }
    }
  }
  /// The consumer.
  public let consumer: ConsumerIndex
  /// Its demand or stockpile.
  public let what: What
  /// Units more covered (negative: less).
  public let units: Double
  /// The same in value units (item weight × class weight × priority; × stockpile weight).
  public let value: Double
}

/// A measured relaxation: what a planner-sized step of one limit buys (docs/MODEL.md).
public struct Bottleneck: Sendable {
  /// How the measured change reads.
  public enum Category: Sendable, Hashable {
    /// More demand covered in value: a bottleneck.
    case bottleneck
    /// Supply moves from some consumers to others with no net gain.
    case tradeOff
    /// The same demand is covered, only sooner (the policy values earlier cover a little
    /// more, so the step has a value, but nothing more is covered).
    case earlier
  }

  /// What was raised, where and by how much.
  public let candidate: RelaxationCandidate
  /// Bottleneck or trade-off.
  public let category: Category
  /// Value units gained by one step (the ranking currency).
  public let value: Double
  /// What the step changes, consumer by consumer, largest value first.
  public let effects: [RelaxationEffect]
  /// EUR buyers pay more (negative: less) after one step, for deliveries and expansions.
  public let money: Double
  /// Of which for deliveries of each end item.
  public let moneyByItem: [ItemIndex: Double]
  /// The same for each end item, split between the prices its deliveries grow at and those
  /// they shrink at.
  public let moneyShifts: [ItemIndex: MoneyShift]
  /// Value units gained at larger steps (multiple of the step, value), where measured.
  public let curve: [CurvePoint]
  /// The limit's shadow price in its first binding period, a secondary figure.
  public let marginal: LimitMarginal?
  /// Whether effects and money were measured (the best few are; the rest have a value only).
  public let detailed: Bool
  /// The input the step moves onto the covered item's chain, where that item is not made
  /// from what the limit is on (measured in the breakdown re-solve).
  public internal(set) var inputShift: InputShift?
  /// The budget with no money left through which the step's largest loss comes (measured in
  /// the breakdown re-solve).
  public internal(set) var budgetShift: BudgetShift?

  /// The same measurement read as another category.
  func recategorised(_ c: Category) -> Bottleneck {
    var b = Bottleneck(
      candidate: candidate, category: c, value: value, effects: effects, money: money, moneyByItem: moneyByItem,
      moneyShifts: moneyShifts, curve: curve, marginal: marginal, detailed: detailed)
    b.inputShift = inputShift
    b.budgetShift = budgetShift
    return b
  }

  /// Gains only, largest first.
  public var gains: [RelaxationEffect] { effects.filter { $0.units > 0 } }
  /// Losses only, largest first.
  public var losses: [RelaxationEffect] { effects.filter { $0.units < 0 } }

  /// The effect that carries most of the gain, if its item carries at least 90 % of it (over
  /// every consumer and stockpile): the item a price per unit can be quoted for.
  public var principal: RelaxationEffect? {
    guard let first = gains.first, value > 0 else { return nil }
    let item = Self.item(first.what)
    let same = gains.filter { Self.item($0.what) == item }.reduce(0) { $0 + $1.value }
    return same >= 0.9 * gains.reduce(0, { $0 + $1.value }) ? first : nil
  }

  /// The average price of the extra units of the principal item: what buyers pay more for
  /// that item over the units more covered (consumption and stockpiles), when one item
  /// carries the gain.
  ///
  /// Money moved away from other items is not in it.
  public var eurosPerUnit: Double? {
    guard let p = principal, let item = Self.item(p.what), let paid = moneyByItem[item], paid > 0,
      let units = principalUnits
    else { return nil }
    return Allocation.significant(paid / units, 6)
  }

  /// The item of the principal effect.
  public var principalItem: ItemIndex? { principal.flatMap { Self.item($0.what) } }

  /// The principal item's units more covered, consumption and stockpiles.
  public var principalUnits: Double? {
    guard let item = principalItem else { return nil }
    let units = effects.filter { Self.item($0.what) == item }.reduce(0) { $0 + $1.units }
    return units > 0 ? units : nil
  }

  /// What the principal item's deliveries cost more at the prices they grow at, and less at
  /// those they shrink at, when `eurosPerUnit` is quoted: where some shrink, the price is net
  /// of a saving, below what the added units cost.
  public var principalMoneyShift: MoneyShift? {
    guard eurosPerUnit != nil, let item = principalItem else { return nil }
    return moneyShifts[item]
  }

  /// The item an effect is about (`nil` for a substitution group).
  public static func item(_ what: RelaxationEffect.What) -> ItemIndex? {
    switch what {
    case .demand(.item(let i)), .stockpile(let i): return i
    case .demand(.group): return nil
    }
  }
}

/// What one end item's deliveries cost more at the prices they grow at and less at those
/// they shrink at.
public struct MoneyShift: Sendable, Hashable {
  /// EUR paid more at the prices the item is delivered more at.
  public let more: Double
  /// EUR paid less (negative or zero) at the prices it is delivered less at.
  public let less: Double
  /// Units delivered more (negative: fewer) at each price, by price.
  public let moves: [PriceMove]
}

/// Units of an item delivered more (negative: fewer) at one price.
public struct PriceMove: Sendable, Hashable {
  /// EUR per unit, route cost included.
  public let price: Double
  /// Units more; negative, fewer.
  public let units: Double
}

/// One point of a relaxation curve.
public struct CurvePoint: Sendable, Hashable {
  /// Multiple of the step (2.5: +25 % when the step is +10 %).
  public let scale: Double
  /// Value units gained.
  public let value: Double
  /// EUR spent more.
  public let money: Double
}

/// The measured relaxation analysis of one solved plan.
public struct RelaxationAnalysis: Sendable {
  /// Limits whose step covers more demand, by value gained.
  public let bottlenecks: [Bottleneck]
  /// Limits whose step only moves supply between consumers.
  public let tradeOffs: [Bottleneck]
  /// Candidates that could not be measured within the iteration limit.
  public let unmeasured: [RelaxationCandidate]
  /// Limits binding somewhere in the plan (each a candidate).
  public let binding: Int
  /// Candidates re-solved: those with a non-zero dual (the others provably gain nothing).
  public let measured: Int
  /// Simplex iterations the analysis took.
  public let iterations: Int
  /// The settings used.
  public let settings: RelaxationSettings
  /// Where the analysis spent its time (for `--verbose` and benchmarks, never reports).
  public let phases: [RelaxationPhase]
  /// Breakdowns and curve points measured ahead, while a value was still to come, that the
  /// last values pushed out of the best (for `--verbose`; they change no figure).
  public var aheadUnused = 0
  /// Values whose cold solve a worker with nothing else to take started before their warm
  /// attempt ran out (for `--verbose`; they change no figure).
  public var coldAhead = 0

  /// No analysis (a sweep point, a failed solve).
  public static func none(_ settings: RelaxationSettings) -> RelaxationAnalysis {
    RelaxationAnalysis(
      bottlenecks: [], tradeOffs: [], unmeasured: [], binding: 0, measured: 0, iterations: 0, settings: settings,
      phases: [])
  }
}

/// One phase of the relaxation analysis: re-solves, their iterations and wall-clock time.
public struct RelaxationPhase: Sendable {
  /// "values", "breakdowns" or "curves".
  public let name: String
  /// Re-solves.
  public let solves: Int
  /// Simplex iterations.
  public let iterations: Int
  /// Wall-clock seconds.
  public let seconds: Double
  /// Re-solves that could not be measured (beyond the iteration allowance, or failed).
  public let failed: Int
  /// Per stage, how many of the measured re-solves took the cold route there after an
  /// attempt from the stage's own basis (docs/PERFORMANCE.md, "What the measured relaxation
  /// analysis costs").
  public let coldRoutes: [Int]

  /// The phase of `results` (a failed re-solve counts no iterations here).
  init(_ results: [MeasuredPlan?], name: String, seconds: Double) {
    self.name = name
    self.solves = results.count
    self.iterations = results.reduce(0) { $0 + ($1?.iterations ?? 0) }
    self.seconds = seconds
    self.failed = results.filter { $0 == nil }.count
    var routes: [Int] = []
    for s in results.flatMap({ $0?.coldRoutes ?? [] }) {
      if routes.count <= s { routes += Array(repeating: 0, count: s + 1 - routes.count) }
      routes[s] += 1
    }
    self.coldRoutes = routes
  }
}

extension RelaxationSettings {
  /// The name of a kind of limit on the command line: "production-capacity", "component".
  public static func argumentName(_ kind: LimitKind) -> String {
    kind.rawValue.replacingOccurrences(of: " ", with: "-")
  }

  /// The kinds a per-kind step can name (budgets take the budget step, export rules are lifted).
  public static var steppedKinds: [LimitKind] {
    LimitKind.allCases.filter { $0 != .budget && $0 != .exportRule && $0 != .supplyChain }
  }

  /// Settings from a planner's figures: `percent` of a binding limit per period, a budget
  /// step in EUR million, and per-kind percents by argument name; the problems, if any, in
  /// planner words.
  public static func planner(percent: Double, budgetMillions: Double, kinds: [String: Double]) throws(StepProblems)
    -> RelaxationSettings
  {
    var problems: [String] = []
    if !(percent > 0 && percent <= 1000) { problems.append("step \(percent): expected a percent > 0 and ≤ 1000") }
    if !(budgetMillions > 0 && budgetMillions <= 1e6) {
      problems.append("budget step \(budgetMillions): expected EUR million > 0 and ≤ 1,000,000")
    }
    var byKind: [LimitKind: Double] = [:]
    for (name, value) in kinds.sorted(by: { $0.key < $1.key }) {
      guard let kind = steppedKinds.first(where: { argumentName($0) == name }) else {
        problems.append(
          "unknown kind of limit \"\(name)\"; expected one of: \(steppedKinds.map(argumentName).joined(separator: ", "))"
        )
        continue
      }
      guard value > 0 && value <= 1000 else {
        problems.append("step of \(name) \(value): expected a percent > 0 and ≤ 1000")
        continue
      }
      byKind[kind] = value / 100
    }
    guard problems.isEmpty else { throw StepProblems(problems: problems) }
    return RelaxationSettings(fraction: percent / 100, budgetStep: budgetMillions * 1e6, fractionByKind: byKind)
  }
  /// What is wrong with the steps a planner gave, every problem at once.
  public struct StepProblems: Error, Sendable, CustomStringConvertible {
    /// Each problem in planner words.
    public let problems: [String]
    /// The problems joined into one line, separated by semicolons.
    public var description: String { problems.joined(separator: "; ") }
  }

}
