import Dispatch
import Foundation

/// Ctrl-C (SIGINT) and SIGTERM for a command.
///
/// The first signal runs the command's handler — unless a report set is being switched into
/// place, in which case it waits until the switch is done, so that an interrupt can never
/// leave a set half moved. Staging folders registered here are removed before the handler
/// runs.
package enum Interrupts {
  private final class State: @unchecked Sendable {
    let lock = NSLock()
    var depth = 0
    var pending = false
    var handler: (@Sendable () -> Void)?
    var sources: [DispatchSourceSignal] = []
    var staging: Set<String> = []
  }
  private static let state = State()

  /// Installs `handler` for SIGINT and SIGTERM (replacing any earlier one).
  package static func install(_ handler: @escaping @Sendable () -> Void) {
    let s = state
    s.lock.lock()
    s.handler = handler
    let needsSources = s.sources.isEmpty
    s.lock.unlock()
    guard needsSources else { return }
    var sources: [DispatchSourceSignal] = []
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler { fire() }
      source.resume()
      sources.append(source)
    }
    s.lock.lock()
    s.sources = sources
    s.lock.unlock()
  }

  /// The usual handler of a command that writes nothing until it has finished: remove what
  /// it staged, say so in one line, exit 130.
  package static func installExit(_ message: String) {
    install {
      FileHandle.standardError.write(Data("\ninterrupted: \(message)\n".utf8))
      exit(130)
    }
  }

  /// Runs `body` with interrupts held back; one that arrived meanwhile runs after it.
  package static func critical<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    let s = state
    s.lock.lock()
    s.depth += 1
    s.lock.unlock()
    defer {
      s.lock.lock()
      s.depth -= 1
      let run = s.depth == 0 && s.pending
      if run { s.pending = false }
      s.lock.unlock()
      if run { fire() }
    }
    return try body()
  }

  /// A folder to remove if the command is interrupted before it is published.
  static func register(staging path: String) {
    state.lock.lock()
    state.staging.insert(path)
    state.lock.unlock()
  }

  static func unregister(staging path: String) {
    state.lock.lock()
    state.staging.remove(path)
    state.lock.unlock()
  }

  private static func fire() {
    let s = state
    s.lock.lock()
    if s.depth > 0 {
      s.pending = true
      s.lock.unlock()
      return
    }
    let handler = s.handler
    let staging = s.staging
    s.lock.unlock()
    for path in staging { try? FileManager.default.removeItem(atPath: path) }
    handler?()
  }
}
