import Foundation
import Testing

@testable import PlanningModel

/// The data lint (docs/INPUTS.md, "Sources and the data lint"): which comments cite which
/// numbers, CSV source cells, and the cross-checks on mutated copies of the small fixture.
@Suite struct DataLintTests {
  /// The uncited numbers of one TOML text, as (line, key, value).
  static func uncited(_ text: String, file: DataSetFile = .producers) -> [String] {
    DataLint.uncitedNumbers(in: [file: text]).map { w in
      #expect(w.file == file.rawValue)
      #expect(w.kind == .uncitedNumber)
      return "\(w.line ?? 0) \(w.key) = \(w.value ?? "nil")"
    }
  }

  @Test func aNumberNeedsACitationOnItsLineOrInTheBlockAboveIt() {
    let text = """
      [[producer]]
      id = "a"
      country = "AA"
        [[producer.product]]
        item = "x"
        capacity = 5_000  # Source: a press report
        per = "year"

        # assumption: a round figure

        unit_cost = 40
        initial_stock = 7

        # a note that cites nothing
        unit_cost = 41
      """
    // unit_cost = 40 is cited by the block above its paragraph (blank lines included), and
    // initial_stock, in the same paragraph, with it; the last key's block cites nothing.
    #expect(Self.uncited(text) == [#"15 producer "a" › product #1 › unit_cost = 41"#])
  }

  @Test func aBlankLineOrAnotherCommentEndsAParagraph() {
    let text = """
      [[producer]]
      id = "a"
        [[producer.product]]
        item = "x"
        # source: the capacity only
        capacity = 5
        per = "year"

        unit_cost = 40
        # derived: from the capacity
        initial_stock = 2
      """
    #expect(Self.uncited(text) == [#"9 producer "a" › product #1 › unit_cost = 40"#])
  }

  @Test func theBlockThatIntroducesATableCitesItsKeysButNotItsSubtables() {
    let text = """
      # Sources:
      # assumption: every figure of this producer is a guess.
      [[producer]]
      id = "a"
      country = "AA"
      pool_weight = 3

      extra = 4
        [[producer.product]]
        item = "x"
        capacity = 5

      [classes.front-line]
      # ASSUMPTION: class weights from the brief.
      weight = 4

      rank = 1
      """
    #expect(Self.uncited(text) == [#"11 producer "a" › product #1 › capacity = 5"#])
  }

  @Test func aBlanketCoversEverythingUntilTheNextDivider() {
    let text = """
      # ------------------------------------------------ national budgets
      # assumption (all six): round figures.
      # More words, no citation.

      [[funder]]
      id = "a"
      budget = 1

      [[funder]]
      id = "b"
      budget = 2
      # ================================================ others
      [[funder]]
      id = "c"
      budget = 3
      """
    #expect(Self.uncited(text, file: .funders) == [#"15 funder "c" › budget = 3"#])
  }

  @Test func aDividerEndsACommentBlock() {
    let text = """
      # source: the file's header cites nothing below the divider
      # -------------------------------------------- routes

      [[route]]
      lead_time = 1
      """
    #expect(Self.uncited(text, file: .links) == [#"5 route #1 › lead_time = 1"#])
  }

  @Test func inlineTablesAndArraysAreOneFieldAndOnlyNumbersCount() {
    let text = """
      name = "x # not a comment: source: none"
      description = \"\"\"
      capacity = 5
      \"\"\"
      illustrative = true
      start = 2027-01-01
      codes = ["DE", "FR"]
      bom = { shell-155 = 1, "2027" = 0.5 }
      stock = { 155mm = 60_000 }
      names = { 2027 = "a" }
      values = [
        0.5,
        1e-3,
      ]
      cited = [
        1,  # assumption: on a further line
      ]
      """
    #expect(
      Self.uncited(text, file: .dataset) == [
        #"8 bom = { shell-155 = 1, "2027" = 0.5 }"#, "9 stock = { 155mm = 60_000 }", "11 values = [ 0.5, 1e-3, ]",
      ])
  }

  @Test(arguments: [
    ("# source: x", true), ("# Sources: x", true), ("# source/assumption: x", true), ("# derived: x", true),
    ("# assumption (budget split): x", true), ("# see the source column", false), ("# sourced from x", false),
    ("# no assumptions here", false), ("# resource: x", false),
  ])
  func citationWords(comment: String, cites: Bool) {
    #expect(Citation.cites(comment) == cites)
  }

  @Test func blanketWords() {
    #expect(Citation.isBlanket("# assumption (all capacities below): x"))
    #expect(Citation.isBlanket("# Source (all): x"))
    #expect(!Citation.isBlanket("# assumption (allocation): x"))
    #expect(!Citation.isBlanket("# (all six) figures"))
  }

  @Test func aCSVRowNeedsASourceCellOrACitingNote() {
    let capacity = """
      # source: a comment line cites no row
      producer,item,start,capacity,per,source,note
      a,x,2027-01,100,year,"source: a report",
      a,x,2028-01,200,year,,"assumption: doubled"
      a,x,2029-01,300,year,,"a note"
      """
    let targets = """
      consumer,item,date,level
      k,x,2027-06,50
      """
    let warnings = DataLint.uncitedNumbers(in: [.capacity: capacity, .targets: targets])
    #expect(
      warnings.map(\.description) == [
        "capacity.csv:5: row a,x,2029-01 › capacity: value 300; empty source cell and no source: or assumption: "
          + "in a note or comment cell",
        "stockpile_targets.csv:2: row k,x,2027-06 › level: value 50; no source column and no source: or "
          + "assumption: in a note or comment cell",
      ])
  }

  @Test func theMessageSaysWhere() {
    let w = DataLint.uncitedNumbers(in: [.producers: "[[producer]]\nid = \"x\"\ncapacity = 5000\n"])
    #expect(
      w.map(\.description) == [
        #"producers.toml:3: producer "x" › capacity: value 5000; no source: or assumption: comment"#
      ])
  }
}

