import Reports
import Testing

@Suite struct FormatTests {
  @Test func numbersPrintWithThousandsSeparatorsAndFixedDecimals() {
    #expect(Fmt.quantity(1_234_567.8) == "1,234,568")
    #expect(Fmt.quantity(-2_500) == "−2,500")
    #expect(Fmt.fixed(0.05, decimals: 3) == "0.050")
    #expect(Fmt.plain(1.23456) == "1.235")
    #expect(Fmt.plain(0.0001) == "0")
  }

  /// A value just under a threshold prints like one just over it: a dual of 0.99996 and
  /// one of 1.00004 both read "1.00", not "1.000" and "1.00".
  @Test func valuesPrintAlikeEitherSideOfAThreshold() {
    #expect(Fmt.value(0.99996) == "1.00")
    #expect(Fmt.value(1.00004) == "1.00")
    #expect(Fmt.value(99.996) == "100")
    #expect(Fmt.value(100.2) == "100")
    #expect(Fmt.value(0.25) == "0.250")
    #expect(Fmt.value(14.583) == "14.58")
    #expect(Fmt.value(0) == "0")
  }
}
