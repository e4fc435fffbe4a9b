/// The cross-checks of the data lint: facts each valid on its own that together leave
/// something useless — a funder that can pay for nothing, a need nobody may supply, a
/// scenario that changes nothing (docs/INPUTS.md, "Sources and the data lint").
extension DataLint {
  /// The cross-checks of a loaded data set.
  ///
  /// In this order: funders whose `buys_from` selects no producer of what their consumers
  /// need; consumers' needs (demand or stockpile targets) that no producer makes or may
  /// deliver; scenarios with changes that leave the model as it is. `texts` (as
  /// `DataSetLoader.readTexts` returns them) locate each warning's line.
  public static func crossChecks(_ data: DataSet, texts: [DataSetFile: String] = [:]) -> [DataWarning] {
    let locator = Locator(texts)
    return funderChecks(data.model, locator) + needChecks(data.model, locator) + inputChecks(data.model, locator)
      + poolChecks(data.model, locator) + receiverChecks(data.model, locator) + systemChecks(data.model, locator)
      + scenarioChecks(data, locator)
  }

  /// What a consumer needs: demand keys with a positive quantity in some period, then the
  /// items of its positive stockpile targets that no demand key already names.
  private static func needs(_ m: PlanningModel, _ k: ConsumerIndex) -> [(key: Demand.Key, isTarget: Bool)] {
    let c = m.consumers[k]
    var keys = c.demand.filter { $0.quantity.contains { $0 > 0 } }.map(\.key)
    var out = keys.map { (key: $0, isTarget: false) }
    for target in c.targets where target.level > 0 && !keys.contains(.item(target.item)) {
      keys.append(.item(target.item))
      out.append((key: .item(target.item), isTarget: true))
    }
    return out
  }

  private static func funderChecks(_ m: PlanningModel, _ locator: Locator) -> [DataWarning] {
    var out: [DataWarning] = []
    for f in m.funders {
      guard let buys = f.buysFrom else { continue }
      var needed = EntitySet<Item>()
      for k in f.paysFor.consumers {
        for need in needs(m, k) { needed.formUnion(m.items(meeting: need.key)) }
      }
      let makers = m.producers.indices.filter { p in m.producers[p].products.contains { needed.contains($0.item) } }
      // Needs nobody makes are the consumers' warnings, not the funder's.
      guard !makers.isEmpty, !makers.contains(where: { buys.producers.contains($0) }) else { continue }
      let label = "funder \"\(f.id)\""
      let written = locator.key(.funders, "buys_from", in: label)
      out.append(
        DataWarning(
          .buysFromNobody(needs: needed.map { m.items[$0].id }), file: DataSetFile.funders.rawValue,
          line: written?.line ?? locator.header(.funders, label), key: "\(label) › buys_from",
          value: written?.value ?? "\"\(buys.text)\""))
    }
    return out
  }

  private static func needChecks(_ m: PlanningModel, _ locator: Locator) -> [DataWarning] {
    var out: [DataWarning] = []
    for k in m.consumers.indices {
      let consumer = "consumer \"\(m.consumers[k].id)\""
      for need in needs(m, k) {
        guard let detail = supplyProblem(m, k, need.key) else { continue }
        let id = m.id(of: need.key)
        let file: DataSetFile = need.isTarget ? .targets : .demand
        let row = locator.csvLine(file, consumer: m.consumers[k].id, item: id)
        out.append(
          DataWarning(
            detail, file: row == nil ? DataSetFile.consumers.rawValue : file.rawValue,
            line: row ?? locator.header(.consumers, consumer),
            key: "\(consumer) › \(need.isTarget ? "stockpile target" : "demand") \"\(id)\""))
      }
    }
    return out
  }

  /// Why no producer may supply `key` to consumer `k`, or nil when one may: each producer of
  /// each item that meets it is counted under the first reason that bars it.
  private static func supplyProblem(_ m: PlanningModel, _ k: ConsumerIndex, _ key: Demand.Key) -> DataWarning.Detail? {
    let items = m.items(meeting: key)
    let payers = m.funders(of: k)
    var makers = 0
    var byRule = 0
    var byFunders = 0
    var byRoute = 0
    for i in items {
      for p in m.producers.indices where m.producers[p].product(making: i) != nil {
        makers += 1
        switch barrier(m, p, k, i, payers: payers) {
        case .rule: byRule += 1
        case .funders: byFunders += 1
        case .route: byRoute += 1
        case nil: return nil
        }
      }
    }
    if makers == 0 { return .nobodyMakes(items: items.map { m.items[$0].id }) }
    return .nobodyMaySupply(
      DataWarning.Barred(makers: makers, byRule: byRule, byFunders: byFunders, byRoute: byRoute))
  }

