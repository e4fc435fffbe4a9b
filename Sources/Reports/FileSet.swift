import Foundation

/// Report files produced in memory and written together: a report set.
///
/// Nothing is written until every file has been generated; then the set is written into a
/// staging folder and switched into place whole (`OutputFolder`), so that Ctrl-C, a kill or a
/// full disk leaves either the previous set or the new one — never a mix.
public struct FileSet: Sendable {
  public private(set) var files: [(name: String, contents: String)] = []

  public init() {}

  public mutating func add(_ name: String, _ contents: String) { files.append((name, contents)) }

  public func contents(of name: String) -> String? { files.first { $0.name == name }?.contents }

  /// Writes the set as the whole content of `folder` (created if needed), taking the folder's
  /// lock for the time it takes. A command that writes after a long computation takes the
  /// `OutputFolder` first instead, and publishes into it.
  public func write(to folder: String, command: String = "arsenal") throws(OutputError) {
    try OutputFolder(folder, command: command).publish(self)
  }
}
