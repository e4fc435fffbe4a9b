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

  @Test func valuesAwayFromABoundaryRoundAsBefore() {
    #expect(Allocation.measured(979_162.4, 6) == 979_162)
    #expect(Allocation.measured(979_162.6, 6) == 979_163)
    #expect(Allocation.measured(0.012_345_678, 3) == 0.0123)
    #expect(Allocation.measured(204_399_999.8, 7) == 204_400_000)
    #expect(Allocation.measured(0, 6) == 0)
    #expect(Allocation.measured(-11_005.2, 6) == -11_005.2)
  }
}
