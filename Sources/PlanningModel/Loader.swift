import Foundation

/// The files of a data set folder.
///
/// Only `dataset.toml`, `items.toml`, `producers.toml` and `consumers.toml` are required.
public enum DataSetFile: String, CaseIterable, Sendable {
  case dataset = "dataset.toml"
  case items = "items.toml"
  case producers = "producers.toml"
  case consumers = "consumers.toml"
  case markets = "markets.toml"
  case links = "links.toml"
  case funders = "funders.toml"
  case scenarios = "scenarios.toml"
  case sweeps = "sweeps.toml"
  case uncertainty = "uncertainty.toml"
  case capacity = "capacity.csv"
  case demand = "demand.csv"
  case targets = "stockpile_targets.csv"
  case budgets = "budgets.csv"
  case deliveries = "deliveries.csv"

  var required: Bool { [.dataset, .items, .producers, .consumers].contains(self) }
}

/// A loaded data set: the validated base model and its named scenarios.
public struct DataSet: Sendable {
  /// The validated base model, before any scenario.
  public let model: PlanningModel
  /// The named scenarios (scenarios.toml), in file order.
  public let scenarios: [Scenario]
  /// Named comparisons (`[comparison.NAME]` in scenarios.toml) that `arsenal reports` writes.
  public let comparisons: [Comparison]
  /// Named sweeps (`[sweep.NAME]` in sweeps.toml).
  public let sweeps: [SweepSpec]
  /// Named investment questions (`[investment.NAME]` in scenarios.toml).
  public var investments: [InvestmentQuestion] = []
  /// The uncertain inputs (`[[uncertain]]` in uncertainty.toml), in file order.
  public var uncertainSources: [UncertainSource] = []
  /// Named Monte Carlo studies (`[risk.NAME]` in uncertainty.toml).
  public var risks: [RiskStudy] = []
  /// Named hedging questions (`[hedge.NAME]` in uncertainty.toml).
  public var hedges: [HedgeStudy] = []

  /// The risk study called `name`, if the data set defines one.
  public func risk(named name: String) -> RiskStudy? { risks.first { $0.name == name } }

  /// The hedging question called `name`, if the data set defines one.
  public func hedge(named name: String) -> HedgeStudy? { hedges.first { $0.name == name } }

  /// The investment question called `name`, if the data set defines one.
  public func investment(named name: String) -> InvestmentQuestion? { investments.first { $0.name == name } }

  /// The sweep called `name`, if the data set defines one.
  public func sweep(named name: String) -> SweepSpec? { sweeps.first { $0.name == name } }

  /// The scenario called `name`, if the data set defines one.
  public func scenario(named name: String) -> Scenario? { scenarios.first { $0.name == name } }
}

/// Reads and validates a data set folder into a `PlanningModel`.
public enum DataSetLoader {
  /// Reads every file, validates everything, and throws all problems at once.
  public static func load(folder: String) throws(InputErrors) -> DataSet {
    try load(texts: readTexts(folder: folder), source: folder)
  }

  /// The texts of a data set folder's files (no validation beyond "readable UTF-8").
  ///
  /// Each file is resolved strictly: a path that exists in any form — a symlink that cannot be
  /// followed, a loop, a folder, a FIFO — is an error naming the reason, never "absent".
  public static func readTexts(folder: String) throws(InputErrors) -> [DataSetFile: String] {
    let log = ProblemLog()
    var texts: [DataSetFile: String] = [:]
    switch FileCheck.kind(of: folder) {
    case .directory: break
    case .missing:
      throw InputErrors([
        InputProblem(
          .file, file: folder,
          message: "does not exist; expected a data set folder (pass --data <folder>; see docs/INPUTS.md)")
      ])
    case .problem(let reason):
      throw InputErrors([
        InputProblem(.file, file: folder, message: "\(reason); expected a data set folder (see docs/INPUTS.md)")
      ])
    case .regular, .other:
      throw InputErrors([
        InputProblem(.file, file: folder, message: "is not a folder; expected a data set folder (see docs/INPUTS.md)")
      ])
    }
    for file in DataSetFile.allCases {
      let path = (folder as NSString).appendingPathComponent(file.rawValue)
      switch FileCheck.read(path) {
      case .missing:
        if file.required { log.add(file: file.rawValue, "is missing; every data set needs it", as: .file) }
      case .failure(let reason):
        log.add(file: file.rawValue, reason, as: .file)
      case .success(let data):
        switch FileCheck.utf8(data) {
        case .success(let text): texts[file] = text
        case .failure(let bad):
          log.add(
            file: file.rawValue, line: bad.line, "is not valid UTF-8 text (the first bad byte is on this line)",
            as: .file)
        }
      }
    }
    try log.throwIfAny()
    return texts
  }

