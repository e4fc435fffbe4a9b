/// The position of an entity in the model, typed by what it points at.
///
/// A producer index and a consumer index are both small integers; typing them (as
/// swift-system types a file descriptor) lets the compiler catch one passed for the other.
/// Indices follow the model's arrays, which the loader sorts by id, so they do not depend on
/// the order of entries in the input files.
public struct EntityIndex<Entity>: RawRepresentable, Hashable, Comparable, Strideable, Sendable,
  CustomStringConvertible
{
  /// The position, in 32 bits.
  ///
  /// A column's role holds up to three indices, and a large program has hundreds of
  /// thousands of columns (docs/PERFORMANCE.md, "Memory"). No model that fits in memory has
  /// 2³¹ entities of one kind.
  @usableFromInline let position: Int32

  /// The position in the array of entities.
  @inlinable public var rawValue: Int { Int(position) }

  /// Wraps a position.
  @inlinable public init(rawValue: Int) { position = Int32(truncatingIfNeeded: rawValue) }

  /// Wraps a position.
  @inlinable public init(_ rawValue: Int) { self.init(rawValue: rawValue) }

  /// Orders by position.
  @inlinable public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  /// The distance to another index.
  @inlinable public func distance(to other: Self) -> Int { other.rawValue - rawValue }

  /// The index `n` positions further.
  @inlinable public func advanced(by n: Int) -> Self { Self(rawValue + n) }

  /// The position as a number.
  public var description: String { String(rawValue) }
}

/// An item of `PlanningModel.items`.
public typealias ItemIndex = EntityIndex<Item>
/// A substitution group of `PlanningModel.substitutes`.
public typealias GroupIndex = EntityIndex<SubstitutionGroup>
/// A producer of `PlanningModel.producers`.
public typealias ProducerIndex = EntityIndex<Producer>
/// A product within one producer's `products`.
public typealias ProductIndex = EntityIndex<ProducerItem>
/// A shared line within one producer's `lines`.
public typealias LineIndex = EntityIndex<ProductionLine>
/// An expansion option within one producer's `expansions`.
public typealias ExpansionIndex = EntityIndex<Expansion>
/// A consumer of `PlanningModel.consumers`.
public typealias ConsumerIndex = EntityIndex<Consumer>
/// A demand series within one consumer's `demand`.
public typealias DemandIndex = EntityIndex<Demand>
/// A stockpile target within one consumer's `targets`.
public typealias TargetIndex = EntityIndex<StockpileTarget>
/// A market of `PlanningModel.markets`.
public typealias MarketIndex = EntityIndex<Market>
/// A supply within one market's `supplies`.
public typealias SupplyIndex = EntityIndex<MarketSupply>
/// A funder of `PlanningModel.funders`.
public typealias FunderIndex = EntityIndex<Funder>
/// A country of `PlanningModel.countries`.
public typealias CountryIndex = EntityIndex<Country>
/// A component pool of `PlanningModel.pools`.
public typealias PoolIndex = EntityIndex<Pool>
/// A route of `PlanningModel.routes`.
public typealias RouteIndex = EntityIndex<Route>
/// A quota of `PlanningModel.quotas`.
public typealias QuotaIndex = EntityIndex<Quota>
/// An eligibility rule of `PlanningModel.rules`.
public typealias RuleIndex = EntityIndex<EligibilityRule>

/// An array whose positions are typed: `producers[p]` takes a `ProducerIndex` only.
///
/// Used for the model's entities and for per-entity results (a producer's production, a
/// consumer's shortfall), so that a value can only be read with an index of its own kind.
public struct TypedArray<Key, Element>: RandomAccessCollection, MutableCollection, RangeReplaceableCollection,
  Sendable
where Element: Sendable {
  /// The elements in position order.
  public var elements: [Element]

  /// An array of the given elements.
  @inlinable public init(_ elements: [Element]) { self.elements = elements }

  /// An empty array.
  @inlinable public init() { self.elements = [] }

  /// `count` copies of `value`.
  @inlinable public init(repeating value: Element, count: Int) {
    self.elements = Array(repeating: value, count: count)
  }

  /// The first position.
  @inlinable public var startIndex: EntityIndex<Key> { EntityIndex(0) }
  /// One past the last position.
  @inlinable public var endIndex: EntityIndex<Key> { EntityIndex(elements.count) }

  /// The element at a typed position.
  ///
  /// Modified in place: with a setter alone, a nested write such as `production[p][k][t] = v`
  /// gets the inner array, changes a copy of it and sets it back.
  @inlinable public subscript(position: EntityIndex<Key>) -> Element {
    get { elements[position.rawValue] }
    _modify { yield &elements[position.rawValue] }
  }

  /// Appends an element and returns its position.
  @discardableResult
  public mutating func add(_ element: Element) -> EntityIndex<Key> {
    elements.append(element)
    return EntityIndex(elements.count - 1)
  }

  /// Replaces the elements in `subrange` with `newElements`.
  public mutating func replaceSubrange<C: Collection>(_ subrange: Range<EntityIndex<Key>>, with newElements: C)
  where C.Element == Element {
    elements.replaceSubrange(subrange.lowerBound.rawValue..<subrange.upperBound.rawValue, with: newElements)
  }

  /// The same positions with transformed elements.
  public func mapValues<T: Sendable>(_ transform: (Element) throws -> T) rethrows -> TypedArray<Key, T> {
    TypedArray<Key, T>(try elements.map(transform))
  }

  /// The same positions with elements computed from each position and element.
  public func mapIndexed<T: Sendable>(_ transform: (EntityIndex<Key>, Element) throws -> T) rethrows -> TypedArray<
    Key, T
  > {
    TypedArray<Key, T>(try elements.enumerated().map { try transform(EntityIndex($0.offset), $0.element) })
  }

  /// Positions with their elements, in order, without copying the elements; inlinable, so
  /// that the formulation's loops over it are specialised (as an array of tuples built through
  /// generic metadata it was 5 % of a sweep's profile).
  @inlinable public func indexed() -> IndexedElements<Key, Element> { IndexedElements(elements) }

  /// The position of the first element that satisfies `predicate`.
  public func firstIndex(where predicate: (Element) throws -> Bool) rethrows -> EntityIndex<Key>? {
    try elements.firstIndex(where: predicate).map { EntityIndex($0) }
  }
}

