/// Reads `scenarios.toml`: `[scenario.NAME]` tables with a description and
/// `[[scenario.NAME.change]]` entries, each checked against the base model.
extension ModelBuilder {
  /// The change types planners write, with the keys each accepts.
  static let changeKeys: [String: Set<String>] = [
    "scale-capacity": ["producer", "country", "item", "factor", "from", "until"],
    "set-capacity": ["producer", "item", "capacity", "per", "from"],
    "delay-ramp-up": ["producer", "country", "item", "months"],
    "scale-demand": ["consumer", "class", "country", "item", "factor", "from", "until"],
    "scale-market": ["market", "item", "factor", "from", "until"],
    "scale-budget": ["funder", "factor", "from", "until"],
    "set-budget": ["funder", "amount", "per", "from"],
    "eligibility": ["from", "to", "items", "allow", "note"],
    "quota": ["id", "from", "to", "items", "max", "per", "note"],
    "activate": ["consumer"],
    "deactivate": ["consumer"],
    "stockpile-target": ["consumer", "item", "date", "level"],
    "scale-priority": ["consumer", "class", "factor"],
    "combat": ["consumer", "class", "country", "intensity", "from", "until"],
    "without-systems": [],
  ]

  func scenarios(for model: PlanningModel) -> [Scenario] {
    var out = [Scenario(name: "baseline", description: "The data set as it stands: no overlay.", changes: [])]
    guard let file = tomlFile(.scenarios) else { return out }
    let root = TableReader(root: file, log: log)
    root.markUsed("comparison")
    root.markUsed("investment")
    guard let table = root.subtable("scenario") else {
      root.rejectUnknownKeys()
      return out
    }
    for name in table.table.keys.sorted() {
      guard let t = table.subtable(name, label: "scenario \"\(name)\"") else { continue }
      if let why = Identifier.problem(name) {
        table.problem(name, value: name, why, as: .invalidValue)
        continue
      }
      var changes: [ScenarioChange] = []
      for (n, ct) in t.tables("change", singular: "change").enumerated() {
        changes.append(contentsOf: readChange(ct, model: model, scenario: name, index: n))
      }
      let description = t.string("description", required: true) ?? ""
      t.rejectUnknownKeys()
      let scenario = Scenario(name: name, description: description, changes: changes)
      if name == "baseline" {
        out[0] = scenario
      } else {
        out.append(scenario)
      }
    }
    root.rejectUnknownKeys()
    return out
  }

  /// `[comparison.NAME]` tables: `description` and `runs`, each run a scenario or `a+b`.
  func comparisons(scenarios: [Scenario]) -> [Comparison] {
    guard let file = tomlFile(.scenarios) else { return [] }
    let root = TableReader(root: file, log: log)
    root.markUsed("scenario")
    guard let table = root.subtable("comparison") else { return [] }
    let known = Set(scenarios.map(\.name))
    var out: [Comparison] = []
    for name in table.table.keys.sorted() {
      guard let t = table.subtable(name, label: "comparison \"\(name)\"") else { continue }
      if let why = Identifier.problem(name) {
        table.problem(name, value: name, why, as: .invalidValue)
        continue
      }
      let runs = t.strings("runs", required: true) ?? []
      checkScenarioNames(runs, known: known, reader: t, key: "runs")
      if runs.count < 2 { t.problem("runs", "expected at least two runs to compare", as: .invalidValue) }
      for run in Set(runs) where runs.filter({ $0 == run }).count > 1 {
        t.problem("runs", value: "\"\(run)\"", "listed twice; each run appears once", as: .duplicate)
      }
      out.append(Comparison(name: name, description: t.string("description") ?? "", runs: runs))
      t.rejectUnknownKeys()
    }
    return out
  }

