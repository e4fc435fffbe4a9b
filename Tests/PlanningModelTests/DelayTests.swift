import Testing

@testable import PlanningModel

/// A ramp-up slip (`delay-ramp-up`, a sweep's or a risk source's `delay`) moves rises later and
/// keeps falls on their date: c′(t) = min(c(t), c(t − d)), the level before the horizon being
/// the first period's.
@Suite struct DelayTests {
  @Test func risesComeLateAndFallsKeepTheirDate() {
    // Rises at periods 2 and 4, a fall (stocks running down) at period 6; delayed by 2.
    let schedule: [Double] = [10, 10, 20, 20, 30, 30, 5, 5]
    #expect(PlanningModel.delayed(schedule, by: 2) == [10, 10, 10, 10, 20, 20, 5, 5])
    // Shifting the whole schedule would have kept 30 in periods 6 and 7.
    #expect(PlanningModel.delayed(schedule, by: 0) == schedule)
    // A schedule that only falls is unchanged by any delay.
    #expect(PlanningModel.delayed([9, 9, 4, 4], by: 3) == [9, 9, 4, 4])
    // A delay beyond the horizon keeps the starting level throughout.
    #expect(PlanningModel.delayed([1, 2, 3], by: 5) == [1, 1, 1])
  }
}
