/// Eligibility and routes as rules decide them; the formulation and the analysis share these.
extension PlanningModel {
  /// Whether producer `p` may deliver item `i` to consumer `k`: the last matching rule
  /// decides, `settings.defaultEligible` when none matches.
  public func isEligible(producer p: Int, consumer k: Int, item i: Int) -> Bool {
    var allowed = settings.defaultEligible
    for rule in rules
    where rule.from.producers.contains(p) && rule.to.consumers.contains(k) && (rule.items?.contains(i) ?? true) {
      allowed = rule.allow
    }
    return allowed
  }

  /// The most specific route matching (p, k, i) — producer over country over group over
  /// "*", on each side — ties going to the later route; `nil` when none matches.
  public func route(producer p: Int, consumer k: Int, item i: Int) -> Int? {
    var best: Int?
    var bestScore = -1
    for (r, route) in routes.enumerated()
    where route.from.producers.contains(p) && route.to.consumers.contains(k) && (route.items?.contains(i) ?? true) {
      let score = route.from.specificity * 4 + route.to.specificity
      if score >= bestScore {
        best = r
        bestScore = score
      }
    }
    return best
  }

  /// Delivery lead time in periods of a route, or the default when `route` is `nil`.
  public func leadTime(route r: Int?) -> Int {
    r.map { routes[$0].leadTime } ?? horizon.periods(forMonths: settings.defaultLeadTimeMonths)
  }
}
