/// An array whose first elements are shared, unchanged, by every copy; appends go to each
/// copy's own tail.
///
/// A staged solve's copy of a program (the solver's view of what it has loaded) appends a
/// stage's rows to a program the formulation also holds: with plain arrays, the first append
/// copied the whole matrix (about 6 MB on generated large, and as much again for an analysis
/// worker's copy). Here it copies nothing; only removing shared elements and appending again
/// leaves the prefix shorter than the shared storage.
public struct SharedPrefixArray<Element: Sendable>: Sendable, RandomAccessCollection {
  /// Never mutated once set, so copies share its storage.
  private var prefix: [Element] = []
  /// How many of `prefix`'s elements are this array's first elements.
  private var prefixCount = 0
  /// The elements after those.
  private var tail: [Element] = []

  /// No elements.
  public init() {}

  /// The elements of `elements`, shared by copies.
  public init(_ elements: [Element]) {
    prefix = elements
    prefixCount = elements.count
  }

  /// The first position, 0.
  public var startIndex: Int { 0 }
  /// One past the last position: the count.
  public var endIndex: Int { prefixCount + tail.count }

  /// Element `i` (0-based).
  public subscript(i: Int) -> Element {
    i < prefixCount ? prefix[i] : tail[i - prefixCount]
  }

  /// Calls `body` with elements `range` in contiguous memory: in place when the range lies in
  /// the shared prefix or in the tail (`NameList` keeps each name on one side), else copied.
  func withContiguous<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
    if range.upperBound <= prefixCount {
      return try prefix.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }
    if range.lowerBound >= prefixCount {
      let local = (range.lowerBound - prefixCount)..<(range.upperBound - prefixCount)
      return try tail.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[local])) }
    }
    return try range.map { self[$0] }.withUnsafeBufferPointer(body)
  }

  /// Adds `element` after the others.
  public mutating func append(_ element: Element) { tail.append(element) }

  /// Adds `elements` after the others.
  public mutating func append(contentsOf elements: some Sequence<Element>) { tail.append(contentsOf: elements) }

  /// Room for `count` elements in all, so that appending up to that many allocates once.
  public mutating func reserveCapacity(_ count: Int) { tail.reserveCapacity(Swift.max(0, count - prefixCount)) }

  /// Keeps the first `count` elements and removes the rest; the shared storage is left as it is.
  public mutating func keepFirst(_ count: Int) {
    let n = Swift.max(0, Swift.min(count, endIndex))
    if n >= prefixCount {
      tail.removeLast(tail.count - (n - prefixCount))
    } else {
      prefixCount = n
      tail = []
    }
  }

  /// Makes every element part of a shared prefix of exactly this many, so that later copies
  /// share them all: what a program's builder does once.
  public mutating func share() {
    guard !tail.isEmpty || prefixCount < prefix.count else { return }
    var all: [Element] = []
    all.reserveCapacity(endIndex)
    all.append(contentsOf: prefix[..<prefixCount])
    all.append(contentsOf: tail)
    prefix = all
    prefixCount = all.count
    tail = []
  }
}

extension SharedPrefixArray: Equatable where Element: Equatable {
  /// Whether the two hold the same elements in the same order, however they are stored.
  public static func == (a: Self, b: Self) -> Bool {
    // Copies of one program share the prefix's storage, which `Array`'s == sees at once.
    if a.prefixCount == a.prefix.count && b.prefixCount == b.prefix.count && a.prefixCount == b.prefixCount {
      return a.prefix == b.prefix && a.tail == b.tail
    }
    return a.elementsEqual(b)
  }
}

extension SharedPrefixArray: ExpressibleByArrayLiteral {
  /// The elements of an array literal.
  public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension SharedPrefixArray: CustomStringConvertible {
  /// The elements as an array literal would show them, for test failures.
  public var description: String { Array(self).description }
}
