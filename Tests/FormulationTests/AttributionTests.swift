import Formulation
import Optimizer
import PlanningModel
import Testing

/// Who made and who paid for each shipment (docs/OUTPUTS.md, allocations.csv), on cases
/// where the plan leaves no choice.
@Suite struct AttributionTests {
  /// Two plants of one node (same country and price) run full to meet a demand of exactly
  /// their capacity: the 400 rounds shipped are 100 from the small plant, 300 from the large.
  @Test func nodeShipmentsSplitByWhatEachMade() throws {
    var f = Fixture()
    f.producers = """
      [[producer]]
      id = "small"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 100
      [[producer]]
      id = "large"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 300
      """
    f.demand += "front,round,2027-01,400\n"
    let (m, r) = try f.solve()
    let shipments = try r.plan.shipments
    #expect(shipments.count == 1)
    let parts = try #require(shipments.first?.producers)
    let byID = Dictionary(uniqueKeysWithValues: parts.map { (m.producers[$0.producer].id, $0.quantity) })
    #expect(byID == ["small": 100, "large": 300])
  }

  /// Two funders share the cost of 150 rounds at €10,000 (€1.5 M) with budgets of €0.5 M and
  /// €1 M: both are spent in full, so they paid one third and two thirds of the shipment.
  @Test func fundersShareByWhatEachPaid() throws {
    var f = Fixture()
    f.producers = """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 200
      unit_cost = 10000
      """
    f.demand += "front,round,2027-01,150\n"
    f.extra[.funders] = """
      [[funder]]
      id = "small-fund"
      budget = 500000
      per = "month"
      pays_for = "front"
      [[funder]]
      id = "large-fund"
      budget = 1000000
      per = "month"
      pays_for = "front"
      """
    let (m, r) = try f.solve()
    let shipment = try #require(try r.plan.shipments.first)
    #expect(near(shipment.quantity, 150))
    let shares = Dictionary(uniqueKeysWithValues: shipment.funders.map { (m.funders[$0.funder].id, $0.share) })
    #expect(near(shares["small-fund"] ?? 0, 1.0 / 3, 1e-6))
    #expect(near(shares["large-fund"] ?? 0, 2.0 / 3, 1e-6))
  }

  /// Apportioning in thousandths: the parts add up to the whole, the remainder going to the
  /// largest fractional parts, the earlier member first on a tie.
  @Test func apportionKeepsTheTotal() {
    #expect(Allocation.apportion(10, weights: [1, 2]) == [3.333, 6.667])
    #expect(Allocation.apportion(1, weights: [1, 1, 1]) == [0.334, 0.333, 0.333])
    #expect(Allocation.apportion(5, weights: [0, 0]) == [2.5, 2.5])
    #expect(Allocation.apportion(7, weights: [3]) == [7])
  }
}
