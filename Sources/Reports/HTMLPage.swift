import Foundation

/// `report.html`: a report's Markdown as one self-contained HTML page.
///
/// Charts inline, no script, no network, styled for the screen and for A4 print (each `##`
/// section after the first starts a page). The Markdown is the one report.md holds, so the page says exactly what it says.
///
/// The converter reads the Markdown the reports write — headings, paragraphs, quotes, tables
/// with alignment, numbered and bulleted lists, fenced text blocks, `**bold**`, `` `code` ``,
/// links and `![chart](file.svg)` lines, which become the chart itself — and writes
/// well-formed XML (polyglot HTML5), which `xmllint` checks.
public enum HTMLPage {
  /// The page for `markdown`, with `charts` (file name → SVG document) inlined where the
  /// Markdown shows them.
  public static func render(markdown: String, charts: [String: String]) -> String {
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var body: [String] = []
    var title = "Arsenal report"
    var i = 0
    var paragraph: [String] = []
    var sections = 0
    func flush() {
      if !paragraph.isEmpty { body.append("<p>" + inline(paragraph.joined(separator: " ")) + "</p>") }
      paragraph = []
    }
    while i < lines.count {
      let line = lines[i]
      if line.hasPrefix("```") {
        flush()
        var block: [String] = []
        i += 1
        while i < lines.count && !lines[i].hasPrefix("```") {
          block.append(escape(lines[i]))
          i += 1
        }
        body.append("<pre>" + block.joined(separator: "\n") + "</pre>")
      } else if let level = heading(line) {
        flush()
        let text = String(line.dropFirst(level + 1))
        if level == 1 { title = text }
        if level == 2 {
          if sections > 0 { body.append("</section>") }
          body.append("<section>")
          sections += 1
        }
        body.append("<h\(level) id=\"\(anchor(text))\">\(inline(text))</h\(level)>")
      } else if line.hasPrefix("!["), let (alt, file) = image(line) {
        flush()
        if let svg = charts[file] {
          // The SVG carries its own title and description (its accessible name).
          body.append("<figure>" + inlineSVG(svg) + "</figure>")
        } else {
          body.append("<p><a href=\"\(escape(file))\">" + escape(alt) + "</a></p>")
        }
      } else if line.hasPrefix("> ") {
        flush()
        body.append("<blockquote><p>" + inline(String(line.dropFirst(2))) + "</p></blockquote>")
      } else if line.hasPrefix("|") {
        flush()
        var rows: [String] = []
        while i < lines.count && lines[i].hasPrefix("|") {
          rows.append(lines[i])
          i += 1
        }
        body.append(table(rows))
        continue
      } else if let item = listItem(line) {
        flush()
        let ordered = item.ordered
        var items: [String] = []
        while i < lines.count, let next = listItem(lines[i]), next.ordered == ordered {
          // The number as written: a report may skip ranks (bottlenecks without details).
          let value = next.number.map { " value=\"\($0)\"" } ?? ""
          items.append("<li\(value)>" + inline(next.text) + "</li>")
          i += 1
        }
        body.append((ordered ? "<ol>" : "<ul>") + items.joined() + (ordered ? "</ol>" : "</ul>"))
        continue
      } else if line.trimmingCharacters(in: .whitespaces).isEmpty {
        flush()
      } else {
        paragraph.append(line)
      }
      i += 1
    }
    flush()
    if sections > 0 { body.append("</section>") }
    return """
      <!DOCTYPE html>
      <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
      <head>
      <meta charset="utf-8"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <title>\(escape(plain(title)))</title>
      <style>
      \(style)
      </style>
      </head>
      <body>
      <main>
      \(body.joined(separator: "\n"))
      </main>
      </body>
      </html>

      """
  }

