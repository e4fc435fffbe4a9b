import Foundation
import Testing

@testable import PlanningModel

/// Every numeric field at its documented limit is accepted, and just past it rejected with a
/// located message (docs/INPUTS.md, "Limits").
@Suite struct LimitsTests {
  struct Field: Sendable, CustomStringConvertible {
    let name: String
    let file: DataSetFile
    /// Replaces the first occurrence of `find` with `replace(value)`; nil find appends.
    let find: String?
    let replace: @Sendable (String) -> String
    let limit: Double
    let key: String
    var description: String { name }
  }

  static let fields: [Field] = [
    Field(
      name: "product capacity", file: .producers, find: "capacity = 18000", replace: { "capacity = \($0)" },
      limit: Limits.quantity, key: "capacity"),
    Field(
      name: "unit cost", file: .producers, find: "unit_cost = 4000", replace: { "unit_cost = \($0)" },
      limit: Limits.unitPrice, key: "unit_cost"),
    Field(
      name: "initial stock", file: .producers, find: "unit_cost = 400",
      replace: { "unit_cost = 400\ninitial_stock = \($0)" }, limit: Limits.quantity, key: "initial_stock"),
    Field(
      name: "item weight", file: .items, find: "weight = 0.1", replace: { "weight = \($0)" }, limit: Limits.weight,
      key: "weight"),
    Field(
      name: "bill of materials", file: .items, find: "bom = { shell = 1, charge = 1 }",
      replace: { "bom = { shell = 1, charge = \($0) }" }, limit: Limits.bomQuantity, key: "bom.charge"),
    Field(
      name: "consumer priority", file: .consumers, find: "class = \"front-line\"",
      replace: { "class = \"front-line\"\npriority = \($0)" }, limit: Limits.weight, key: "priority"),
    Field(
      name: "consumer initial stock", file: .consumers, find: "initial_stock = { 155mm = 1000 }",
      replace: { "initial_stock = { 155mm = \($0) }" }, limit: Limits.quantity, key: "initial_stock.155mm"),
    Field(
      name: "budget", file: .funders, find: "budget = 4000000", replace: { "budget = \($0)" }, limit: Limits.money,
      key: "budget"),
    Field(
      name: "demand", file: .demand, find: "front,155mm,2027-01,30000", replace: { "front,155mm,2027-01,\($0)" },
      limit: Limits.quantity, key: "column quantity"),
    Field(
      name: "stockpile target", file: .targets, find: "army-aa,155mm,2027-03,5000",
      replace: { "army-aa,155mm,2027-03,\($0)" }, limit: Limits.quantity, key: "column level"),
    Field(
      name: "expansion cost", file: .producers, find: nil,
      replace: { "[[producer.expansion]]\nid = \"x\"\nitem = \"drone\"\ncapacity = 10\nlead_time = 1\ncost = \($0)\n" },
      limit: Limits.money, key: "cost"),
    Field(
      name: "expansion capacity", file: .producers, find: nil,
      replace: { "[[producer.expansion]]\nid = \"x\"\nitem = \"drone\"\ncapacity = \($0)\nlead_time = 1\n" },
      limit: Limits.quantity, key: "capacity"),
    Field(
      name: "quota", file: .links, find: nil, replace: { "[[quota]]\nid = \"q\"\nmax = \($0)\n" },
      limit: Limits.quantity, key: "max"),
    Field(
      name: "route capacity and cost", file: .links, find: nil,
      replace: { "[[route]]\nfrom = \"*\"\nto = \"*\"\nlead_time = 0\ncapacity = \($0)\n" }, limit: Limits.quantity,
      key: "capacity"),
    Field(
      name: "route cost", file: .links, find: nil,
      replace: { "[[route]]\nfrom = \"*\"\nto = \"*\"\nlead_time = 0\ncost = \($0)\n" }, limit: Limits.unitPrice,
      key: "cost"),
    Field(
      name: "scenario factor", file: .scenarios, find: "factor = 1.5", replace: { "factor = \($0)" },
      limit: Limits.factor, key: "factor"),
  ]

  static func texts(_ field: Field, value: Double) throws -> [DataSetFile: String] {
    var texts = try Mutation.fixtureTexts()
    let v = value.description
    if let find = field.find {
      let text = try #require(texts[field.file])
      let range = try #require(text.range(of: find), "the fixture has no \(find)")
      texts[field.file] = text.replacingCharacters(in: range, with: field.replace(v))
    } else {
      texts[field.file] = (texts[field.file] ?? "") + "\n" + field.replace(v)
    }
    return texts
  }

  @Test(arguments: fields)
  func atTheLimitAcceptedJustPastRejected(_ field: Field) throws {
    _ = try DataSetLoader.load(texts: try Self.texts(field, value: field.limit))
    let past = try Self.texts(field, value: field.limit * 1.001)
    do {
      _ = try DataSetLoader.load(texts: past)
      Issue.record("\(field.name) just past its limit was accepted")
    } catch {
      let text = error.description
      #expect(text.contains(field.file.rawValue), "\(text)")
      #expect(text.contains(field.key), "\(text)")
      #expect(text.contains("expected a number ≤"), "\(text)")
    }
  }