  /// `[investment.NAME]` tables: `description`, `scenarios` (default baseline), `goals` as
  /// `arsenal invest --goal` reads them, an optional `budget` (EUR) and an optional `curve`
  /// of goal levels in percent (docs/INPUTS.md).
  func investments(scenarios: [Scenario], model: PlanningModel) -> [InvestmentQuestion] {
    guard let file = tomlFile(.scenarios) else { return [] }
    let root = TableReader(root: file, log: log)
    root.markUsed("scenario")
    root.markUsed("comparison")
    guard let table = root.subtable("investment") else { return [] }
    let known = Set(scenarios.map(\.name))
    var out: [InvestmentQuestion] = []
    for name in table.table.keys.sorted() {
      guard let t = table.subtable(name, label: "investment \"\(name)\"") else { continue }
      if let why = Identifier.problem(name) {
        table.problem(name, value: name, why, as: .invalidValue)
        continue
      }
      let runs = t.strings("scenarios") ?? ["baseline"]
      checkScenarioNames(runs, known: known, reader: t, key: "scenarios")
      let goals = t.strings("goals", required: true) ?? []
      if goals.isEmpty { t.problem("goals", "expected at least one goal", as: .invalidValue) }
      for goal in goals {
        if case .failure(let p) = CoverageGoal.parse(goal, model: model) {
          t.problem("goals", value: "\"\(goal)\"", p.problem, as: .invalidValue)
        }
      }
      let budget = t.number("budget", min: 0, max: Limits.money)
      var curve: [Double] = []
      if let levels = t.numbers("curve") {
        for level in levels {
          if level > 0 && level <= 100 {
            curve.append(level / 100)
          } else {
            t.problem(
              "curve", value: TableReader.format(level), "expected goal levels in percent, above 0 and at most 100",
              as: .invalidValue)
          }
        }
      }
      out.append(
        InvestmentQuestion(
          name: name, description: t.string("description") ?? "", scenarios: runs, goals: goals, budget: budget,
          curve: curve))
      t.rejectUnknownKeys()
    }
    return out
  }

  /// Every scenario of `runs` (each may join several with `+`) must be one the file defines.
  private func checkScenarioNames(_ runs: [String], known: Set<String>, reader t: TableReader, key: String) {
    for run in runs {
      for part in run.split(separator: "+") where !known.contains(String(part)) {
        t.problem(
          key, value: "\"\(part)\"", "unknown scenario; expected one defined in [scenario.NAME]",
          as: .unknownReference)
      }
    }
  }

  private func periodRange(_ t: TableReader) -> PeriodRange {
    var range = PeriodRange(from: 0, until: horizon.periods)
    if let m = t.month("from") {
      range.from = max(0, min(horizon.periods, horizon.start.months(to: m) / horizon.length.months))
    }
    if let m = t.month("until") {
      range.until = max(0, min(horizon.periods, horizon.start.months(to: m) / horizon.length.months))
    }
    if range.from >= range.until && (t.has("from") || t.has("until")) {
      t.problem(
        "until", "the period range is empty; until must be after from and inside the horizon", as: .inconsistent)
    }
    return range
  }

  private func ids<E>(_ t: TableReader, _ key: String, in table: [String: EntityIndex<E>], what: String) -> EntitySet<
    E
  >? {
    guard let list = t.strings(key) else { return nil }
    var out = EntitySet<E>()
    for id in list {
      if let i = table[id] {
        out.insert(i)
      } else {
        t.problem(key, value: "\"\(id)\"", "unknown \(what)", as: .unknownReference)
      }
    }
    return out
  }

  private func selectedProducers(_ t: TableReader, model: PlanningModel) -> EntitySet<Producer> {
    var set = EntitySet(model.producers.indices)
    if let ps = ids(t, "producer", in: names.producers, what: "producer") { set.formIntersection(ps) }
    if let cs = t.strings("country") {
      var countries = Set<CountryIndex>()
      for c in cs {
        if let i = names.countries[c] {
          countries.insert(i)
        } else if let g = names.countryGroups[c] {
          countries.formUnion(g)
        } else {
          t.problem("country", value: "\"\(c)\"", "unknown country or group", as: .unknownReference)
        }
      }
      set = set.filter { countries.contains(model.producers[$0].country) }
    }
    return set
  }