  /// Screen and print styles: A4 pages, a new page for each section, table headers repeated
  /// on each page, nothing that needs a font or file from elsewhere.
  static let style = """
    @page { size: A4; margin: 14mm 12mm 16mm 12mm; }
    html { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 10pt; color: #111; }
    body { margin: 0; }
    main { max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; }
    h1 { font-size: 17pt; margin: 0 0 4mm 0; }
    h2 { font-size: 14pt; margin: 0 0 3mm 0; border-bottom: 1px solid #999; }
    h3 { font-size: 11.5pt; margin: 4mm 0 2mm 0; }
    section { margin-top: 8mm; }
    @media print {
      section { break-before: page; margin-top: 0; }
      section:first-of-type { break-before: auto; margin-top: 6mm; }
      main { padding: 0; }
    }
    p, li { line-height: 1.35; }
    blockquote { margin: 2mm 0; padding: 1mm 3mm; border-left: 3px solid #E69F00; background: #fff8e6; }
    table { border-collapse: collapse; margin: 2mm 0 4mm 0; font-size: 8pt; width: 100%; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; }
    th, td { border: 1px solid #bbb; padding: 1px 4px; vertical-align: top; }
    th { background: #eef2f7; }
    td.r, th.r { text-align: right; white-space: nowrap; }
    pre { font-family: "DejaVu Sans Mono", monospace; font-size: 6.5pt; white-space: pre-wrap; background: #f6f6f6; padding: 2mm; }
    code { font-family: "DejaVu Sans Mono", monospace; font-size: 90%; }
    figure { margin: 3mm 0; break-inside: avoid; }
    figure svg { max-width: 100%; height: auto; }
    """

  static func heading(_ line: String) -> Int? {
    var level = 0
    for c in line {
      guard c == "#" else { break }
      level += 1
    }
    guard (1...4).contains(level), line.count > level, line.dropFirst(level).first == " " else { return nil }
    return level
  }

  static func image(_ line: String) -> (String, String)? {
    guard let close = line.range(of: "]("), line.hasSuffix(")") else { return nil }
    let alt = String(line[line.index(line.startIndex, offsetBy: 2)..<close.lowerBound])
    let file = String(line[close.upperBound..<line.index(before: line.endIndex)])
    return (alt, file)
  }

