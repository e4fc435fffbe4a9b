import Foundation

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
    /// Its text.
    public let contents: String
  }

  /// An empty set.
  public init() {}

  /// Adds the file `name` (relative to the output folder) with its text.
  public mutating func add(_ name: String, _ contents: String) { files.append(File(name: name, contents: contents)) }

  /// The text of the file `name`, or `nil` if the set has none by that name.
  public func contents(of name: String) -> String? { files.first { $0.name == name }?.contents }

  /// Writes the set as the whole content of `folder` (created if needed), taking the folder's
  /// lock for the time it takes.
  ///
  /// A command that writes after a long computation takes the `OutputFolder` first instead,
  /// and publishes into it.
  public func write(to folder: String, command: String = "arsenal") throws(OutputError) {
    try OutputFolder(folder, command: command).publish(self)
  }
}
