import PlanningModel
import Testing

@testable import Formulation

/// Packed roles read back as the roles packed, case by case, and compare as they do.
@Suite struct ColumnRolesTests {
  @Test func everyCaseReadsBackAsPacked() {
    let roles: [ColumnRole] = [
      .production(producer: .init(1), product: .init(2), t: 3),
      .nodeStock(node: .init(4), t: 5),
      .shipment(node: .init(6), consumer: .init(7), t: 8),
      .consumerStock(consumer: .init(9), item: .init(10), t: 11),
      .shortfall(consumer: .init(12), demand: .init(13), t: 14),
      .groupUse(consumer: .init(15), demand: .init(16), item: .init(17), t: 18),
      .targetGap(consumer: .init(19), target: .init(20)),
      .poolStock(pool: .init(21), item: .init(22), t: 23),
      .purchase(market: .init(24), supply: .init(25), pool: .init(26), t: 27),
      .expansion(producer: .init(28), expansion: .init(29), t: 30),
      .build(producer: .init(31), expansion: .init(32), t: 33, buildTime: 34),
      .payment(funder: .init(35), consumer: .init(36), fundingClass: 37, t: 38),
      .carryOver(funder: .init(39), t: 40),
      .coverageFloor(consumerClass: .frontLine),
      .coverageFloor(consumerClass: .reassurance),
      .coverageFloor(consumerClass: .readiness),
      .equalShare(group: 41),
      .shareDeviation(group: 42, member: 43),
      .shipment(node: .init(0), consumer: .init(0), t: 0),
      .shipment(node: .init(Int(Int32.max)), consumer: .init(1), t: 2_000_000),
    ]
    let packed = ColumnRoles(roles)
    #expect(packed.count == roles.count)
    #expect(Array(packed) == roles)
    #expect(packed == ColumnRoles(Array(roles.prefix(10)), appending: Array(roles.dropFirst(10))))
    // Roles that differ in one field only are told apart.
    #expect(ColumnRoles([.nodeStock(node: .init(4), t: 5)]) != ColumnRoles([.nodeStock(node: .init(4), t: 6)]))
    #expect(ColumnRoles([.equalShare(group: 1)]) != ColumnRoles([.coverageFloor(consumerClass: .reassurance)]))
  }
}