  /// What bars producer `p` from delivering `i` to consumer `k` (whose funders are `payers`),
  /// the first that applies, or nil when it may deliver.
  private enum Barrier { case rule, funders, route }
  private static func barrier(
    _ m: PlanningModel, _ p: ProducerIndex, _ k: ConsumerIndex, _ i: ItemIndex, payers: [FunderIndex]
  ) -> Barrier? {
    if !m.isEligible(producer: p, consumer: k, item: i) { return .rule }
    if !payers.isEmpty && !payers.contains(where: { m.funders[$0].mayBuy(from: p) }) { return .funders }
    if routeCloses(m, p, k, i) { return .route }
    return nil
  }

  /// Whether the route from `p` to `k` for `i` carries nothing: no capacity in any period, or
  /// a lead time as long as the horizon.
  private static func routeCloses(_ m: PlanningModel, _ p: ProducerIndex, _ k: ConsumerIndex, _ i: ItemIndex) -> Bool {
    let r = m.route(producer: p, consumer: k, item: i)
    if m.leadTime(route: r) >= m.horizon.periods { return true }
    guard let r, let capacity = m.routes[r].capacity else { return false }
    return capacity.allSatisfy { $0 <= 0 }
  }

  /// Products whose inputs have no possible source in the producer's pool (the trap of a new
  /// producer put in the wrong pool, or in a pool of its own by a typo).
  private static func inputChecks(_ m: PlanningModel, _ locator: Locator) -> [DataWarning] {
    var out: [DataWarning] = []
    for producer in m.producers {
      for product in producer.products where product.capacity.contains(where: { $0 > 0 }) {
        for input in m.inputs(of: product) where !m.canEverHave(input.item, inPool: producer.pool) {
          let label = "producer \"\(producer.id)\""
          out.append(
            DataWarning(
              .inputWithoutSource(
                product: m.items[product.item].id, input: m.items[input.item].id, pool: m.pools[producer.pool].name),
              file: DataSetFile.producers.rawValue, line: locator.header(.producers, label), key: "\(label) › pool"))
        }
      }
    }
    return out
  }

  /// Items a consumer uses that are fired from a system, or wear a part, it holds none of,
  /// has none scheduled of and may receive from no producer: every unit of their demand
  /// would be short (docs/MODEL.md, "Systems in service").
  private static func systemChecks(_ m: PlanningModel, _ locator: Locator) -> [DataWarning] {
    var out: [DataWarning] = []
    for k in m.consumers.indices {
      let c = m.consumers[k]
      let used = Set(
        c.demand.filter { $0.quantity.contains { $0 > 0 } }.flatMap { m.items(meeting: $0.key) })
      for i in used.sorted() {
        for (link, worn) in [(m.items[i].firedFrom, false), (m.items[i].wears, true)] {
          guard let link else { continue }
          let f = link.item
          let held =
            c.initialStock.contains { $0.item == f && $0.quantity > 0 }
            || c.scheduledArrivals.contains { $0.item == f && $0.quantity > 0 }
          guard !held, supplyProblem(m, k, .item(f)) != nil else { continue }
          let consumer = "consumer \"\(c.id)\""
          out.append(
            DataWarning(
              .neverHeld(item: m.items[i].id, system: m.items[f].id, worn: worn),
              file: DataSetFile.consumers.rawValue, line: locator.header(.consumers, consumer),
              key: "\(consumer) › initial_stock"))
        }
      }
    }
    return out
  }

  /// Producers that need inputs and sit alone in their pool: a new producer left in the
  /// default pool `main`, or a typo in `pool`, silently shares nothing.
  private static func poolChecks(_ m: PlanningModel, _ locator: Locator) -> [DataWarning] {
    var out: [DataWarning] = []
    for g in m.pools.indices {
      let members = m.producers.filter { $0.pool == g }
      guard members.count == 1, let producer = members.first,
        producer.products.contains(where: { !m.inputs(of: $0).isEmpty })
      else { continue }
      let others = m.pools.indices.filter { h in h != g && m.producers.contains { $0.pool == h } }.map {
        m.pools[$0].name
      }
      let label = "producer \"\(producer.id)\""
      let written = locator.key(.producers, "pool", in: label)
      out.append(
        DataWarning(
          .aloneInPool(pool: m.pools[g].name, others: others), file: DataSetFile.producers.rawValue,
          line: written?.line ?? locator.header(.producers, label), key: "\(label) › pool",
          value: written?.value ?? "(default \"\(m.pools[g].name)\")"))
    }
    return out
  }