  /// Validates a data set given as file texts (what `load(folder:)` reads; tests use this).
  public static func load(texts: [DataSetFile: String], source: String = "(memory)") throws(InputErrors) -> DataSet {
    let log = ProblemLog()
    for file in DataSetFile.allCases where file.required && texts[file] == nil {
      log.add(file: file.rawValue, "is missing; every data set needs it", as: .file)
    }
    var builder = ModelBuilder(log: log, texts: texts)
    let model = builder.build(source: source, hash: "")
    // The scenario files are checked even when the base has problems, so that a planner sees
    // every problem at once; but against a broken base (or broken scenarios) an unknown
    // reference may only echo a problem already reported — a producer whose id is malformed,
    // a scenario dropped — so those wait until what they refer to loads.
    let scenarioLog = ProblemLog()
    builder.log = scenarioLog
    let scenarios = model.map { builder.scenarios(for: $0) } ?? []
    let laterLog = ProblemLog()
    builder.log = laterLog
    let comparisons = builder.comparisons(scenarios: scenarios)
    let sweeps = model.map { builder.sweeps(for: $0, scenarios: scenarios) } ?? []
    let investments = model.map { builder.investments(scenarios: scenarios, model: $0) } ?? []
    let uncertainty = model.map { builder.uncertainty(model: $0, scenarios: scenarios) }
    let baseClean = log.isEmpty
    log.merge(scenarioLog, referencesToo: baseClean)
    log.merge(laterLog, referencesToo: baseClean && scenarioLog.isEmpty)
    try log.throwIfAny()
    guard var model else {
      throw InputErrors([InputProblem(.file, file: source, message: "could not be read")])
    }
    model.contentHash = ContentHash.of(
      model: model, scenarios: scenarios, comparisons: comparisons, sweeps: sweeps, investments: investments)
    var data = DataSet(model: model, scenarios: scenarios, comparisons: comparisons, sweeps: sweeps)
    data.investments = investments
    data.risks = uncertainty?.risks ?? []
    data.uncertainSources = uncertainty?.sources ?? []
    data.hedges = uncertainty?.hedges ?? []
    return data
  }
}

/// Name lookups shared by the model and scenario readers.
struct Namespaces {
  var items: [String: ItemIndex] = [:]
  var groups: [String: GroupIndex] = [:]  // substitution groups
  var countries: [String: CountryIndex] = [:]
  var countryGroups: [String: [CountryIndex]] = [:]
  var producers: [String: ProducerIndex] = [:]
  var consumers: [String: ConsumerIndex] = [:]
  var markets: [String: MarketIndex] = [:]
  var funders: [String: FunderIndex] = [:]
  var pools: [String: PoolIndex] = [:]
}

final class ParsedFiles {
  var files: [DataSetFile: TOMLFile?] = [:]
}

struct ModelBuilder {
  var log: ProblemLog
  let texts: [DataSetFile: String]
  var names = Namespaces()
  /// The inputs of the producers' own routes read so far, by item (for the cycle check).
  private var routeInputs: [ItemIndex: Set<ItemIndex>] = [:]
  /// Each item's `fired_from` and `wears` as written, until every item is known.
  private var links: [(item: ItemIndex, reader: TableReader, firedFrom: PendingLink?, wears: PendingLink?)] = []
  var horizon = Horizon(start: .placeholder, periods: 1, length: .month)
  var items = Entities<Item>()

  init(log: ProblemLog, texts: [DataSetFile: String]) {
    self.log = log
    self.texts = texts
  }

  /// Each TOML file is parsed once, however many readers ask for it.
  private let parsed = ParsedFiles()

  func tomlFile(_ f: DataSetFile) -> TOMLFile? {
    if let cached = parsed.files[f] { return cached }
    guard let text = texts[f] else { return nil }
    let file = TOMLFile.parse(text, name: f.rawValue, log: log)
    parsed.files[f] = file
    return file
  }

  func csvFile(_ f: DataSetFile) -> CSVTable? {
    guard let text = texts[f] else { return nil }
    return CSVTable.parse(text, file: f.rawValue, log: log)
  }

  // MARK: The model

