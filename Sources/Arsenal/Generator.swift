import Foundation
import PlanningModel
import Reports

/// Knobs of a synthetic data set.
///
/// Presets give the three sizes; each knob can be set alone.
public struct GeneratorSize: Sendable, Hashable {
  /// Countries, coded `AA`, `AB`, …; the first two thirds form the `WEST` group and the west pool.
  public var countries: Int
  /// Producers: plants of firms, about four plants to a firm, each firm in one country.
  public var producers: Int
  /// End items the consumers demand, each assembled from components.
  public var endItems: Int
  /// Components per end item (each end item draws on this many, from a shared catalogue).
  public var componentsPerItem: Int
  /// Components in the shared catalogue; about half are made from a material.
  public var components: Int
  /// Materials (in tonnes), bought on markets or made by producers, and used by components.
  public var materials: Int
  /// Consumers: the first is the front line, the last a reassurance force, the others readiness.
  public var consumers: Int
  /// Markets selling materials (and a few components), some open to one pool only.
  public var markets: Int
  /// Funders with yearly budgets; half of them pay for the front line.
  public var funders: Int
  /// Monthly periods of the horizon, which starts in 2027-01.
  public var periods: Int

  /// About the size of the bundled data set.
  public static let small = GeneratorSize(
    countries: 8, producers: 40, endItems: 10, componentsPerItem: 3, components: 14, materials: 4, consumers: 8,
    markets: 4,
    funders: 5, periods: 36)
  /// Four times the small set's producers, over 48 months.
  public static let medium = GeneratorSize(
    countries: 16, producers: 160, endItems: 20, componentsPerItem: 3, components: 30, materials: 6, consumers: 16,
    markets: 8, funders: 10, periods: 48)
  /// At least 500,000 LP non-zeros, about the most GLPK's simplex solves here in ten minutes.
  public static let large = GeneratorSize(
    countries: 24, producers: 560, endItems: 36, componentsPerItem: 4, components: 60, materials: 8, consumers: 34,
    markets: 14, funders: 18, periods: 68)
  /// Beyond GLPK in ten minutes (over 700,000 non-zeros); for the scale discussion.
  public static let xlarge = GeneratorSize(
    countries: 24, producers: 640, endItems: 36, componentsPerItem: 4, components: 60, materials: 8, consumers: 40,
    markets: 14, funders: 18, periods: 72)

  /// The preset called `name` (`small`, `medium`, `large` or `xlarge`); `nil` for any other name.
  public static func preset(_ name: String) -> GeneratorSize? {
    switch name {
    case "small": return .small
    case "medium": return .medium
    case "large": return .large
    case "xlarge": return .xlarge
    default: return nil
    }
  }
}

/// Writes a synthetic but structurally realistic data set: producers in countries and two
/// pools; end items assembled from components, some made from materials bought on
/// markets; consumers of every class with demand series and stockpile targets; ramp-ups,
/// shared lines, expansions, routes, eligibility rules, quotas and budgets.
///
/// Deterministic by seed: the same size and seed give the same files, byte for byte.
public enum Generator {
  struct Random {
    var state: UInt64
    /// The seed goes through SplitMix64's mixing function (a bijection) before it becomes the
    /// state: seeding the state linearly made seed s + k the sequence of seed s shifted by k
    /// draws, so nearby seeds gave largely the same instance.
    init(seed: UInt64) { state = Self.mix(Self.mix(seed ^ 0x2545_F491_4F6C_DD1D)) }
    mutating func next() -> UInt64 {
      // SplitMix64: small, fast, and the same on every platform.
      state &+= 0x9E37_79B9_7F4A_7C15
      return Self.mix(state)
    }
    static func mix(_ x: UInt64) -> UInt64 {
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
  }