/// The cross-checks, each triggered on a mutated copy of the small fixture.
@Suite struct DataCrossCheckTests {
  static func lint(_ edits: [(DataSetFile, String, String)]) throws -> [DataWarning] {
    var texts = try Mutation.fixtureTexts()
    for (file, find, replace) in edits {
      let text = texts[file] ?? ""
      #expect(find.isEmpty || text.contains(find), "\(file.rawValue) has no \(find)")
      texts[file] = find.isEmpty ? text + replace : text.replacingOccurrences(of: find, with: replace)
    }
    return DataLint.crossChecks(try DataSetLoader.load(texts: texts), texts: texts)
  }

  @Test func theFixtureHasNone() throws {
    #expect(try Self.lint([]).isEmpty)
  }

  @Test func aFunderThatMayBuyFromNoProducerOfWhatItsConsumersNeed() throws {
    // Betaland makes only charges (a component); the front line needs 155 mm rounds and drones.
    let w = try Self.lint([(.funders, #"buys_from = "WEST""#, #"buys_from = "BB""#)])
    // Nor may the front line's other funder buy 155 mm rounds (made in Alphaland): a second warning.
    #expect(w.map(\.kind) == [.funderBuysFromNobody, .demandNobodyMaySupply])
    #expect(w.first?.detail == .buysFromNobody(needs: ["155mm", "drone"]))
    #expect(
      w.first?.description
        == #"funders.toml:16: funder "west-fund" › buys_from: value "BB"; buys_from selects no producer of what "#
        + "the consumers it pays for need (155mm, drone): it can pay for nothing")
  }

  /// A producer put in a pool of its own (a typo) can never assemble anything: both of its
  /// inputs are missing there.
  @Test func aProductWhoseInputsHaveNoSourceInItsPool() throws {
    let w = try Self.lint([
      (
        .producers, "id = \"assembly\"\nname = \"Assembly plant\"\ncountry = \"AA\"\n",
        "id = \"assembly\"\nname = \"Assembly plant\"\ncountry = \"AA\"\npool = \"mian\"\n"
      )
    ])
    // The typo leaves the assembly plant alone in its pool: both warnings say so.
    #expect(w.map(\.kind) == [.inputWithoutSource, .inputWithoutSource, .poolWithOneMember])
    #expect(
      w.map(\.detail)
        == ["charge", "shell"].map { .inputWithoutSource(product: "155mm", input: $0, pool: "mian") }
        + [.aloneInPool(pool: "mian", others: ["main"])])
    #expect(w.first?.file == "producers.toml")
    #expect(w.first?.line == 17)
    #expect(w.first?.key == #"producer "assembly" › pool"#)
    #expect(
      w.first?.message.hasPrefix(#"155mm needs charge, which nothing in pool "mian" makes, holds or buys"#) == true)
  }

  /// Drones fired from launchers the front line never holds: every drone would be short.
  ///
  /// No producer makes launchers; two in the front line's initial stock silence the warning.
  @Test func anItemFiredFromASystemItsConsumerNeverHolds() throws {
    let edits: [(DataSetFile, String, String)] = [
      (.items, "weight = 0.1", "weight = 0.1\nfired_from = \"launcher\"\nfire_rate = 30"),
      (.items, "", "\n[[item]]\nid = \"launcher\"\nkind = \"end\"\n"),
    ]
    let w = try Self.lint(edits)
    #expect(w.map(\.kind) == [.systemNeverHeld])
    #expect(w.first?.detail == .neverHeld(item: "drone", system: "launcher", worn: false))
    #expect(w.first?.file == "consumers.toml")
    #expect(w.first?.key == #"consumer "front" › initial_stock"#)
    let held = try Self.lint(
      edits + [(.consumers, "country = \"UA\"\n", "country = \"UA\"\ninitial_stock = { launcher = 2 }\n")])
    #expect(held.isEmpty)
    // A launcher producer serves the drones' demand: its capacity is needed though no
    // consumer asks for launchers themselves.
    let made = try Self.lint(
      edits + [
        (
          .producers, "",
          "\n[[producer]]\nid = \"launcherworks\"\ncountry = \"AA\"\n[[producer.product]]\nitem = \"launcher\"\ncapacity = 1\n"
        )
      ])
    #expect(made.isEmpty)
  }

  /// Capacity that can never be used: an end item nobody needs, and one whose only buyers
  /// are all barred from its producer.
  @Test func aProductNobodyMayReceive() throws {
    let unneeded = try Self.lint([
      (.items, "", "\n[[item]]\nid = \"mortar\"\nkind = \"end\"\n"),
      (
        .producers, "",
        "\n[[producer]]\nid = \"mortarworks\"\ncountry = \"AA\"\n[[producer.product]]\nitem = \"mortar\"\ncapacity = 10\n"
      ),
    ])
    #expect(unneeded.map(\.detail) == [.nobodyMayReceive(product: "mortar", needed: false)])
    #expect(unneeded.first?.key == #"producer "mortarworks""#)
    #expect(unneeded.first?.message == "no consumer needs mortar: its capacity can never be used")
    let barred = try Self.lint([(.links, "", "\n[[rule]]\nfrom = \"dronefab\"\nallow = false\n")])
    #expect(barred.map(\.kind) == [.demandNobodyMaySupply, .productNobodyMayReceive])
    #expect(barred.last?.detail == .nobodyMayReceive(product: "drone", needed: true))
  }

  @Test func aDemandNobodyMakes() throws {
    let w = try Self.lint([
      (.items, "", "\n[[item]]\nid = \"mortar\"\nkind = \"end\"\n"),
      (.demand, "", "front,mortar,2027-01,100,test\n"),
    ])
    #expect(w.map(\.kind) == [.demandNobodyMakes])
    #expect(w.first?.file == "demand.csv")
    #expect(w.first?.line == 5)
    #expect(w.first?.key == #"consumer "front" › demand "mortar""#)
    #expect(w.first?.message == "no producer makes mortar")
  }

  @Test func aDemandEveryProducerIsBarredFrom() throws {
    let w = try Self.lint([(.links, "", "[[rule]]\nto = \"army-aa\"\nallow = false\n")])
    #expect(w.map(\.kind) == [.demandNobodyMaySupply])
    #expect(w.first?.file == "demand.csv")
    #expect(w.first?.line == 4)
    #expect(w.first?.key == #"consumer "army-aa" › demand "155mm""#)
    #expect(w.first?.detail == .nobodyMaySupply(.init(makers: 1, byRule: 1, byFunders: 0, byRoute: 0)))
    #expect(w.first?.message == "its only producer is barred from delivering to this consumer (1 by eligibility rules)")
  }

  @Test func aDemandTheFundersMayNotBuyOrNoRouteCarries() throws {
    let funders = try Self.lint([(.funders, #"buys_from = "WEST""#, #"buys_from = "UA""#)])
    #expect(funders.map(\.key) == [#"consumer "front" › demand "155mm""#])
    #expect(funders.first?.detail == .nobodyMaySupply(.init(makers: 1, byRule: 0, byFunders: 1, byRoute: 0)))
    let route = try Self.lint([(.links, "", "[[route]]\nto = \"army-aa\"\nlead_time = 0\ncapacity = 0\n")])
    #expect(route.map(\.key) == [#"consumer "army-aa" › demand "155mm""#])
    #expect(route.first?.detail == .nobodyMaySupply(.init(makers: 1, byRule: 0, byFunders: 0, byRoute: 1)))
  }

  @Test func aStockpileTargetNobodyMaySupply() throws {
    let w = try Self.lint([
      (.demand, "army-aa,155mm,2027-01,500,test\n", ""),
      (.links, "", "[[rule]]\nto = \"army-aa\"\nallow = false\n"),
    ])
    #expect(
      w.map(\.description) == [
        #"stockpile_targets.csv:2: consumer "army-aa" › stockpile target "155mm": its only producer is barred from "#
          + "delivering to this consumer (1 by eligibility rules)"
      ])
  }

  @Test func aScenarioWhoseChangesChangeNothing() throws {
    let w = try Self.lint([
      (
        .scenarios, "",
        """

        [scenario.no-op]
        description = "Chargeworks at 100 %."
        [[scenario.no-op.change]]
        type = "scale-capacity"
        producer = "chargeworks"
        factor = 1

        [scenario.status-quo]
        description = "No change: the data set as it stands."

        """
      )
    ])
    #expect(w.map(\.description) == [#"scenarios.toml:15: scenario "no-op": its change leaves the model as it is"#])
  }
}
