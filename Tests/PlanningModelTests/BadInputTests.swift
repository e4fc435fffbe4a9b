import Foundation
import Testing

@testable import PlanningModel

/// The small fixture, read as file texts, with one edit applied per case.
struct Mutation: Sendable, CustomStringConvertible {
  var name: String
  var file: DataSetFile
  /// Replace the first occurrence of `find` (nil: append `replace`; empty replace: delete the file).
  var find: String?
  var replace: String?
  /// Fragments every one of which must appear in one reported problem.
  var expected: [String]
  /// A second edit in the same file, for problems that need two (a cycle).
  var also: (find: String, replace: String)? = nil

  var description: String { name }

  static func fixtureTexts() throws -> [DataSetFile: String] {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/small")
    var texts: [DataSetFile: String] = [:]
    for f in DataSetFile.allCases {
      let url = folder.appendingPathComponent(f.rawValue)
      if let t = try? String(contentsOf: url, encoding: .utf8) { texts[f] = t }
    }
    return texts
  }

  func apply(_ texts: inout [DataSetFile: String]) {
    guard let replace else {
      texts[file] = nil
      return
    }
    guard let find else {
      texts[file] = (texts[file] ?? "") + replace
      return
    }
    for (f, r) in [(find, replace)] + (also.map { [($0.find, $0.replace)] } ?? []) {
      if let text = texts[file], let range = text.range(of: f) {
        texts[file] = text.replacingCharacters(in: range, with: r)
      } else {
        texts[file] = "<<mutation did not apply: \(f)>>"
      }
    }
  }
}

