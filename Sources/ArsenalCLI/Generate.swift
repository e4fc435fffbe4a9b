import ArgumentParser
import Arsenal

struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a synthetic data set (deterministic by seed) for scale tests.",
    discussion:
      "Sizes: small (about the bundled set), medium, large (≥ 500,000 LP non-zeros). Knobs override the size's values.")

  @Option(name: .long, help: ArgumentHelp("Output folder (a data set folder).", valueName: "folder"))
  var out: String

  @Option(name: .long, help: ArgumentHelp("small, medium, large or xlarge.", valueName: "size"))
  var size = "small"

  @Option(name: .long, help: ArgumentHelp("Random seed.", valueName: "n"))
  var seed: UInt64 = 1

  @Option(name: .long, help: ArgumentHelp(valueName: "n")) var countries: Int?
  @Option(name: .long, help: ArgumentHelp(valueName: "n")) var producers: Int?
  @Option(name: .customLong("end-items"), help: ArgumentHelp(valueName: "n")) var endItems: Int?
  @Option(name: .long, help: ArgumentHelp(valueName: "n")) var components: Int?
  @Option(name: .customLong("components-per-item"), help: ArgumentHelp(valueName: "n")) var componentsPerItem: Int?
  @Option(name: .long, help: ArgumentHelp(valueName: "n")) var materials: Int?
  @Option(name: .long, help: ArgumentHelp(valueName: "n")) var consumers: Int?
  @Option(name: .long, help: ArgumentHelp(valueName: "n")) var markets: Int?
  @Option(name: .long, help: ArgumentHelp(valueName: "n")) var funders: Int?
  @Option(name: .long, help: ArgumentHelp(valueName: "n")) var periods: Int?

  func run() throws {
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
    do {
      try Generator.files(size: s, seed: seed).write(to: out)
    } catch {
      throw fail(error, code: Exit.io)
    }
    print(
      "wrote a synthetic data set to \(out) (\(s.producers) producers, \(s.consumers) consumers, \(s.periods) periods)")
  }
}
