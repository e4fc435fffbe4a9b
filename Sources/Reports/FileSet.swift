import Foundation
import Workbook

/// Report files produced in memory and written together: a report set.
///
/// Nothing is written until every file has been generated; then the set is written into a
/// staging folder and switched into place whole (`OutputFolder`), so that Ctrl-C, a kill or a
/// full disk leaves either the previous set or the new one — never a mix.
public struct FileSet: Sendable {
  /// The files in the order added: names relative to the output folder, and their text.
  public private(set) var files: [File] = []

  /// One file of the set.
  public struct File: Sendable {
    /// Its path relative to the output folder.
    public let name: String
    /// Its text (empty for a binary file).
    public let contents: String
    /// Its bytes, for a binary file (a workbook); `nil` for text.
    public let binary: [UInt8]?

    /// A text file.
    public init(name: String, contents: String) {
      self.name = name
      self.contents = contents
      self.binary = nil
    }

    /// A binary file.
    public init(name: String, binary: [UInt8]) {
      self.name = name
      self.contents = ""
      self.binary = binary
    }

    /// What is written: the bytes, or the text in UTF-8.
    var bytes: [UInt8] { binary ?? Array(contents.utf8) }
  }

  /// An empty set.
  public init() {}

  /// Adds the file `name` (relative to the output folder) with its text.
  public mutating func add(_ name: String, _ contents: String) { files.append(File(name: name, contents: contents)) }

  /// The text of the file `name`, or `nil` if the set has none by that name.
  public func contents(of name: String) -> String? { files.first { $0.name == name }?.contents }

  /// The set with `results.xlsx` added: every CSV of the set as a sheet named after it,
  /// numbers as numbers (docs/OUTPUTS.md).
  public func withWorkbook() throws(OutputError) -> FileSet {
    let tables = files.filter { $0.name.hasSuffix(".csv") && $0.binary == nil }.map { f in
      var lines = CSVWriter.records(of: f.contents)
      let header = lines.isEmpty ? [] : lines.removeFirst()
      return Workbook.Table(
        name: String(f.name.dropLast(4)), header: header,
        rows: lines.map { $0.map(Workbook.Cell.init(csvField:)) })
    }
    guard !tables.isEmpty else { return self }
    var out = self
    do {
      out.files.append(File(name: "results.xlsx", binary: try Workbook.bytes(tables)))
    } catch {
      throw OutputError(path: "results.xlsx", reason: error.description)
    }
    return out
  }

  /// The set as spreadsheets open it on any system: every CSV with a UTF-8 byte order mark
  /// (without it, Excel on Windows reads UTF-8 names as its local code page) and CRLF line
  /// ends.
  public func forSpreadsheets() -> FileSet {
    var out = FileSet()
    for f in files {
      guard f.name.hasSuffix(".csv") else {
        out.files.append(f)
        continue
      }
      out.add(f.name, "\u{FEFF}" + f.contents.replacingOccurrences(of: "\n", with: "\r\n"))
    }
    return out
  }

  /// Writes the set as the whole content of `folder` (created if needed), taking the folder's
  /// lock for the time it takes.
  ///
  /// A command that writes after a long computation takes the `OutputFolder` first instead,
  /// and publishes into it.
  public func write(to folder: String, command: String = "arsenal") throws(OutputError) {
    try OutputFolder(folder, command: command).publish(self)
  }
}
