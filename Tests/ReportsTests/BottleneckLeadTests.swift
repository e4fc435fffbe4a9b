import Testing

@testable import Reports

/// How the summary's bottleneck sentences open when the table prints equal values: ties are
/// said, never ranked.
@Suite struct BottleneckLeadTests {
  @Test func ranksOnlyWhatTheValuesRank() {
    let lead = ScenarioReport.bottleneckLead
    #expect(lead(0, ["561,533", "11,005", "9,000"]) == "The top bottleneck is")
    #expect(lead(1, ["561,533", "11,005", "9,000"]) == "Next comes")
    #expect(lead(0, ["11,005", "11,005"]) == "The top bottleneck, tied with the next, is")
    #expect(lead(1, ["11,005", "11,005"]) == "Worth as much is")
    #expect(lead(0, ["7", "7", "7", "5"]) == "The top bottleneck, tied with the next 2, is")
    #expect(lead(1, ["7", "7", "7", "5"]) == "Worth as much is")
    // us-none: #2 and #3 are worth 11,005 each.
    #expect(lead(1, ["561,533", "11,005", "11,005"]) == "Next comes, tied with the one after it,")
    #expect(lead(1, ["9", "8", "8", "8", "1"]) == "Next comes, tied with the 2 after it,")
    #expect(lead(0, ["9"]) == "The top bottleneck is")
  }
}
