/// Markets, routes, rules, quotas, funders, and the CSV time series.
extension ModelBuilder {
  // MARK: Markets

  mutating func readMarkets() -> Entities<Market> {
    guard let file = tomlFile(.markets) else { return [] }
    let root = TableReader(root: file, log: log)
    var markets = Entities<Market>()
    for t in root.tables("market", singular: "market", sortedBy: "id") {
      guard let id = t.identifier("id") else { continue }
      if names.markets[id] != nil {
        t.problem("id", value: "\"\(id)\"", "duplicate market id", as: .duplicate)
        continue
      }
      var market = Market(id: id, name: t.name() ?? id, country: country(t) ?? CountryIndex(0), supplies: [])
      for st in t.tables("supply", singular: "supply", sortedBy: "item") {
        guard let itemID = st.string("item", required: true) else { continue }
        guard let item = names.items[itemID] else {
          st.problem("item", value: "\"\(itemID)\"", "unknown item", as: .unknownReference)
          continue
        }
        guard items[item].kind != .end else {
          st.problem(
            "item", value: "\"\(itemID)\"", "markets sell components and materials; end items come from producers",
            as: .invalidValue)
          continue
        }
        if market.supplies.contains(where: { $0.item == item }) {
          st.problem("item", value: "\"\(itemID)\"", "the market lists this item twice", as: .duplicate)
          continue
        }
        let per = st.choice("per", as: RateUnit.self) ?? .month
        let capacity = st.number("capacity", required: true, min: 0, max: Limits.quantity) ?? 0
        var pools: [PoolIndex] = []
        for name in st.strings("pools") ?? [] {
          if let p = names.pools[name] {
            pools.append(p)
          } else {
            st.problem(
              "pools", value: "\"\(name)\"", "unknown pool; expected a pool some producer names", as: .unknownReference)
          }
        }
        market.supplies.append(
          MarketSupply(
            item: item, limit: Array(repeating: horizon.perPeriod(capacity, per: per), count: horizon.periods),
            price: st.number("price", min: 0, max: Limits.unitPrice) ?? 0, pools: pools.sorted()))
        st.rejectUnknownKeys()
      }
      t.rejectUnknownKeys()
      names.markets[id] = markets.add(market)
    }
    root.rejectUnknownKeys()
    return markets
  }

  // MARK: Selectors

  /// Resolves `from` texts: "*", a producer id, a country code or a group name.
  func producerSelection(_ texts: [String], producers: Entities<Producer>, reader: TableReader, key: String)
    -> ProducerSelection?
  {
    var set = EntitySet<Producer>()
    var specificity = Specificity.entity
    var known = true  // every unknown id is reported, not only the first
    for text in texts {
      if text == "*" {
        set.formUnion(producers.indices)
        specificity = .any
      } else if let p = names.producers[text] {
        set.insert(p)
      } else if let c = names.countries[text] {
        set.formUnion(producers.indices.filter { producers[$0].country == c })
        specificity = min(specificity, .country)
      } else if let members = names.countryGroups[text] {
        set.formUnion(producers.indices.filter { members.contains(producers[$0].country) })
        specificity = min(specificity, .group)
      } else {
        reader.problem(
          key, value: "\"\(text)\"",
          "unknown producer, country or group; expected \"*\", a producer id, a country code or a group name",
          as: .unknownReference)
        known = false
      }
    }
    guard known else { return nil }
    if texts.isEmpty { specificity = .any }
    return ProducerSelection(text: texts.joined(separator: ", "), producers: set, specificity: specificity)
  }

  /// Resolves `to` texts: "*", a consumer id, a class, a country code or a group name.
  func consumerSelection(_ texts: [String], consumers: Entities<Consumer>, reader: TableReader, key: String)
    -> ConsumerSelection?
  {
    var set = EntitySet<Consumer>()
    var specificity = Specificity.entity
    var known = true
    for text in texts {
      if text == "*" {
        set.formUnion(consumers.indices)
        specificity = .any
      } else if let k = names.consumers[text] {
        set.insert(k)
      } else if let cls = ConsumerClass(rawValue: text) {
        set.formUnion(consumers.indices.filter { consumers[$0].consumerClass == cls })
        specificity = min(specificity, .group)
      } else if let c = names.countries[text] {
        set.formUnion(consumers.indices.filter { consumers[$0].country == c })
        specificity = min(specificity, .country)
      } else if let members = names.countryGroups[text] {
        set.formUnion(consumers.indices.filter { members.contains(consumers[$0].country) })
        specificity = min(specificity, .group)
      } else {
        reader.problem(
          key, value: "\"\(text)\"",
          "unknown consumer, class, country or group; expected \"*\", a consumer id, a class (front-line, readiness, reassurance), a country code or a group name",
          as: .unknownReference)
        known = false
      }
    }
    guard known else { return nil }
    if texts.isEmpty { specificity = .any }
    return ConsumerSelection(text: texts.joined(separator: ", "), consumers: set, specificity: specificity)
  }