  /// Checks a change's type and keys, then reads it with the reader for its type.
  private func readChange(_ t: TableReader, model: PlanningModel, scenario: String, index: Int) -> [ScenarioChange] {
    guard let type = t.string("type", required: true) else { return [] }
    guard let allowed = Self.changeKeys[type] else {
      t.problem(
        "type", value: "\"\(type)\"",
        "unknown change type; expected one of " + Self.changeKeys.keys.sorted().joined(separator: ", "),
        as: .invalidValue)
      return []
    }
    for key in t.table.keys where key != "type" && !allowed.contains(key) {
      t.problem(
        key, "is not a key of a \(type) change; expected " + allowed.sorted().joined(separator: ", "), as: .unknownKey)
      t.markUsed(key)
    }
    switch type {
    case "scale-capacity", "delay-ramp-up": return readCapacityScaling(t, model: model, type: type)
    case "set-capacity": return readSetCapacity(t, model: model)
    case "scale-demand", "scale-priority": return readDemandScaling(t, model: model, type: type)
    case "combat": return readCombat(t, model: model)
    case "without-systems": return [.withoutSystems]
    case "scale-market": return readMarketScaling(t, model: model)
    case "scale-budget", "set-budget": return readBudgetChange(t, type: type)
    case "eligibility": return readEligibilityChange(t, model: model)
    case "quota": return readQuotaChange(t, model: model, scenario: scenario, index: index)
    case "activate", "deactivate": return readActivation(t, type: type)
    case "stockpile-target": return readStockpileTarget(t, model: model)
    default: return []
    }
  }

  /// `scale-capacity` and `delay-ramp-up`: both select producers' products the same way.
  private func readCapacityScaling(_ t: TableReader, model: PlanningModel, type: String) -> [ScenarioChange] {
    let producers = selectedProducers(t, model: model)
    let items = ids(t, "item", in: names.items, what: "item")
    let matches = producers.contains { p in
      model.producers[p].products.contains { items?.contains($0.item) ?? true }
    }
    if !matches {
      t.problem(nil, "matches no producer's capacity; check producer, country and item", as: .inconsistent)
      return []
    }
    if type == "scale-capacity" {
      guard let factor = t.number("factor", required: true, min: 0, max: Limits.factor) else { return [] }
      return [.scaleCapacity(producers: producers, items: items, factor: factor, periods: periodRange(t))]
    }
    guard let months = t.number("months", required: true, min: 0, max: 600) else { return [] }
    return [.delayRampUp(producers: producers, items: items, periods: horizon.periods(forMonths: months))]
  }

  /// `set-capacity`: the `item` key names one of the producer's products or lines.
  private func readSetCapacity(_ t: TableReader, model: PlanningModel) -> [ScenarioChange] {
    guard let pid = t.string("producer", required: true), let itemID = t.string("item", required: true),
      let capacity = t.number("capacity", required: true, min: 0, max: Limits.quantity)
    else { return [] }
    guard let p = names.producers[pid] else {
      t.problem("producer", value: "\"\(pid)\"", "unknown producer", as: .unknownReference)
      return []
    }
    let per = t.choice("per", as: RateUnit.self) ?? .month
    let from = periodRange(t).from
    if let item = names.items[itemID], let k = model.producers[p].product(making: item) {
      return [.setCapacity(producer: p, target: .item(k), perPeriod: horizon.perPeriod(capacity, per: per), from: from)]
    }
    if let k = model.producers[p].lines.firstIndex(where: { $0.id == itemID }) {
      return [.setCapacity(producer: p, target: .line(k), perPeriod: horizon.perPeriod(capacity, per: per), from: from)]
    }
    t.problem(
      "item", value: "\"\(itemID)\"", "producer \"\(pid)\" has no product or line with this id", as: .unknownReference)
    return []
  }

