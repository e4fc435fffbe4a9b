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
