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

/// Every passage the README quotes from a committed report stands in that report word for
/// word ("…" marks a cut): a regenerated report whose numbers moved fails here until the
/// README quotes it again.
@Suite struct ReadmeQuoteTests {
  static func collapsed(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
  }

  @Test func quotedReportPassagesStandInTheirReports() throws {
    let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    var sources: [String] = []
    var paragraph: [String] = []
    var quote: [String] = []
    var checked = 0
    func links(_ text: String) -> [String] {
      text.components(separatedBy: "](Reports/").dropFirst().compactMap { rest in
        rest.split(separator: ")", maxSplits: 1).first.map { "Reports/" + $0 }
      }.filter { $0.hasSuffix(".md") }
    }
    func check() throws {
      defer { quote = [] }
      guard !sources.isEmpty, !quote.isEmpty else { return }
      // A report's bullets read as running text in a quote.
      let reports = try sources.map {
        Self.collapsed(
          try String(contentsOf: packageRoot.appendingPathComponent($0), encoding: .utf8).components(separatedBy: "\n")
            .map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }.joined(separator: "\n"))
      }
      for passage in quote.split(separator: "", omittingEmptySubsequences: true) {
        for fragment in Self.collapsed(passage.joined(separator: " ")).components(separatedBy: "…") {
          let f = fragment.trimmingCharacters(in: .whitespaces)
          guard !f.isEmpty else { continue }
          #expect(reports.contains { $0.contains(f) }, "README quotes \(sources) but they do not say: \(f)")
          checked += 1
        }
      }
    }
    // The paragraph before a quote names the reports it comes from.
    var blank = true
    for line in readme.components(separatedBy: "\n") {
      if line.hasPrefix(">") {
        if quote.isEmpty { sources = links(paragraph.joined(separator: " ")) }
        quote.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
      } else {
        try check()
        if line.trimmingCharacters(in: .whitespaces).isEmpty {
          blank = true
        } else {
          paragraph = blank ? [line] : paragraph + [line]
          blank = false
        }
      }
    }
    try check()
    #expect(checked >= 6, "only \(checked) quoted passages found")
  }
}