@Suite struct BadInputTests {
  static let cases: [Mutation] = [
    .init(
      name: "missing name", file: .dataset, find: "name = \"Small test set\"\n", replace: "",
      expected: ["dataset.toml", "name: is missing"]),
    .init(
      name: "zero periods", file: .dataset, find: "periods = 3", replace: "periods = 0",
      expected: ["dataset.toml:8:", "horizon › periods", "value 0", "≥ 1"]),
    .init(
      name: "bad month", file: .dataset, find: "start = \"2027-01\"", replace: "start = \"2027-13\"",
      expected: ["dataset.toml:7:", "horizon › start", "\"2027-13\"", "YYYY-MM"]),
    .init(
      name: "unknown settings key", file: .dataset, find: "default_lead_time = 0",
      replace: "default_lead_time = 0\npolcy = \"weighted\"",
      expected: ["dataset.toml:12:", "settings › polcy", "unknown key"]),
    .init(
      name: "unknown policy", file: .dataset, find: "default_lead_time = 0",
      replace: "default_lead_time = 0\npolicy = \"greedy\"", expected: ["settings › policy", "\"greedy\"", "weighted"]),
    .init(
      name: "lowercase country", file: .dataset, find: "AA = \"Alphaland\"", replace: "aa = \"Alphaland\"",
      expected: ["dataset.toml:", "countries › aa", "country code"]),
    .init(
      name: "group with unknown country", file: .dataset, find: "WEST = [\"AA\", \"BB\"]",
      replace: "WEST = [\"AA\", \"XX\"]", expected: ["dataset.toml:", "groups › WEST", "\"XX\"", "unknown country"]),
    .init(
      name: "duplicate item", file: .items, find: "id = \"drone\"", replace: "id = \"155mm\"",
      expected: ["items.toml:9:", "\"155mm\"", "duplicate item id"]),
    .init(
      name: "bad item kind", file: .items, find: "kind = \"component\"", replace: "kind = \"part\"",
      expected: ["items.toml:", "kind", "\"part\"", "\"component\""]),
    .init(
      name: "unknown BOM input", file: .items, find: "bom = { shell = 1, charge = 1 }",
      replace: "bom = { shell = 1, charge = 1, fuze = 1 }",
      expected: ["items.toml:6:", "bom.fuze", "unknown item in the bill of materials"]),
    .init(
      name: "BOM cycle", file: .items, find: "unit = \"bodies\"", replace: "unit = \"bodies\"\nbom = { charge = 1 }",
      expected: ["items.toml", "cycle", "charge → shell → charge"],
      also: ("unit = \"charges\"", "unit = \"charges\"\nbom = { shell = 2 }")),
    .init(
      name: "end item as input", file: .items, find: "bom = { shell = 1, charge = 1 }",
      replace: "bom = { shell = 1, charge = 1, drone = 1 }", expected: ["bom.drone", "an end item cannot be an input"]),
    .init(
      name: "fired from an unknown system", file: .items, find: "weight = 0.1",
      replace: "weight = 0.1\nfired_from = \"launcher\"\nfire_rate = 30",
      expected: ["items.toml:", "fired_from", "\"launcher\"", "unknown item"]),
    .init(
      name: "fire rate without a system", file: .items, find: "weight = 0.1", replace: "weight = 0.1\nfire_rate = 30",
      expected: ["items.toml:", "fired_from", "fire_rate needs fired_from"]),
    .init(
      name: "worn part without a life", file: .items, find: "weight = 0.1", replace: "weight = 0.1\nwears = \"155mm\"",
      expected: ["items.toml:", "wear_life", "wears needs wear_life"]),
    .init(
      name: "a component wears a part", file: .items, find: "unit = \"bodies\"",
      replace: "unit = \"bodies\"\nwears = \"drone\"\nwear_life = 10",
      expected: ["items.toml:", "wears", "only end items are fired from systems or wear parts"]),
    .init(
      name: "fired from a component", file: .items, find: "weight = 0.1",
      replace: "weight = 0.1\nfired_from = \"shell\"\nfire_rate = 30",
      expected: ["items.toml:", "fired_from", "\"shell\"", "expected another end item"]),
    .init(
      name: "attrition of a whole fleet", file: .items, find: "weight = 0.1", replace: "weight = 0.1\nattrition = 1",
      expected: ["items.toml:", "attrition", "below 1"]),
    .init(
      name: "route with an end item", file: .producers, find: "capacity = 18000",
      replace: "capacity = 18000\nbom = { drone = 1 }",
      expected: ["producers.toml:", "bom.drone", "expected a component or material"]),
    .init(
      name: "route making a cycle", file: .producers, find: "capacity = 18000",
      replace: "capacity = 18000\nbom = { shell = 1 }",
      expected: ["producers.toml:", "bom.charge", "cycle of inputs: shell → charge → shell"],
      also: ("capacity = 40000", "capacity = 40000\nbom = { charge = 1 }")),
    .init(
      name: "producer in unknown country", file: .producers, find: "country = \"BB\"", replace: "country = \"ZZ\"",
      expected: ["producers.toml:12:", "producer \"chargeworks\" › country", "\"ZZ\"", "unknown country"]),
    .init(
      name: "product of unknown item", file: .producers, find: "item = \"charge\"", replace: "item = \"charges\"",
      expected: ["producers.toml:14:", "product #1 › item", "\"charges\"", "unknown item"]),
    .init(
      name: "negative capacity", file: .producers, find: "capacity = 18000", replace: "capacity = -18000",
      expected: ["producers.toml:15:", "capacity", "-18000", "≥ 0"]),
    .init(
      name: "NaN capacity", file: .producers, find: "capacity = 18000", replace: "capacity = nan",
      expected: ["producers.toml:15:", "capacity", "finite"]),
    .init(
      name: "text capacity", file: .producers, find: "capacity = 18000", replace: "capacity = \"lots\"",
      expected: ["producers.toml:15:", "capacity", "expected a number, found a string"]),
    .init(
      name: "unknown producer key", file: .producers, find: "unit_cost = 4000", replace: "unit_cots = 4000",
      expected: ["producers.toml:", "unit_cots", "unknown key"]),
    .init(
      name: "bad consumer class", file: .consumers, find: "class = \"front-line\"", replace: "class = \"frontline\"",
      expected: ["consumers.toml:4:", "class", "\"frontline\"", "\"front-line\""]),
    .init(
      name: "duplicate consumer", file: .consumers, find: "id = \"army-aa\"", replace: "id = \"front\"",
      expected: ["consumers.toml:", "\"front\"", "duplicate id"]),
    .init(
      name: "demand of unknown consumer", file: .demand, find: "army-aa,155mm", replace: "army-bb,155mm",
      expected: ["demand.csv:4:", "column consumer", "\"army-bb\"", "unknown consumer"]),
    .init(
      name: "demand after horizon", file: .demand, find: "front,drone,2027-01", replace: "front,drone,2031-01",
      expected: ["demand.csv:3:", "column start", "after the horizon's end (2027-03)"]),
    .init(
      name: "malformed CSV row", file: .demand, find: "front,drone,2027-01,20000,test",
      replace: "front,drone,2027-01,20000,test,extra", expected: ["demand.csv:3:", "malformed CSV row", "6 cells"]),
    .init(
      name: "negative demand", file: .demand, find: "20000", replace: "-20000",
      expected: ["demand.csv:3:", "column quantity", "\"-20000\"", "≥ 0"]),
    .init(
      name: "unterminated quote", file: .demand, find: "front,drone", replace: "\"front,drone",
      expected: ["demand.csv:3:", "never closed"]),
    .init(
      name: "target outside horizon", file: .targets, find: "2027-03", replace: "2026-12",
      expected: ["stockpile_targets.csv:2:", "column date", "outside the horizon"]),
    .init(
      name: "funder pays for unknown", file: .funders, find: "pays_for = \"front\"", replace: "pays_for = \"frontier\"",
      expected: ["funders.toml:6:", "pays_for", "\"frontier\"", "unknown consumer, class"]),
    .init(
      name: "funder buys from unknown", file: .funders, find: "buys_from = \"UA\"", replace: "buys_from = \"Ukraine\"",
      expected: ["funders.toml:7:", "buys_from", "unknown producer, country or group"]),
    .init(
      name: "scenario on unknown producer", file: .scenarios, find: "producer = \"chargeworks\"",
      replace: "producer = \"chargework\"",
      expected: ["scenarios.toml:5:", "scenario \"more-charges\"", "\"chargework\"", "unknown producer"]),
    .init(
      name: "scenario with unknown change", file: .scenarios, find: "type = \"scale-budget\"",
      replace: "type = \"double-budget\"", expected: ["scenarios.toml:11:", "\"double-budget\"", "unknown change type"]),
    .init(
      name: "scenario matching nothing", file: .scenarios, find: "producer = \"chargeworks\"",
      replace: "producer = \"chargeworks\"\nitem = \"shell\"",
      expected: ["scenarios.toml", "matches no producer's capacity"]),
    .init(
      name: "TOML syntax error", file: .consumers, find: "name = \"Front line\"", replace: "name = \"Front line",
      expected: ["consumers.toml:3:", "TOML syntax error"]),
    .init(
      name: "unknown CSV column", file: .targets, find: "consumer,item,date,level",
      replace: "consumer,item,date,level,owner", expected: ["stockpile_targets.csv:1:", "owner", "unknown column"]),
    .init(
      name: "missing required file", file: .producers, find: nil, replace: nil,
      expected: ["producers.toml", "is missing; every data set needs it"]),
    .init(
      name: "expansion without lead time", file: .producers, find: nil,
      replace: "[[producer.expansion]]\nid = \"x\"\nitem = \"drone\"\ncapacity = 10\n",
      expected: ["producers.toml:", "expansion \"x\" › lead_time", "is missing"]),
    .init(
      name: "duplicate expansion id", file: .producers, find: nil,
      replace:
        "[[producer.expansion]]\nid = \"x\"\nitem = \"drone\"\ncapacity = 10\nlead_time = 1\n[[producer.expansion]]\nid = \"x\"\nitem = \"drone\"\ncapacity = 10\nlead_time = 2\n",
      expected: ["producers.toml:", "\"x\"", "two expansions with this id"]),
    .init(
      name: "duplicate quota id", file: .links, find: nil,
      replace: "[[quota]]\nid = \"q\"\nmax = 1\n[[quota]]\nid = \"q\"\nmax = 2\n",
      expected: ["links.toml:", "\"q\"", "duplicate quota id"]),
    .init(
      name: "two equally specific routes", file: .links, find: nil,
      replace:
        "[[route]]\nname = \"road\"\nfrom = \"BB\"\nto = \"front\"\nlead_time = 1\n[[route]]\nname = \"rail\"\nfrom = \"BB\"\nto = \"front\"\nitems = [\"155mm\"]\nlead_time = 2\n",
      expected: ["links.toml:8:", "route #2", "\"road\"", "as specific", "order of the file"]),
    .init(
      name: "semicolon CSV", file: .demand, find: "consumer,item,start,quantity,source",
      replace: "consumer;item;start;quantity;source", expected: ["demand.csv:1:", "separated by semicolons"]),
    .init(
      name: "thousands separator", file: .demand, find: "front,155mm,2027-01,30000,test",
      replace: "front,155mm,2027-01,\"30,000\",test", expected: ["demand.csv:2:", "thousands separators"]),
    .init(
      name: "rule without allow", file: .links, find: nil, replace: "[[rule]]\nfrom = \"BB\"\nto = \"front\"\n",
      expected: ["links.toml:1:", "allow", "is missing"]),
    // GLPK aborted the process on 5e-324 (its scale factors overflow) and looped on 1e-20.
    .init(
      name: "vanishing bill of materials", file: .items, find: "bom = { shell = 1, charge = 1 }",
      replace: "bom = { shell = 5e-324, charge = 1 }", expected: ["items.toml:6:", "bom.shell", "5e-324", "≥ 1e-6"]),
    .init(
      name: "tiny demand", file: .demand, find: "front,155mm,2027-01,30000,test",
      replace: "front,155mm,2027-01,1e-20,test",
      expected: ["demand.csv:2:", "\"1e-20\"", "≥ 1e-6"]),
    .init(
      name: "hexadecimal CSV number", file: .demand, find: "front,155mm,2027-01,30000,test",
      replace: "front,155mm,2027-01,0x1p17,test", expected: ["demand.csv:2:", "\"0x1p17\"", "decimal notation"]),
  ]

