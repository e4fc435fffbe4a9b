/// The largest figures an input may hold (docs/INPUTS.md, "Limits").
///
/// Far above anything real — a trillion rounds a month, ten billion euros a unit — and low
/// enough that every figure derived from them (a shortfall's penalty over the horizon, the
/// money of a plan) stays finite and printable, and that GLPK's tolerances, relative to the
/// LP's coefficients, still mean something. `check` enforces them with the usual located
/// message.
public enum Limits {
  /// Units of an item: capacities, demand, stocks, targets, scheduled deliveries, quotas,
  /// route and market capacities, expansion caps (per their `per`).
  public static let quantity = 1e12
  /// EUR per unit: unit costs, market prices, route costs.
  public static let unitPrice = 1e10
  /// EUR: budgets (per their `per`), expansion costs.
  public static let money = 1e14
  /// Weights and priorities: item, group and class weights, consumer priorities, the
  /// stockpile weight, substitution factors, line usage.
  public static let weight = 1e3
  /// Units of an input per unit made (bill of materials).
  public static let bomQuantity = 1e6
  /// The smallest non-zero magnitude of any figure (settings that say otherwise aside).
  ///
  /// Every figure ends up in the LP's coefficients or bounds — inputs per unit, line usage,
  /// substitution factors, fire rates and one over a wear life as coefficients — and GLPK's
  /// scaling fails on coefficients far below the others (10⁻²⁰ sent the simplex into
  /// "numerical instability" without end; 5·10⁻³²⁴ aborted the process).
  public static let smallestFigure = 1e-6
  /// Rounds a barrel fires before it is worn out (`wear_life`): one over it is a coefficient.
  public static let wearLife = 1e6
  /// Scenario and sweep factors.
  public static let factor = 1e6
  /// Lots an expansion is bought in (each a whole-number decision in `invest`'s MIP).
  public static let lots = 1_000
  /// Draws of a risk study (a journal row each).
  public static let draws = 10_000_000
  /// Characters in a display name (items, producers, consumers, lines, expansions, routes).
  public static let nameLength = 200
  /// Characters in any other text: descriptions, notes, sources.
  public static let textLength = 2_000
}
