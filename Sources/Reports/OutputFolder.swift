import CPlatform
import Foundation

/// Why an output folder cannot be written, in a planner's words.
public struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The folder (or file) concerned.
  public let path: String
  /// What is wrong with it.
  public let reason: String

  /// The message a command prints: "cannot write PATH: REASON".
  public var description: String { "cannot write \(path): \(reason)" }

  /// A failure to write `path`, for `reason`.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  /// An errno in a planner's words, the real cause first.
  public static func reason(_ code: Int32) -> String {
    switch code {
    case ENOSPC: return "the disk is full"
    case EDQUOT: return "the disk quota is used up"
    case EACCES, EPERM: return "permission denied (not writable)"
    case EROFS: return "the file system is read-only"
    case ENOTDIR: return "a part of the path is a file, not a folder"
    case ENAMETOOLONG: return "the path is too long"
    default: return String(cString: strerror(code)).lowercased()
    }
  }
}

/// How a command writes its folders, beyond the folder's name.
public struct WriteSettings: Sendable {
  /// If another arsenal command is writing the folder, wait for it instead of failing.
  public var wait = false
  /// Told who holds the lock while waiting.
  public var waiting: (@Sendable (String) -> Void)?
  /// Replace a report made from other inputs (its marker says what from).
  public var force = false
  /// Write CSVs for spreadsheets: a UTF-8 byte order mark and CRLF line ends.
  public var spreadsheetCSV = false
  /// Also write `results.xlsx`, every CSV of a report set as a sheet.
  public var workbook = false

  /// The defaults: fail on a lock, refuse a report made from other inputs, plain CSV.
  public init(
    wait: Bool = false, waiting: (@Sendable (String) -> Void)? = nil, force: Bool = false, spreadsheetCSV: Bool = false,
    workbook: Bool = false
  ) {
    self.wait = wait
    self.waiting = waiting
    self.force = force
    self.spreadsheetCSV = spreadsheetCSV
    self.workbook = workbook
  }
}

/// A folder a command writes its report set into.
///
/// While the command runs, the folder is locked (an advisory lock beside it names the
/// holder); its set is written into a staging folder beside it and switched into place in
/// one step, so that a reader — or a command killed at any moment — sees the previous set
/// or the new one, whole.
///
///     Reports/.baseline.lock                the lock ("pid 1234: arsenal solve")
///     Reports/.baseline.staging-1234/       the new set, being written
///     Reports/baseline/                     the set readers see
///
/// Leftovers of an interrupted run (staging or old folders, `.NAME.tmp-PID` files of earlier
/// versions) are removed by the next run that takes the lock.
public final class OutputFolder: @unchecked Sendable {
  /// How a publish replaces what is there.
  public enum Mode: Sendable {
    /// The set is the folder's whole content, switched in one step (a report's folder).
    case whole
    /// Each file replaces its namesake alone, atomically; the rest stays (the Reports/ root,
    /// which holds the report folders beside its index).
    case files
  }

  /// The folder readers see.
  public let path: String
  private let mode: Mode
  private let parent: String
  private let name: String
  private let lockFD: Int32
  private let madeFrom: String?
  private let spreadsheetCSV: Bool
  private let workbook: Bool

  /// The marker a published folder holds: what tells Arsenal a folder is its own to replace.
  static let marker = ".arsenal"
  static let markerText =
    "This folder is written whole by arsenal; a file added here is lost when it is written again.\n"
  /// The marker's line saying what the report is made from (`RunOptions.madeFrom`).
  static let madeFromLabel = "made from: "
  /// Files the versions before the marker wrote: a folder of only these is Arsenal's too.
  static let knownFiles: Set<String> = [
    "report.md", "allocations.csv", "shortfalls.csv", "bottlenecks.csv", "utilisation.csv", "summary.json",
    "comparison.md", "comparison.csv", "comparison.json", "results.xlsx", "sweep.md", "report.html", "comparison.html",
    "sweep.html", "coverage.svg", "targets.svg", "shortfall.svg", "bottlenecks.svg", "idle.svg", "comparison.svg",
    "sweep.svg", "sweep.csv", ".sweep-journal.csv",
    "README.md",
  ]