/// A typed array's positions with their elements (`TypedArray.indexed()`).
public struct IndexedElements<Key, Element>: RandomAccessCollection {
  @usableFromInline let elements: [Element]

  @inlinable init(_ elements: [Element]) { self.elements = elements }

  /// The first position.
  @inlinable public var startIndex: Int { 0 }
  /// One past the last position.
  @inlinable public var endIndex: Int { elements.count }

  /// The `i`-th position with its element.
  @inlinable public subscript(i: Int) -> (index: EntityIndex<Key>, element: Element) {
    (EntityIndex(i), elements[i])
  }
}

extension IndexedElements: Sendable where Element: Sendable {}

extension TypedArray: Equatable where Element: Equatable {}
extension TypedArray: Hashable where Element: Hashable {}

extension TypedArray: ExpressibleByArrayLiteral {
  /// An array of the listed elements.
  public init(arrayLiteral elements: Element...) { self.elements = elements }
}

/// The model's entities of one kind, indexed by their own typed index.
public typealias Entities<E: Sendable> = TypedArray<E, E>

/// A set of entities of one kind, kept as a bit set: membership tests are constant time and
/// iteration runs in index order, so anything derived from the set is deterministic (Swift's
/// `Set` iterates in a per-process random order).
public struct EntitySet<Entity>: Sequence, Hashable, Sendable, Codable {
  private var words: [UInt64] = []

  /// The empty set.
  public init() {}

  /// The set of the given indices.
  public init<S: Sequence>(_ indices: S) where S.Element == EntityIndex<Entity> {
    for i in indices { insert(i) }
  }

  /// Whether `i` is in the set.
  public func contains(_ i: EntityIndex<Entity>) -> Bool {
    let w = i.rawValue >> 6
    return i.rawValue >= 0 && w < words.count && words[w] & (1 << UInt64(i.rawValue & 63)) != 0
  }

  /// Adds `i`.
  public mutating func insert(_ i: EntityIndex<Entity>) {
    guard i.rawValue >= 0 else { return }
    let w = i.rawValue >> 6
    if w >= words.count { words.append(contentsOf: repeatElement(0, count: w - words.count + 1)) }
    words[w] |= 1 << UInt64(i.rawValue & 63)
  }

  /// Adds every index of `other`.
  public mutating func formUnion<S: Sequence>(_ other: S) where S.Element == EntityIndex<Entity> {
    for i in other { insert(i) }
  }

  /// Keeps only the indices also in `other`.
  public mutating func formIntersection(_ other: EntitySet<Entity>) {
    for w in words.indices { words[w] &= w < other.words.count ? other.words[w] : 0 }
    trim()
  }

  /// The indices that satisfy `isIncluded`.
  public func filter(_ isIncluded: (EntityIndex<Entity>) throws -> Bool) rethrows -> EntitySet<Entity> {
    var out = EntitySet()
    for i in self where try isIncluded(i) { out.insert(i) }
    return out
  }

  /// Whether the set is empty.
  public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

  /// The number of indices in the set.
  public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

  private mutating func trim() {
    while let last = words.last, last == 0 { words.removeLast() }
  }

  /// The indices in increasing order.
  public func makeIterator() -> AnyIterator<EntityIndex<Entity>> {
    var word = 0
    var bits = words.first ?? 0
    let words = self.words
    return AnyIterator {
      while bits == 0 {
        word += 1
        guard word < words.count else { return nil }
        bits = words[word]
      }
      let bit = bits.trailingZeroBitCount
      bits &= bits - 1
      return EntityIndex(word * 64 + bit)
    }
  }

  /// Equal when they hold the same indices.
  public static func == (a: Self, b: Self) -> Bool {
    var x = a
    var y = b
    x.trim()
    y.trim()
    return x.words == y.words
  }

  /// Hashes the indices held.
  public func hash(into h: inout Hasher) {
    var x = self
    x.trim()
    h.combine(x.words)
  }

  /// Encodes as the sorted list of indices.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(map(\.rawValue))
  }

  /// Decodes a list of indices.
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    self.init(try c.decode([Int].self).map { EntityIndex($0) })
  }
}

extension EntityIndex: Codable {
  /// Encodes the position.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }

  /// Decodes a position (at most 2³¹ − 1).
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    guard let position = Int32(exactly: try c.decode(Int.self)) else {
      throw DecodingError.dataCorruptedError(in: c, debugDescription: "an entity's position beyond 2^31 - 1")
    }
    self.init(Int(position))
  }
}

extension TypedArray: Codable where Element: Codable {
  /// Encodes the elements in order.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(elements)
  }

  /// Decodes the elements in order.
  public init(from decoder: Decoder) throws {
    self.init(try decoder.singleValueContainer().decode([Element].self))
  }
}
