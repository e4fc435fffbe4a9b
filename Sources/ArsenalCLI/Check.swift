import ArgumentParser
import Arsenal

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Validate a data set and its scenarios; list every problem at once.")

  @OptionGroup var data: DataOptions

  func run() throws {
    do {
      let set = try Arsenal.load(data.data)
      let m = set.model
      let products = m.producers.reduce(0) { $0 + $1.products.count }
      print(
        "\(data.data): OK — \(m.items.count) items, \(m.producers.count) producers (\(products) products), \(m.consumers.count) consumers, \(m.markets.count) markets, \(m.funders.count) funders, \(set.scenarios.count) scenarios; \(m.horizon.periods) \(m.horizon.length.rawValue)s from \(m.horizon.start)"
      )
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}

struct Scenarios: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the data set's scenarios with a one-line description each.")

  @OptionGroup var data: DataOptions

  func run() throws {
    do {
      let set = try Arsenal.load(data.data)
      let width = set.scenarios.map(\.name.count).max() ?? 0
      for s in set.scenarios {
        print(s.name + String(repeating: " ", count: width - s.name.count) + "  " + s.description)
      }
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}
