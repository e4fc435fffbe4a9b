import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Input files resolved strictly: what a path is, and its bytes, with the reason when it
/// cannot be read — so that a broken symlink or a FIFO in place of `demand.csv` is an error,
/// never a missing optional file (and never a read that blocks).
enum FileCheck {
  enum Kind: Equatable {
    case missing
    case regular
    case directory
    /// A FIFO, socket or device.
    case other
    /// The path exists in some form but cannot be resolved (a dangling symlink, a loop, no
    /// permission to look): the reason in words.
    case problem(String)
  }

  /// What `path` is, following symlinks; `.missing` only when nothing is there at all.
  static func kind(of path: String) -> Kind {
    var link = stat()
    guard lstat(path, &link) == 0 else {
      return errno == ENOENT ? .missing : .problem(reason(errno))
    }
    var target = stat()
    guard stat(path, &target) == 0 else {
      let code = errno
      if (link.st_mode & S_IFMT) == S_IFLNK {
        switch code {
        case ENOENT: return .problem("is a symbolic link to something that does not exist (\(destination(path)))")
        case ELOOP: return .problem("is a symbolic link that loops (too many levels of links)")
        default: return .problem("is a symbolic link that cannot be followed: \(reason(code))")
        }
      }
      return .problem(reason(code))
    }
    switch target.st_mode & S_IFMT {
    case S_IFREG: return .regular
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  enum ReadResult {
    case missing
    case failure(String)
    case success(Data)
  }

  /// The bytes of a regular file, or why not.
  static func read(_ path: String) -> ReadResult {
    switch kind(of: path) {
    case .missing: return .missing
    case .problem(let reason): return .failure(reason)
    case .directory: return .failure("is a folder; expected a file")
    case .other: return .failure("is not a regular file (a FIFO, socket or device); expected a file")
    case .regular:
      let fd = open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { return .failure("cannot be read: \(reason(errno))") }
      let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
      do {
        return .success(try handle.readToEnd() ?? Data())
      } catch {
        return .failure("cannot be read: \(error.localizedDescription)")
      }
    }
  }

  /// The text, or the line (from 1) of the first byte that is not UTF-8.
  static func utf8(_ data: Data) -> Result<String, UTF8Failure> {
    if let text = String(data: data, encoding: .utf8) { return .success(text) }
    var line = 1
    var start = data.startIndex
    while start < data.endIndex {
      let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
      if String(data: data[start..<end], encoding: .utf8) == nil { return .failure(UTF8Failure(line: line)) }
      line += 1
      start = end < data.endIndex ? data.index(after: end) : end
    }
    return .failure(UTF8Failure(line: line))
  }

  struct UTF8Failure: Error {
    let line: Int
  }

  /// Where a symlink points, as written.
  static func destination(_ path: String) -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { "→ \($0)" } ?? "unreadable link"
  }

  /// An errno in words ("permission denied").
  static func reason(_ code: Int32) -> String {
    String(cString: strerror(code)).lowercased()
  }
}