  mutating func build(source: String, hash: String) -> PlanningModel? {
    // Syntax first: with a file that does not parse, every reference into it would be
    // reported as unknown, burying the one real problem.
    for f in DataSetFile.allCases where f.rawValue.hasSuffix(".toml") { _ = tomlFile(f) }
    guard log.isEmpty, let datasetFile = tomlFile(.dataset) else { return nil }
    let root = TableReader(root: datasetFile, log: log)
    let name = root.string("name", required: true) ?? ""
    let description = root.string("description") ?? ""
    let illustrative = root.bool("illustrative") ?? false

    guard let horizonTable = root.subtable("horizon") else {
      root.problem("horizon", "is missing; expected a [horizon] table with start and periods", as: .missing)
      // A misspelt [horizon] is the usual cause: name it too, with its line.
      for key in ["settings", "classes", "countries", "groups"] { root.markUsed(key) }
      root.rejectUnknownKeys()
      return nil
    }
    guard let start = horizonTable.month("start", required: true),
      let periods = horizonTable.integer("periods", required: true, min: 1, max: 600)
    else { return nil }
    let length = horizonTable.choice("period", as: PeriodLength.self) ?? .month
    horizonTable.rejectUnknownKeys()
    horizon = Horizon(start: start, periods: periods, length: length)

    let settings = readSettings(root.subtable("settings"))
    let classes = readClasses(root.subtable("classes"))
    let (countries, groups) = readCountries(root)
    root.rejectUnknownKeys()

    let substitutes = readItems()
    var producers = readProducers()
    var consumers = readConsumers()
    var markets = readMarkets()
    let (routes, rules, quotas) = readLinks(producers: producers, consumers: consumers)
    var funders = readFunders(producers: producers, consumers: consumers)
    readCapacitySchedules(&producers)
    readDemand(&consumers)
    readTargets(&consumers)
    readDeliveries(&consumers)
    readBudgets(&funders)
    resolveExpansionFunders(&producers)
    var pools = Entities<Pool>(repeating: Pool(name: ""), count: names.pools.count)
    for (poolName, index) in names.pools { pools[index] = Pool(name: poolName) }
    for m in markets.indices {
      for s in markets[m].supplies.indices where markets[m].supplies[s].pools.isEmpty {
        markets[m].supplies[s].pools = Array(pools.indices)
      }
    }
    return PlanningModel(
      name: name, description: description, illustrative: illustrative, horizon: horizon,
      settings: settings, classes: classes, countries: countries, groups: groups, pools: pools,
      items: items, substitutes: substitutes, producers: producers, consumers: consumers,
      markets: markets, routes: routes, rules: rules, quotas: quotas, funders: funders,
      contentHash: hash, source: source)
  }

  private func readSettings(_ t: TableReader?) -> Settings {
    var s = Settings(
      policy: .weighted, defaultLeadTimeMonths: 1, stageTolerance: 1e-9, stockpileWeight: 1, urgency: 0.001,
      defaultEligible: true)
    guard let t else { return s }
    if let p = t.choice("policy", as: AllocationPolicy.self) { s.policy = p }
    if let l = t.number("default_lead_time", min: 0, max: 120) { s.defaultLeadTimeMonths = l }
    if let tol = t.number("stage_tolerance", min: 0, max: 0.1, smallest: 1e-15) { s.stageTolerance = tol }
    if let w = t.number("stockpile_weight", min: 0, max: Limits.weight) { s.stockpileWeight = w }
    if let u = t.number("urgency", min: 0, max: 0.1) { s.urgency = u }
    if let e = t.bool("default_eligible") { s.defaultEligible = e }
    t.rejectUnknownKeys()
    return s
  }

  private func readClasses(_ t: TableReader?) -> [ClassSettings] {
    var out = ConsumerClass.allCases.enumerated().map { i, c in ClassSettings(consumerClass: c, weight: 1, rank: i + 1)
    }
    guard let t else { return out }
    for (i, c) in ConsumerClass.allCases.enumerated() {
      guard let ct = t.subtable(c.rawValue) else { continue }
      if let w = ct.number("weight", min: 0, max: Limits.weight) { out[i].weight = w }
      if let r = ct.integer("rank", min: 1, max: 99) { out[i].rank = r }
      ct.rejectUnknownKeys()
    }
    t.rejectUnknownKeys()
    return out
  }

  private mutating func readCountries(_ root: TableReader) -> (Entities<Country>, [CountryGroup]) {
    var countries = Entities<Country>()
    if let t = root.subtable("countries") {
      for code in t.table.keys.sorted() {
        guard let name = t.string(code) else { continue }
        if code.count < 2 || code.count > 3 || !code.allSatisfy({ $0.isASCII && $0.isUppercase }) {
          t.problem(
            code, value: "\"\(code)\"", "expected a country code of 2–3 capital letters (ISO 3166, e.g. DE)",
            as: .invalidValue)
          continue
        }
        names.countries[code] = countries.add(Country(code: code, name: name))
      }
    } else {
      root.problem("countries", "is missing; expected a [countries] table such as DE = \"Germany\"", as: .missing)
    }
    var groups: [CountryGroup] = []
    if let t = root.subtable("groups") {
      for id in t.table.keys.sorted() {
        guard let members = t.strings(id) else { continue }
        if let why = Identifier.problem(id) { t.problem(id, value: id, why, as: .invalidValue) }
        if names.countries[id] != nil {
          t.problem(id, value: id, "a group cannot share its name with a country code", as: .inconsistent)
          continue
        }
        var indices: [CountryIndex] = []
        for m in members {
          if let c = names.countries[m] {
            indices.append(c)
          } else {
            t.problem(id, value: "\"\(m)\"", "unknown country; expected a code from [countries]", as: .unknownReference)
          }
        }
        names.countryGroups[id] = indices
        groups.append(CountryGroup(id: id, name: id, members: indices))
      }
    }
    return (countries, groups)
  }

