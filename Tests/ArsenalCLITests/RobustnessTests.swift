import Foundation
import Testing

/// Nothing lost, nothing mixed, through the built binary: kill -9 at any moment, two commands
/// on one folder, Ctrl-C, a full disk, paths that cannot be written.
@Suite(.serialized) struct RobustnessTests {
  static let small = EndToEndTests.fixtures.appendingPathComponent("small").path

  /// Starts `arsenal` with `arguments`; the caller waits or kills.
  static func start(_ arguments: [String]) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = CLI.executable
    process.arguments = arguments
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return (process, err)
  }

  /// The policy a report set says it was solved under, file by file: every file must agree.
  static func policies(in folder: URL) throws -> Set<String> {
    let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
    let row = report.split(separator: "\n").first { $0.hasPrefix("| Policy ") } ?? ""
    let fromReport = row.split(separator: "|")[1...].first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json")))
    let fromJSON = (json as? [String: Any])?["policy"] as? String ?? "?"
    let first = fromReport.split(separator: " ").first.map(String.init) ?? "?"
    return [first, fromJSON]
  }

  /// Thirty runs alternating two policies into one folder, each killed with SIGKILL at a
  /// moment spread over the whole run (the write included) and past it: whatever is there afterwards is
  /// one whole set — every file, from one run — and the next run cleans up after it.
  @Test func killNineNeverLeavesAMixedSet() throws {
    let base = try EndToEndTests.temporaryFolder()
    let target = base.appendingPathComponent("r")
    // Calibrate: how long one run takes here.
    let clock = Date()
    #expect(try CLI.run(["solve", "--data", Self.small, "--out", target.path]).status == 0)
    let runTime = Date().timeIntervalSince(clock)
    var seen: [String: Int] = [:]
    for n in 0..<30 {
      let policy = n % 2 == 0 ? "lexicographic" : "weighted"
      // --force: the two policies are different questions, which only --force lets share a folder.
      let (process, _) = try Self.start([
        "solve", "--data", Self.small, "--out", target.path, "--policy", policy, "--force",
      ])
      // Moments from the start to well past the end of a run, in a fixed order: the other
      // tests running beside this one can make a run twice as slow as the calibration.
      usleep(useconds_t(runTime * 2.5 * Double((n * 7) % 30) / 30 * 1e6))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      guard FileManager.default.fileExists(atPath: target.path) else { continue }
      let files = try FileManager.default.contentsOfDirectory(atPath: target.path).sorted()
      #expect(
        files == [
          ".arsenal", "allocations.csv", "bottlenecks.csv", "bottlenecks.svg", "coverage.svg", "idle.svg",
          "report.html", "report.md", "shortfall.svg", "shortfalls.csv", "summary.json", "targets.svg",
          "utilisation.csv",
        ], "after kill \(n): \(files)")
      let policies = try Self.policies(in: target)
      #expect(policies.count == 1, "after kill \(n) the set mixes runs: \(policies)")
      seen[policies.first ?? "", default: 0] += 1
    }
    // Both kinds of set were seen whole, so kills landed on both sides of the switch.
    #expect(seen.count == 2, "\(seen)")
    #expect(try CLI.run(["solve", "--data", Self.small, "--out", target.path, "--force"]).status == 0)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: base.path).filter {
      $0.contains(".staging-") || $0.contains(".old-") || $0.contains(".tmp-")
    }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  /// A sweep killed with SIGKILL keeps every point it finished: --resume skips them all and
  /// the result equals an uninterrupted run's, byte for byte.
  @Test func killNineDuringASweepKeepsEveryFinishedPoint() throws {
    let base = try EndToEndTests.temporaryFolder()
    let param = "capacity producer=chargeworks from=0.2 to=3.2 step=0.002"
    let whole = base.appendingPathComponent("whole")
    let parts = base.appendingPathComponent("parts")
    #expect(try CLI.run(["sweep", "--data", Self.small, "--param", param, "--out", whole.path]).status == 0)
    let (process, _) = try Self.start(["sweep", "--data", Self.small, "--param", param, "--out", parts.path])
    let journal = base.appendingPathComponent(".parts.sweep-journal.csv")
    let deadline = Date().addingTimeInterval(60)
    var finished = 0
    while Date() < deadline && finished < 300 {
      finished = max(0, ((try? String(contentsOf: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0) - 2)
      usleep(10_000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let kept = max(0, (try String(contentsOf: journal, encoding: .utf8)).split(separator: "\n").count - 2)
    #expect(kept >= finished && kept > 0)
    let resumed = try CLI.run(["sweep", "--data", Self.small, "--param", param, "--out", parts.path, "--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("(\(kept) skipped as finished)"), "\(resumed.stdout)")
    #expect(try SweepInterruptTests.comparable(parts) == SweepInterruptTests.comparable(whole))
  }

  /// Two commands on one folder: the second fails at once and says who holds it; with --wait
  /// it waits, then writes.
  @Test func aSecondCommandOnABusyFolderFailsOrWaits() throws {
    let base = try EndToEndTests.temporaryFolder()
    let target = base.appendingPathComponent("busy")
    let param = "capacity producer=chargeworks from=0.2 to=3.2 step=0.002"
    let (first, _) = try Self.start(["sweep", "--data", Self.small, "--param", param, "--out", target.path])
    let lock = base.appendingPathComponent(".busy.lock")
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline && ((try? String(contentsOf: lock, encoding: .utf8)) ?? "").isEmpty { usleep(10_000) }
    let second = try CLI.run(["sweep", "--data", Self.small, "--param", param, "--out", target.path])
    #expect(second.status == 74)
    #expect(
      second.stderr.contains("another arsenal command is writing it (pid \(first.processIdentifier): arsenal sweep"))
    #expect(second.stderr.contains("run with --wait"))
    let waited = try CLI.run(["sweep", "--data", Self.small, "--param", param, "--out", target.path, "--wait"])
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    #expect(waited.status == 0, "\(waited.stderr)")
    #expect(waited.stderr.contains("waiting for pid \(first.processIdentifier)") || first.terminationStatus == 0)
    let rows = try String(contentsOf: target.appendingPathComponent("sweep.csv"), encoding: .utf8).split(
      separator: "\n")
    #expect(rows.count == 1 + 1501, "every point of the sweep is in the file")
  }

  /// Ctrl-C during a solve: one line, exit 130, nothing written.
  @Test func ctrlCDuringASolveSaysSoAndWritesNothing() throws {
    let target = try EndToEndTests.temporaryFolder().appendingPathComponent("c")
    let root = EndToEndTests.fixtures.deletingLastPathComponent().deletingLastPathComponent()
    let (process, err) = try Self.start([
      "solve", "--data", root.appendingPathComponent("Inputs/europe-2027").path, "--out", target.path,
    ])
    usleep(400_000)
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 130)
    #expect(stderr.contains("interrupted: nothing was written to \(target.path)"), "\(stderr)")
    #expect(!FileManager.default.fileExists(atPath: target.path))
  }

  /// An output path that cannot be written is refused before anything is solved, with the
  /// real cause.
  @Test func anUnwritableOutputIsRefusedBeforeSolving() throws {
    let base = try EndToEndTests.temporaryFolder()
    let file = base.appendingPathComponent("plain-file")
    try "x".write(to: file, atomically: true, encoding: .utf8)
    let under = try CLI.run(["solve", "--data", Self.small, "--out", file.appendingPathComponent("r").path])
    #expect(under.status == 74)
    #expect(under.stderr.contains("plain-file is a file, not a folder"), "\(under.stderr)")
    #expect(!under.stdout.contains("optimal"), "nothing was solved")
    let foreign = base.appendingPathComponent("notes")
    try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
    try "mine".write(to: foreign.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    let mine = try CLI.run(["solve", "--data", Self.small, "--out", foreign.path])
    #expect(mine.status == 74)
    #expect(mine.stderr.contains("holds files arsenal did not write (notes.txt)"))
    #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("notes.txt").path))
  }

  /// One-letter relative folders, which trap Foundation's `deletingLastPathComponent`, are
  /// folders like any other: `--out x` and `--out a/b` from a working folder.
  @Test func oneLetterRelativeFoldersAreWritten() throws {
    let base = try EndToEndTests.temporaryFolder()
    for out in ["x", "a/b"] {
      let r = try CLI.run(["solve", "--data", Self.small, "--out", out, "--quiet"], in: base)
      #expect(r.status == 0, "\(out): \(r.stderr)")
      #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("\(out)/report.md").path), "\(out)")
    }
  }

  /// A full disk is called a full disk, and leaves neither a new folder nor staging behind.
  ///
  /// Needs root to mount a small tmpfs (the CI machine runs as root); skipped otherwise.
  @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
  func aFullDiskIsReportedAsSuch() throws {
    let mount = try EndToEndTests.temporaryFolder().appendingPathComponent("tiny")
    try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
    let mounted = Process()
    mounted.executableURL = URL(fileURLWithPath: "/bin/mount")
    mounted.arguments = ["-t", "tmpfs", "-o", "size=12k", "tmpfs", mount.path]
    try mounted.run()
    mounted.waitUntilExit()
    try #require(mounted.terminationStatus == 0, "could not mount a tmpfs")
    defer {
      let u = Process()
      u.executableURL = URL(fileURLWithPath: "/bin/umount")
      u.arguments = [mount.path]
      try? u.run()
      u.waitUntilExit()
    }
    let r = try CLI.run(["solve", "--data", Self.small, "--out", mount.appendingPathComponent("r").path])
    #expect(r.status == 74)
    #expect(r.stderr.contains("the disk is full"), "\(r.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: mount.path).filter { !$0.hasSuffix(".lock") }
    #expect(left.isEmpty, "\(left)")
  }

  /// A broken data file is an error naming the path and the reason (exit 1), end to end.
  @Test func aDanglingSymlinkIsNotAnAbsentFile() throws {
    let dir = try EndToEndTests.temporaryFolder().appendingPathComponent("data")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.small), to: dir)
    try FileManager.default.removeItem(at: dir.appendingPathComponent("demand.csv"))
    try FileManager.default.createSymbolicLink(
      atPath: dir.appendingPathComponent("demand.csv").path, withDestinationPath: "gone.csv")
    let r = try CLI.run(["check", "--data", dir.path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("demand.csv: is a symbolic link to something that does not exist (→ gone.csv)"))
  }
}
