import Foundation

/// Report files produced in memory and written together, atomically.
///
/// Each file is written to a temporary name in the target folder, then renamed into place
/// (a rename is atomic on one file system). Nothing is written until every file has been
/// generated, and SIGINT is held back while the renames run, so Ctrl-C leaves either the
/// previous set of reports or the new one — never a half-written file.
public struct FileSet: Sendable {
  public private(set) var files: [(name: String, contents: String)] = []

  public init() {}

  public mutating func add(_ name: String, _ contents: String) { files.append((name, contents)) }

  public func contents(of name: String) -> String? { files.first { $0.name == name }?.contents }

  public struct WriteError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "could not write \(path): \(reason)" }
  }

  /// Writes every file under `folder` (created if needed).
  public func write(to folder: String) throws(WriteError) {
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw WriteError(path: folder, reason: "\(error.localizedDescription)")
    }
    let pid = ProcessInfo.processInfo.processIdentifier
    var staged: [(temporary: String, final: String)] = []
    for (name, contents) in files {
      let final = (folder as NSString).appendingPathComponent(name)
      let temporary = (folder as NSString).appendingPathComponent(".\(name).tmp-\(pid)")
      guard fm.createFile(atPath: temporary, contents: Data(contents.utf8)) else {
        for s in staged { unlink(s.temporary) }
        throw WriteError(path: final, reason: "the folder is not writable")
      }
      staged.append((temporary, final))
    }
    // Ignore SIGINT and SIGTERM, process-wide, for the microseconds the renames take, so
    // Ctrl-C cannot stop a set half moved (a per-thread mask would not cover other threads).
    let previousInt = signal(SIGINT, SIG_IGN)
    let previousTerm = signal(SIGTERM, SIG_IGN)
    defer {
      signal(SIGINT, previousInt)
      signal(SIGTERM, previousTerm)
    }
    for (n, s) in staged.enumerated() where rename(s.temporary, s.final) != 0 {
      let reason = String(cString: strerror(errno))
      for rest in staged[n...] { unlink(rest.temporary) }
      throw WriteError(path: s.final, reason: reason)
    }
  }
}
