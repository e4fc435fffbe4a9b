import CXLSXWriter
import Foundation

/// A spreadsheet workbook (.xlsx) of tables, one sheet each, written through libxlsxwriter.
///
/// The only code that touches libxlsxwriter: every name, size and string is checked here
/// before the C library sees it, and the bytes are the same for the same tables (the
/// document's dates are fixed, and the library dates every zip entry 1980-01-01).
public enum Workbook {
  /// One sheet: a header row and rows of cells.
  public struct Table: Sendable {
    /// The sheet's name (shortened to Excel's 31 characters, `[]:*?/\` replaced).
    public let name: String
    /// The header row, in bold, frozen and filterable.
    public let header: [String]
    /// The rows, each as long as the header or shorter.
    public let rows: [[Cell]]

    /// A sheet `name` with `header` and `rows`.
    public init(name: String, header: [String], rows: [[Cell]]) {
      self.name = name
      self.header = header
      self.rows = rows
    }
  }

  /// A cell: a number (a spreadsheet sums and sorts it as one) or text.
  public enum Cell: Sendable, Equatable {
    /// A finite number.
    case number(Double)
    /// Text (empty text leaves the cell blank).
    case text(String)

    /// A CSV field as a cell: a plain decimal number becomes a number, anything else text.
    public init(csvField s: String) {
      if let x = Double(s), x.isFinite, s.first.map({ $0.isNumber || $0 == "-" }) == true,
        !s.contains(where: { $0.isLetter })
      {
        self = .number(x)
      } else {
        self = .text(s)
      }
    }
  }

  /// Why a workbook could not be made.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for the command's error line.
    public let description: String
  }

  /// Excel's limits: rows and columns per sheet, characters per cell.
  static let maxRows = 1_048_576
  static let maxColumns = 16_384
  static let maxText = 32_767

  /// The workbook's bytes.
  public static func bytes(_ tables: [Table]) throws(Failure) -> [UInt8] {
    guard !tables.isEmpty else { throw Failure(description: "a workbook needs at least one table") }
    for t in tables {
      guard t.rows.count + 1 <= maxRows, max(t.header.count, t.rows.map(\.count).max() ?? 0) <= maxColumns else {
        throw Failure(description: "the table \(t.name) is larger than a spreadsheet sheet holds")
      }
    }
    // libxlsxwriter 1.1 writes to a file only: a private temporary one, read back and removed.
    let path = NSTemporaryDirectory() + "arsenal-\(getpid())-\(UUID().uuidString).xlsx"
    defer { unlink(path) }
    try write(tables, to: path)
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Failure(description: "cannot read back the workbook written to \(path)")
    }
    return [UInt8](data)
  }

  private static func write(_ tables: [Table], to path: String) throws(Failure) {
    var options = lxw_workbook_options(constant_memory: 0, tmpdir: nil, use_zip64: 0)
    guard let book = workbook_new_opt(path, &options) else {
      throw Failure(description: "libxlsxwriter could not create \(path)")
    }
    // Fixed document dates, so that the same tables give the same bytes.
    var properties = lxw_doc_properties()
    properties.created = 946_684_800  // 2000-01-01T00:00:00Z
    _ = workbook_set_properties(book, &properties)
    let bold = workbook_add_format(book)
    format_set_bold(bold)
    var used: Set<String> = []
    for table in tables {
      let name = sheetName(table.name, avoiding: used)
      used.insert(name.lowercased())
      guard let sheet = workbook_add_worksheet(book, name) else {
        _ = workbook_close(book)
        throw Failure(description: "libxlsxwriter refused the sheet name \(name)")
      }
      fill(sheet, table, bold: bold)
    }
    let status = workbook_close(book)
    guard status == LXW_NO_ERROR else {
      throw Failure(description: "libxlsxwriter: \(String(cString: lxw_strerror(status)))")
    }
  }

  private static func fill(
    _ sheet: UnsafeMutablePointer<lxw_worksheet>, _ table: Table, bold: UnsafeMutablePointer<lxw_format>?
  ) {
    var widths = table.header.map { min(60, max(8, $0.count + 2)) }
    for (c, title) in table.header.enumerated() {
      _ = worksheet_write_string(sheet, 0, lxw_col_t(c), clipped(title), bold)
    }
    for (r, row) in table.rows.enumerated() {
      for (c, cell) in row.enumerated() where c < maxColumns {
        switch cell {
        case .number(let x): _ = worksheet_write_number(sheet, lxw_row_t(r + 1), lxw_col_t(c), x, nil)
        case .text(let s) where !s.isEmpty:
          _ = worksheet_write_string(sheet, lxw_row_t(r + 1), lxw_col_t(c), clipped(s), nil)
          if c < widths.count { widths[c] = min(60, max(widths[c], s.count + 2)) }
        case .text: continue
        }
      }
    }
    for (c, w) in widths.enumerated() { _ = worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c), Double(w), nil) }
    worksheet_freeze_panes(sheet, 1, 0)
    if !table.header.isEmpty {
      _ = worksheet_autofilter(sheet, 0, 0, lxw_row_t(table.rows.count), lxw_col_t(table.header.count - 1))
    }
  }

  /// Text within Excel's cell limit.
  static func clipped(_ s: String) -> String { s.count > maxText ? String(s.prefix(maxText)) : s }

  /// A valid, unique sheet name: Excel forbids `[]:*?/\`, a leading or trailing `'`, more
  /// than 31 characters and names equal but for case.
  static func sheetName(_ wanted: String, avoiding used: Set<String>) -> String {
    var base = String(wanted.map { "[]:*?/\\".contains($0) ? "_" : $0 }).trimmingCharacters(
      in: CharacterSet(charactersIn: "'"))
    if base.isEmpty { base = "sheet" }
    base = String(base.prefix(31))
    var name = base
    var n = 2
    while used.contains(name.lowercased()) {
      let suffix = " (\(n))"
      name = String(base.prefix(31 - suffix.count)) + suffix
      n += 1
    }
    return name
  }
}