  @Test func everyLimitIsDocumented() throws {
    let docs = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/INPUTS.md"), encoding: .utf8)
    for figure in ["10¹²", "10¹⁰", "10¹⁴", "1,000", "10⁶", "200 characters", "2,000 characters"] {
      #expect(docs.contains(figure), "docs/INPUTS.md does not state the limit \(figure)")
    }
  }

  @Test func aNameLongerThanTheLimitIsRejected() throws {
    var texts = try Mutation.fixtureTexts()
    let long = String(repeating: "x", count: Limits.nameLength + 1)
    texts[.producers] = texts[.producers]?.replacingOccurrences(of: "name = \"Shellworks\"", with: "name = \"\(long)\"")
    #expect(throws: InputErrors.self) { try DataSetLoader.load(texts: texts) }
    do {
      _ = try DataSetLoader.load(texts: texts)
    } catch {
      #expect(error.description.contains("producers.toml:3: producer \"shellworks\" › name"))
      #expect(error.description.contains("is 201 characters long; expected at most 200"))
    }
  }

  @Test func aDayThatDoesNotExistIsRejected() throws {
    var texts = try Mutation.fixtureTexts()
    texts[.demand] = texts[.demand]?.replacingOccurrences(of: "front,drone,2027-01", with: "front,drone,2027-02-30")
    do {
      _ = try DataSetLoader.load(texts: texts)
      Issue.record("2027-02-30 was accepted")
    } catch {
      #expect(error.description.contains("demand.csv:3:"))
      #expect(error.description.contains("\"2027-02-30\""))
    }
    #expect(YearMonth("2028-02-29") != nil)
    #expect(YearMonth("2027-02-29") == nil)
    #expect(YearMonth("2027-04-31") == nil)
  }

  /// Two thousand bad rows give 200 problems in full and a count of the rest by kind.
  @Test func longProblemListsAreCapped() throws {
    var texts = try Mutation.fixtureTexts()
    texts[.demand] = (texts[.demand] ?? "") + (0..<2000).map { "ghost-\($0),155mm,2027-01,5,test\n" }.joined()
    do {
      _ = try DataSetLoader.load(texts: texts)
      Issue.record("accepted")
    } catch {
      let lines = error.description.split(separator: "\n")
      #expect(lines.first == "2,000 problems in the input:")
      #expect(lines.count == 1 + InputErrors.shown + 1)
      #expect(lines.last?.contains("… and 1,800 more: 1,800 × unknown consumer") == true, "\(lines.last ?? "")")
    }
  }
}

/// Input files are resolved strictly: anything at the path that is not a readable regular
/// file is an error that names the path and the reason, never "missing" or "absent".
@Suite struct StrictFileTests {
  static func folder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strict-\(UUID().uuidString)")
    try FileManager.default.copyItem(
      at: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/small"), to: dir)
    return dir.path
  }

  static func problems(_ folder: String) -> String {
    do {
      _ = try DataSetLoader.load(folder: folder)
      return ""
    } catch {
      return error.description
    }
  }

  @Test func aDanglingSymlinkIsAnError() throws {
    let dir = try Self.folder()
    try FileManager.default.removeItem(atPath: dir + "/demand.csv")
    try FileManager.default.createSymbolicLink(atPath: dir + "/demand.csv", withDestinationPath: "nowhere.csv")
    #expect(
      Self.problems(dir).contains("demand.csv: is a symbolic link to something that does not exist (→ nowhere.csv)"))
  }

  @Test func aSymlinkLoopIsAnErrorNotMissing() throws {
    let dir = try Self.folder()
    try FileManager.default.removeItem(atPath: dir + "/producers.toml")
    try FileManager.default.createSymbolicLink(atPath: dir + "/producers.toml", withDestinationPath: "producers.toml")
    let text = Self.problems(dir)
    #expect(text.contains("producers.toml: is a symbolic link that loops"))
    #expect(!text.contains("is missing"))
  }

  @Test func aFolderOrAFIFOIsAnError() throws {
    let dir = try Self.folder()
    try FileManager.default.createDirectory(atPath: dir + "/links.toml", withIntermediateDirectories: false)
    #expect(mkfifo(dir + "/markets.toml", 0o644) == 0)
    let text = Self.problems(dir)
    #expect(text.contains("links.toml: is a folder; expected a file"))
    #expect(text.contains("markets.toml: is not a regular file (a FIFO, socket or device); expected a file"))
  }

  @Test func invalidUTF8IsLocatedByLine() throws {
    let dir = try Self.folder()
    var data = try Data(contentsOf: URL(fileURLWithPath: dir + "/demand.csv"))
    data.append(
      contentsOf: Array("front,drone,2027-02,5,ok\nfront,drone,2027-03,5,bad ".utf8) + [0xFF, 0xFE] + Array("\n".utf8))
    try data.write(to: URL(fileURLWithPath: dir + "/demand.csv"))
    #expect(Self.problems(dir).contains("demand.csv:6: is not valid UTF-8 text"))
  }

  @Test func aSweepNameThatIsAPathIsRejected() throws {
    let dir = try Self.folder()
    try """
    [sweep."../../../tmp/x"]
    [[sweep."../../../tmp/x".parameter]]
    kind = "capacity"
    producer = "chargeworks"
    values = [1, 2]
    """.write(toFile: dir + "/sweeps.toml", atomically: true, encoding: .utf8)
    #expect(
      Self.problems(dir).contains("is not a usable sweep name: expected an identifier starting with a letter or digit"))
  }
}
