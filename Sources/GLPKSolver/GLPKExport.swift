import CGLPK
import Foundation
import LinearProgram

/// Files GLPK writes: the LP in CPLEX LP or MPS format, and its ranges report.
extension GLPKProblem {
  // MARK: Files

  /// The file format `export(_:to:)` writes, with GLPK's own writer.
  public enum ExportFormat: String, Sendable {
    /// CPLEX LP format (`glp_write_lp`).
    case cplexLP = "lp"
    /// Free MPS format (`glp_write_mps`).
    case mps
  }

  /// Gives GLPK the row and column names (once), for files that show them.
  func nameEverything(_ p: OpaquePointer) {
    guard !named else { return }
    named = true
    for i in 0..<program.numberOfRows { glp_set_row_name(p, Int32(i + 1), program.rowNames[i]) }
    for j in 0..<program.numberOfColumns { glp_set_col_name(p, Int32(j + 1), program.columnNames[j]) }
  }

  /// Writes the program as loaded (with its current bounds and objective) in `format`.
  ///
  /// The file appears complete or not at all: GLPK writes a temporary file that is then
  /// renamed into place.
  public func export(_ format: ExportFormat, to path: String) throws(GLPKError) {
    let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
    let code: Int32 = thread.sync { [self] in
      guard let p = prob else { return -1 }
      nameEverything(p)
      switch format {
      case .cplexLP: return glp_write_lp(p, nil, temporary)
      case .mps: return glp_write_mps(p, GLP_MPS_FILE, nil, temporary)
      }
    }
    try Self.finish(
      temporary: temporary, path: path, ok: code == 0, what: format == .mps ? "MPS file" : "CPLEX LP file")
  }

  /// Writes GLPK's own sensitivity report (`glp_print_ranges`) for every row and column.
  public func writeRangesReport(to path: String) throws(GLPKError) {
    let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
    let result: Result<Int32, GLPKError> = thread.sync { [self] in
      switch requireFactorizedOptimum("GLPK's ranges report") {
      case .failure(let e): return .failure(e)
      case .success(let p):
        nameEverything(p)
        return .success(glp_print_ranges(p, 0, nil, 0, temporary))
      }
    }
    let code = try result.get()
    try Self.finish(temporary: temporary, path: path, ok: code == 0, what: "ranges report")
  }

  static func finish(temporary: String, path: String, ok: Bool, what: String) throws(GLPKError) {
    guard ok, rename(temporary, path) == 0 else {
      unlink(temporary)
      throw .writeFailed(path: path, what: what)
    }
  }
}
