import Foundation
import Testing

/// Ctrl-C in the middle of a sweep keeps every finished point; --resume finishes it (with a
/// different chunk size if it likes), and the files equal an uninterrupted run's byte for byte.
@Suite struct SweepInterruptTests {
  static let small = EndToEndTests.fixtures.appendingPathComponent("small").path
  static let param = "capacity producer=chargeworks from=0.2 to=3.2 step=0.002"  // 1,501 points

  /// sweep.csv and sweep.md: nothing in them depends on how the run went.
  static func comparable(_ folder: URL) throws -> [Data] {
    try ["sweep.csv", "sweep.md"].map { try Data(contentsOf: folder.appendingPathComponent($0)) }
  }

  /// sweep.csv's lines.
  static func rows(_ folder: URL) throws -> [String] {
    try String(contentsOf: folder.appendingPathComponent("sweep.csv"), encoding: .utf8).split(separator: "\n").map(
      String.init)
  }

  @Test func interruptedAndResumedEqualsUninterrupted() throws {
    let base = try EndToEndTests.temporaryFolder()
    let whole = base.appendingPathComponent("whole")
    let parts = base.appendingPathComponent("parts")
    let full = try CLI.run([
      "sweep", "--data", Self.small, "--param", Self.param, "--out", whole.path, "--workers", "2", "--chunk", "7",
    ])
    #expect(full.status == 0, "\(full.stderr)")

    // Start the same sweep, wait until some points are on disk, then send SIGINT.
    let process = Process()
    process.executableURL = CLI.executable
    process.arguments = [
      "sweep", "--data", Self.small, "--param", Self.param, "--out", parts.path, "--workers", "2", "--chunk", "7",
    ]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    let journal = base.appendingPathComponent(".parts.sweep-journal.csv")
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let lines = (try? String(contentsOf: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0
      if lines > 100 { break }
      usleep(20_000)
    }
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 130, "\(stderr)")

    // Every finished point is on disk, each row complete.
    let partial = try Self.rows(parts)
    // The message counts what the resume will skip: the rows on disk (after the header).
    #expect(
      stderr.contains("run again with --resume to skip those \(partial.count - 1) and solve the other"), "\(stderr)")
    #expect(partial.count > 50 && partial.count < 1502, "\(partial.count) rows after the interrupt")
    let header = partial[0]
    let columns = header.split(separator: ",").count
    for row in partial.dropFirst() {
      #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == columns)
    }
    let journalText = try String(contentsOf: journal, encoding: .utf8)
    #expect(journalText.hasSuffix("\n"))

    let resumed = try CLI.run([
      "sweep", "--data", Self.small, "--param", Self.param, "--out", parts.path, "--workers", "2", "--chunk", "3",
      "--resume",
    ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("skipped as finished"))
    #expect(try Self.comparable(parts) == Self.comparable(whole))
    #expect(!FileManager.default.fileExists(atPath: journal.path))
  }

  @Test func resumingADifferentSweepIsRefused() throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("s")
    let first = try CLI.run([
      "sweep", "--data", Self.small, "--param", "capacity producer=chargeworks values=1;2", "--out", out.path,
    ])
    #expect(first.status == 0)
    // A finished sweep leaves no journal: --resume simply solves again.
    let again = try CLI.run([
      "sweep", "--data", Self.small, "--param", "capacity producer=chargeworks values=1;2;3", "--out", out.path,
      "--resume",
    ])
    #expect(again.status == 0, "\(again.stderr)")
  }

  @Test func badSweepSpecificationFailsBeforeSolving() throws {
    let out = try EndToEndTests.temporaryFolder().appendingPathComponent("s")
    let r = try CLI.run([
      "sweep", "--data", Self.small, "--param", "capacity producer=nobody from=1 to=0 step=0", "--out", out.path,
    ])
    #expect(r.status == 65)
    #expect(r.stderr.contains("unknown producer"))
    #expect(r.stderr.contains("step: value 0; expected a number > 0") || r.stderr.contains("range is empty"))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("sweep.csv").path))
  }

  /// A bundled named sweep run again writes its committed Reports/ folder byte for byte,
  /// whatever the machine's cores.
  @Test func bundledSweepReproducesItsCommittedReport() throws {
    let root = EndToEndTests.fixtures.deletingLastPathComponent().deletingLastPathComponent()
    let out = try EndToEndTests.temporaryFolder()
    let run = try CLI.run(["sweep", "european-155-delay", "--out", out.path], in: root)
    #expect(run.status == 0, "\(run.stderr)")
    let committed = root.appendingPathComponent("Reports/sweep-european-155-delay")
    #expect(
      try Self.comparable(out) == Self.comparable(committed),
      "differs from Reports/sweep-european-155-delay (run `make reports`)")
  }
}
