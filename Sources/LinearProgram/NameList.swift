/// The names of a program's rows, or of its columns, by position: one block of UTF-8 text.
///
/// A `[String]` of a large program's names cost about 80 bytes a name (the array's slot, and
/// each name's own allocation, its header and rounded-up capacity); here a name costs its
/// bytes and the offset of its end (docs/PERFORMANCE.md, "Memory"). A name is made into a
/// `String` when it is read, which only messages, files and reports do.
///
/// The names a program was built with are shared by every copy of it (`SharedPrefixArray`),
/// so appending names to a copy (a staged solve's rows) copies none of them.
public struct NameList: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral,
  CustomStringConvertible
{
  /// Every name's bytes, one after the other.
  private var text = SharedPrefixArray<UInt8>()
  /// Where each name ends in `text`; name `i` starts where name `i - 1` ends.
  private var ends = SharedPrefixArray<Int>()

  /// No names.
  public init() {}

  /// The names of `names`, in order.
  public init(_ names: some Sequence<String>) {
    for name in names { append(name) }
    share()
  }

  /// The names of an array literal, in order.
  public init(arrayLiteral names: String...) { self.init(names) }

  /// The first position, 0.
  public var startIndex: Int { 0 }
  /// One past the last position: the count.
  public var endIndex: Int { ends.count }

  /// Name `i` (0-based).
  public subscript(i: Int) -> String {
    withUTF8(i) { String(decoding: $0, as: UTF8.self) }
  }

  /// Calls `body` with the bytes of name `i`, without making a `String` (hashing every name).
  public func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try text.withContiguous((i == 0 ? 0 : ends[i - 1])..<ends[i], body)
  }

  /// Adds `name` after the others.
  public mutating func append(_ name: String) {
    text.append(contentsOf: name.utf8)
    ends.append(text.count)
  }

  /// Adds `other`'s names after these, sharing their text (`SharedPrefixArray.append(sharing:)`):
  /// the fairness block's 1.9 MB of row names on generated large, appended by growth to a
  /// staged solve's copy of the program, held 3.7 MB there.
  public mutating func append(contentsOf other: NameList) {
    let base = text.count
    ends.reserveCapacity(ends.count + other.count)
    text.append(sharing: other.text)
    ends.append(contentsOf: other.ends.lazy.map { $0 + base })
  }

  /// Keeps the first `count` names and removes the rest.
  public mutating func keepFirst(_ count: Int) {
    ends.keepFirst(count)
    text.keepFirst(ends.last ?? 0)
  }

  /// Makes every name part of the block copies share (`SharedPrefixArray.share`).
  mutating func share() {
    text.share()
    ends.share()
  }

  /// Whether the two hold the same names in the same order, however they are stored: the
  /// same text cut at the same ends.
  public static func == (a: NameList, b: NameList) -> Bool { a.ends == b.ends && a.text == b.text }

  /// Hashes the text and where it is cut.
  public func hash(into hasher: inout Hasher) {
    for e in ends { hasher.combine(e) }
    for byte in text { hasher.combine(byte) }
  }

  /// The names as an array literal would show them, for test failures.
  public var description: String { Array(self).description }
}

/// Which position of a `NameList` holds a name: an open-addressing table of positions, so a
/// builder tells a repeated name without keeping each name a second time as a `String` key
/// (formulating generated large peaked 18 MiB higher with a `[String: Int]`).
struct NameIndex: Sendable {
  /// Positions in the list, `-1` for an empty slot; the count is a power of two.
  private var slots: [Int] = []
  private var count = 0

  /// The position of `name` in `names`, or `nil`.
  func position(of name: String, in names: NameList) -> Int? {
    guard !slots.isEmpty else { return nil }
    var name = name
    return name.withUTF8 { bytes in
      var s = Self.hash(bytes) & (slots.count - 1)
      while slots[s] >= 0 {
        let i = slots[s]
        if names.withUTF8(i, { $0.elementsEqual(bytes) }) { return i }
        s = (s + 1) & (slots.count - 1)
      }
      return nil
    }
  }

  /// Records that `names`'s last name, at position `names.count - 1`, is there; `false` (and
  /// nothing recorded) when an earlier position holds the same name.
  mutating func insertLast(of names: NameList) -> Bool {
    let i = names.count - 1
    if 2 * (count + 1) > slots.count { grow(names) }
    var s = names.withUTF8(i) { Self.hash($0) } & (slots.count - 1)
    while slots[s] >= 0 {
      let j = slots[s]
      if names.withUTF8(i, { x in names.withUTF8(j) { $0.elementsEqual(x) } }) { return false }
      s = (s + 1) & (slots.count - 1)
    }
    slots[s] = i
    count += 1
    return true
  }

  /// Twice the slots (at least 1,024), every recorded position placed again.
  private mutating func grow(_ names: NameList) {
    let old = slots
    slots = [Int](repeating: -1, count: Swift.max(1_024, 2 * old.count))
    for i in old where i >= 0 {
      var s = names.withUTF8(i) { Self.hash($0) } & (slots.count - 1)
      while slots[s] >= 0 { s = (s + 1) & (slots.count - 1) }
      slots[s] = i
    }
  }

  /// FNV-1a of the bytes, folded: fixed, unlike `Hasher`'s per-process seed.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01b3
    }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }
}