  func itemFilter(_ reader: TableReader, key: String = "items") -> EntitySet<Item>?? {
    guard let ids = reader.strings(key) else { return .some(nil) }
    var set = EntitySet<Item>()
    var known = true
    for id in ids {
      guard let i = names.items[id] else {
        reader.problem(key, value: "\"\(id)\"", "unknown item", as: .unknownReference)
        known = false
        continue
      }
      set.insert(i)
    }
    return known ? .some(set) : nil
  }

  // MARK: Links

  mutating func readLinks(producers: Entities<Producer>, consumers: Entities<Consumer>) -> (
    Entities<Route>, Entities<EligibilityRule>, Entities<Quota>
  ) {
    guard let file = tomlFile(.links) else { return ([], [], []) }
    let root = TableReader(root: file, log: log)
    let routes = readRoutes(root, producers: producers, consumers: consumers)
    let rules = readRules(root, producers: producers, consumers: consumers)
    let quotas = readQuotas(root, producers: producers, consumers: consumers)
    root.rejectUnknownKeys()
    return (routes, rules, quotas)
  }

  /// `[[route]]` tables, checked for routes that tie.
  private func readRoutes(
    _ root: TableReader, producers: Entities<Producer>, consumers: Entities<Consumer>
  ) -> Entities<Route> {
    var read: [(route: Route, reader: TableReader)] = []
    for (n, t) in root.tables("route", singular: "route").enumerated() {
      defer { t.rejectUnknownKeys() }
      let scope = linkScope(t, producers: producers, consumers: consumers)
      let lead = t.number("lead_time", required: true, min: 0, max: 120) ?? 0
      var capacity: [Double]?
      if let c = t.number("capacity", min: 0, max: Limits.quantity) {
        let per = t.choice("per", as: RateUnit.self) ?? .month
        capacity = Array(repeating: horizon.perPeriod(c, per: per), count: horizon.periods)
      } else {
        t.markUsed("per")
      }
      let cost = t.number("cost", min: 0, max: Limits.unitPrice) ?? 0
      let name = t.name()
      guard let scope else { continue }
      read.append(
        (
          Route(
            scope: scope, leadTime: horizon.periods(forMonths: lead), leadTimeMonths: lead, cost: cost,
            capacity: capacity, name: name ?? "route \(n + 1) (\(scope.from.text) → \(scope.to.text))"), t
        ))
    }
    Self.rejectTiedRoutes(read)
    // By name, so that the file's order decides nothing (ties are rejected above).
    var routes = Entities<Route>()
    for r in read.sorted(by: { $0.route.name < $1.route.name }) { routes.append(r.route) }
    return routes
  }

  /// `[[rule]]` tables, in the file's order: the last matching rule decides (docs/INPUTS.md).
  private func readRules(
    _ root: TableReader, producers: Entities<Producer>, consumers: Entities<Consumer>
  ) -> Entities<EligibilityRule> {
    var rules = Entities<EligibilityRule>()
    for t in root.tables("rule", singular: "rule") {
      defer { t.rejectUnknownKeys() }
      let scope = linkScope(t, producers: producers, consumers: consumers)
      let allow = t.bool("allow")
      if allow == nil, !t.has("allow") { t.problem("allow", "is missing; expected true or false", as: .missing) }
      let note = t.string("note") ?? ""
      guard let scope, let allow else { continue }
      rules.append(EligibilityRule(scope: scope, allow: allow, note: note))
    }
    return rules
  }

