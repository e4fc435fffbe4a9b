import Formulation
import Testing

/// Measured figures (`Allocation.measured`) are rounded to a few significant digits by way of
/// two more, so that a value whose exact figure lies on a rounding boundary prints the same
/// whatever the noise of the solver's path.
@Suite struct RoundingTests {
  @Test func aValueOnABoundaryRoundsTheSameWhateverTheNoise() {
    // 979,162.5 and 4,065,075 to 6 digits, reached with and without GLPK's presolver.
    for noise in [-3e-9, -1e-10, 0, 1e-10, 3e-9] {
      #expect(Allocation.measured(979_162.5 * (1 + noise), 6) == 979_163)
      #expect(Allocation.measured(4_065_075 * (1 + noise), 6) == 4_065_080)
      #expect(Allocation.measured(-4_065_075 * (1 + noise), 6) == -4_065_080)
    }
  }

  /// A plan value (`Allocation.snap`, 8 digits by way of 9) on a boundary, as a risk draw's
  /// cost of €152,740.505 M reached with GLPK's default ratio test and its long-step one.
  @Test func aPlanValueOnABoundarySnapsTheSameWhateverTheNoise() {
    for noise in [-2e-10, -1e-12, 0, 1e-12, 2e-10] {
      #expect(Allocation.snap(152_740.505 * (1 + noise)) == 152_740.51)
      #expect(Allocation.snap(-152_740.505 * (1 + noise)) == -152_740.51)
      #expect(Allocation.snap(53_935_880.5 * (1 + noise)) == 53_935_881)
    }
    #expect(Allocation.snap(152_740.504) == 152_740.5)
    #expect(Allocation.snap(2_999.999_999_7) == 3_000)
    #expect(Allocation.snap(0.000_123_456_785) == 0.000_123_456_79)
  }

  @Test func valuesAwayFromABoundaryRoundAsBefore() {
    #expect(Allocation.measured(979_162.4, 6) == 979_162)
    #expect(Allocation.measured(979_162.6, 6) == 979_163)
    #expect(Allocation.measured(0.012_345_678, 3) == 0.0123)
    #expect(Allocation.measured(204_399_999.8, 7) == 204_400_000)
    #expect(Allocation.measured(0, 6) == 0)
    #expect(Allocation.measured(-11_005.2, 6) == -11_005.2)
  }
}
