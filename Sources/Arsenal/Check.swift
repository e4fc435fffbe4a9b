import Foundation
import PlanningModel

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
    var object: [String: Any] = ["data": folder]
    let problems: [InputProblem] = errors?.problems ?? []
    object["problems"] = problems.map { p in
      entry(kind: p.kind.rawValue, file: p.file, line: p.line, key: p.key, value: p.value, message: p.message)
    }
    if let uncounted = errors?.uncounted, !uncounted.isEmpty { object["uncounted"] = uncounted }
    let warnings = result?.warnings ?? []
    object["warnings"] = warnings.map { w in
      entry(kind: w.kind.rawValue, file: w.file, line: w.line, key: w.key, value: w.value, message: w.message)
    }
    object["ok"] = errors == nil && !(strictSources && !(result?.uncited.isEmpty ?? true))
    if let m = result?.data.model {
      object["model"] =
        [
          "items": m.items.count, "producers": m.producers.count,
          "products": m.producers.reduce(0) { $0 + $1.products.count }, "consumers": m.consumers.count,
          "markets": m.markets.count, "funders": m.funders.count, "scenarios": result?.data.scenarios.count ?? 0,
          "horizon": [
            "start": m.horizon.start.description, "periods": m.horizon.periods, "length": m.horizon.length.rawValue,
          ],
        ] as [String: Any]
    }
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]),
      let text = String(data: data, encoding: .utf8)
    else { return "{}" }
    return text
  }

  private static func entry(
    kind: String, file: String, line: Int?, key: String?, value: String?, message: String
  ) -> [String: Any] {
    var e: [String: Any] = ["kind": kind, "file": file, "message": message]
    if let line { e["line"] = line }
    if let key { e["key"] = key }
    if let value { e["value"] = value }
    return e
  }
}
