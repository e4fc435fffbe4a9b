import Formulation
import PlanningModel
import Testing

/// `Formulator.formulate(like:)` lends names only within one data set.
@Suite struct ReusedNamesTests {
  /// Two data sets alike in every number and in structure, one producer called "p" in one and
  /// "q" in the other: formulated like the first, the second still names its own producer.
  @Test func anotherDataSetNeverLendsItsNames() throws {
    func data(_ id: String) throws -> DataSet {
      var f = Fixture()
      f.producers = Fixture.producer(capacity: 100, unitCost: 10).replacingOccurrences(
        of: "id = \"p\"", with: "id = \"\(id)\"")
      f.demand += "front,round,2027-01,150\n"
      return try f.load()
    }
    let first = try Formulator.formulate(try data("p").model)
    let second = try data("q").model
    let like = try Formulator.formulate(second, like: first)
    #expect(first.program.columnNames.contains("prod[p,round,2027-01]"))
    let fresh = try Formulator.formulate(second)
    #expect(like.program.columnNames == fresh.program.columnNames)
    #expect(like.program.columnNames.contains("prod[q,round,2027-01]"))
    // Within one data set the names are lent, and are the same names.
    let again = try Formulator.formulate(try data("p").model, like: first)
    #expect(again.program.columnNames == first.program.columnNames)
  }
}
