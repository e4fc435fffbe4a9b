import Foundation

/// This test process's own folder under the temporary directory, removed when the process
/// exits: the end-to-end and sweep tests write whole report folders (about 45 MB a run), which
/// a developer running the tests again and again would otherwise collect in /tmp.
public let scratch: URL = {
  let url = scratchURL()
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  atexit { try? FileManager.default.removeItem(at: scratchURL()) }
  return url
}()

private func scratchURL() -> URL {
  FileManager.default.temporaryDirectory.appendingPathComponent("arsenal-tests-\(getpid())")
}
