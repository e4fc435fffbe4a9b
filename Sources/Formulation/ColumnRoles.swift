import PlanningModel

/// Every column's role, packed: a kind and four 32-bit fields, 20 bytes a column.
///
/// As `[ColumnRole]` a role took 40 bytes (its `Int` periods and counts, padded), about 9 MB on
/// generated large for as long as the run (docs/PERFORMANCE.md, "Memory"). A role is unpacked
/// when it is read; packing loses nothing, so two lists are equal exactly when their roles are.
public struct ColumnRoles: Sendable, Equatable, RandomAccessCollection {
  private var packed: [Packed] = []

  /// A role's kind and fields; fields a kind does not use are 0.
  private struct Packed: Sendable, Equatable {
    var kind: Kind
    var a: Int32
    var b: Int32 = 0
    var c: Int32 = 0
    var d: Int32 = 0
  }

  private enum Kind: UInt8, Sendable {
    case production, nodeStock, shipment, consumerStock, shortfall, groupUse, targetGap, poolStock, purchase
    case expansion, build, payment, carryOver, coverageFloor, equalShare, shareDeviation
  }

  /// No roles.
  public init() {}

  /// The roles of `roles`, in order (in storage of exactly their size when their count is
  /// known).
  public init(_ roles: some Sequence<ColumnRole>) {
    packed.reserveCapacity(roles.underestimatedCount)
    append(contentsOf: roles)
  }

  /// The roles of `roles`, then those of `more`, in storage of exactly their size.
  public init(_ roles: [ColumnRole], appending more: [ColumnRole]) {
    packed.reserveCapacity(roles.count + more.count)
    append(contentsOf: roles)
    append(contentsOf: more)
  }

  /// Adds `roles` after the others.
  public mutating func append(contentsOf roles: some Sequence<ColumnRole>) {
    for role in roles { packed.append(Self.pack(role)) }
  }

  /// The first position, 0.
  public var startIndex: Int { 0 }
  /// One past the last position: the count.
  public var endIndex: Int { packed.count }

  /// Column `j`'s role.
  public subscript(j: Int) -> ColumnRole { Self.unpack(packed[j]) }

  /// A period, count or position in 32 bits: a program has fewer than 2³¹ columns, so none
  /// of these reaches 2³¹ (a horizon that long could not be formulated).
  private static func field(_ x: Int) -> Int32 { Int32(truncatingIfNeeded: x) }

  private static func field<T>(_ x: EntityIndex<T>) -> Int32 { Int32(truncatingIfNeeded: x.rawValue) }

  private static func pack(_ role: ColumnRole) -> Packed {
    switch role {
    case .production(let p, let q, let t): Packed(kind: .production, a: field(p), b: field(q), c: field(t))
    case .nodeStock(let n, let t): Packed(kind: .nodeStock, a: field(n), b: field(t))
    case .shipment(let n, let k, let t): Packed(kind: .shipment, a: field(n), b: field(k), c: field(t))
    case .consumerStock(let k, let i, let t): Packed(kind: .consumerStock, a: field(k), b: field(i), c: field(t))
    case .shortfall(let k, let d, let t): Packed(kind: .shortfall, a: field(k), b: field(d), c: field(t))
    case .groupUse(let k, let d, let i, let t):
      Packed(kind: .groupUse, a: field(k), b: field(d), c: field(i), d: field(t))
    case .targetGap(let k, let s): Packed(kind: .targetGap, a: field(k), b: field(s))
    case .poolStock(let p, let i, let t): Packed(kind: .poolStock, a: field(p), b: field(i), c: field(t))
    case .purchase(let m, let s, let p, let t):
      Packed(kind: .purchase, a: field(m), b: field(s), c: field(p), d: field(t))
    case .expansion(let p, let e, let t): Packed(kind: .expansion, a: field(p), b: field(e), c: field(t))
    case .build(let p, let e, let t, let b): Packed(kind: .build, a: field(p), b: field(e), c: field(t), d: field(b))
    case .payment(let f, let k, let c, let t):
      Packed(kind: .payment, a: field(f), b: field(k), c: field(c), d: field(t))
    case .carryOver(let f, let t): Packed(kind: .carryOver, a: field(f), b: field(t))
    case .coverageFloor(let c): Packed(kind: .coverageFloor, a: field(ConsumerClass.allCases.firstIndex(of: c) ?? 0))
    case .equalShare(let g): Packed(kind: .equalShare, a: field(g))
    case .shareDeviation(let g, let m): Packed(kind: .shareDeviation, a: field(g), b: field(m))
    }
  }

  private static func unpack(_ p: Packed) -> ColumnRole {
    let (a, b, c, d) = (Int(p.a), Int(p.b), Int(p.c), Int(p.d))
    switch p.kind {
    case .production: return .production(producer: .init(a), product: .init(b), t: c)
    case .nodeStock: return .nodeStock(node: .init(a), t: b)
    case .shipment: return .shipment(node: .init(a), consumer: .init(b), t: c)
    case .consumerStock: return .consumerStock(consumer: .init(a), item: .init(b), t: c)
    case .shortfall: return .shortfall(consumer: .init(a), demand: .init(b), t: c)
    case .groupUse: return .groupUse(consumer: .init(a), demand: .init(b), item: .init(c), t: d)
    case .targetGap: return .targetGap(consumer: .init(a), target: .init(b))
    case .poolStock: return .poolStock(pool: .init(a), item: .init(b), t: c)
    case .purchase: return .purchase(market: .init(a), supply: .init(b), pool: .init(c), t: d)
    case .expansion: return .expansion(producer: .init(a), expansion: .init(b), t: c)
    case .build: return .build(producer: .init(a), expansion: .init(b), t: c, buildTime: d)
    case .payment: return .payment(funder: .init(a), consumer: .init(b), fundingClass: c, t: d)
    case .carryOver: return .carryOver(funder: .init(a), t: b)
    case .coverageFloor: return .coverageFloor(consumerClass: ConsumerClass.allCases[a])
    case .equalShare: return .equalShare(group: a)
    case .shareDeviation: return .shareDeviation(group: a, member: b)
    }
  }
}
