import Formulation
import Optimizer
import PlanningModel
import Testing

/// Small data sets written inline, solved end to end (load → formulate → GLPK → plan).
struct Fixture {
  var dataset = """
    name = "test"
    [horizon]
    start = "2027-01"
    periods = 1
    [settings]
    default_lead_time = 0
    [countries]
    AA = "Alphaland"
    BB = "Betaland"
    """
  var items = """
    [[item]]
    id = "round"
    kind = "end"
    unit = "rounds"
    """
  var producers = ""
  var consumers = """
    [[consumer]]
    id = "front"
    class = "front-line"
    country = "AA"
    """
  var demand = "consumer,item,start,quantity\n"
  var extra: [DataSetFile: String] = [:]

  var texts: [DataSetFile: String] {
    var t = extra
    t[.dataset] = dataset
    t[.items] = items
    t[.producers] = producers
    t[.consumers] = consumers
    t[.demand] = demand
    return t
  }

  func load() throws -> DataSet { try DataSetLoader.load(texts: texts) }

  /// One producer "p" in AA making `round`, as producers.toml text.
  static func producer(capacity: Int, unitCost: Int) -> String {
    """
    [[producer]]
    id = "p"
    country = "AA"
    [[producer.product]]
    item = "round"
    capacity = \(capacity)
    unit_cost = \(unitCost)
    """
  }

  func solve(policy: AllocationPolicy? = nil, scenarios: [String] = []) throws -> (PlanningModel, PlanResult) {
    let data = try load()
    let chosen = try scenarios.map { name in try #require(data.scenario(named: name), "no scenario \(name)") }
    let model = data.model.applying(chosen)
    let f = try Formulator.formulate(model, policy: policy)
    let result = try Optimizer(f).run()
    #expect(result.isOptimal, "status \(result.status)")
    return (model, result)
  }
}

extension PlanResult {
  var plan: Allocation {
    get throws { try #require(allocation) }
  }

  func totalShortfall(_ consumer: String) throws -> Double {
    let m = formulation.model
    let k = try #require(m.consumerIndex(consumer))
    return try plan.shortfall[k].flatMap { $0 }.reduce(0, +)
  }

  func shortfall(_ consumer: String, t: Int) throws -> Double {
    let k = try #require(formulation.model.consumerIndex(consumer))
    return try plan.shortfall[k].reduce(0) { $0 + $1[t] }
  }

  func delivered(_ consumer: String, item: String) throws -> Double {
    let m = formulation.model
    let k = try #require(m.consumerIndex(consumer))
    let i = try #require(m.itemIndex(item))
    return try plan.arrivals(consumer: k, item: i, model: m).reduce(0, +)
  }

  func produced(_ producer: String, item: String) throws -> Double {
    let m = formulation.model
    let p = try #require(m.producerIndex(producer))
    let i = try #require(m.itemIndex(item))
    let k = try #require(m.producers[p].products.firstIndex { $0.item == i })
    return try plan.production[p][k].reduce(0, +)
  }
}

/// Equal up to the solver's tolerances: GLPK holds each stage's optimum to about 1e-7 relative.
func near(_ a: Double, _ b: Double, _ tol: Double = 1e-4) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }
