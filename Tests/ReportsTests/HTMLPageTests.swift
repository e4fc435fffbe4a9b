import Foundation
import Reports
import Testing

/// The Markdown-to-HTML conversion and the CSV reading behind the briefing and the workbook,
/// on the cases a report can hold.
@Suite struct HTMLPageTests {
  /// Numbered items keep their numbers (a bottleneck list may skip ranks); italics, bold,
  /// code and links convert; a control character in a name still gives well-formed XML.
  @Test func listsKeepTheirNumbersAndTextStaysWellFormed() {
    let html = HTMLPage.render(
      markdown: "# T\n\n## S\n\n1. **one** *shown apart*\n3. `x` [r](b/report.md)\n\nA\u{1}B & <c>\n", charts: [:])
    #expect(html.contains("<li value=\"1\"><strong>one</strong> <em>shown apart</em></li>"))
    #expect(html.contains("<li value=\"3\"><code>x</code> <a href=\"b/report.html\">r</a></li>"))
    #expect(html.contains("<p>A B &amp; &lt;c&gt;</p>"))
  }

  /// A chart shown in the Markdown is inlined without its XML declaration.
  @Test func chartsAreInlined() {
    let svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n"
    let html = HTMLPage.render(markdown: "## S\n\n![A chart](c.svg)\n", charts: ["c.svg": svg])
    #expect(html.contains("<figure><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n</figure>"))
    #expect(!html.contains("<?xml"))
  }

  /// CSV records: a quoted line break stays in its cell; a byte order mark and CRLF line ends
  /// (`--spreadsheet`) read the same as plain files.
  @Test func csvRecordsKeepQuotedLineBreaks() {
    #expect(CSVWriter.records(of: "a,b\n\"x\ny\",2\n") == [["a", "b"], ["x\ny", "2"]])
    #expect(CSVWriter.records(of: "\u{FEFF}a,b\r\n1,\"p,q\"\r\n") == [["a", "b"], ["1", "p,q"]])
  }
}
