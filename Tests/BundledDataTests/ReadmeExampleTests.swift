import Arsenal
import Foundation
import Testing

/// The README's "Using Arsenal from Swift" example, verbatim but for its two paths (made
/// absolute here: tests run in parallel and must not change the working directory): it must
/// compile and run as printed.
@Suite struct ReadmeExampleTests {
  @Test func theSwiftExampleRuns() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString)").path
    // --- README ---
    let result = try Arsenal.run(RunOptions(data: bundled, scenarios: ["ceasefire-full"]))
    for b in result.analysis.relaxation.bottlenecks.prefix(3) {
      print(b.candidate.kind.rawValue, b.value, b.effects.first?.units ?? 0)
    }
    try result.files.write(to: out)
    // --- end ---

    #expect(!result.analysis.relaxation.bottlenecks.isEmpty)
    #expect(FileManager.default.fileExists(atPath: out + "/report.md"))
  }
}