  static func listItem(_ line: String) -> (ordered: Bool, number: Int?, text: String)? {
    if line.hasPrefix("- ") { return (false, nil, String(line.dropFirst(2))) }
    let digits = line.prefix { $0.isASCII && $0.isNumber }
    if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") {
      return (true, Int(digits), String(line.dropFirst(digits.count + 2)))
    }
    return nil
  }

  /// A Markdown table (header, rule with alignment, rows) as HTML, numbers right-aligned as
  /// the rule says.
  static func table(_ rows: [String]) -> String {
    let cells = rows.map(split)
    guard cells.count >= 2 else { return "" }
    let right = cells[1].map { $0.hasSuffix(":") }
    var out = "<table><thead><tr>"
    for (k, c) in cells[0].enumerated() { out += cell("th", c, right: k < right.count && right[k]) }
    out += "</tr></thead><tbody>"
    for row in cells.dropFirst(2) {
      out +=
        "<tr>" + row.enumerated().map { k, c in cell("td", c, right: k < right.count && right[k]) }.joined() + "</tr>"
    }
    return out + "</tbody></table>"
  }

  static func cell(_ tag: String, _ text: String, right: Bool) -> String {
    "<\(tag)\(right ? " class=\"r\"" : "")>" + inline(text) + "</\(tag)>"
  }

  /// The cells of a table row, with `\|` read as a literal bar.
  static func split(_ row: String) -> [String] {
    var chars = Array(row.unicodeScalars)
    while chars.last == " " { chars.removeLast() }
    if chars.first == "|" { chars.removeFirst() }
    if chars.last == "|" { chars.removeLast() }
    var cells: [String] = []
    var cell = String.UnicodeScalarView()
    func finish() {
      cells.append(String(cell).trimmingCharacters(in: .whitespaces))
      cell = String.UnicodeScalarView()
    }
    var k = 0
    while k < chars.count {
      if chars[k] == "\\" && k + 1 < chars.count && chars[k + 1] == "|" {
        cell.append("|")
        k += 2
        continue
      }
      if chars[k] == "|" { finish() } else { cell.append(chars[k]) }
      k += 1
    }
    finish()
    return cells
  }

  /// Inline Markdown: code spans, bold, italics, links; everything else escaped.
  ///
  /// One pass over the Unicode scalars (the marks are ASCII), appending plain runs as they come.
  static func inline(_ s: String) -> String {
    let chars = Array(s.unicodeScalars)
    var out = String.UnicodeScalarView()
    out.reserveCapacity(chars.count + 16)
    func append(_ text: String) { out.append(contentsOf: text.unicodeScalars) }
    func appendEscaped(_ slice: ArraySlice<Unicode.Scalar>) { for c in slice { appendEscapedScalar(c) } }
    func appendEscapedScalar(_ c: Unicode.Scalar) {
      switch c {
      case "&": append("&amp;")
      case "<": append("&lt;")
      case ">": append("&gt;")
      case "\"": append("&quot;")
      case _ where c.value < 0x20 && c != "\t": out.append(" ")
      default: out.append(c)
      }
    }
    func find(_ c: Unicode.Scalar, from start: Int) -> Int? {
      var k = start
      while k < chars.count {
        if chars[k] == c { return k }
        k += 1
      }
      return nil
    }
    var k = 0
    var bold = false
    while k < chars.count {
      let c = chars[k]
      if c == "`", let end = find("`", from: k + 1) {
        append("<code>")
        appendEscaped(chars[(k + 1)..<end])
        append("</code>")
        k = end + 1
      } else if c == "*" && k + 1 < chars.count && chars[k + 1] == "*" {
        append(bold ? "</strong>" : "<strong>")
        bold.toggle()
        k += 2
      } else if c == "*", k + 1 < chars.count, chars[k + 1] != " ", let end = find("*", from: k + 1), end > k + 1,
        chars[end - 1] != " "
      {
        append("<em>")
        appendEscaped(chars[(k + 1)..<end])
        append("</em>")
        k = end + 1
      } else if c == "[", let close = find("]", from: k), close + 1 < chars.count, chars[close + 1] == "(",
        let end = find(")", from: close + 1)
      {
        let text = String(String.UnicodeScalarView(chars[(k + 1)..<close]))
        var href = String(String.UnicodeScalarView(chars[(close + 2)..<end]))
        // A link to a sibling report's Markdown opens its HTML page.
        if href.hasSuffix("report.md") { href = String(href.dropLast(2)) + "html" }
        append("<a href=\"" + escape(href) + "\">" + inline(text) + "</a>")
        k = end + 1
      } else {
        appendEscapedScalar(c)
        k += 1
      }
    }
    if bold { append("</strong>") }
    return String(out)
  }

  static func escape(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for c in s.unicodeScalars {
      switch c {
      case "&": out.append(contentsOf: "&amp;".unicodeScalars)
      case "<": out.append(contentsOf: "&lt;".unicodeScalars)
      case ">": out.append(contentsOf: "&gt;".unicodeScalars)
      case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
      // XML 1.0 allows no other control characters: a name holding one still gives a
      // well-formed page and chart.
      case _ where c.value < 0x20 && c != "\t" && c != "\n" && c != "\r": out.append(" ")
      default: out.append(c)
      }
    }
    return String(out)
  }

  /// The title without Markdown marks.
  static func plain(_ s: String) -> String {
    s.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
  }

  /// A heading's fragment id: lower-case letters and digits joined by `-`.
  static func anchor(_ s: String) -> String {
    var out = ""
    for c in plain(s).lowercased() {
      if c.isLetter || c.isNumber, c.isASCII { out.append(c) } else if !out.hasSuffix("-") { out.append("-") }
    }
    return out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
  }

  /// An SVG document as an element of the page: without its XML declaration.
  static func inlineSVG(_ svg: String) -> String {
    guard svg.hasPrefix("<?xml"), let end = svg.firstIndex(of: "\n") else { return svg }
    return String(svg[svg.index(after: end)...])
  }
}