  func country(_ t: TableReader, key: String = "country", required: Bool = true) -> CountryIndex? {
    guard let code = t.string(key, required: required) else { return nil }
    guard let c = names.countries[code] else {
      t.problem(
        key, value: "\"\(code)\"", "unknown country; expected a code listed in dataset.toml [countries]",
        as: .unknownReference)
      return nil
    }
    return c
  }

  // MARK: Items

  private mutating func readItems() -> Entities<SubstitutionGroup> {
    guard let file = tomlFile(.items) else { return [] }
    let root = TableReader(root: file, log: log)
    let tables = root.tables("item", singular: "item", sortedBy: "id")
    if tables.isEmpty { root.problem("item", "no items; expected at least one [[item]]", as: .missing) }
    let (bomTexts, readers) = readItemTables(tables)
    resolveBillsOfMaterials(bomTexts, readers: readers)
    resolveSystemLinks()
    reportCycles(items, readers: readers)
    let groups = readSubstitutes(root)
    root.rejectUnknownKeys()
    return groups
  }

  /// Adds each `[[item]]` to `items`; bills of materials are returned as written, to be
  /// resolved once every item is known, with each item's reader (by item index).
  private mutating func readItemTables(
    _ tables: [TableReader]
  ) -> (boms: [[(String, Double)]], readers: [TableReader]) {
    var bomTexts: [[(String, Double)]] = []
    var readers: [TableReader] = []
    links = []
    for t in tables {
      guard let id = t.identifier("id") else { continue }
      if names.items[id] != nil {
        t.problem("id", value: "\"\(id)\"", "duplicate item id; each item needs its own", as: .duplicate)
        continue
      }
      let kind = t.choice("kind", as: ItemKind.self, required: true) ?? .end
      let item = Item(
        id: id, name: t.name() ?? id, kind: kind, unit: t.string("unit") ?? "units",
        weight: t.number("weight", min: 0, max: Limits.weight) ?? 1, billOfMaterials: [],
        family: t.string("family") ?? (kind == .end ? "other" : kind.rawValue))
      names.items[id] = items.add(item)
      readSystemFields(t, item: id, kind: kind)
      bomTexts.append(t.numberTable("bom", max: Limits.bomQuantity) ?? [])
      readers.append(t)
      t.rejectUnknownKeys()
    }
    return (bomTexts, readers)
  }

  /// An end item's attrition, and the system it is fired from and the part it wears, by name
  /// (resolved in `resolveSystemLinks` once every item is known).
  private mutating func readSystemFields(_ t: TableReader, item id: String, kind: ItemKind) {
    guard let i = names.items[id] else { return }
    let attrition = t.number("attrition", min: 0, max: 1)
    if let attrition {
      if kind != .end {
        t.problem(
          "attrition", value: "\(attrition)", "only end items held in service suffer attrition", as: .invalidValue)
      } else if attrition >= 1 {
        t.problem(
          "attrition", value: "\(attrition)", "expected a share of the units in service lost per month, below 1",
          as: .invalidValue)
      } else {
        items[i].attrition = attrition
      }
    }
    links.append(
      (
        i, t, pendingLink(t, "fired_from", rate: "fire_rate", kind: kind),
        pendingLink(t, "wears", rate: "wear_life", kind: kind)
      ))
  }

  /// A link key and its rate key as written: both or neither, on an end item only.
  private func pendingLink(_ t: TableReader, _ key: String, rate rateKey: String, kind: ItemKind) -> PendingLink? {
    let name = t.identifier(key, required: false)
    // One over a wear life is a coefficient: the life is capped as a ratio is floored.
    let rate = t.number(rateKey, max: rateKey == "wear_life" ? Limits.wearLife : Limits.quantity, above: 0)
    if name != nil && rate == nil && t.table[rateKey] == nil {
      t.problem(rateKey, "\(key) needs \(rateKey), a number above 0", as: .missing)
    } else if name == nil && rate != nil {
      t.problem(key, "\(rateKey) needs \(key), the end item it refers to", as: .missing)
    }
    if name != nil && kind != .end {
      t.problem(key, "only end items are fired from systems or wear parts", as: .invalidValue)
      return nil
    }
    guard let name, let rate else { return nil }
    return PendingLink(key: key, name: name, rate: rate)
  }

