import Foundation

/// A small SVG writer for the report charts (docs/ARCHITECTURE.md, "Charts").
///
/// Deterministic (coordinates with one decimal, attributes in a fixed order), accessible
/// (`role="img"` labelled by a `<title>` and a `<desc>`), and self-contained: no fonts,
/// scripts or links, so a chart reads the same inline in HTML, on a Git host and in print.
struct SVG {
  let id: String
  let width: Double
  let height: Double
  let title: String
  let description: String
  private var defs: [String] = []
  private var body: [String] = []

  init(id: String, width: Double, height: Double, title: String, description: String) {
    self.id = id
    self.width = width
    self.height = height
    self.title = title
    self.description = description
  }

  /// A number as SVG coordinates carry it: one decimal, no trailing zero.
  static func n(_ x: Double) -> String { Fmt.plain(x, decimals: 1) }

  /// Text escaped for XML content and attribute values.
  static func escape(_ s: String) -> String { HTMLPage.escape(s) }

  /// `data-*` attributes: the value a mark stands for, for readers and tests.
  static func data(_ attributes: [(String, String)]) -> String {
    attributes.map { " data-\($0.0)=\"\(escape($0.1))\"" }.joined()
  }

  mutating func rect(
    x: Double, y: Double, width w: Double, height h: Double, fill: String, stroke: String? = nil,
    data: [(String, String)] = []
  ) {
    var s = "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, w)))\" height=\"\(Self.n(max(0, h)))\""
    s += " fill=\"\(fill)\""
    if let stroke { s += " stroke=\"\(stroke)\" stroke-width=\"0.5\"" }
    body.append(s + Self.data(data) + "/>")
  }

  mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#555", width w: Double = 1,
    dash: String? = nil
  ) {
    var s = "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\""
    s += " stroke=\"\(stroke)\" stroke-width=\"\(Self.n(w))\""
    if let dash { s += " stroke-dasharray=\"\(dash)\"" }
    body.append(s + "/>")
  }

  mutating func polyline(_ points: [(Double, Double)], stroke: String, width w: Double = 2, dash: String? = nil) {
    guard points.count > 1 else { return }
    let p = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
    var s = "<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(w))\""
    if let dash { s += " stroke-dasharray=\"\(dash)\"" }
    body.append(s + "/>")
  }

  /// A point marker: a circle, or a diamond for targets (shape as well as colour).
  mutating func marker(
    x: Double, y: Double, fill: String, diamond: Bool = false, size: Double = 4, data: [(String, String)] = []
  ) {
    if diamond {
      let p = [(x, y - size), (x + size, y), (x, y + size), (x - size, y)].map { "\(Self.n($0.0)),\(Self.n($0.1))" }
      body.append(
        "<polygon points=\"\(p.joined(separator: " "))\" fill=\"\(fill)\" stroke=\"#000\" stroke-width=\"0.8\""
          + Self.data(data) + "/>")
    } else {
      body.append(
        "<circle cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(size))\" fill=\"\(fill)\" stroke=\"#000\" "
          + "stroke-width=\"0.5\"" + Self.data(data) + "/>")
    }
  }

  enum Anchor: String {
    case start, middle, end
  }

  mutating func text(
    _ s: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 11, bold: Bool = false,
    rotate: Double? = nil, fill: String = "#222"
  ) {
    var a =
      "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor.rawValue)\""
    a += " fill=\"\(fill)\""
    if bold { a += " font-weight=\"bold\"" }
    if let rotate { a += " transform=\"rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))\"" }
    body.append(a + ">" + Self.escape(s) + "</text>")
  }

  /// Registers the fill patterns of `Palette.fills` used by stacked series.
  mutating func usePatterns(_ count: Int) {
    for k in 0..<count {
      let fill = Palette.fill(k)
      guard let hatch = fill.hatch else { continue }
      defs.append(
        "<pattern id=\"\(id)-p\(k)\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">"
          + "<rect width=\"6\" height=\"6\" fill=\"\(fill.colour)\"/>" + "<path d=\"\(hatch)\" stroke=\"#fff\" "
          + "stroke-width=\"1.2\"/></pattern>")
    }
  }

  /// The paint of series `k`: its colour, hatched for the series past the palette's plain ones.
  func paint(_ k: Int) -> String { Palette.fill(k).hatch == nil ? Palette.fill(k).colour : "url(#\(id)-p\(k))" }

  /// The SVG document: standalone with an XML declaration, or an element to inline in HTML.
  func render(standalone: Bool) -> String {
    var s = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
    s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" "
    s += "viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" "
    s += "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n"
    s += "<title id=\"\(id)-title\">\(Self.escape(title))</title>\n"
    s += "<desc id=\"\(id)-desc\">\(Self.escape(description))</desc>\n"
    if !defs.isEmpty { s += "<defs>" + defs.joined() + "</defs>\n" }
    s += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
    s += body.joined(separator: "\n") + "\n</svg>\n"
    return s
  }
}

/// The Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), then
/// the same colours hatched, so that more series than colours stay apart — and labels name
/// every series, so that colour never carries meaning alone.
enum Palette {
  struct Fill {
    let colour: String
    let hatch: String?
  }
  static let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
  static let hatches = ["M0,6 L6,0", "M0,0 L6,6", "M3,0 L3,6", "M0,3 L6,3"]

  static func fill(_ k: Int) -> Fill {
    let colour = colours[k % colours.count]
    let round = k / colours.count
    return Fill(colour: colour, hatch: round == 0 ? nil : hatches[(round - 1) % hatches.count])
  }
}
