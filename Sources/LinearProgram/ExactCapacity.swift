extension Array {
  /// The same elements in storage of exactly their count.
  ///
  /// An array grown by appending keeps up to twice the room it needs: the formulation's
  /// largest arrays live as long as the run, so they are trimmed once built
  /// (docs/PERFORMANCE.md, "Memory").
  public func withExactCapacity() -> [Element] {
    guard capacity > count else { return self }
    var trimmed: [Element] = []
    trimmed.reserveCapacity(count)
    trimmed.append(contentsOf: self)
    return trimmed
  }
}