  /// Resolves `fired_from` and `wears`: each names another end item.
  private mutating func resolveSystemLinks() {
    for (i, t, firedFrom, wears) in links {
      items[i].firedFrom = firedFrom.flatMap { resolve($0, of: i, t) }
      items[i].wears = wears.flatMap { resolve($0, of: i, t) }
    }
    links = []
  }

  private func resolve(_ link: PendingLink, of i: ItemIndex, _ t: TableReader) -> SystemLink? {
    guard let j = names.items[link.name] else {
      t.problem(link.key, value: "\"\(link.name)\"", "unknown item", as: .unknownReference)
      return nil
    }
    guard items[j].kind == .end, j != i else {
      t.problem(
        link.key, value: "\"\(link.name)\"", "expected another end item (a system or part consumers hold)",
        as: .invalidValue)
      return nil
    }
    return SystemLink(item: j, rate: link.rate)
  }

  /// Resolves bills of materials by name: inputs must be known components or materials
  /// other than the item itself.
  private mutating func resolveBillsOfMaterials(_ bomTexts: [[(String, Double)]], readers: [TableReader]) {
    for i in items.indices {
      for (name, quantity) in bomTexts[i.rawValue] {
        guard let j = names.items[name] else {
          readers[i.rawValue].problem(
            "bom.\(name)", value: "\"\(name)\"", "unknown item in the bill of materials", as: .unknownReference)
          continue
        }
        if items[j].kind == .end {
          readers[i.rawValue].problem(
            "bom.\(name)", value: "\"\(name)\"", "an end item cannot be an input; expected a component or material",
            as: .invalidValue)
          continue
        }
        if j == i {
          readers[i.rawValue].problem(
            "bom.\(name)", value: "\"\(name)\"", "an item cannot be an input to itself", as: .inconsistent)
          continue
        }
        if quantity > 0 { items[i].billOfMaterials.append(BOMLine(item: j, quantity: quantity)) }
      }
    }
  }

  /// `[[substitute]]` groups of end items, each with an id no item or other group uses.
  private mutating func readSubstitutes(_ root: TableReader) -> Entities<SubstitutionGroup> {
    var groups = Entities<SubstitutionGroup>()
    for t in root.tables("substitute", singular: "substitute", sortedBy: "id") {
      guard let id = t.identifier("id") else { continue }
      if names.items[id] != nil || names.groups[id] != nil {
        t.problem(
          "id", value: "\"\(id)\"", "duplicate id; a substitution group needs an id no item or group uses",
          as: .duplicate)
        continue
      }
      var members: [GroupMember] = []
      for (name, factor) in t.numberTable("items", min: 0, max: Limits.weight) ?? [] {
        guard let i = names.items[name] else {
          t.problem("items.\(name)", value: "\"\(name)\"", "unknown item", as: .unknownReference)
          continue
        }
        guard items[i].kind == .end else {
          t.problem(
            "items.\(name)", value: "\"\(name)\"", "only end items can substitute for each other", as: .invalidValue)
          continue
        }
        if factor > 0 { members.append(GroupMember(item: i, factor: factor)) }
      }
      if members.isEmpty { t.problem("items", "expected at least one end item with a factor > 0", as: .missing) }
      names.groups[id] = groups.add(
        SubstitutionGroup(
          id: id, name: t.name() ?? id, unit: t.string("unit") ?? "units",
          weight: t.number("weight", min: 0, max: Limits.weight) ?? 1, members: members))
      t.rejectUnknownKeys()
    }
    return groups
  }

  /// A bill of materials must be acyclic; report each cycle once, naming its items.
  private func reportCycles(_ items: Entities<Item>, readers: [TableReader]) {
    var state = [Int](repeating: 0, count: items.count)  // 0 new, 1 on stack, 2 done
    var stack: [ItemIndex] = []
    var reported = Set<Set<ItemIndex>>()
    func visit(_ i: ItemIndex) {
      state[i.rawValue] = 1
      stack.append(i)
      for line in items[i].billOfMaterials {
        let j = line.item
        if state[j.rawValue] == 1, let start = stack.firstIndex(of: j) {
          let cycle = Array(stack[start...])
          if reported.insert(Set(cycle)).inserted {
            let path = (cycle + [j]).map { items[$0].id }.joined(separator: " → ")
            readers[j.rawValue].problem(
              "bom", value: nil, "the bill of materials has a cycle: \(path)", as: .inconsistent)
          }
        } else if state[j.rawValue] == 0 {
          visit(j)
        }
      }
      stack.removeLast()
      state[i.rawValue] = 2
    }
    for i in items.indices where state[i.rawValue] == 0 { visit(i) }
  }

  // MARK: Producers

  private mutating func pool(_ name: String) -> PoolIndex {
    if let p = names.pools[name] { return p }
    let p = PoolIndex(names.pools.count)
    names.pools[name] = p
    return p
  }