  /// The data set's files (`dataset.toml`, the other TOML files and the CSV series) for `size`,
  /// drawn from `seed`.
  public static func files(size: GeneratorSize, seed: UInt64) -> FileSet {
    var r = Random(seed: seed)
    let world = World(size: size)
    // The draws happen in this order (items, producers, consumers, markets, links, funders):
    // reordering the calls below would change every file for a given seed.
    let (items, endCost) = itemsTOML(world, &r)
    let producers = producerFiles(world, endCost: endCost, &r)
    let consumers = consumerFiles(world, endCost: endCost, makers: producers.makers, &r)
    let markets = marketsTOML(world, &r)
    let links = linksTOML(world, &r)
    let funders = fundersTOML(world, consumerIDs: consumers.ids, &r)

    var set = FileSet()
    set.add("dataset.toml", datasetTOML(world, seed: seed))
    set.add("items.toml", items)
    set.add("producers.toml", producers.producers)
    set.add("consumers.toml", consumers.consumers)
    set.add("markets.toml", markets)
    set.add("links.toml", links)
    set.add("funders.toml", funders)
    set.add("capacity.csv", producers.capacity)
    set.add("demand.csv", consumers.demand)
    set.add("stockpile_targets.csv", consumers.targets)
    set.add("scenarios.toml", scenariosTOML)
    return set
  }

  /// The names every file refers to, drawn from the size alone (no random draws).
  private struct World {
    let size: GeneratorSize
    let start = "2027-01"
    /// Country codes `AA`, `AB`, … in order, one per country.
    let codes: [String]
    /// The first two thirds of the countries form a "WEST" group.
    let west: [String]
    let pools = ["west", "east"]
    let materials: [String]
    let components: [String]
    let ends: [String]
    /// End items, components, materials: the order in which the first plants get one each.
    let everyItem: [String]

    init(size: GeneratorSize) {
      self.size = size
      codes = (0..<size.countries).map { n -> String in
        let a = UnicodeScalar(UInt8(65 + n / 26))
        let b = UnicodeScalar(UInt8(65 + n % 26))
        return "\(Character(a))\(Character(b))"
      }
      west = Array(codes.prefix(max(1, size.countries * 2 / 3)))
      materials = (0..<size.materials).map { "mat-\($0 + 1)" }
      components = (0..<size.components).map { "comp-\($0 + 1)" }
      ends = (0..<size.endItems).map { "end-\($0 + 1)" }
      everyItem = ends + components + materials
    }

    /// Western countries share one pool, the rest the other.
    func pool(of country: String) -> String { west.contains(country) ? "west" : "east" }

    /// The month `months` after the start, as written in the CSV files.
    func month(_ months: Int) -> String { YearMonth(start)?.adding(months: months).description ?? start }

    /// A month from `low` to `high` months after the start drawn from `r`, both kept inside
    /// the horizon (a short horizon has no month 6; a row dated after it is an input error).
    func month(from low: Int, to high: Int, _ r: inout Random) -> String {
      let last = size.periods - 1
      let a = min(low, last)
      return month(r.int(a...max(a, min(high, last))))
    }
  }

