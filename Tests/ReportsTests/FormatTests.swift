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

  /// Counts of things that come in units keep their tenths below 100, so that 0.6 fire units
  /// produced does not print as 1 beside "3.0 % used" of 20.
  @Test func countsKeepTheirTenthsBelowAHundred() {
    #expect(Fmt.count(0.6) == "0.6")
    #expect(Fmt.count(19.4) == "19.4")
    #expect(Fmt.count(2.02) == "2")
    #expect(Fmt.count(145.575) == "146")
    #expect(Fmt.count(1_850) == "1,850")
    #expect(Fmt.tenths(9 + 20.6 - 21) == "8.6")
  }

  /// Money in its three scales, signed; a solver's tiny negative is €0, not −€0.
  @Test func moneyIsCompactAndNeverMinusZero() {
    #expect(Fmt.money(2_550_000_000) == "€2.55 bn")
    #expect(Fmt.money(-9_100_000) == "−€9.1 M")
    #expect(Fmt.money(3_020.4) == "€3,020")
    #expect(Fmt.money(-3_020.4) == "−€3,020")
    #expect(Fmt.money(-1e-9) == "€0")
    #expect(Fmt.money(-0.4) == "€0")
    #expect(Fmt.money(-0.6) == "−€1")
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