  private mutating func readProducers() -> Entities<Producer> {
    guard let file = tomlFile(.producers) else { return [] }
    let root = TableReader(root: file, log: log)
    var producers = Entities<Producer>()
    let tables = root.tables("producer", singular: "producer", sortedBy: "id")
    if tables.isEmpty { root.problem("producer", "no producers; expected at least one [[producer]]", as: .missing) }
    for t in tables {
      guard let id = t.identifier("id") else { continue }
      if names.producers[id] != nil {
        t.problem("id", value: "\"\(id)\"", "duplicate producer id", as: .duplicate)
        continue
      }
      if names.countries[id] != nil || names.countryGroups[id] != nil {
        t.problem(
          "id", value: "\"\(id)\"", "a producer id cannot equal a country code or group name", as: .inconsistent)
      }
      let countryIndex = country(t) ?? CountryIndex(0)
      let poolName = t.string("pool") ?? "main"
      if let why = Identifier.problem(poolName) { t.problem("pool", value: poolName, why, as: .invalidValue) }
      var producer = Producer(
        id: id, name: t.name() ?? id, country: countryIndex, pool: pool(poolName), products: [],
        lines: [], expansions: [])
      // Lines refer to products and expansions to both, so they are read in this order.
      readProducts(t, into: &producer)
      if producer.products.isEmpty {
        t.problem("product", "the producer makes nothing; expected at least one [[producer.product]]", as: .missing)
      }
      readLines(t, into: &producer)
      readExpansions(t, into: &producer, index: producers.endIndex)
      t.rejectUnknownKeys()
      names.producers[id] = producers.add(producer)
    }
    root.rejectUnknownKeys()
    return producers
  }

  /// `[[producer.product]]`: known items, each listed once, with a constant capacity.
  private mutating func readProducts(_ t: TableReader, into producer: inout Producer) {
    var seenItems = Set<ItemIndex>()
    for pt in t.tables("product", singular: "product", sortedBy: "item") {
      guard let itemID = pt.string("item", required: true) else { continue }
      guard let item = names.items[itemID] else {
        pt.problem(
          "item", value: "\"\(itemID)\"", "unknown item; expected an id from items.toml", as: .unknownReference)
        continue
      }
      guard seenItems.insert(item).inserted else {
        pt.problem("item", value: "\"\(itemID)\"", "the producer lists this item twice", as: .duplicate)
        continue
      }
      let per = pt.choice("per", as: RateUnit.self) ?? .month
      let capacity = pt.number("capacity", min: 0, max: Limits.quantity) ?? 0
      let finished = pt.bool("finished") ?? false
      producer.products.append(
        ProducerItem(
          item: item, capacity: Array(repeating: horizon.perPeriod(capacity, per: per), count: horizon.periods),
          unitCost: pt.number("unit_cost", min: 0, max: Limits.unitPrice) ?? 0,
          initialStock: pt.number("initial_stock", min: 0, max: Limits.quantity) ?? 0,
          finished: finished, billOfMaterials: route(pt, item: item, finished: finished)))
      pt.rejectUnknownKeys()
    }
  }

  /// A product's own `bom` (its producer's route), checked as an item's: known components or
  /// materials other than the item itself; none for a product delivered finished.
  private mutating func route(_ pt: TableReader, item: ItemIndex, finished: Bool) -> [BOMLine]? {
    guard let texts = pt.numberTable("bom", max: Limits.bomQuantity) else { return nil }
    if finished {
      pt.problem("bom", "a product delivered finished draws no inputs; remove bom or finished", as: .inconsistent)
      return nil
    }
    var lines: [BOMLine] = []
    for (name, quantity) in texts {
      guard let j = names.items[name] else {
        pt.problem("bom.\(name)", value: "\"\(name)\"", "unknown item in the bill of materials", as: .unknownReference)
        continue
      }
      guard items[j].kind != .end, j != item else {
        pt.problem(
          "bom.\(name)", value: "\"\(name)\"", "expected a component or material other than the product's item",
          as: .invalidValue)
        continue
      }
      if quantity > 0 { lines.append(BOMLine(item: j, quantity: quantity)) }
    }
    // A route that makes one of its inputs from the item itself would make both from nothing.
    for line in lines {
      if let path = pathOfInputs(from: line.item, to: item) {
        let text = ([item] + path).map { items[$0].id }.joined(separator: " → ")
        pt.problem("bom.\(items[line.item].id)", "the route makes a cycle of inputs: \(text)", as: .inconsistent)
        return nil
      }
    }
    for line in lines { routeInputs[item, default: []].insert(line.item) }
    return lines
  }

