import ArgumentParser
import Arsenal

struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a synthetic data set (deterministic by seed) for scale tests.",
    discussion:
      "Sizes: small (about the bundled set), medium, large (≥ 500,000 LP non-zeros). Knobs override the size's values.")

  @Option(name: .long, help: ArgumentHelp("Output folder (a data set folder).", valueName: "folder"))
  var out: String

  @Option(
    name: .long, help: ArgumentHelp("The preset the knobs below start from.", valueName: "small|medium|large|xlarge"))
  var size = "small"

  @Option(name: .long, help: ArgumentHelp("Random seed.", valueName: "n"))
  var seed: UInt64 = 1

  @Option(name: .long, help: ArgumentHelp("Countries (3–676; overrides the size's).", valueName: "n"))
  var countries: Int?
  @Option(name: .long, help: ArgumentHelp("Producers (≥ 1).", valueName: "n"))
  var producers: Int?
  @Option(name: .customLong("end-items"), help: ArgumentHelp("End items consumers demand (≥ 1).", valueName: "n"))
  var endItems: Int?
  @Option(name: .long, help: ArgumentHelp("Components made by producers (≥ 1).", valueName: "n"))
  var components: Int?
  @Option(
    name: .customLong("components-per-item"),
    help: ArgumentHelp("Components in each end item's bill of materials (≥ 1).", valueName: "n"))
  var componentsPerItem: Int?
  @Option(name: .long, help: ArgumentHelp("Raw materials bought on markets (≥ 0).", valueName: "n"))
  var materials: Int?
  @Option(name: .long, help: ArgumentHelp("Consumers (≥ 2).", valueName: "n"))
  var consumers: Int?
  @Option(name: .long, help: ArgumentHelp("Markets selling materials and components (≥ 1).", valueName: "n"))
  var markets: Int?
  @Option(name: .long, help: ArgumentHelp("Funders with budgets (≥ 1).", valueName: "n"))
  var funders: Int?
  @Option(name: .long, help: ArgumentHelp("Months in the horizon (1–600).", valueName: "n"))
  var periods: Int?
  @OptionGroup var console: ConsoleOptions

  /// Checked while parsing, so that a mistake prints this command's usage line.
  func validate() throws { _ = try settings() }

  /// The size's values with the knobs given.
  func settings() throws -> GeneratorSize {
    guard var s = GeneratorSize.preset(size) else {
      throw ValidationError("unknown size \"\(size)\"; expected small, medium, large or xlarge")
    }
    s.countries = countries ?? s.countries
    s.producers = producers ?? s.producers
    s.endItems = endItems ?? s.endItems
    s.components = components ?? s.components
    s.componentsPerItem = componentsPerItem ?? s.componentsPerItem
    s.materials = materials ?? s.materials
    s.consumers = consumers ?? s.consumers
    s.markets = markets ?? s.markets
    s.funders = funders ?? s.funders
    s.periods = periods ?? s.periods
    guard s.countries >= 3, s.countries <= 676, s.producers >= 1, s.endItems >= 1, s.components >= 1, s.consumers >= 2,
      s.markets >= 1, s.funders >= 1, (1...600).contains(s.periods), s.componentsPerItem >= 1, s.materials >= 0
    else {
      throw ValidationError("knobs out of range: countries 3–676, periods 1–600, consumers ≥ 2, the others ≥ 1")
    }
    return s
  }

  func run() throws {
    let s = try settings()
    do {
      try Generator.files(size: s, seed: seed).write(to: out)
    } catch {
      throw fail(error, code: Exit.io)
    }
    console.say(
      "wrote a synthetic data set to \(out) (\(s.producers) producers, \(s.consumers) consumers, \(s.periods) periods)")
    console.emit(
      .object([
        "folder": .string(out), "seed": .number(Double(seed)), "size": .string(size),
        "producers": .number(Double(s.producers)), "consumers": .number(Double(s.consumers)),
        "periods": .number(Double(s.periods)),
      ]))
  }
}
