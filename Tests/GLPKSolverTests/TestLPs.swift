import LinearProgram

/// Deterministic test programs of adjustable size.
enum TestLPs {
  /// A small linear congruential generator, so test data is the same on every machine.
  struct Generator {
    var state: UInt64
    mutating func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
  }

  /// A balanced-ish transportation problem: supply rows (≤), demand rows (≥), costs 1–10.
  static func transport(sources: Int, sinks: Int, seed: UInt64) throws -> LinearProgram {
    var g = Generator(state: seed)
    var b = LPBuilder(name: "transport", sense: .minimize)
    var x: [[ColumnID]] = []
    for s in 0..<sources {
      x.append(
        try (0..<sinks).map { t in
          try b.addColumn("x\(s)_\(t)", objective: (1 + 9 * g.next()).rounded())
        })
    }
    for s in 0..<sources {
      try b.addRow("supply\(s)", bounds: .atMost((100 + 50 * g.next()).rounded()), terms: x[s].map { ($0, 1) })
    }
    let totalSupplyFloor = Double(sources) * 100
    for t in 0..<sinks {
      let demand = (totalSupplyFloor / Double(sinks) * (0.6 + 0.3 * g.next())).rounded()
      try b.addRow("demand\(t)", bounds: .atLeast(demand), terms: (0..<sources).map { (x[$0][t], 1) })
    }
    return b.build()
  }
}