  /// A chain of inputs from `start` down to `goal` through the items' bills of materials and
  /// the routes read so far, or `nil`.
  private func pathOfInputs(from start: ItemIndex, to goal: ItemIndex) -> [ItemIndex]? {
    var parent: [ItemIndex: ItemIndex] = [:]
    var seen: Set<ItemIndex> = [start]
    var queue = [start]
    while !queue.isEmpty {
      let i = queue.removeFirst()
      if i == goal {
        var path = [i]
        while let p = parent[path[0]] { path.insert(p, at: 0) }
        return path
      }
      let next = items[i].billOfMaterials.map(\.item) + (routeInputs[i] ?? []).sorted()
      for j in next where seen.insert(j).inserted {
        parent[j] = i
        queue.append(j)
      }
    }
    return nil
  }

  /// `[[producer.line]]`: capacity shared by some of the producer's products.
  private func readLines(_ t: TableReader, into producer: inout Producer) {
    for lt in t.tables("line", singular: "line", sortedBy: "id") {
      guard let lineID = lt.identifier("id") else { continue }
      if producer.lines.contains(where: { $0.id == lineID }) || names.items[lineID] != nil {
        lt.problem(
          "id", value: "\"\(lineID)\"", "a line id must differ from the producer's other lines and from item ids",
          as: .duplicate)
        continue
      }
      let per = lt.choice("per", as: RateUnit.self) ?? .month
      let capacity = lt.number("capacity", required: true, min: 0, max: Limits.quantity) ?? 0
      var usage: [LineUsage] = []
      for (itemID, factor) in lt.numberTable("usage", min: 0, max: Limits.weight) ?? [] {
        guard let item = names.items[itemID] else {
          lt.problem("usage.\(itemID)", value: "\"\(itemID)\"", "unknown item", as: .unknownReference)
          continue
        }
        guard producer.products.contains(where: { $0.item == item }) else {
          lt.problem(
            "usage.\(itemID)", value: "\"\(itemID)\"", "the producer has no [[producer.product]] for this item",
            as: .unknownReference)
          continue
        }
        if factor > 0 { usage.append(LineUsage(item: item, usage: factor)) }
      }
      if usage.isEmpty {
        lt.problem(
          "usage", "expected a table of items and the line capacity one unit uses, e.g. { 155mm = 1 }", as: .wrongType)
      }
      producer.lines.append(
        ProductionLine(
          id: lineID, name: lt.name() ?? lineID,
          capacity: Array(repeating: horizon.perPeriod(capacity, per: per), count: horizon.periods), usage: usage))
      lt.rejectUnknownKeys()
    }
  }

  /// Reads `[[producer.expansion]]`: capacity the optimizer may add to a product or a line.
  ///
  /// A funder is noted for `resolveExpansionFunders`, as funders.toml is read later.
  private mutating func readExpansions(_ t: TableReader, into producer: inout Producer, index: ProducerIndex) {
    var expansionIDs = Set<String>()
    for et in t.tables("expansion", singular: "expansion", sortedBy: "id") {
      guard let expansionID = et.identifier("id") else { continue }
      guard expansionIDs.insert(expansionID).inserted else {
        et.problem("id", value: "\"\(expansionID)\"", "the producer has two expansions with this id", as: .duplicate)
        continue
      }
      let target = expansionTarget(et, of: producer)
      let per = et.choice("per", as: RateUnit.self) ?? .month
      let capacity = et.number("capacity", required: true, min: 0, max: Limits.quantity) ?? 0
      let leadMonths = et.number("lead_time", required: true, min: 0, max: 600) ?? 0
      let earliest = expansionEarliestStart(et)
      let cost = et.number("cost", min: 0, max: Limits.money) ?? 0
      let maxLeadMonths = et.number("max_lead_time", min: 0, max: 600) ?? leadMonths
      if maxLeadMonths < leadMonths {
        et.problem(
          "max_lead_time", value: TableReader.format(maxLeadMonths),
          "is shorter than lead_time (\(TableReader.format(leadMonths))); expected the longest build, in months",
          as: .inconsistent)
      }
      let lots = et.integer("lots", min: 1, max: Limits.lots)
      let running = et.number("running_cost", min: 0, max: Limits.money) ?? 0
      // The funder is resolved once funders.toml is read.
      if let f = et.string("funder") { pendingExpansionFunders.append((index, producer.expansions.endIndex, f, et)) }
      if let target {
        producer.expansions.append(
          Expansion(
            id: expansionID, name: et.name() ?? expansionID, target: target,
            capacity: horizon.perPeriod(capacity, per: per), leadTime: horizon.periods(forMonths: leadMonths),
            maxLeadTime: horizon.periods(forMonths: max(leadMonths, maxLeadMonths)), lots: lots,
            runningCost: horizon.perPeriod(running, per: .year), earliestStart: earliest, cost: cost, funder: nil))
      }
      et.rejectUnknownKeys()
    }
  }

