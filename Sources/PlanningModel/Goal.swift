/// A coverage goal of an investment question: "front-line 155mm ≥ 95% from 2028-07" — in
/// every period from the date on, the consumers in scope get at least the fraction of their
/// demand for the item (docs/MODEL.md, "Investment decisions").
public struct CoverageGoal: Sendable, Hashable {
  /// The goal as the planner wrote it, normalised ("front-line 155mm ≥ 95 % from 2028-07").
  public let text: String
  /// Who: a consumer class, one consumer, or every consumer.
  public let scope: Scope
  /// The item or substitution group, or `nil` for every demand of the scope.
  public let key: Demand.Key?
  /// The fraction of demand to cover in each period (0 to 1).
  public let fraction: Double
  /// The first period the goal holds in.
  public let from: Int

  /// The consumers a goal is about.
  public enum Scope: Sendable, Hashable {
    /// Every active consumer.
    case all
    /// The active consumers of one class.
    case consumerClass(ConsumerClass)
    /// One consumer.
    case consumer(ConsumerIndex)
  }

  static func render(_ scope: String, _ key: String?, _ fraction: Double, _ from: String) -> String {
    let percent = (fraction * 100 * 1e6).rounded() / 1e6
    let p = percent == percent.rounded() ? String(Int(percent)) : String(percent)
    return [scope, key].compactMap { $0 }.joined(separator: " ") + " ≥ \(p) % from \(from)"
  }

  /// Whether the goal is about consumer `k`'s demand series `d`.
  public func covers(consumer k: ConsumerIndex, demand d: Demand, in m: PlanningModel) -> Bool {
    let consumer = m.consumers[k]
    guard consumer.active else { return false }
    switch scope {
    case .all: break
    case .consumerClass(let c): guard consumer.consumerClass == c else { return false }
    case .consumer(let only): guard only == k else { return false }
    }
    guard let key else { return true }
    if key == d.key { return true }
    // An item goal also counts a group demand the item is a member of.
    if case .item(let i) = key, case .group(let g) = d.key {
      return m.substitutes[g].members.contains { $0.item == i }
    }
    return false
  }

  /// Reads a goal: `SCOPE [ITEM] >= PERCENT% [from YYYY-MM]`, where SCOPE is a consumer class
  /// (front-line, readiness, reassurance, competing), a consumer id or `all`, ITEM an item or
  /// substitution-group id, and the date defaults to the horizon's start.
  ///
  /// Returns the goal or what is wrong with it, in planner words.
  public static func parse(_ raw: String, model m: PlanningModel) -> Result<CoverageGoal, GoalProblem> {
    func fail(_ why: String) -> Result<CoverageGoal, GoalProblem> { .failure(GoalProblem(goal: raw, problem: why)) }
    let spaced = raw.replacingOccurrences(of: "≥", with: " >= ").replacingOccurrences(of: ">=", with: " >= ")
    let words = spaced.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard let at = words.firstIndex(of: ">=") else {
      return fail("expected SCOPE [ITEM] >= PERCENT% [from YYYY-MM], e.g. \"front-line 155mm >= 95% from 2028-07\"")
    }
    let subject = Array(words[..<at])
    var rest = Array(words[(at + 1)...])
    guard (1...2).contains(subject.count) else {
      return fail("expected a scope and at most one item before >=, found \(subject.count) words")
    }
    let scope: Scope
    let scopeWord = subject[0]
    if scopeWord == "all" {
      scope = .all
    } else if let c = ConsumerClass(rawValue: scopeWord) {
      scope = .consumerClass(c)
    } else if let k = m.consumers.firstIndex(where: { $0.id == scopeWord }) {
      scope = .consumer(k)
    } else {
      let classes = ConsumerClass.allCases.map(\.rawValue).joined(separator: ", ")
      return fail("unknown scope \"\(scopeWord)\"; expected all, a class (\(classes)) or a consumer id")
    }
    var key: Demand.Key?
    if subject.count == 2 {
      if let i = m.items.firstIndex(where: { $0.id == subject[1] }) {
        key = .item(i)
      } else if let g = m.substitutes.firstIndex(where: { $0.id == subject[1] }) {
        key = .group(g)
      } else {
        return fail("unknown item \"\(subject[1])\"; expected an item or substitution-group id from items.toml")
      }
    }
    guard !rest.isEmpty else { return fail("expected a percentage after >=") }
    var percentText = rest.removeFirst()
    if percentText.hasSuffix("%") {
      percentText.removeLast()
    } else if rest.first == "%" {
      rest.removeFirst()
    }
    guard let percent = Double(percentText), percent.isFinite, percent > 0, percent <= 100 else {
      return fail("coverage \"\(percentText)\": expected a percentage above 0 and at most 100")
    }
    var from = 0
    var fromText = m.horizon.label(0)
    if !rest.isEmpty {
      guard rest.count == 2, rest[0] == "from" || rest[0] == "by" else {
        return fail("expected \"from YYYY-MM\" after the percentage, found \"\(rest.joined(separator: " "))\"")
      }
      guard let month = YearMonth(rest[1]) else { return fail("date \"\(rest[1])\": expected YYYY-MM") }
      guard let p = m.horizon.period(of: month) else {
        return fail("date \(rest[1]) lies outside the horizon (\(m.horizon.start) to \(m.horizon.end))")
      }
      from = p
      fromText = rest[1]
    }
    let fraction = percent / 100
    return .success(
      CoverageGoal(
        text: render(scopeWord, subject.count == 2 ? subject[1] : nil, fraction, fromText), scope: scope, key: key,
        fraction: fraction, from: from))
  }
}

/// A goal the command line or the data set states wrongly.
public struct GoalProblem: Error, Sendable, Hashable, CustomStringConvertible {
  /// The goal as written.
  public let goal: String
  /// What is wrong with it.
  public let problem: String

  /// "goal "…": …".
  public var description: String { "goal \"\(goal)\": \(problem)" }
}
