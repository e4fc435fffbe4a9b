/// A calendar month, written `YYYY-MM` in inputs and reports.
public struct YearMonth: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
  /// The calendar year, 1900 to 2200.
  public let year: Int
  /// The month of the year, 1 (January) to 12.
  public let month: Int  // 1...12

  /// The month `month` of `year`; `nil` unless the month is 1 to 12 and the year 1900 to 2200.
  public init?(year: Int, month: Int) {
    guard (1...12).contains(month), (1900...2200).contains(year) else { return nil }
    self.year = year
    self.month = month
  }

  /// Parses `YYYY-MM` (a day, as in `YYYY-MM-DD`, is accepted and ignored).
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3, parts[0].count == 4, parts[1].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1])
    else { return nil }
    guard (1...12).contains(m), (1900...2200).contains(y) else { return nil }
    if parts.count == 3 {
      // The day is ignored, but must exist: 2028-02-30 is a typo, not a month.
      guard parts[2].count == 2, let d = Int(parts[2]), (1...Self.days(year: y, month: m)).contains(d) else {
        return nil
      }
    }
    self.init(year: y, month: m)
  }

  /// Days in a month of the Gregorian calendar.
  static func days(year: Int, month: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Months from `self` to `other` (negative when `other` is earlier).
  public func months(to other: YearMonth) -> Int {
    (other.year - year) * 12 + (other.month - month)
  }

  /// The month `n` months later (earlier when `n` is negative).
  public func adding(months n: Int) -> YearMonth {
    let total = year * 12 + (month - 1) + n
    // Stays within 1900...2200 for any horizon Arsenal accepts.
    return YearMonth(uncheckedYear: total / 12, month: total % 12 + 1)
  }

  /// A stand-in before a horizon is read; never reaches a model.
  static let placeholder = YearMonth(uncheckedYear: 2000, month: 1)

  private init(uncheckedYear year: Int, month: Int) {
    self.year = year
    self.month = month
  }

  /// The month as `YYYY-MM`, as inputs and reports write it.
  public var description: String {
    let m = month < 10 ? "0\(month)" : "\(month)"
    return "\(year)-\(m)"
  }

  /// Whether `a` comes before `b` in the calendar.
  public static func < (a: YearMonth, b: YearMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

/// The length of one planning period.
public enum PeriodLength: String, Sendable, Codable, Hashable, CaseIterable {
  case month
  case quarter

  /// Months in one period: 1 or 3.
  public var months: Int { self == .month ? 1 : 3 }
}

/// The time unit a rate is given in (`per = "year"` etc.).
public enum RateUnit: String, Sendable, Codable, Hashable, CaseIterable {
  case month
  case quarter
  case year

  /// Months the unit spans: 1, 3 or 12.
  public var months: Int {
    switch self {
    case .month: return 1
    case .quarter: return 3
    case .year: return 12
    }
  }
}

/// The planning horizon: `periods` periods of `length`, the first starting at `start`.
public struct Horizon: Sendable, Codable, Hashable {
  /// The first month of the first period.
  public let start: YearMonth
  /// The number of planning periods.
  public let periods: Int
  /// The length of every period: a month or a quarter.
  public let length: PeriodLength

  /// A horizon of `periods` periods of `length`, the first starting at `start`.
  public init(start: YearMonth, periods: Int, length: PeriodLength) {
    self.start = start
    self.periods = periods
    self.length = length
  }

  /// Months the horizon spans.
  public var months: Int { periods * length.months }
  /// The last month inside the horizon.
  public var end: YearMonth { start.adding(months: months - 1) }

  /// The period containing `date`, or `nil` outside the horizon.
  public func period(of date: YearMonth) -> Int? {
    let m = start.months(to: date)
    guard m >= 0, m < months else { return nil }
    return m / length.months
  }

  /// The first month of period `t`.
  public func firstMonth(of t: Int) -> YearMonth { start.adding(months: t * length.months) }

  /// A label for period `t`: `2027-01` for months, `2027-Q1` for quarters.
  public func label(_ t: Int) -> String {
    let m = firstMonth(of: t)
    switch length {
    case .month: return m.description
    case .quarter: return "\(m.year)-Q\((m.month - 1) / 3 + 1)"
    }
  }

  /// Converts a rate given per `unit` into the amount per planning period.
  public func perPeriod(_ value: Double, per unit: RateUnit) -> Double {
    value * Double(length.months) / Double(unit.months)
  }

  /// A lead time in months as whole periods, rounded to the nearest period.
  public func periods(forMonths months: Double) -> Int {
    Int((months / Double(length.months)).rounded(.toNearestOrAwayFromZero))
  }
}

/// A value that steps over time: each entry holds from its start period until the next.
///
/// Expanded to one value per period of the horizon.
public struct StepSchedule: Sendable, Codable, Hashable {
  /// A value that takes effect in a given month and holds until the next step.
  public struct Step: Sendable, Codable, Hashable {
    /// Months from the horizon's start (negative: before it).
    public var startMonth: Int
    /// Amount per period.
    public var value: Double
  }

  /// The steps in order of their start months.
  public var steps: [Step]

  /// A schedule of `steps`, given in any order.
  public init(steps: [Step]) { self.steps = steps.sorted { $0.startMonth < $1.startMonth } }

  /// The amount in each period; a period takes the value in force in its first month.
  public func values(over horizon: Horizon, initial: Double = 0) -> [Double] {
    var out = [Double](repeating: initial, count: horizon.periods)
    var k = 0
    var current = initial
    for t in 0..<horizon.periods {
      let month = t * horizon.length.months
      while k < steps.count && steps[k].startMonth <= month {
        current = steps[k].value
        k += 1
      }
      out[t] = current
    }
    return out
  }
}
