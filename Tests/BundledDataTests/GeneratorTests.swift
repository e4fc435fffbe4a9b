import Arsenal
import PlanningModel
import Testing

/// `arsenal generate`: the same seed gives the same bytes, and different seeds give
/// independent instances.
@Suite struct GeneratorTests {
  static func texts(_ seed: UInt64) -> [String: String] {
    Dictionary(uniqueKeysWithValues: Generator.files(size: .small, seed: seed).files.map { ($0.name, $0.contents) })
  }

  @Test func theSameSeedGivesTheSameBytes() {
    #expect(Self.texts(7) == Self.texts(7))
  }

  /// Seeds 1–20 give 20 distinct instances, and no two share their producers, demand or
  /// links (a linearly seeded generator made seed s + k the sequence of seed s shifted by k
  /// draws, and seeds 3 and 5 gave identical producers, demand and links).
  @Test func seedsOneToTwentyGiveTwentyDistinctInstances() {
    let all = (1...20).map { Self.texts(UInt64($0)) }
    for file in ["producers.toml", "demand.csv", "links.toml"] {
      let distinct = Set(all.map { $0[file] ?? "" })
      #expect(distinct.count == 20, "\(file): \(distinct.count) distinct of 20")
    }
    let withoutHeader = all.map { t in t.filter { $0.key != "dataset.toml" } }
    #expect(Set(withoutHeader.map { $0.sorted { $0.key < $1.key }.map(\.value).joined() }).count == 20)
  }

  /// Short horizons too: no row dated after the last month, no second row for the first.
  @Test(arguments: [1, 2, 3, 6, 7])
  func shortHorizonsLoad(_ periods: Int) throws {
    var size = GeneratorSize.small
    size.periods = periods
    var texts: [DataSetFile: String] = [:]
    for f in Generator.files(size: size, seed: 1).files {
      if let file = DataSetFile(rawValue: f.name) { texts[file] = f.contents }
    }
    _ = try DataSetLoader.load(texts: texts)
  }

  /// What the generator writes loads: every seed's small instance validates.
  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func generatedInstancesLoad(_ seed: UInt64) throws {
    var texts: [DataSetFile: String] = [:]
    for (name, contents) in Self.texts(seed) {
      if let file = DataSetFile(rawValue: name) { texts[file] = contents }
    }
    _ = try DataSetLoader.load(texts: texts)
  }
}
