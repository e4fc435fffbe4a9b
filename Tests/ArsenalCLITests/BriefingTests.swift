import Foundation
import Testing

/// The HTML briefing of the bundled baseline in a real browser.
///
/// Debian's headless Chromium opens it without console errors, prints it to an A4 PDF whose pages each hold text (and
/// each section after the first starts a page), and a screenshot is far from blank.
/// `.ci/run` installs chromium, poppler-utils, libxml2-utils and fonts-dejavu-core.
@Suite(.serialized) struct BriefingTests {
  /// Headless Chromium on `page` with a throw-away profile; `extra` says what to produce.
  static func chromium(_ page: URL, _ extra: [String]) throws -> CLI.Result {
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("arsenal-chromium-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: profile) }
    return try CLI.tool(
      "/usr/bin/timeout",
      [
        "-k", "5", "120", "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--user-data-dir=\(profile.path)", "--enable-logging=stderr",
      ] + extra + [page.absoluteString])
  }

  /// Console messages Chromium logged (with --enable-logging, every level as INFO:CONSOLE).
  static func consoleLines(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }
  }

  @Test func theBaselineBriefingRendersAndPrints() throws {
    let folder = try EndToEndTests.temporaryFolder().appendingPathComponent("baseline")
    let bundled = FirstHourTests.bundled.path
    let solved = try CLI.run(["solve", "--data", bundled, "--out", folder.path, "--quiet"])
    #expect(solved.status == 0, "\(solved.stderr)")
    let page = folder.appendingPathComponent("report.html")
    let html = try String(contentsOf: page, encoding: .utf8)

    // Self-contained and well-formed: no script, nothing fetched, XML that xmllint reads.
    #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<link"))
    let external = html.components(separatedBy: "http").dropFirst().filter {
      !$0.hasPrefix("://www.w3.org/2000/svg\"") && !$0.hasPrefix("://www.w3.org/1999/xhtml\"")
    }
    #expect(external.isEmpty, "\(external.prefix(3))")
    #expect(try CLI.tool("/usr/bin/xmllint", ["--noout", page.path]).status == 0)
    for svg in try FileManager.default.contentsOfDirectory(atPath: folder.path) where svg.hasSuffix(".svg") {
      #expect(try CLI.tool("/usr/bin/xmllint", ["--noout", folder.appendingPathComponent(svg).path]).status == 0)
      #expect(html.contains("aria-labelledby=\"\(svg.dropLast(4))-title"), "\(svg) is not inline in report.html")
    }

    // Printed to PDF: A4, every page with text, each section after the first on a new page.
    let pdf = folder.appendingPathComponent("briefing.pdf")
    let printed = try Self.chromium(page, ["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)"])
    #expect(Self.consoleLines(printed.stderr).isEmpty, "\(Self.consoleLines(printed.stderr))")
    let info = try CLI.tool("/usr/bin/pdfinfo", [pdf.path]).stdout
    #expect(info.contains("594.96 x 841.92 pts (A4)"), "\(info)")
    let pages =
      Int(
        info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last.map(String.init) ?? "")
      ?? 0
    let headings = html.components(separatedBy: "<h2 id=\"").dropFirst().compactMap { part -> String? in
      guard let start = part.firstIndex(of: ">"), let end = part.range(of: "</h2>") else { return nil }
      return String(part[part.index(after: start)..<end.lowerBound])
    }
    #expect(headings.count >= 6 && pages >= headings.count && pages < 80, "\(pages) pages, \(headings.count) sections")
    var firstLines: [String] = []
    for p in 1...max(1, pages) {
      let text = try CLI.tool("/usr/bin/pdftotext", ["-f", "\(p)", "-l", "\(p)", pdf.path, "-"]).stdout
      let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      #expect(lines.count >= 1, "page \(p) is blank")
      firstLines.append(lines.first ?? "")
    }
    for heading in headings.dropFirst() {
      let plain = heading.replacingOccurrences(of: "&amp;", with: "&")
      #expect(firstLines.contains(plain), "section \"\(plain)\" does not start a page")
    }

    // A screenshot: a real image, far from a blank page of the same size.
    let shot = folder.appendingPathComponent("briefing.png")
    _ = try Self.chromium(page, ["--screenshot=\(shot.path)", "--window-size=1200,1600"])
    let blankPage = folder.appendingPathComponent("blank.html")
    try "<!DOCTYPE html><html><body></body></html>".write(to: blankPage, atomically: true, encoding: .utf8)
    let blankShot = folder.appendingPathComponent("blank.png")
    _ = try Self.chromium(blankPage, ["--screenshot=\(blankShot.path)", "--window-size=1200,1600"])
    let image = try Data(contentsOf: shot)
    let blank = try Data(contentsOf: blankShot)
    #expect(Array(image.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    #expect(image.count > 5 * blank.count, "screenshot \(image.count) bytes, blank page \(blank.count)")
  }

  /// The console check sees what it must: a page that logs an error is caught.
  @Test func theConsoleCheckCatchesAnError() throws {
    let page = try EndToEndTests.temporaryFolder().appendingPathComponent("broken.html")
    try "<!DOCTYPE html><html><body><script>console.error('deliberate')</script></body></html>".write(
      to: page, atomically: true, encoding: .utf8)
    let r = try Self.chromium(page, ["--dump-dom"])
    #expect(Self.consoleLines(r.stderr).contains { $0.contains("deliberate") }, "\(r.stderr.suffix(500))")
  }
}