  @Test(arguments: cases)
  func reportsTheProblem(_ mutation: Mutation) throws {
    var texts = try Mutation.fixtureTexts()
    mutation.apply(&texts)
    do {
      _ = try DataSetLoader.load(texts: texts)
      Issue.record("\(mutation.name): accepted")
    } catch {
      let messages = error.problems.map { "\($0.kind): \($0)" }
      let kind = Self.kinds[mutation.name]
      let hit = error.problems.contains { p in
        p.kind == kind && mutation.expected.allSatisfy { p.description.contains($0) }
      }
      let wanted = "\(mutation.name): expected \(kind.map { "\($0)" } ?? "?") \(mutation.expected) in one of:"
      #expect(hit, "\(wanted)\n\(messages.joined(separator: "\n"))")
    }
  }

  @Test func corpusHasAtLeast25Cases() { #expect(Self.cases.count >= 25) }

  /// The kind each case's problem must be reported as.
  static let kinds: [String: InputProblem.Kind] = [
    "missing name": .missing, "zero periods": .invalidValue, "bad month": .invalidValue,
    "unknown settings key": .unknownKey, "unknown policy": .invalidValue, "lowercase country": .invalidValue,
    "group with unknown country": .unknownReference, "duplicate item": .duplicate, "bad item kind": .invalidValue,
    "unknown BOM input": .unknownReference, "BOM cycle": .inconsistent, "end item as input": .invalidValue,
    "producer in unknown country": .unknownReference, "product of unknown item": .unknownReference,
    "negative capacity": .invalidValue, "NaN capacity": .invalidValue, "text capacity": .wrongType,
    "unknown producer key": .unknownKey, "bad consumer class": .invalidValue, "duplicate consumer": .duplicate,
    "demand of unknown consumer": .unknownReference, "demand after horizon": .inconsistent,
    "malformed CSV row": .syntax, "negative demand": .invalidValue, "unterminated quote": .syntax,
    "target outside horizon": .inconsistent, "funder pays for unknown": .unknownReference,
    "funder buys from unknown": .unknownReference, "scenario on unknown producer": .unknownReference,
    "scenario with unknown change": .invalidValue, "scenario matching nothing": .inconsistent,
    "TOML syntax error": .syntax, "unknown CSV column": .unknownKey, "missing required file": .file,
    "expansion without lead time": .missing, "duplicate expansion id": .duplicate, "duplicate quota id": .duplicate,
    "two equally specific routes": .inconsistent, "rule without allow": .missing, "semicolon CSV": .syntax,
    "thousands separator": .invalidValue, "fired from an unknown system": .unknownReference,
    "fire rate without a system": .missing, "worn part without a life": .missing,
    "a component wears a part": .invalidValue, "fired from a component": .invalidValue,
    "attrition of a whole fleet": .invalidValue, "route with an end item": .invalidValue,
    "route making a cycle": .inconsistent, "vanishing bill of materials": .invalidValue, "tiny demand": .limit,
    "hexadecimal CSV number": .invalidValue,
  ]

  /// What a spreadsheet saves is read: a byte-order mark, CRLF line ends and `#` comment lines
  /// saved as a quoted first cell with empty others (and a TOML file's byte-order mark).
  @Test func spreadsheetSavedCSVIsRead() throws {
    var texts = try Mutation.fixtureTexts()
    let demand = try #require(texts[.demand])
    let lines = demand.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    texts[.demand] = "\u{FEFF}\"# Demand, saved from a spreadsheet\",,,,\r\n" + lines.joined(separator: "\r\n")
    // An editor's byte-order mark before a TOML file is read past too.
    texts[.dataset] = "\u{FEFF}" + (texts[.dataset] ?? "")
    let data = try DataSetLoader.load(texts: texts)
    let original = try DataSetLoader.load(texts: try Mutation.fixtureTexts())
    #expect(data.model.consumers.map(\.demand) == original.model.consumers.map(\.demand))
  }

  @Test func everyCaseHasAKind() {
    #expect(Set(Self.cases.map(\.name)) == Set(Self.kinds.keys))
  }

  /// Three unrelated problems in three files are all reported, in file order.
  @Test func allProblemsAtOnce() throws {
    var texts = try Mutation.fixtureTexts()
    for name in ["negative capacity", "demand of unknown consumer", "bad consumer class"] {
      try #require(Self.cases.first { $0.name == name }).apply(&texts)
    }
    do {
      _ = try DataSetLoader.load(texts: texts)
      Issue.record("accepted")
    } catch {
      let files = error.problems.map(\.file)
      #expect(files.contains("producers.toml") && files.contains("demand.csv") && files.contains("consumers.toml"))
      #expect(files == files.sorted())
    }
  }

  /// A scenario's own problems are listed beside the base's; its unknown references wait,
  /// since a broken base may have dropped what they name.
  @Test func scenarioProblemsBesideBaseProblems() throws {
    var texts = try Mutation.fixtureTexts()
    try #require(Self.cases.first { $0.name == "negative capacity" }).apply(&texts)
    texts[.scenarios] = texts[.scenarios]?.replacingOccurrences(of: "factor = 1.5", with: "factor = -1.5\ncolour = 1")
      .replacingOccurrences(of: "funder = \"ua-budget\"", with: "funder = \"nobody\"")
    let problems = Self.problems(texts)
    #expect(problems.filter { $0.file == "producers.toml" }.count == 1)
    let scenario = problems.filter { $0.file == "scenarios.toml" }
    #expect(
      scenario.map(\.key) == [
        "scenario \"more-charges\" › change #1 › factor", "scenario \"more-charges\" › change #1 › colour",
      ])
    // With the base mended, the unknown funder is reported too.
    texts[.producers] = try Mutation.fixtureTexts()[.producers]
    #expect(Self.problems(texts).contains { $0.kind == .unknownReference && $0.value == "\"nobody\"" })
  }