  /// `scale-demand` and `scale-priority`: both select consumers by id, class and country.
  private func readDemandScaling(_ t: TableReader, model: PlanningModel, type: String) -> [ScenarioChange] {
    let consumers = selectedConsumers(t, model: model)
    if consumers.isEmpty {
      t.problem(nil, "matches no consumer; check consumer, class and country", as: .inconsistent)
      return []
    }
    guard let factor = t.number("factor", required: true, min: 0, max: Limits.factor) else { return [] }
    if type == "scale-priority" { return [.scalePriority(consumers: consumers, factor: factor)] }
    var keys: [Demand.Key]?
    if let list = t.strings("item") {
      let set = demandKeys(list, t)
      keys = set.sorted()
      let matches = consumers.contains { k in model.consumers[k].demand.contains { set.contains($0.key) } }
      if !matches {
        t.problem("item", "no selected consumer has demand for these items", as: .inconsistent)
        return []
      }
    }
    return [.scaleDemand(consumers: consumers, keys: keys, factor: factor, periods: periodRange(t))]
  }

  /// `combat`: how hard the selected consumers fight (0 to 1) in the periods; their systems
  /// suffer that share of their attrition.
  private func readCombat(_ t: TableReader, model: PlanningModel) -> [ScenarioChange] {
    let consumers = selectedConsumers(t, model: model)
    if consumers.isEmpty {
      t.problem(nil, "matches no consumer; check consumer, class and country", as: .inconsistent)
      return []
    }
    guard let intensity = t.number("intensity", required: true, min: 0, max: 1) else { return [] }
    return [.setCombat(consumers: consumers, intensity: intensity, periods: periodRange(t))]
  }

  /// The consumers a change's `consumer`, `class` and `country` keys select (all if none).
  private func selectedConsumers(_ t: TableReader, model: PlanningModel) -> EntitySet<Consumer> {
    var consumers = EntitySet(model.consumers.indices)
    if let ks = ids(t, "consumer", in: names.consumers, what: "consumer") { consumers.formIntersection(ks) }
    if let cls = t.choice("class", as: ConsumerClass.self) {
      consumers = consumers.filter { model.consumers[$0].consumerClass == cls }
    }
    if let cs = t.strings("country") {
      let countries = Set(cs.compactMap { names.countries[$0] } + cs.flatMap { names.countryGroups[$0] ?? [] })
      for c in cs where names.countries[c] == nil && names.countryGroups[c] == nil {
        t.problem("country", value: "\"\(c)\"", "unknown country or group", as: .unknownReference)
      }
      consumers = consumers.filter { countries.contains(model.consumers[$0].country) }
    }
    return consumers
  }

  /// Demand keys for item and substitution-group ids; unknown ids are reported and skipped.
  private func demandKeys(_ list: [String], _ t: TableReader) -> Set<Demand.Key> {
    var set = Set<Demand.Key>()
    for id in list {
      if let i = names.items[id] {
        set.insert(.item(i))
      } else if let g = names.groups[id] {
        set.insert(.group(g))
      } else {
        t.problem("item", value: "\"\(id)\"", "unknown item or substitution group", as: .unknownReference)
      }
    }
    return set
  }

  /// `scale-market`: one market, optionally some of its items.
  private func readMarketScaling(_ t: TableReader, model: PlanningModel) -> [ScenarioChange] {
    guard let mid = t.string("market", required: true),
      let factor = t.number("factor", required: true, min: 0, max: Limits.factor)
    else { return [] }
    guard let m = names.markets[mid] else {
      t.problem("market", value: "\"\(mid)\"", "unknown market", as: .unknownReference)
      return []
    }
    let items = ids(t, "item", in: names.items, what: "item")
    if let items, !model.markets[m].supplies.contains(where: { items.contains($0.item) }) {
      t.problem("item", "market \"\(mid)\" sells none of these items", as: .inconsistent)
      return []
    }
    return [.scaleMarket(market: m, items: items, factor: factor, periods: periodRange(t))]
  }