  /// `[[quota]]` tables, ordered by id (`quota-N` when not given) so that a quota's place in
  /// the file decides nothing.
  private func readQuotas(
    _ root: TableReader, producers: Entities<Producer>, consumers: Entities<Consumer>
  ) -> Entities<Quota> {
    var quotaList: [Quota] = []
    var quotaIDs = Set<String>()
    for (n, t) in root.tables("quota", singular: "quota").enumerated() {
      defer { t.rejectUnknownKeys() }
      let id = t.has("id") ? t.identifier("id") : "quota-\(n + 1)"
      let scope = linkScope(t, producers: producers, consumers: consumers)
      let per = t.choice("per", as: RateUnit.self) ?? .month
      let limit = t.number("max", required: true, min: 0, max: Limits.quantity)
      let note = t.string("note") ?? ""
      guard let id else { continue }
      guard quotaIDs.insert(id).inserted else {
        t.problem("id", value: "\"\(id)\"", "duplicate quota id", as: .duplicate)
        continue
      }
      guard let scope, let limit else { continue }
      quotaList.append(
        Quota(
          id: id, scope: scope, limit: Array(repeating: horizon.perPeriod(limit, per: per), count: horizon.periods),
          note: note))
    }
    var quotas = Entities<Quota>()
    for q in quotaList.sorted(by: { $0.id < $1.id }) { quotas.append(q) }
    return quotas
  }

  /// A link's `from`, `to` and `items`, each read (and its problems reported) whatever the
  /// others hold, so that one unknown id hides no other problem of the record.
  private func linkScope(
    _ t: TableReader, producers: Entities<Producer>, consumers: Entities<Consumer>
  ) -> LinkScope? {
    let from = producerSelection(t.strings("from") ?? ["*"], producers: producers, reader: t, key: "from")
    let to = consumerSelection(t.strings("to") ?? ["*"], consumers: consumers, reader: t, key: "to")
    let items = itemFilter(t)
    guard let from, let to, let items else { return nil }
    return LinkScope(from: from, to: to, items: items)
  }

  /// Two routes of the same specificity that both match some producer, consumer and item
  /// would leave the choice between them to the order of the file: an input error.
  static func rejectTiedRoutes(_ read: [(route: Route, reader: TableReader)]) {
    for (n, b) in read.enumerated() {
      for a in read[..<n] where a.route.specificityScore == b.route.specificityScore {
        var producers = a.route.scope.from.producers
        producers.formIntersection(b.route.scope.from.producers)
        var consumers = a.route.scope.to.consumers
        consumers.formIntersection(b.route.scope.to.consumers)
        var items = a.route.scope.items ?? b.route.scope.items
        if let other = b.route.scope.items, a.route.scope.items != nil { items?.formIntersection(other) }
        guard !producers.isEmpty, !consumers.isEmpty, items.map({ !$0.isEmpty }) ?? true else { continue }
        b.reader.problem(
          "from", value: "\"\(b.route.scope.from.text)\" → \"\(b.route.scope.to.text)\"",
          "matches the same deliveries as \"\(a.route.name)\" and is as specific; give one of them a narrower "
            + "from, to or items, so that which route applies does not depend on the order of the file",
          as: .inconsistent)
      }
    }
  }

  // MARK: Funders

  mutating func readFunders(producers: Entities<Producer>, consumers: Entities<Consumer>) -> Entities<Funder> {
    guard let file = tomlFile(.funders) else { return [] }
    let root = TableReader(root: file, log: log)
    var funders = Entities<Funder>()
    for t in root.tables("funder", singular: "funder", sortedBy: "id") {
      guard let id = t.identifier("id") else { continue }
      if names.funders[id] != nil {
        t.problem("id", value: "\"\(id)\"", "duplicate funder id", as: .duplicate)
        continue
      }
      let per = t.choice("per", as: RateUnit.self) ?? .year
      let budget = t.number("budget", min: 0, max: Limits.money) ?? 0
      let investment = t.number("investment_budget", min: 0, max: Limits.money)
      guard let paysTexts = t.strings("pays_for", required: true),
        let paysFor = consumerSelection(paysTexts, consumers: consumers, reader: t, key: "pays_for")
      else { continue }
      var buysFrom: ProducerSelection?
      if let texts = t.strings("buys_from") {
        guard let s = producerSelection(texts, producers: producers, reader: t, key: "buys_from") else { continue }
        buysFrom = s
      }
      let countryIndex = t.has("country") ? country(t) : nil
      names.funders[id] = funders.add(
        Funder(
          id: id, name: t.name() ?? id, country: countryIndex,
          budget: Array(repeating: horizon.perPeriod(budget, per: per), count: horizon.periods),
          paysFor: paysFor, buysFrom: buysFrom, carryOver: t.bool("carry_over") ?? true,
          investmentBudget: investment.map { Array(repeating: horizon.perPeriod($0, per: per), count: horizon.periods) }
        ))
      t.rejectUnknownKeys()
    }
    root.rejectUnknownKeys()
    return funders
  }

  // MARK: CSV time series

