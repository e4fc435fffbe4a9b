import ArgumentParser
import Arsenal
import PlanningModel

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Validate a data set and its scenarios; list every problem at once, then the data lint's warnings.",
    discussion:
      "Warnings (numbers without a source: or assumption: comment, funders and demand nobody can serve, scenarios "
      + "that change nothing) do not fail the command; see docs/INPUTS.md, \"Sources and the data lint\".")

  @OptionGroup var data: DataOptions

  @Flag(name: .customLong("strict-sources"), help: "Fail (exit 1) when a number has no source: or assumption: comment.")
  var strictSources = false

  func run() throws {
    let result: CheckResult
    do {
      result = try Arsenal.check(data.data)
    } catch {
      throw fail(error, code: error.exitCode)
    }
    let m = result.data.model
    let products = m.producers.reduce(0) { $0 + $1.products.count }
    print(
      "\(data.data): OK — \(m.items.count) items, \(m.producers.count) producers (\(products) products), \(m.consumers.count) consumers, \(m.markets.count) markets, \(m.funders.count) funders, \(result.data.scenarios.count) scenarios; \(m.horizon.periods) \(m.horizon.length.rawValue)s from \(m.horizon.start)"
    )
    let errors = strictSources ? result.uncited : []
    let warnings = strictSources ? result.warnings.filter { $0.kind != .uncitedNumber } : result.warnings
    if !warnings.isEmpty {
      print(DataLintWords.heading(warnings.count))
      for w in warnings { print("  \(w)") }
    }
    if !errors.isEmpty { throw fail(UncitedNumbers(errors)) }
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
