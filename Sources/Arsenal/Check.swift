import PlanningModel
import Reports

/// What `arsenal check` finds in a data set that loads: the data set and its lint's warnings.
public struct CheckResult: Sendable {
  /// The validated data set.
  public let data: DataSet
  /// The lint's warnings (docs/INPUTS.md, "Sources and the data lint"): the cross-checks,
  /// then the uncited numbers.
  public let warnings: [DataWarning]

  /// The uncited numbers among the warnings (what `--strict-sources` makes errors).
  public var uncited: [DataWarning] { warnings.filter { $0.kind == .uncitedNumber } }
}

extension Arsenal {
  /// Loads and validates a data set folder, then lints it: numbers without a source, funders
  /// and needs nobody can serve, scenarios that change nothing.
  public static func check(_ folder: String) throws(ArsenalError) -> CheckResult {
    do {
      let texts = try DataSetLoader.readTexts(folder: folder)
      let data = try DataSetLoader.load(texts: texts, source: folder)
      return CheckResult(data: data, warnings: DataLint.warnings(for: data, texts: texts))
    } catch {
      throw .input(error)
    }
  }
}

/// `arsenal check --json`: the outcome of a check as one JSON object, for tools and CI.
///
/// Keys: `data` (the folder), `ok` (no input problem, and no uncited number under
/// `--strict-sources`), `problems` (the input problems: `kind`, `file`, `line`, `key`,
/// `value`, `message`; `uncounted` problems beyond those kept, by message), `warnings` (the
/// lint's, same fields) and, when the data set loads, `model` (entity counts and horizon).
public enum CheckJSON {
  /// The JSON text, keys sorted, for a data set that loaded (`result`) or failed (`errors`).
  public static func text(
    folder: String, result: CheckResult?, errors: InputErrors?, strictSources: Bool = false
  ) -> String {
    var object: [String: JSONValue] = ["data": .string(folder)]
    object["problems"] = .array(
      (errors?.problems ?? []).map { p in
        entry(kind: p.kind.rawValue, file: p.file, line: p.line, key: p.key, value: p.value, message: p.message)
      })
    if let uncounted = errors?.uncounted, !uncounted.isEmpty {
      object["uncounted"] = .object(uncounted.mapValues { .number(Double($0)) })
    }
    object["warnings"] = .array(
      (result?.warnings ?? []).map { w in
        entry(kind: w.kind.rawValue, file: w.file, line: w.line, key: w.key, value: w.value, message: w.message)
      })
    object["ok"] = .bool(errors == nil && !(strictSources && !(result?.uncited.isEmpty ?? true)))
    if let result {
      let m = result.data.model
      func count(_ n: Int) -> JSONValue { .number(Double(n)) }
      object["model"] = .object([
        "items": count(m.items.count), "producers": count(m.producers.count),
        "products": count(m.producers.reduce(0) { $0 + $1.products.count }), "consumers": count(m.consumers.count),
        "markets": count(m.markets.count), "funders": count(m.funders.count),
        "scenarios": count(result.data.scenarios.count),
        "horizon": .object([
          "start": .string(m.horizon.start.description), "periods": count(m.horizon.periods),
          "length": .string(m.horizon.length.rawValue),
        ]),
      ])
    }
    return JSONValue.object(object).render(indent: 0) + "\n"
  }

  private static func entry(
    kind: String, file: String, line: Int?, key: String?, value: String?, message: String
  ) -> JSONValue {
    var e: [String: JSONValue] = ["kind": .string(kind), "file": .string(file), "message": .string(message)]
    if let line { e["line"] = .number(Double(line)) }
    if let key { e["key"] = .string(key) }
    if let value { e["value"] = .string(value) }
    return .object(e)
  }
}