  /// Where a step starts, in months from the horizon's start; `nil` (with a problem
  /// recorded) when it lies after the horizon's end.
  private func stepStart(_ cells: CSVCells, column: String) -> Int? {
    guard let m = cells.month(column, log: log) else { return nil }
    if m > horizon.end {
      cells.problem(
        column, value: m.description, "is after the horizon's end (\(horizon.end))", log: log, as: .inconsistent)
      return nil
    }
    return horizon.start.months(to: m)
  }

  /// Reads step schedules keyed by two columns and applies them to `initial` values.
  private func readSteps(
    _ table: CSVTable, keys: (String, String), start: String, value: String, per defaultUnit: RateUnit = .month,
    maximum: Double = Limits.quantity, resolve: (CSVCells, String, String) -> (key: StepKey, initial: Double)?
  ) -> [StepKey: [Double]] {
    var steps: [StepKey: [StepSchedule.Step]] = [:]
    var initial: [StepKey: Double] = [:]
    var seen: [StepKey: Set<Int>] = [:]
    for record in table.records {
      let cells = table.cells(record)
      guard let a = cells.string(keys.0, log: log), let b = cells.string(keys.1, log: log),
        let resolved = resolve(cells, a, b),
        let startMonth = stepStart(cells, column: start),
        let amount = cells.number(value, max: maximum, log: log),
        let per = cells.rateUnit("per", default: defaultUnit, log: log)
      else { continue }
      if seen[resolved.key, default: []].contains(startMonth) {
        cells.problem(
          start, value: cells.raw(start), "a second row for the same \(keys.0), \(keys.1) and start", log: log,
          as: .duplicate)
        continue
      }
      seen[resolved.key, default: []].insert(startMonth)
      initial[resolved.key] = resolved.initial
      steps[resolved.key, default: []].append(.init(startMonth: startMonth, value: horizon.perPeriod(amount, per: per)))
    }
    var out: [StepKey: [Double]] = [:]
    for (key, s) in steps {
      out[key] = StepSchedule(steps: s).values(over: horizon, initial: initial[key] ?? 0)
    }
    return out
  }

  struct StepKey: Hashable {
    var a: Int
    var b: Int
    var kind: Int = 0
  }

  func readCapacitySchedules(_ producers: inout Entities<Producer>) {
    guard let table = csvFile(.capacity),
      table.checkColumns(required: ["producer", "item", "start", "capacity"], optional: ["per"], log: log)
    else { return }
    let list = producers
    let schedules = readSteps(table, keys: ("producer", "item"), start: "start", value: "capacity") { cells, p, i in
      guard let pi = names.producers[p] else {
        cells.problem(
          "producer", value: p, "unknown producer; expected an id from producers.toml", log: log, as: .unknownReference)
        return nil
      }
      if let item = names.items[i], let k = list[pi].product(making: item) {
        return (StepKey(a: pi.rawValue, b: k.rawValue, kind: 0), list[pi].products[k].capacity.first ?? 0)
      }
      if let k = list[pi].lines.firstIndex(where: { $0.id == i }) {
        return (StepKey(a: pi.rawValue, b: k.rawValue, kind: 1), list[pi].lines[k].capacity.first ?? 0)
      }
      cells.problem(
        "item", value: i, "producer \"\(p)\" has no product or line with this id", log: log, as: .unknownReference)
      return nil
    }
    for (key, values) in schedules {
      if key.kind == 0 {
        producers[ProducerIndex(key.a)].products[ProductIndex(key.b)].capacity = values
      } else {
        producers[ProducerIndex(key.a)].lines[LineIndex(key.b)].capacity = values
      }
    }
  }

  func readDemand(_ consumers: inout Entities<Consumer>) {
    guard let table = csvFile(.demand),
      table.checkColumns(required: ["consumer", "item", "start", "quantity"], optional: ["per"], log: log)
    else { return }
    let schedules = readSteps(table, keys: ("consumer", "item"), start: "start", value: "quantity") { cells, k, i in
      guard let ki = names.consumers[k] else {
        cells.problem(
          "consumer", value: k, "unknown consumer; expected an id from consumers.toml", log: log, as: .unknownReference)
        return nil
      }
      if let item = names.items[i] {
        guard items[item].kind == .end else {
          cells.problem(
            "item", value: i, "demand must be for an end item or a substitution group", log: log, as: .invalidValue)
          return nil
        }
        return (StepKey(a: ki.rawValue, b: item.rawValue, kind: 0), 0)
      }
      if let g = names.groups[i] { return (StepKey(a: ki.rawValue, b: g.rawValue, kind: 1), 0) }
      cells.problem("item", value: i, "unknown item or substitution group", log: log, as: .unknownReference)
      return nil
    }
    for key in schedules.keys.sorted(by: { ($0.a, $0.kind, $0.b) < ($1.a, $1.kind, $1.b) }) {
      guard let values = schedules[key] else { continue }
      consumers[ConsumerIndex(key.a)].demand.append(
        Demand(key: key.kind == 0 ? .item(ItemIndex(key.b)) : .group(GroupIndex(key.b)), quantity: values))
    }
  }

