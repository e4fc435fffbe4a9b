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

  @Flag(
    name: .customLong("strict-sources"), help: "Fail (exit 65) when a number has no source: or assumption: comment.")
  var strictSources = false

  @OptionGroup var console: ConsoleOptions

  var json: Bool { console.json }

  func run() throws {
    let result: CheckResult
    do {
      result = try Arsenal.check(data.data)
    } catch {
      if json, case .input(let errors) = error {
        print(CheckJSON.text(folder: data.data, result: nil, errors: errors), terminator: "")
        throw ExitCode(error.exitCode)
      }
      throw fail(error, code: error.exitCode)
    }
    if json {
      print(
        CheckJSON.text(folder: data.data, result: result, errors: nil, strictSources: strictSources), terminator: "")
      if strictSources && !result.uncited.isEmpty { throw ExitCode(Exit.data) }
      return
    }
    let errors = strictSources ? result.uncited : []
    guard !console.quiet else {
      if !errors.isEmpty { throw fail(UncitedNumbers(errors), code: Exit.data) }
      return
    }
    let m = result.data.model
    let products = m.producers.reduce(0) { $0 + $1.products.count }
    // Numbers without a source fail a strict check: no "OK" above the error.
    if errors.isEmpty {
      print(
        "\(data.data): OK — \(m.items.count) items, \(m.producers.count) producers (\(products) products), \(m.consumers.count) consumers, \(m.markets.count) markets, \(m.funders.count) funders, \(result.data.scenarios.count) scenarios; \(m.horizon.periods) \(m.horizon.length.rawValue)s from \(m.horizon.start)"
      )
    }
    let warnings = strictSources ? result.warnings.filter { $0.kind != .uncitedNumber } : result.warnings
    if !warnings.isEmpty {
      print(DataLintWords.heading(warnings.count))
      for w in warnings { print("  \(w)") }
    }
    if !errors.isEmpty { throw fail(UncitedNumbers(errors), code: Exit.data) }
  }
}

struct Scenarios: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the data set's scenarios, named comparisons, sweeps and investment questions, one line each.")

  @OptionGroup var data: DataOptions
  @OptionGroup var console: ConsoleOptions

  func run() throws {
    do {
      let set = try Arsenal.load(data.data)
      console.emit(
        .object([
          "scenarios": .array(
            set.scenarios.map { .object(["name": .string($0.name), "description": .string($0.description)]) }),
          "comparisons": .array(
            set.comparisons.map {
              .object([
                "name": .string($0.name), "description": .string($0.description),
                "runs": .array($0.runs.map { .string($0) }),
              ])
            }),
          "sweeps": .array(
            set.sweeps.map { .object(["name": .string($0.name), "description": .string($0.description)]) }),
          "investments": .array(
            set.investments.map {
              .object([
                "name": .string($0.name), "description": .string($0.description),
                "goals": .array($0.goals.map { .string($0) }),
              ])
            }),
        ]))
      guard !console.quiet && !console.json else { return }
      let names =
        set.scenarios.map(\.name) + set.comparisons.map(\.name) + set.sweeps.map(\.name) + set.investments.map(\.name)
      let width = names.map(\.count).max() ?? 0
      func line(_ name: String, _ text: String) -> String {
        name + String(repeating: " ", count: width - name.count) + "  " + text
      }
      for s in set.scenarios { print(line(s.name, s.description)) }
      if !set.comparisons.isEmpty {
        print("\nComparisons (arsenal reports writes each to Reports/compare-NAME/):")
        for c in set.comparisons { print(line(c.name, "\(c.runs.joined(separator: ", ")) — \(c.description)")) }
      }
      if !set.sweeps.isEmpty {
        print("\nSweeps (arsenal sweep NAME):")
        for s in set.sweeps { print(line(s.name, s.description)) }
      }
      if !set.investments.isEmpty {
        print("\nInvestment questions (arsenal invest NAME; arsenal reports writes each to Reports/invest-NAME/):")
        for q in set.investments { print(line(q.name, q.description)) }
      }
    } catch {
      throw fail(error, code: error.exitCode)
    }
  }
}
