import Arsenal
import Formulation
import Foundation
import PlanningModel
import Testing

/// The package root, found from this file's location.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
let bundled = packageRoot.appendingPathComponent("Inputs/europe-2027").path

@Suite struct BundledDataTests {
  @Test func theBundledDataSetLoadsWithEveryScenario() throws {
    let data = try DataSetLoader.load(folder: bundled)
    let names = Set(data.scenarios.map(\.name))
    for required in [
      "baseline", "ceasefire-none", "ceasefire-partial", "ceasefire-full", "us-current", "us-minimal", "us-none",
      "us-eu-coproduction", "materials-open", "materials-restricted", "reassurance-30k", "reassurance-40k",
      "ukraine-funded",
    ] {
      #expect(names.contains(required), "missing scenario \(required)")
    }
    #expect(data.model.illustrative)
    #expect(data.model.horizon.months >= 60 && data.model.horizon.start.description == "2027-01")
    #expect(data.model.consumers.filter { $0.consumerClass == .readiness && !$0.targets.isEmpty }.count >= 5)
    #expect(data.comparisons.contains { $0.name == "ceasefire" })
  }

  /// Scenarios compose: the brief's example combination solves to optimality.
  @Test func combinedScenariosSolve() throws {
    let data = try DataSetLoader.load(folder: bundled)
    let r = try Arsenal.run(
      RunOptions(data: bundled, scenarios: ["ceasefire-full", "reassurance-40k", "us-minimal"]), data: data)
    #expect(r.analysis.status == .optimal)
    #expect(r.name == "ceasefire-full+reassurance-40k+us-minimal")
    #expect(r.analysis.classesPresent.contains(.reassurance))
  }

  /// `arsenal reports` run again gives the committed Reports/ byte for byte — which also
  /// proves that every bundled scenario solves to optimality (a failed solve writes nothing).
  @Test func regeneratingReportsGivesIdenticalBytes() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    // Run from the package root so that the data set path in the reports reads the same.
    let previous = FileManager.default.currentDirectoryPath
    #expect(FileManager.default.changeCurrentDirectoryPath(packageRoot.path))
    defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
    _ = try Arsenal.regenerate(options: RunOptions(), into: out.path)
    let committed = packageRoot.appendingPathComponent("Reports")
    let fm = FileManager.default
    let produced = try #require(fm.enumerator(atPath: out.path)).compactMap { $0 as? String }.filter {
      !$0.hasSuffix("/")
    }
    var files = 0
    var differing: [String] = []
    // The folders' locks are not part of any report set (and not committed).
    for path in produced.sorted() where !path.hasSuffix(".lock") {
      var isDirectory: ObjCBool = false
      _ = fm.fileExists(atPath: out.appendingPathComponent(path).path, isDirectory: &isDirectory)
      if isDirectory.boolValue { continue }
      files += 1
      let new = try Data(contentsOf: out.appendingPathComponent(path))
      let old = try? Data(contentsOf: committed.appendingPathComponent(path))
      if new != old { differing.append(path) }
    }
    #expect(
      differing.isEmpty,
      "\(differing.count) files under Reports/ differ from a fresh `arsenal reports` (run `make reports`): \(differing.prefix(8).joined(separator: ", "))"
    )
    #expect(files >= 14 * 6)
  }
}