  /// End items made with capacity that no consumer who needs them may receive from their
  /// producer: capacity that can never be used, usually a rule, funder or route left out.
  private static func receiverChecks(_ m: PlanningModel, _ locator: Locator) -> [DataWarning] {
    var out: [DataWarning] = []
    // Each consumer's needed end items and funders, worked out once for all products; the
    // systems its munitions are fired from and the parts they wear are needed with them.
    let needed = m.consumers.indices.map { k in
      var items = needs(m, k).reduce(into: EntitySet<Item>()) { $0.formUnion(m.items(meeting: $1.key)) }
      for i in items {
        for link in [m.items[i].firedFrom, m.items[i].wears].compactMap({ $0 }) { items.insert(link.item) }
      }
      return items
    }
    let payers = m.consumers.indices.map { m.funders(of: $0) }
    for p in m.producers.indices {
      let producer = m.producers[p]
      for product in producer.products
      where m.items[product.item].kind == .end && product.capacity.contains(where: { $0 > 0 }) {
        let i = product.item
        let needing = m.consumers.indices.filter { needed[$0.rawValue].contains(i) }
        let reachable = needing.contains { k in barrier(m, p, k, i, payers: payers[k.rawValue]) == nil }
        guard !reachable else { continue }
        let label = "producer \"\(producer.id)\""
        out.append(
          DataWarning(
            .nobodyMayReceive(product: m.items[i].id, needed: !needing.isEmpty),
            file: DataSetFile.producers.rawValue, line: locator.header(.producers, label), key: label))
      }
    }
    return out
  }

  private static func scenarioChecks(_ data: DataSet, _ locator: Locator) -> [DataWarning] {
    data.scenarios.filter { !$0.changes.isEmpty && data.model.applying([$0]) == data.model }.map { s in
      let label = "scenario \"\(s.name)\""
      return DataWarning(
        .changesNothing(changes: s.changes.count), file: DataSetFile.scenarios.rawValue,
        line: locator.header(.scenarios, label), key: label)
    }
  }
}

/// Finds where the model's entities are written, to give cross-check warnings a line.
///
/// Each file is read once, however many warnings it locates.
private struct Locator {
  private let outlines: [DataSetFile: TOMLOutline]
  /// For each TOML file, the index of each table by its label.
  private let tables: [DataSetFile: [String: Int]]
  /// For each CSV file, the line of the first row of each consumer and item.
  private let rows: [DataSetFile: [String: Int]]

  init(_ texts: [DataSetFile: String]) {
    var outlines: [DataSetFile: TOMLOutline] = [:]
    var tables: [DataSetFile: [String: Int]] = [:]
    for file in [DataSetFile.funders, .consumers, .scenarios, .producers] {
      guard let text = texts[file] else { continue }
      let o = TOMLOutline(text)
      outlines[file] = o
      tables[file] = Dictionary(o.tables.indices.map { (o.label(ofTable: $0), $0) }) { first, _ in first }
    }
    var rows: [DataSetFile: [String: Int]] = [:]
    for file in [DataSetFile.demand, .targets] {
      guard let text = texts[file], let table = CSVTable.parse(text, file: file.rawValue, log: ProblemLog()),
        let k = table.header.firstIndex(of: "consumer"), let i = table.header.firstIndex(of: "item")
      else { continue }
      var firsts: [String: Int] = [:]
      for r in table.records where firsts[Self.row(r.fields[k], r.fields[i])] == nil {
        firsts[Self.row(r.fields[k], r.fields[i])] = r.line
      }
      rows[file] = firsts
    }
    self.outlines = outlines
    self.tables = tables
    self.rows = rows
  }

  private static func row(_ consumer: String, _ item: String) -> String {
    "\(consumer.trimmed())\u{0}\(item.trimmed())"
  }

  /// The line of the header of the table labelled `label` (`funder "x"`).
  func header(_ file: DataSetFile, _ label: String) -> Int? {
    guard let o = outlines[file], let t = tables[file]?[label] else { return nil }
    return o.lines[o.tables[t].header].number
  }

  /// The line of `key` in the table labelled `label`, and its value as written.
  func key(_ file: DataSetFile, _ key: String, in label: String) -> (line: Int, value: String)? {
    guard let o = outlines[file], let t = tables[file]?[label],
      let line = o.lines.first(where: { $0.kind == .key(name: key, table: t) })
    else { return nil }
    return (line.number, line.value)
  }

  /// The line of the first row of `consumer` and `item` in a CSV file.
  func csvLine(_ file: DataSetFile, consumer: String, item: String) -> Int? {
    rows[file]?[Self.row(consumer, item)]
  }
}
