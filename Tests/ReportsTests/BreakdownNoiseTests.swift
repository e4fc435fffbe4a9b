import LinearProgram
import PlanningModel
import Testing

@testable import Analysis

/// A breakdown is read to six significant digits, in each effect and as a whole.
@Suite struct BreakdownNoiseTests {
  /// Three consumers' shortfall columns (one per period for the first), at value weight 1, 2, 1.
  let columns = DemandColumns(
    columns: (0..<4).map { ColumnID($0) },
    entries: [(0, 1.0), (0, 1.0), (1, 2.0), (2, 1.0)].map {
      DemandColumns.Entry(consumer: ConsumerIndex($0.0), what: .stockpile(ItemIndex(0)), weight: $0.1)
    })

  /// 0.001 units beside 6,662 is noise; 0.05 is not.
  ///
  /// 6,662 units covered for one consumer and 0.001 for another: the second lies below the
  /// sixth digit of the first, the noise two solutions differ by, and is left out (it came
  /// and went with the path to the optimum on generated large).
  @Test func anEffectBelowAMillionthOfTheLargestIsNoise() {
    let base = [4_000, 3_000, 500, 20_000.0]
    let noisy = columns.compare(base: base, relaxed: [0, 338, 500 - 0.001, 20_000])
    #expect(noisy.effects.map(\.units) == [6_662])
    #expect(noisy.effects.map(\.consumer) == [ConsumerIndex(0)])
    #expect(noisy.value == 6_662)
    let kept = columns.compare(base: base, relaxed: [0, 338, 500 - 0.05, 20_000])
    #expect(kept.effects.map(\.units) == [6_662, 0.05])
    #expect(kept.value == 6_662.1)
  }

  /// Gains and losses alike: 10 units more for one consumer and 5 fewer, at twice the weight,
  /// for another are worth nothing in all (a trade-off), both kept.
  @Test func lossesCountAsEffectsToo() {
    let r = columns.compare(base: [100, 0, 50, 20], relaxed: [90, 0, 55, 20])
    #expect(r.effects.map(\.units) == [10, -5])
    #expect(r.value == 0)
  }
}
