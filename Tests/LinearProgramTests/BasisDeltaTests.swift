import Testing

@testable import LinearProgram

/// A basis kept by its differences from a reference reads back as the basis it was made from.
@Suite struct BasisDeltaTests {
  let reference = Basis(
    rowStatus: [.basic, .atUpper, .basic, .atLower], columnStatus: [.atLower, .basic, .atLower, .fixed, .atUpper])

  @Test func keepsOnlyWhereTheBasisDiffers() {
    // Two pivots: row 1 and column 2 enter, row 0 and column 1 leave.
    let basis = Basis(
      rowStatus: [.atUpper, .basic, .basic, .atLower], columnStatus: [.atLower, .atLower, .basic, .fixed, .atUpper])
    let delta = BasisDelta(basis, from: reference)
    #expect(delta.count == 4)
    #expect(delta.rows == [0, 1] && delta.columns == [1, 2])
    #expect(delta.basis(from: reference) == basis)
    #expect(BasisDelta(reference, from: reference).count == 0)
    #expect(BasisDelta(reference, from: reference).basis(from: reference) == reference)
  }

  /// Rows a stage appended beyond the reference's are all recorded; fewer rows are cut.
  @Test func recordsWhatLiesBeyondTheReference() {
    let longer = Basis(
      rowStatus: reference.rowStatus + [.atLower, .basic], columnStatus: reference.columnStatus)
    let delta = BasisDelta(longer, from: reference)
    #expect(delta.rows == [4, 5] && delta.count == 2)
    #expect(delta.basis(from: reference) == longer)
    let shorter = Basis(rowStatus: [.basic, .basic], columnStatus: reference.columnStatus)
    #expect(BasisDelta(shorter, from: reference).basis(from: reference) == shorter)
  }
}
