extension Array {
  /// The same elements, then `tail`'s, in storage of exactly their count.
  ///
  /// An array grown by appending keeps up to twice the room it needs, and `+` keeps the
  /// left side's: the formulation's largest arrays live as long as the run, so they are
  /// trimmed once built (docs/PERFORMANCE.md, "Memory").
  public func withExactCapacity(appending tail: [Element] = []) -> [Element] {
    guard capacity > count || !tail.isEmpty else { return self }
    var trimmed: [Element] = []
    trimmed.reserveCapacity(count + tail.count)
    trimmed.append(contentsOf: self)
    trimmed.append(contentsOf: tail)
    return trimmed
  }
}
