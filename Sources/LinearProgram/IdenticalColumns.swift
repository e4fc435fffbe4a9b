/// Columns that are one variable split in parts: the same coefficient in every row and in the
/// objective, each continuous with `0 ≤ x ≤ u`, `0 < u < ∞`.
///
/// Producers of one item feeding one pool are such columns (docs/PERFORMANCE.md, "Identical
/// columns merged"): the first stage cannot tell them apart, so a cold solve can treat each
/// group as one column bounded by the sum of the parts, and share the merged column's basis
/// status out again (`split`). Fewer columns and fewer equal optima to wander between: a tenth
/// of the generated LPs' columns, a tenth to a fifth of their first stage's iterations.
public struct IdenticalColumns: Sendable, Equatable {
  /// Groups of two or more columns, each ascending, ordered by their first column.
  public let groups: [[Int]]

  /// How many columns merging removes.
  public var merged: Int { groups.reduce(0) { $0 + $1.count - 1 } }

  /// The groups of `program`, found by hashing each column's entries and confirmed entry by
  /// entry (a hash collision never merges two different columns).
  public init(_ program: LinearProgram) {
    let n = program.numberOfColumns
    var eligible = [Bool](repeating: false, count: n)
    for (j, b) in program.columnBounds.enumerated() where b.lower == 0 && b.upper > 0 && b.upper.isFinite {
      eligible[j] = true
    }
    for j in program.integerColumns where j < n { eligible[j] = false }
    var hash = [UInt64](repeating: 0x9E37_79B9_7F4A_7C15, count: n)
    for i in 0..<program.numberOfRows {
      for k in program.rowStart[i]..<program.rowStart[i + 1] {
        let j = Int(program.entryColumn[k])
        guard eligible[j] else { continue }
        Self.mix(&hash[j], UInt64(i))
        Self.mix(&hash[j], program.entryValue[k].bitPattern)
      }
    }
    struct Key: Hashable {
      let hash: UInt64
      let objective: Double
    }
    var buckets: [Key: [Int]] = [:]
    for j in 0..<n where eligible[j] {
      buckets[Key(hash: hash[j], objective: program.objective[j]), default: []].append(j)
    }
    var candidate = [Bool](repeating: false, count: n)
    for columns in buckets.values where columns.count > 1 { for j in columns { candidate[j] = true } }
    // The entries of the candidates only, column by column, to confirm each bucket.
    var entries: [Int: [(row: Int, value: Double)]] = [:]
    for i in 0..<program.numberOfRows {
      for k in program.rowStart[i]..<program.rowStart[i + 1] {
        let j = Int(program.entryColumn[k])
        if candidate[j] { entries[j, default: []].append((i, program.entryValue[k])) }
      }
    }
    func same(_ a: Int, _ b: Int) -> Bool {
      let x = entries[a] ?? []
      let y = entries[b] ?? []
      return x.count == y.count && zip(x, y).allSatisfy { $0.row == $1.row && $0.value == $1.value }
    }
    var groups: [[Int]] = []
    for columns in buckets.values where columns.count > 1 {
      var left = columns  // ascending: appended in column order
      while let first = left.first {
        let group = left.filter { $0 == first || same(first, $0) }
        if group.count > 1 { groups.append(group) }
        left.removeAll { group.contains($0) }
      }
    }
    self.groups = groups.sorted { $0[0] < $1[0] }
  }

  /// The basis status of each part of a merged column, whose status is `status` and value
  /// `value`, the parts' upper bounds being `uppers` (the merged column's is their sum).
  ///
  /// The parts fill in order, each to its upper bound before the next takes any: those filled
  /// stand at their upper bound, the one the value ends in is basic, the rest at zero. A
  /// merged column at a bound puts every part at that bound. The parts' reduced costs equal
  /// the merged column's (same entries, same objective), so the basis is as optimal for the
  /// whole program as the merged one was for the merged program.
  public static func split(status: BasisStatus, value: Double, uppers: [Double]) -> [BasisStatus] {
    switch status {
    case .atUpper: return uppers.map { _ in .atUpper }
    case .basic:
      var out = [BasisStatus](repeating: .atLower, count: uppers.count)
      var left = value
      var basic = uppers.count - 1
      for (k, u) in uppers.enumerated() {
        if left < u {
          basic = k
          break
        }
        out[k] = .atUpper
        left -= u
      }
      out[basic] = .basic
      return out
    case .atLower, .free, .fixed: return uppers.map { _ in .atLower }
    }
  }

  /// One word multiplied, rotated and multiplied in (MurmurHash3's mixing step; the scale
  /// cache's `MatrixFingerprint` hashes with it too).
  @inline(__always) package static func mix(_ h: inout UInt64, _ word: UInt64) {
    h ^= word &* 0xFF51_AFD7_ED55_8CCD
    h = ((h << 31) | (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
  }
}
