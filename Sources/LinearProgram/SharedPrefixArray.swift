/// An array whose elements are mostly shared, unchanged, with other arrays; appends go to each
/// copy's own tail.
///
/// A staged solve's copy of a program (the solver's view of what it has loaded) appends a
/// stage's rows to a program the formulation also holds: with plain arrays, the first append
/// copied the whole matrix (about 6 MB on generated large, and as much again for an analysis
/// worker's copy). Here it copies nothing. A block appended whole (`append(sharing:)`: a stage
/// block's rows, which the formulation keeps) is shared too, not copied: the fairness block's
/// names and coefficients on generated large, about 4.5 MB. Only removing shared elements and
/// appending again leaves shared storage partly unused.
public struct SharedPrefixArray<Element: Sendable>: Sendable, RandomAccessCollection {
  // Inlinable, so that a reading loop in another module (the solver's, over a matrix's
  // entries) is specialized for its element type: unspecialized, the block lookup cost a
  // sixth of a bundled sweep's time.

  /// Never mutated once set, so copies share its storage.
  @usableFromInline var prefix: [Element] = []
  /// How many of `prefix`'s elements are this array's first elements.
  @usableFromInline var prefixCount = 0
  /// Blocks shared after the prefix, in order, each with how many of its elements are used;
  /// never mutated once set.
  @usableFromInline var blocks: [Block] = []
  /// One past the last element of the prefix and the blocks: where the tail starts.
  @usableFromInline var tailStart = 0
  /// The elements after those, this array's own.
  @usableFromInline var tail: [Element] = []

  @usableFromInline struct Block: Sendable {
    @usableFromInline let elements: [Element]
    @usableFromInline let count: Int

    @usableFromInline init(elements: [Element], count: Int) {
      self.elements = elements
      self.count = count
    }
  }

  /// No elements.
  public init() {}

  /// The elements of `elements`, shared by copies.
  public init(_ elements: [Element]) {
    prefix = elements
    prefixCount = elements.count
    tailStart = elements.count
  }

  /// The first position, 0.
  @inlinable public var startIndex: Int { 0 }
  /// One past the last position: the count.
  @inlinable public var endIndex: Int { tailStart + tail.count }

  /// Element `i` (0-based).
  @inlinable public subscript(i: Int) -> Element {
    if i < prefixCount { return prefix[i] }
    if i >= tailStart { return tail[i - tailStart] }
    return inBlocks(i)
  }

  /// Element `i`, which lies in one of the blocks.
  @inlinable func inBlocks(_ i: Int) -> Element {
    var start = prefixCount
    var k = 0
    while k < blocks.count - 1 && i >= start + blocks[k].count {
      start += blocks[k].count
      k += 1
    }
    return blocks[k].elements[i - start]
  }

  /// Calls `body` with elements `range` in contiguous memory: in place when the range lies in
  /// the prefix, in one block or in the tail (`NameList` keeps each name on one side), else
  /// copied.
  func withContiguous<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
    if range.upperBound <= prefixCount {
      return try prefix.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }
    if range.lowerBound >= tailStart {
      let local = (range.lowerBound - tailStart)..<(range.upperBound - tailStart)
      return try tail.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[local])) }
    }
    var start = prefixCount
    for b in blocks {
      if range.lowerBound >= start && range.upperBound <= start + b.count {
        let local = (range.lowerBound - start)..<(range.upperBound - start)
        return try b.elements.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[local])) }
      }
      start += b.count
    }
    return try range.map { self[$0] }.withUnsafeBufferPointer(body)
  }

  /// Adds `element` after the others.
  public mutating func append(_ element: Element) { tail.append(element) }

  /// Adds `elements` after the others.
  public mutating func append(contentsOf elements: some Sequence<Element>) { tail.append(contentsOf: elements) }

  /// Adds `elements` after the others without copying them: copies of this array and the
  /// caller's share their storage.
  public mutating func append(sharing elements: [Element]) {
    guard !elements.isEmpty else { return }
    if !tail.isEmpty {
      // The tail becomes a block as it is (moved, not copied); later appends start a new one.
      blocks.append(Block(elements: tail, count: tail.count))
      tailStart += tail.count
      tail = []
    }
    blocks.append(Block(elements: elements, count: elements.count))
    tailStart += elements.count
  }

  /// Adds `other`'s elements after these, sharing its storage (`append(sharing:)`).
  public mutating func append(sharing other: SharedPrefixArray) {
    append(sharing: other.prefixCount == other.prefix.count ? other.prefix : Array(other.prefix[..<other.prefixCount]))
    for b in other.blocks {
      append(sharing: b.count == b.elements.count ? b.elements : Array(b.elements[..<b.count]))
    }
    append(sharing: other.tail)
  }

  /// Room for `count` elements in all, so that appending up to that many allocates once.
  public mutating func reserveCapacity(_ count: Int) { tail.reserveCapacity(Swift.max(0, count - tailStart)) }

  /// Keeps the first `count` elements and removes the rest; shared storage is left as it is.
  public mutating func keepFirst(_ count: Int) {
    let n = Swift.max(0, Swift.min(count, endIndex))
    if n >= tailStart {
      tail.removeLast(tail.count - (n - tailStart))
      return
    }
    tail = []
    tailStart = n
    guard n > prefixCount else {
      prefixCount = n
      blocks = []
      return
    }
    var kept: [Block] = []
    var start = prefixCount
    for b in blocks where start < n {
      let used = Swift.min(b.count, n - start)
      kept.append(Block(elements: b.elements, count: used))
      start += used
    }
    blocks = kept
  }

  /// Makes every element part of a shared prefix of exactly this many, so that later copies
  /// share them all: what a program's builder does once.
  public mutating func share() {
    guard !tail.isEmpty || !blocks.isEmpty || prefixCount < prefix.count else { return }
    var all: [Element] = []
    all.reserveCapacity(endIndex)
    all.append(contentsOf: prefix[..<prefixCount])
    for b in blocks { all.append(contentsOf: b.elements[..<b.count]) }
    all.append(contentsOf: tail)
    prefix = all
    prefixCount = all.count
    blocks = []
    tailStart = all.count
    tail = []
  }
}

extension SharedPrefixArray: Equatable where Element: Equatable {
  /// Whether the two hold the same elements in the same order, however they are stored.
  public static func == (a: Self, b: Self) -> Bool {
    // Copies of one program share the prefix's storage, which `Array`'s == sees at once.
    if a.blocks.isEmpty && b.blocks.isEmpty && a.prefixCount == a.prefix.count && b.prefixCount == b.prefix.count
      && a.prefixCount == b.prefixCount
    {
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