  /// `dataset.toml`: horizon, settings, classes, countries and the WEST group.
  private static func datasetTOML(_ w: World, seed: UInt64) -> String {
    var dataset = """
      # Synthetic data set generated by `arsenal generate` (seed \(seed)).
      # source (all below): every number is drawn at random by the generator, not real data.
      name = "Synthetic \(w.size.producers) producers, seed \(seed)"
      description = "Synthetic data for scale tests; no real figures."
      illustrative = true

      [horizon]
      start = "\(w.start)"
      periods = \(w.size.periods)

      [settings]
      policy = "weighted"
      default_lead_time = 1
      stockpile_weight = 0.3

      [classes.front-line]
      weight = 4
      rank = 1
      [classes.reassurance]
      weight = 2
      rank = 2
      [classes.readiness]
      weight = 1
      rank = 3

      [countries]

      """
    for c in w.codes { dataset += "\(c) = \"Country \(c)\"\n" }
    dataset += "\n[groups]\nWEST = [\(w.west.map { "\"\($0)\"" }.joined(separator: ", "))]\n"
    return dataset
  }

  /// `items.toml`: materials, components (some made from materials), end items from
  /// components; with each end item's unit cost, which sizes capacities and demand.
  private static func itemsTOML(_ w: World, _ r: inout Random) -> (text: String, endCost: [String: Double]) {
    var items = "# Synthetic items. source (all below): drawn at random by `arsenal generate`, not real data.\n"
    for m in w.materials {
      items += "\n[[item]]\nid = \"\(m)\"\nkind = \"material\"\nunit = \"t\"\n"
    }
    for c in w.components {
      items += "\n[[item]]\nid = \"\(c)\"\nkind = \"component\"\nunit = \"parts\"\n"
      if r.chance(0.5), let m = w.materials.isEmpty ? nil : r.pick(w.materials) {
        items += "bom = { \(m) = \(Double(r.int(1...20)) / 1000) }\n"
      }
    }
    var endCost: [String: Double] = [:]
    for e in w.ends {
      let cost = pow(10, 3 + 3 * r.unit())  // EUR 1,000 to 1,000,000
      endCost[e] = cost
      var bom: [String] = []
      var used = Set<String>()
      for _ in 0..<w.size.componentsPerItem {
        let c = r.pick(w.components)
        if used.insert(c).inserted { bom.append("\(c) = \(r.int(1...2))") }
      }
      items +=
        "\n[[item]]\nid = \"\(e)\"\nkind = \"end\"\nunit = \"units\"\n"
        + "weight = \(String(format: "%.3f", (cost / 4000).squareRoot()))\nbom = { \(bom.joined(separator: ", ")) }\n"
    }
    return (items, endCost)
  }

  /// Firms own the plants: each sits in one country, has one price level and a catalogue
  /// its plants make items from (as "every production line in Europe" would be entered).
  private struct Firms {
    var country: [String] = []
    var catalogue: [[String]] = []
    var price: [Double] = []

    init(_ w: World, _ r: inout Random) {
      for f in 0..<max(1, w.size.producers / 4) {
        country.append(w.codes[f % w.codes.count])
        var items: [String] = []
        for _ in 0..<r.int(1...3) {
          let roll = r.unit()
          let other = w.materials.isEmpty ? w.components : w.materials
          items.append(roll < 0.45 ? r.pick(w.ends) : roll < 0.9 ? r.pick(w.components) : r.pick(other))
        }
        catalogue.append(items)
        price.append(0.8 + 0.4 * r.unit())
      }
    }

    var count: Int { country.count }
  }

  /// `producers.toml` and `capacity.csv` as they are written, and the makers of each item
  /// (demand is sized by how many there are).
  private struct ProducerFiles {
    var producers = "# Synthetic producers. source (all below): drawn at random by `arsenal generate`, not real data.\n"
    var capacity = "producer,item,start,capacity,per,source\n"
    var makers: [String: [String]] = [:]
  }

  /// Producers are plants or lines of firms; ramp-ups go to `capacity.csv`.
  private static func producerFiles(_ w: World, endCost: [String: Double], _ r: inout Random) -> ProducerFiles {
    var out = ProducerFiles()
    let firms = Firms(w, &r)
    for p in 0..<w.size.producers { addProducer(p, to: &out, world: w, firms: firms, endCost: endCost, &r) }
    return out
  }

  /// One plant: its products (with ramp-ups), a shared line if it makes two end items, and
  /// now and then an expansion.
  private static func addProducer(
    _ p: Int, to out: inout ProducerFiles, world w: World, firms: Firms, endCost: [String: Double], _ r: inout Random
  ) {
    let id = "p\(p + 1)"
    let firm = p % firms.count
    let country = firms.country[firm]
    out.producers +=
      "\n[[producer]]\nid = \"\(id)\"\nname = \"Firm \(firm + 1), plant \(p / firms.count + 1)\"\n"
      + "country = \"\(country)\"\npool = \"\(w.pool(of: country))\"\n"
    var made = Set<String>()
    // Every item gets a maker early on; otherwise plants make one or two catalogue items.
    let early = p < w.everyItem.count
    var products: [String] = []
    if early { products.append(w.everyItem[p]) }
    for _ in 0..<(early ? r.int(0...1) : r.int(1...2)) { products.append(r.pick(firms.catalogue[firm])) }
    var endProducts: [String] = []
    for item in products where made.insert(item).inserted {
      let isEnd = item.hasPrefix("end-")
      let base = isEnd ? 20_000_000 / max(1000, endCost[item] ?? 1000) : item.hasPrefix("mat-") ? 50 : 3000
      let monthly = Double(Int((base * (0.3 + r.unit())).rounded()))
      let cost = isEnd ? (endCost[item] ?? 1000) * firms.price[firm] : 0
      out.producers +=
        "[[producer.product]]\nitem = \"\(item)\"\ncapacity = \(Int(monthly))\nunit_cost = \(Int(cost))\n"
      out.makers[item, default: []].append(id)
      if isEnd { endProducts.append(item) }
      if r.chance(0.35) {
        let ym = w.month(from: 3, to: w.size.periods - 6, &r)
        out.capacity += "\(id),\(item),\(ym),\(Int(monthly * (1.3 + r.unit()))),month,synthetic ramp-up\n"
      }
    }
    if endProducts.count >= 2 {
      // A line shared by two products, tighter than their capacities together.
      let usage = endProducts.prefix(2).map { "\($0) = 1" }.joined(separator: ", ")
      let lineCapacity = Int(15_000_000 / max(1000, endCost[endProducts[0]] ?? 1000))
      out.producers += "[[producer.line]]\nid = \"line-1\"\ncapacity = \(lineCapacity)\nusage = { \(usage) }\n"
    }
    if r.chance(0.1), let item = endProducts.first {
      out.producers +=
        "[[producer.expansion]]\nid = \"x1\"\nitem = \"\(item)\"\n"
        + "capacity = \(Int(10_000_000 / max(1000, endCost[item] ?? 1000)))\nlead_time = \(r.int(6...18))\n"
        + "cost = \(r.int(50...500) * 1_000_000)\n"
    }
  }

  /// `consumers.toml`, `demand.csv` and `stockpile_targets.csv` as they are written, and
  /// the consumer ids in order (funders pay for them).
  private struct ConsumerFiles {
    var consumers = "# Synthetic consumers. source (all below): drawn at random by `arsenal generate`, not real data.\n"
    var demand = "consumer,item,start,quantity,per,source\n"
    var targets = "consumer,item,date,level,source\n"
    var ids: [String] = []
  }

  /// Consumers: one front line, readiness consumers, one Reassurance Force; demand scaled
  /// by the item's price and makers, some of it changing later, and readiness targets.
  private static func consumerFiles(
    _ w: World, endCost: [String: Double], makers: [String: [String]], _ r: inout Random
  ) -> ConsumerFiles {
    var out = ConsumerFiles()
    for k in 0..<w.size.consumers {
      let id = "c\(k + 1)"
      out.ids.append(id)
      let cls = k == 0 ? "front-line" : k == w.size.consumers - 1 ? "reassurance" : "readiness"
      let country = k == 0 ? w.codes[w.codes.count - 1] : w.codes[k % w.codes.count]
      out.consumers += "\n[[consumer]]\nid = \"\(id)\"\nclass = \"\(cls)\"\ncountry = \"\(country)\"\n"
      let wants = k == 0 ? w.ends : (0..<max(2, w.ends.count / 3)).map { _ in r.pick(w.ends) }
      var seen = Set<String>()
      for e in wants where seen.insert(e).inserted {
        let makersCount = Double(makers[e]?.count ?? 1)
        let scale = k == 0 ? 1.2 : cls == "reassurance" ? 0.15 : 0.08
        let q = 20_000_000 / max(1000, endCost[e] ?? 1000) * makersCount * scale * (0.5 + r.unit())
        out.demand += "\(id),\(e),\(w.start),\(Int(q)),month,synthetic\n"
        if r.chance(0.3) {
          let ym = w.month(from: 6, to: w.size.periods - 1, &r)
          let changed = Int(q * (0.5 + r.unit()))
          // A one-month horizon has no later month for a change.
          if ym != w.start { out.demand += "\(id),\(e),\(ym),\(changed),month,synthetic change\n" }
        }
        if cls == "readiness" && r.chance(0.5) {
          let ym = w.month(w.size.periods - 1)
          out.targets += "\(id),\(e),\(ym),\(Int(q * Double(r.int(2...6)))),synthetic\n"
        }
      }
    }
    return out
  }

  /// `markets.toml`: markets for materials (and a few components), some open to one pool.
  private static func marketsTOML(_ w: World, _ r: inout Random) -> String {
    var markets = "# Synthetic markets. source (all below): drawn at random by `arsenal generate`, not real data.\n"
    for m in 0..<w.size.markets {
      let country = w.codes[(m * 7) % w.codes.count]
      markets += "\n[[market]]\nid = \"m\(m + 1)\"\ncountry = \"\(country)\"\n"
      var sold = Set<String>()
      for _ in 0..<r.int(1...3) {
        let item = w.materials.isEmpty || r.chance(0.2) ? r.pick(w.components) : r.pick(w.materials)
        guard sold.insert(item).inserted else { continue }
        let amount = item.hasPrefix("mat-") ? r.int(20...200) : r.int(1000...5000)
        markets += "[[market.supply]]\nitem = \"\(item)\"\ncapacity = \(amount)\nprice = \(r.int(100...5000))\n"
        if r.chance(0.3) { markets += "pools = [\"\(r.pick(w.pools))\"]\n" }
      }
    }
    return markets
  }

  /// `links.toml`: routes by country, an export ban, a quota.
  private static func linksTOML(_ w: World, _ r: inout Random) -> String {
    var links = "# Synthetic links. source (all below): drawn at random by `arsenal generate`, not real data.\n"
    links += "\n[[route]]\nfrom = \"WEST\"\nto = \"front-line\"\nlead_time = 1\ncost = 100\n"
    for c in w.codes.suffix(max(1, w.codes.count - w.west.count)) {
      links += "\n[[route]]\nfrom = \"\(c)\"\nto = \"*\"\nlead_time = \(r.int(2...4))\ncost = \(r.int(100...800))\n"
      links += "capacity = \(r.int(2000...20000))\n"
    }
    links +=
      "\n[[rule]]\nfrom = \"\(w.codes[1 % w.codes.count])\"\nto = \"front-line\"\nallow = false\n"
      + "note = \"synthetic export ban\"\n"
    links +=
      "\n[[quota]]\nid = \"q1\"\nfrom = \"\(w.codes[2 % w.codes.count])\"\nto = \"c1\"\nmax = \(r.int(500...5000))\n"
    return links
  }

  /// `funders.toml`: the front line's several funders (some buy only in the West);
  /// readiness consumers fund themselves.
  private static func fundersTOML(_ w: World, consumerIDs: [String], _ r: inout Random) -> String {
    var funders = "# Synthetic funders. source (all below): drawn at random by `arsenal generate`, not real data.\n"
    let size = w.size
    let frontDemandValue = 20_000_000.0 * Double(size.producers) / 4 * 12
    for f in 0..<size.funders {
      let pays = f < max(1, size.funders / 2) ? "\"c1\"" : "\"\(consumerIDs[(f % max(1, size.consumers - 1)) + 1])\""
      let budget = Int(frontDemandValue / Double(size.funders) * (0.3 + 0.5 * r.unit()))
      funders += "\n[[funder]]\nid = \"f\(f + 1)\"\nbudget = \(budget)\nper = \"year\"\npays_for = \(pays)\n"
      if r.chance(0.5) { funders += "buys_from = \"WEST\"\n" }
      if r.chance(0.3) { funders += "carry_over = false\n" }
    }
    return funders
  }

  /// `scenarios.toml`: one scenario, all capacity up by a fifth.
  private static let scenariosTOML =
    """
    # Synthetic scenarios. source (all below): drawn at random by `arsenal generate`, not real data.
    [scenario.capacity-plus-20]
    description = "All capacity up by a fifth."
    [[scenario.capacity-plus-20.change]]
    type = "scale-capacity"
    factor = 1.2
    """ + "\n"
}