  /// One record's problems are all listed: an unknown `from` hides neither its other
  /// unknown ids nor a bad figure or an unknown key.
  @Test func everyProblemOfOneRoute() throws {
    var texts = try Mutation.fixtureTexts()
    texts[.links] =
      (texts[.links] ?? "")
      + "\n[[route]]\nfrom = [\"nope1\"]\nto = [\"nope2\"]\nitems = [\"nope3\", \"nope4\"]\nlead_time = -1\ncolour = 3\n"
    let problems = Self.problems(texts).filter { $0.file == "links.toml" }
    #expect(
      problems.filter { $0.kind == .unknownReference }.map(\.value) == [
        "\"nope1\"", "\"nope2\"", "\"nope3\"", "\"nope4\"",
      ])
    #expect(problems.contains { $0.key?.hasSuffix("lead_time") == true && $0.kind == .invalidValue })
    #expect(problems.contains { $0.key?.hasSuffix("colour") == true && $0.kind == .unknownKey })
  }

  static func problems(_ texts: [DataSetFile: String]) -> [InputProblem] {
    do {
      _ = try DataSetLoader.load(texts: texts)
      return []
    } catch {
      return error.problems
    }
  }

  @Test func theUnchangedFixtureLoads() throws {
    let data = try DataSetLoader.load(texts: try Mutation.fixtureTexts())
    #expect(data.model.producers.count == 4)
    #expect(data.scenarios.map(\.name) == ["baseline", "drone-money", "more-charges"])
  }

  /// Planners write capacity = 2000 and capacity = 2000.5 alike.
  @Test func integersAndDecimalsAreBothNumbers() throws {
    var texts = try Mutation.fixtureTexts()
    texts[.producers] = texts[.producers]?.replacingOccurrences(of: "capacity = 18000", with: "capacity = 18000.5")
    let data = try DataSetLoader.load(texts: texts)
    #expect(data.model.producers[ProducerIndex(1)].products[ProductIndex(0)].capacity[0] == 18000.5)
  }
}

@Suite struct HashTests {
  /// FIPS 180-4 test vectors.
  @Test func sha256KnownVectors() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      SHA256.hex(String(repeating: "a", count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }
}