  /// What an expansion adds capacity to: exactly one of `item` (a product) or `line`.
  private func expansionTarget(_ et: TableReader, of producer: Producer) -> Expansion.Target? {
    var target: Expansion.Target?
    if let itemID = et.string("item") {
      if let item = names.items[itemID], let k = producer.product(making: item) {
        target = .item(k)
      } else {
        et.problem(
          "item", value: "\"\(itemID)\"", "the producer has no [[producer.product]] for this item",
          as: .unknownReference)
      }
    }
    if let lineID = et.string("line") {
      if target != nil {
        et.problem("line", "give either item or line, not both", as: .inconsistent)
      } else if let k = producer.lines.firstIndex(where: { $0.id == lineID }) {
        target = .line(k)
      } else {
        et.problem(
          "line", value: "\"\(lineID)\"", "the producer has no [[producer.line]] with this id", as: .unknownReference)
      }
    }
    if !et.has("item") && !et.has("line") {
      et.problem(nil, "expected item or line: what the expansion adds capacity to", as: .missing)
    }
    return target
  }

  /// The first period an expansion may start: its `earliest` month, 0 if that is before the
  /// horizon (or not given); a month after the horizon is an error.
  private func expansionEarliestStart(_ et: TableReader) -> Int {
    var earliest = 0
    if let m = et.month("earliest") {
      if let p = horizon.period(of: m) {
        earliest = p
      } else if m < horizon.start {
        earliest = 0
      } else {
        et.problem("earliest", value: m.description, "is after the horizon's end (\(horizon.end))", as: .inconsistent)
      }
    }
    return earliest
  }

  var pendingExpansionFunders:
    [(producer: ProducerIndex, expansion: ExpansionIndex, funder: String, reader: TableReader)] = []

  private func resolveExpansionFunders(_ producers: inout Entities<Producer>) {
    for pending in pendingExpansionFunders {
      guard let f = names.funders[pending.funder] else {
        pending.reader.problem(
          "funder", value: "\"\(pending.funder)\"", "unknown funder; expected an id from funders.toml",
          as: .unknownReference)
        continue
      }
      if producers.indices.contains(pending.producer),
        producers[pending.producer].expansions.indices.contains(pending.expansion)
      {
        producers[pending.producer].expansions[pending.expansion].funder = f
      }
    }
  }

  // MARK: Consumers

  private mutating func readConsumers() -> Entities<Consumer> {
    guard let file = tomlFile(.consumers) else { return [] }
    let root = TableReader(root: file, log: log)
    var consumers = Entities<Consumer>()
    let tables = root.tables("consumer", singular: "consumer", sortedBy: "id")
    if tables.isEmpty { root.problem("consumer", "no consumers; expected at least one [[consumer]]", as: .missing) }
    for t in tables {
      guard let id = t.identifier("id") else { continue }
      if names.consumers[id] != nil || names.producers[id] != nil {
        t.problem(
          "id", value: "\"\(id)\"", "duplicate id; consumers need ids no other consumer or producer uses",
          as: .duplicate)
        continue
      }
      if names.countries[id] != nil || names.countryGroups[id] != nil || ConsumerClass(rawValue: id) != nil {
        t.problem(
          "id", value: "\"\(id)\"", "a consumer id cannot equal a country code, group or class name", as: .inconsistent)
      }
      let cls = t.choice("class", as: ConsumerClass.self, required: true) ?? .frontLine
      var stocks: [StockLevel] = []
      for (itemID, q) in t.numberTable("initial_stock", min: 0, max: Limits.quantity) ?? [] {
        guard let item = names.items[itemID] else {
          t.problem("initial_stock.\(itemID)", value: "\"\(itemID)\"", "unknown item", as: .unknownReference)
          continue
        }
        guard items[item].kind == .end else {
          t.problem(
            "initial_stock.\(itemID)", value: "\"\(itemID)\"", "consumers hold end items only", as: .invalidValue)
          continue
        }
        stocks.append(StockLevel(item: item, quantity: q))
      }
      names.consumers[id] = consumers.add(
        Consumer(
          id: id, name: t.name() ?? id, consumerClass: cls, country: country(t) ?? CountryIndex(0),
          priority: t.number("priority", min: 0, max: Limits.weight) ?? 1, active: t.bool("active") ?? true,
          combat: Array(repeating: (t.bool("combat") ?? (cls == .frontLine)) ? 1 : 0, count: horizon.periods),
          initialStock: stocks, demand: [], targets: [], scheduledArrivals: []))
      t.rejectUnknownKeys()
    }
    root.rejectUnknownKeys()
    return consumers
  }
}

/// A `fired_from` or `wears` key as written: the item's name, resolved once every item is known.
struct PendingLink {
  let key: String
  let name: String
  let rate: Double
}
