import Formulation
import PlanningModel
import Testing

@testable import Analysis

/// How measured values rank: in whole grains of 10⁻¹² of the largest shortfall optimum, then
/// by the documented order of limits (kind, then subject), never by a value's last bits.
@Suite struct RankingTests {
  /// A production-capacity candidate of producer `p`'s first product.
  func capacity(_ p: Int) -> RelaxationCandidate {
    RelaxationCandidate(
      subject: .limit(.product(producer: ProducerIndex(p), product: ProductIndex(0))), kind: .productionCapacity,
      periods: [0], levels: [1], step: [0.1], variables: [], barred: [])
  }

  @Test func theGrainIsATrillionthOfTheLargestShortfallOptimum() {
    // Generated large's weighted shortfall optimum; its fairness stage's optimum is smaller.
    #expect(RelaxationAnalysis.rankingGrain([310_458_200.7]) == 1e-12 * 310_458_200.7)
    #expect(RelaxationAnalysis.rankingGrain([-5, 3]) == 5e-12)
    // Never finer than 10⁻¹², nor zero for a plan that covers everything.
    #expect(RelaxationAnalysis.rankingGrain([0.25]) == 1e-12)
    #expect(RelaxationAnalysis.rankingGrain([]) == 1e-12)
  }

  @Test func valuesWithinAGrainRankByTheDocumentedOrder() {
    let grain = RelaxationAnalysis.rankingGrain([310_458_200.7])  // 3.1 × 10⁻⁴
    // Generated large's ranks 132–136: five limits of one plant, equal in effect, measured
    // 0.350686 or 0.350687 depending on the solver's path. Producer 95 precedes 235.
    let (low, high) = ((capacity(95), 0.350686), (capacity(235), 0.350687))
    #expect(RelaxationAnalysis.ranksAbove(low, high, grain: grain))
    #expect(!RelaxationAnalysis.ranksAbove(high, low, grain: grain))
    // The same values a whole grain apart rank by value, whichever limit comes first.
    let apart = (capacity(235), 0.350686 + 2 * grain)
    #expect(RelaxationAnalysis.ranksAbove(apart, low, grain: grain))
    #expect(!RelaxationAnalysis.ranksAbove(low, apart, grain: grain))
    // Small values that differ in their third digit keep their order (ranks 137 and 138).
    #expect(RelaxationAnalysis.ranksAbove((capacity(425), 0.029246), (capacity(145), 0.009285), grain: grain))
  }
}