  /// Takes the folder for `command`: checks that it can be written (before any solving) and
  /// that it does not hold a report made from other inputs than `madeFrom` (unless
  /// `settings.force`), locks it — waiting for another command's lock when `settings.wait`
  /// is set, after telling `settings.waiting` who holds it — and removes the leftovers of
  /// interrupted runs.
  public init(
    _ path: String, command: String, mode: Mode = .whole, madeFrom: String? = nil,
    settings: WriteSettings = WriteSettings()
  ) throws(OutputError) {
    let wait = settings.wait
    let waiting = settings.waiting
    let standardized = (path as NSString).standardizingPath
    let name = (standardized as NSString).lastPathComponent
    guard !path.isEmpty, !name.isEmpty, name != ".", name != "..", name != "/" else {
      throw OutputError(path: path, reason: "not a folder name; give a folder such as Reports/baseline")
    }
    let parentPath = Self.parentPath(standardized)
    let parent = parentPath.isEmpty ? "." : parentPath
    self.path = standardized
    self.parent = parent
    self.name = name
    self.mode = mode
    self.madeFrom = madeFrom
    self.spreadsheetCSV = settings.spreadsheetCSV
    self.workbook = settings.workbook
    try Self.makeFolder(parent, asked: path)
    if mode == .whole {
      try Self.checkReplaceable(standardized, madeFrom: settings.force ? nil : madeFrom)
    } else {
      try Self.makeFolder(standardized, asked: path)
    }
    let lockPath = (parent as NSString).appendingPathComponent(".\(name).lock")
    let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw OutputError(path: path, reason: "cannot create a file in \(parent) (\(OutputError.reason(errno)))")
    }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let holder = Self.holder(fd)
      guard wait else {
        close(fd)
        throw OutputError(
          path: standardized,
          reason: "another arsenal command is writing it (\(holder)); wait for it to finish, or run with --wait")
      }
      waiting?("waiting for \(holder) to finish writing \(standardized)")
      while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
    }
    // Checked again under the lock: a command waited for may have written another report.
    if mode == .whole {
      do {
        try Self.checkReplaceable(standardized, madeFrom: settings.force ? nil : madeFrom)
      } catch {
        close(fd)
        throw error
      }
    }
    lockFD = fd
    let text = Array("pid \(getpid()): \(command)\n".utf8)
    _ = ftruncate(fd, 0)
    _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    removeLeftovers()
  }

  deinit {
    // Closing the descriptor releases the lock; the lock file stays (removing it would race
    // with a command waiting on it).
    close(lockFD)
  }

  /// A file beside the folder that belongs to it but survives its replacement (a sweep's
  /// journal of finished points).
  public func sidecar(_ suffix: String) -> String {
    (parent as NSString).appendingPathComponent(".\(name).\(suffix)")
  }

  /// Writes `files` as the folder's new set, switched into place in one step (or, in
  /// `.files` mode, each file renamed into place over its namesake).
  public func publish(_ files: FileSet) throws(OutputError) {
    var files = workbook && mode == .whole ? try files.withWorkbook() : files
    if spreadsheetCSV { files = files.forSpreadsheets() }
    if mode == .files {
      try publishFiles(files)
      return
    }
    let staging = (parent as NSString).appendingPathComponent(".\(name).staging-\(getpid())")
    try? FileManager.default.removeItem(atPath: staging)
    Interrupts.register(staging: staging)
    defer { Interrupts.unregister(staging: staging) }
    guard mkdir(staging, 0o755) == 0 else {
      throw OutputError(path: path, reason: "cannot create a folder in \(parent) (\(OutputError.reason(errno)))")
    }
    do {
      let marker = Self.markerText + (madeFrom.map { "\(Self.madeFromLabel)\($0)\n" } ?? "")
      for file in files.files + [FileSet.File(name: Self.marker, contents: marker)] {
        try Self.writeFile(
          file.bytes, to: (staging as NSString).appendingPathComponent(file.name), shown: path + "/" + file.name)
      }
      try Interrupts.critical { () throws(OutputError) in try switchIn(staging) }
    } catch {
      try? FileManager.default.removeItem(atPath: staging)
      throw error
    }
  }

  private func publishFiles(_ files: FileSet) throws(OutputError) {
    var staged: [(String, String)] = []
    do {
      for f in files.files {
        let (file, contents) = (f.name, f.bytes)
        let temporary = (path as NSString).appendingPathComponent(".\(file).tmp-\(getpid())")
        Interrupts.register(staging: temporary)
        staged.append((temporary, (path as NSString).appendingPathComponent(file)))
        try Self.writeFile(contents, to: temporary, shown: path + "/" + file)
      }
      try Interrupts.critical { () throws(OutputError) in
        for (temporary, final) in staged where rename(temporary, final) != 0 {
          throw OutputError(path: final, reason: OutputError.reason(errno))
        }
      }
    } catch {
      for (temporary, _) in staged { unlink(temporary) }
      for (temporary, _) in staged { Interrupts.unregister(staging: temporary) }
      throw error
    }
    for (temporary, _) in staged { Interrupts.unregister(staging: temporary) }
  }

  /// Moves the staged set into place: an exchange of the two folders where the file system
  /// can (one step), else two renames (a reader may then briefly find no folder — never a
  /// mixed one).
  private func switchIn(_ staging: String) throws(OutputError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      guard rename(staging, path) == 0 else { throw OutputError(path: path, reason: OutputError.reason(errno)) }
      return
    }
    if arsenal_exchange_paths(staging, path) == 0 {
      try? FileManager.default.removeItem(atPath: staging)  // now the old set
      return
    }
    let old = (parent as NSString).appendingPathComponent(".\(name).old-\(getpid())")
    guard rename(path, old) == 0 else { throw OutputError(path: path, reason: OutputError.reason(errno)) }
    guard rename(staging, path) == 0 else {
      let code = errno
      _ = rename(old, path)
      throw OutputError(path: path, reason: OutputError.reason(code))
    }
    try? FileManager.default.removeItem(atPath: old)
  }

  /// Staging and old folders of interrupted runs (any pid: the lock says none is running),
  /// and temporary files of earlier versions inside the folder.
  private func removeLeftovers() {
    let fm = FileManager.default
    for entry in (try? fm.contentsOfDirectory(atPath: parent)) ?? []
    where entry.hasPrefix(".\(name).staging-") || entry.hasPrefix(".\(name).old-") {
      try? fm.removeItem(atPath: (parent as NSString).appendingPathComponent(entry))
    }
    for entry in (try? fm.contentsOfDirectory(atPath: path)) ?? [] where entry.hasPrefix(".") && entry.contains(".tmp-")
    {
      try? fm.removeItem(atPath: (path as NSString).appendingPathComponent(entry))
    }
  }

  /// The folder holding `path` ("" for a bare name, "/" for a name at the root), without
  /// Foundation's `deletingLastPathComponent`, which traps on a one-letter relative path.
  static func parentPath(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "" }
    if slash == p.startIndex { return "/" }
    var up = p[..<slash]
    while up.count > 1 && up.hasSuffix("/") { up = up.dropLast() }
    return String(up)
  }

  /// Creates `folder` and its parents, with the real cause when it cannot.
  static func makeFolder(_ folder: String, asked: String) throws(OutputError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw OutputError(path: asked, reason: "\(folder) is a file, not a folder") }
      guard access(folder, W_OK) == 0 else { throw OutputError(path: asked, reason: OutputError.reason(errno)) }
      return
    }
    let up = parentPath(folder)
    if !up.isEmpty && up != folder { try makeFolder(up, asked: asked) }
    guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
      throw OutputError(path: asked, reason: OutputError.reason(errno))
    }
  }

  /// A folder Arsenal may replace: absent, empty, marked as Arsenal's, or holding only the
  /// report files earlier versions wrote — never a folder of someone else's files, nor
  /// (when `madeFrom` is given) a report its marker says was made from other inputs.
  static func checkReplaceable(_ path: String, madeFrom: String? = nil) throws(OutputError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
    guard isDirectory.boolValue else { throw OutputError(path: path, reason: "it is a file, not a folder") }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    if entries.contains(marker) {
      let text = (try? String(contentsOfFile: (path as NSString).appendingPathComponent(marker), encoding: .utf8)) ?? ""
      let old = text.split(separator: "\n").first { $0.hasPrefix(madeFromLabel) }?.dropFirst(madeFromLabel.count)
      if let madeFrom, let old, old != madeFrom {
        throw OutputError(
          path: path,
          reason: "it holds a report made from other inputs (\(old)); this run is \(madeFrom). "
            + "Give another --out, or --force to replace it")
      }
      return
    }
    let foreign = entries.filter { !knownFiles.contains($0) && !($0.hasPrefix(".") && $0.contains(".tmp-")) }.sorted()
    guard foreign.isEmpty else {
      throw OutputError(
        path: path,
        reason: "it holds files arsenal did not write (\(foreign.prefix(3).joined(separator: ", "))"
          + "\(foreign.count > 3 ? ", …" : "")), which writing a report there would remove; choose another --out")
    }
  }

  /// Who holds a lock, from the lock file.
  static func holder(_ fd: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 512)
    let n = pread(fd, &buffer, buffer.count, 0)
    let text =
      n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
    return text.isEmpty ? "another process" : text
  }

  /// Replaces one file whole: written beside it, flushed, renamed over it (a reader sees the
  /// old file or the new one).
  public static func replaceFile(_ contents: String, at path: String) throws(OutputError) {
    let temporary = path + ".tmp-\(getpid())"
    do {
      try writeFile(contents, to: temporary, shown: path)
    } catch {
      unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else {
      let reason = OutputError.reason(errno)
      unlink(temporary)
      throw OutputError(path: path, reason: reason)
    }
  }

  /// Writes one file completely and flushes it to disk, or says why not.
  public static func writeFile(_ contents: String, to file: String, shown: String) throws(OutputError) {
    try writeFile(Array(contents.utf8), to: file, shown: shown)
  }

  /// Writes `bytes` to `file` and flushes them to disk.
  static func writeFile(_ bytes: [UInt8], to file: String, shown: String) throws(OutputError) {
    let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw OutputError(path: shown, reason: OutputError.reason(errno)) }
    defer { close(fd) }
    var bytes = bytes
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw OutputError(path: shown, reason: OutputError.reason(errno))
      }
      offset += n
    }
    bytes = []
    guard fsync(fd) == 0 else { throw OutputError(path: shown, reason: OutputError.reason(errno)) }
  }
}