  /// `scale-budget` and `set-budget`: one funder's budget, by a factor or to an amount.
  private func readBudgetChange(_ t: TableReader, type: String) -> [ScenarioChange] {
    guard let fid = t.string("funder", required: true) else { return [] }
    guard let f = names.funders[fid] else {
      t.problem("funder", value: "\"\(fid)\"", "unknown funder", as: .unknownReference)
      return []
    }
    if type == "scale-budget" {
      guard let factor = t.number("factor", required: true, min: 0, max: Limits.factor) else { return [] }
      return [.scaleBudget(funder: f, factor: factor, periods: periodRange(t))]
    }
    guard let amount = t.number("amount", required: true, min: 0, max: Limits.money) else { return [] }
    let per = t.choice("per", as: RateUnit.self) ?? .year
    return [.setBudget(funder: f, perPeriod: horizon.perPeriod(amount, per: per), from: periodRange(t).from)]
  }

  /// `eligibility`: a rule written as in links.toml, added after the data set's rules.
  private func readEligibilityChange(_ t: TableReader, model: PlanningModel) -> [ScenarioChange] {
    guard let from = producerSelection(t.strings("from") ?? ["*"], producers: model.producers, reader: t, key: "from"),
      let to = consumerSelection(t.strings("to") ?? ["*"], consumers: model.consumers, reader: t, key: "to"),
      let items = itemFilter(t), let allow = t.bool("allow")
    else {
      if !t.has("allow") { t.problem("allow", "is missing; expected true or false", as: .missing) }
      return []
    }
    return [
      .eligibility(
        EligibilityRule(scope: LinkScope(from: from, to: to, items: items), allow: allow, note: t.string("note") ?? ""))
    ]
  }

  /// `quota`: a quota written as in links.toml, with an id prefixed by the scenario's name.
  private func readQuotaChange(
    _ t: TableReader, model: PlanningModel, scenario: String, index: Int
  ) -> [ScenarioChange] {
    guard let from = producerSelection(t.strings("from") ?? ["*"], producers: model.producers, reader: t, key: "from"),
      let to = consumerSelection(t.strings("to") ?? ["*"], consumers: model.consumers, reader: t, key: "to"),
      let items = itemFilter(t), let limit = t.number("max", required: true, min: 0, max: Limits.quantity)
    else { return [] }
    let per = t.choice("per", as: RateUnit.self) ?? .month
    return [
      .quota(
        // Scenario quotas get their own ids so they never clash with the data set's.
        Quota(
          id: "\(scenario).\(t.identifier("id", required: false) ?? "quota-\(index + 1)")",
          scope: LinkScope(from: from, to: to, items: items),
          limit: Array(repeating: horizon.perPeriod(limit, per: per), count: horizon.periods),
          note: t.string("note") ?? ""))
    ]
  }

  /// `activate` and `deactivate`: one consumer.
  private func readActivation(_ t: TableReader, type: String) -> [ScenarioChange] {
    guard let kid = t.string("consumer", required: true) else { return [] }
    guard let k = names.consumers[kid] else {
      t.problem("consumer", value: "\"\(kid)\"", "unknown consumer", as: .unknownReference)
      return []
    }
    return [.setActive(consumer: k, active: type == "activate")]
  }

  /// `stockpile-target`: one consumer's level of one end item at a date inside the horizon.
  private func readStockpileTarget(_ t: TableReader, model: PlanningModel) -> [ScenarioChange] {
    guard let kid = t.string("consumer", required: true), let itemID = t.string("item", required: true),
      let date = t.month("date", required: true),
      let level = t.number("level", required: true, min: 0, max: Limits.quantity)
    else { return [] }
    guard let k = names.consumers[kid] else {
      t.problem("consumer", value: "\"\(kid)\"", "unknown consumer", as: .unknownReference)
      return []
    }
    guard let item = names.items[itemID], model.items[item].kind == .end else {
      t.problem("item", value: "\"\(itemID)\"", "expected an end item id", as: .invalidValue)
      return []
    }
    guard let period = horizon.period(of: date) else {
      t.problem(
        "date", value: date.description, "is outside the horizon (\(horizon.start) to \(horizon.end))",
        as: .inconsistent)
      return []
    }
    return [.stockpileTarget(consumer: k, target: StockpileTarget(item: item, period: period, level: level))]
  }
}