  func readTargets(_ consumers: inout Entities<Consumer>) {
    guard let table = csvFile(.targets),
      table.checkColumns(required: ["consumer", "item", "date", "level"], optional: [], log: log)
    else { return }
    for record in table.records {
      let cells = table.cells(record)
      guard let k = cells.string("consumer", log: log), let i = cells.string("item", log: log),
        let date = cells.month("date", log: log), let level = cells.number("level", max: Limits.quantity, log: log)
      else { continue }
      guard let ki = names.consumers[k] else {
        cells.problem("consumer", value: k, "unknown consumer", log: log, as: .unknownReference)
        continue
      }
      guard let item = names.items[i], items[item].kind == .end else {
        cells.problem("item", value: i, "expected an end item id", log: log, as: .invalidValue)
        continue
      }
      guard let period = horizon.period(of: date) else {
        cells.problem(
          "date", value: date.description, "is outside the horizon (\(horizon.start) to \(horizon.end))", log: log,
          as: .inconsistent)
        continue
      }
      if consumers[ki].targets.contains(where: { $0.item == item && $0.period == period }) {
        cells.problem(
          "date", value: date.description, "a second target for the same consumer, item and period", log: log,
          as: .duplicate)
        continue
      }
      consumers[ki].targets.append(StockpileTarget(item: item, period: period, level: level))
    }
    for k in consumers.indices {
      consumers[k].targets.sort { ($0.item, $0.period) < ($1.item, $1.period) }
    }
  }

  /// deliveries.csv: what reaches consumers whatever the plan decides (in transit or
  /// contracted when the horizon opens).
  func readDeliveries(_ consumers: inout Entities<Consumer>) {
    guard let table = csvFile(.deliveries),
      table.checkColumns(required: ["consumer", "item", "arrives", "quantity"], optional: [], log: log)
    else { return }
    for record in table.records {
      let cells = table.cells(record)
      guard let k = cells.string("consumer", log: log), let i = cells.string("item", log: log),
        let date = cells.month("arrives", log: log),
        let quantity = cells.number("quantity", max: Limits.quantity, log: log)
      else { continue }
      guard let ki = names.consumers[k] else {
        cells.problem(
          "consumer", value: k, "unknown consumer; expected an id from consumers.toml", log: log, as: .unknownReference)
        continue
      }
      guard let item = names.items[i], items[item].kind == .end else {
        cells.problem(
          "item", value: i, "expected an end item id (consumers receive end items)", log: log, as: .invalidValue)
        continue
      }
      guard let period = horizon.period(of: date) else {
        let hint = date < horizon.start ? "; stock that has arrived belongs in initial_stock" : ""
        cells.problem(
          "arrives", value: date.description, "is outside the horizon (\(horizon.start) to \(horizon.end))\(hint)",
          log: log, as: .inconsistent)
        continue
      }
      consumers[ki].scheduledArrivals.append(ScheduledArrival(item: item, period: period, quantity: quantity))
    }
    for k in consumers.indices {
      consumers[k].scheduledArrivals.sort { ($0.item, $0.period, $0.quantity) < ($1.item, $1.period, $1.quantity) }
    }
  }

  func readBudgets(_ funders: inout Entities<Funder>) {
    guard let table = csvFile(.budgets),
      table.checkColumns(required: ["funder", "start", "amount"], optional: ["per"], log: log)
    else { return }
    let list = funders
    // A budget schedule is keyed by one column; the second key column is the same one.
    let schedules = readSteps(
      table, keys: ("funder", "funder"), start: "start", value: "amount", per: .year, maximum: Limits.money
    ) { cells, f, _ in
      guard let fi = names.funders[f] else {
        cells.problem(
          "funder", value: f, "unknown funder; expected an id from funders.toml", log: log, as: .unknownReference)
        return nil
      }
      return (StepKey(a: fi.rawValue, b: 0), list[fi].budget.first ?? 0)
    }
    for (key, values) in schedules { funders[FunderIndex(key.a)].budget = values }
  }
}
