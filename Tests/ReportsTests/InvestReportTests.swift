import Reports
import Testing

/// Which period the investment report names as a goal's worst.
@Suite struct InvestReportTests {
  /// Periods whose coverage prints alike are tied, and the earliest is named: which of them
  /// holds the last bits of the minimum is the solver's path (`arsenal invest baseline-2028`
  /// named 2029-Q2 for a goal met in full in every period).
  @Test func theWorstPeriodIsTheEarliestThatPrintsAsTheLowest() throws {
    let full = try #require(InvestReport.worstPeriod([0: 1, 5: 0.999_999_999_999_999_9, 3: 1]))
    #expect(full.period == 0)
    #expect(full.coverage == 1)
    // 94.3 %, 94.2 %, 95.0 %: the second.
    #expect(InvestReport.worstPeriod([0: 0.9432, 1: 0.94189, 2: 0.95])?.period == 1)
    // 94.19 % and 94.191 % both print 94.2 %: the earlier, though the later is lower.
    #expect(InvestReport.worstPeriod([4: 0.9419, 2: 0.94191])?.period == 2)
    #expect(InvestReport.worstPeriod([:]) == nil)
  }
}
