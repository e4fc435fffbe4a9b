import Foundation
import Testing

/// `arsenal hedge` run as a planner runs it, from the package root on the bundled data: the
/// committed Reports/hedge-ceasefire comes back byte for byte, and bad requests fail with a
/// usage error and no report.
@Suite struct HedgeCLITests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test func bundledHedgeIsReproducedByteForByte() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("hedge-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try CLI.run(["hedge", "ceasefire", "--out", out.path, "--quiet", "--json"], in: Self.root)
    #expect(run.status == 0, "\(run.stderr)")
    for file in ["hedge.md", "hedge.html", "hedge.csv", "hedge.json"] {
      let new = try Data(contentsOf: out.appendingPathComponent(file))
      let old = try Data(contentsOf: Self.root.appendingPathComponent("Reports/hedge-ceasefire/\(file)"))
      #expect(new == old, "\(file) differs from Reports/hedge-ceasefire (run `make reports`)")
    }
    // --json prints the hedge.json written, even with --quiet.
    let written = try String(contentsOf: out.appendingPathComponent("hedge.json"), encoding: .utf8)
    #expect(!run.stdout.isEmpty && run.stdout == written)
  }

  @Test func badRequestsAreUsageErrors() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("hedge-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    for arguments in [
      ["hedge", "nowhere"],
      ["hedge", "ceasefire", "--paths", "ceasefire-none", "ceasefire-full", "--probabilities", "0.5", "0.6"],
      ["hedge", "ceasefire", "--paths", "ceasefire-none", "no-such-scenario", "--probabilities", "0.5", "0.5"],
      ["hedge", "ceasefire", "--probabilities", "0.5", "0.5"],
      ["hedge", "ceasefire", "--first-periods", "999"],
      ["hedge", "ceasefire", "--step", "25"],
      ["hedge", "ceasefire", "--kind-step", "component=25"],
    ] {
      let run = try CLI.run(arguments + ["--out", out.path], in: Self.root)
      #expect(run.status == 64, "\(arguments): \(run.status) \(run.stderr)")
      #expect(run.stderr.hasPrefix("error: ") || run.stderr.contains("Error: "), "\(arguments): \(run.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("hedge.md").path))
    }
  }
}
