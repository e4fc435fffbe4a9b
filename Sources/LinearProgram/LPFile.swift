/// The program as a file another solver reads: free MPS or CPLEX LP format, every number
/// written so that it reads back as the same double (Swift's shortest round-trip form), and
/// the objective's sense stated.
///
/// GLPK's own writers are not used: its MPS writer fits every number into 12 characters,
/// and its LP writer keeps 15 digits.
public enum LPFileFormat: String, Sendable, CaseIterable {
  /// Free MPS; a maximisation adds the `OBJSENSE MAX` section most solvers read (GLPK's
  /// reader does not: give `glpsol` the LP format, or `--max` and the file without it).
  case mps
  /// CPLEX LP format (`Minimize` / `Maximize`).
  case cplexLP = "lp"
}

extension LinearProgram {
  /// The program as `format` text, with `objective` (one coefficient per column) and `sense`
  /// in place of its own when given.
  public func fileText(_ format: LPFileFormat, objective: [Double]? = nil, sense: OptimizationSense? = nil) -> String {
    let c = objective ?? self.objective
    let s = sense ?? self.sense
    switch format {
    case .mps: return mpsText(objective: c, sense: s)
    case .cplexLP: return cplexText(objective: c, sense: s)
    }
  }

  /// A double that reads back as itself.
  static func number(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return x.description
  }

  /// The entries of every column, (row, value), in row order.
  func columnEntries() -> [[(row: Int, value: Double)]] {
    var out = [[(row: Int, value: Double)]](repeating: [], count: numberOfColumns)
    for i in 0..<numberOfRows {
      for k in rowStart[i]..<rowStart[i + 1] { out[Int(entryColumn[k])].append((i, entryValue[k])) }
    }
    return out
  }

  // MARK: MPS

  func mpsText(objective c: [Double], sense: OptimizationSense) -> String {
    let rows = rowNames.map(Self.mpsName)
    let columns = columnNames.map(Self.mpsName)
    var out = "* Written by arsenal: every number exact (shortest form that reads back as the same double).\n"
    out += "NAME \(Self.mpsName(name.isEmpty ? "arsenal" : name))\n"
    if sense == .maximize { out += "OBJSENSE\n    MAX\n" }
    out += "ROWS\n N  obj\n"
    // A row bounded on both sides is written as two rows (≥ lower, ≤ upper), not as a RANGES
    // entry: upper − lower may not be exact in floating point, the two bounds are.
    let ranged = rowBounds.indices.filter {
      rowBounds[$0].lower.isFinite && rowBounds[$0].upper.isFinite && rowBounds[$0].lower != rowBounds[$0].upper
    }
    let upperName = Dictionary(uniqueKeysWithValues: ranged.map { ($0, rows[$0] + "~hi") })
    for (i, b) in rowBounds.enumerated() {
      let type: String
      switch (b.lower.isFinite, b.upper.isFinite) {
      case (false, false): type = "N"
      case (false, true): type = "L"
      case (true, false): type = "G"
      case (true, true): type = b.lower == b.upper ? "E" : "G"
      }
      out += " \(type)  \(rows[i])\n"
      if let hi = upperName[i] { out += " L  \(hi)\n" }
    }
    out += "COLUMNS\n"
    let integer = Set(integerColumns)
    var inIntegers = false
    for (j, entries) in columnEntries().enumerated() {
      // Integer columns between MARKER lines, as every MPS reader expects.
      if integer.contains(j) != inIntegers {
        inIntegers.toggle()
        out += "    M\(inIntegers ? "START" : "END")  'MARKER'  '\(inIntegers ? "INTORG" : "INTEND")'\n"
      }
      if c[j] != 0 || entries.isEmpty { out += "    \(columns[j])  obj  \(Self.number(c[j]))\n" }
      for e in entries {
        out += "    \(columns[j])  \(rows[e.row])  \(Self.number(e.value))\n"
        if let hi = upperName[e.row] { out += "    \(columns[j])  \(hi)  \(Self.number(e.value))\n" }
      }
    }
    if inIntegers { out += "    MEND  'MARKER'  'INTEND'\n" }
    out += "RHS\n"
    if objectiveConstant != 0 { out += "    rhs  obj  \(Self.number(-objectiveConstant))\n" }
    for (i, b) in rowBounds.enumerated() {
      switch (b.lower.isFinite, b.upper.isFinite) {
      case (false, false): continue
      case (false, true): out += "    rhs  \(rows[i])  \(Self.number(b.upper))\n"
      case (true, false): out += "    rhs  \(rows[i])  \(Self.number(b.lower))\n"
      case (true, true):
        out += "    rhs  \(rows[i])  \(Self.number(b.lower))\n"
        if let hi = upperName[i] { out += "    rhs  \(hi)  \(Self.number(b.upper))\n" }
      }
    }
    out += "BOUNDS\n"
    for (j, b) in columnBounds.enumerated() {
      let n = columns[j]
      switch (b.lower.isFinite, b.upper.isFinite) {
      case (false, false): out += " FR bnd  \(n)\n"
      case (false, true): out += " MI bnd  \(n)\n UP bnd  \(n)  \(Self.number(b.upper))\n"
      case (true, false): if b.lower != 0 { out += " LO bnd  \(n)  \(Self.number(b.lower))\n" }
      case (true, true):
        if b.lower == b.upper {
          out += " FX bnd  \(n)  \(Self.number(b.lower))\n"
        } else {
          if b.lower != 0 { out += " LO bnd  \(n)  \(Self.number(b.lower))\n" }
          out += " UP bnd  \(n)  \(Self.number(b.upper))\n"
        }
      }
    }
    return out + "ENDATA\n"
  }

  /// Free MPS names end at white space: none may hold any.
  static func mpsName(_ name: String) -> String {
    String(name.map { $0.isWhitespace ? "_" : $0 })
  }

  // MARK: CPLEX LP

  func cplexText(objective c: [Double], sense: OptimizationSense) -> String {
    let (rows, columns) = cplexNames()
    var out = "\\* Written by arsenal: every number exact (shortest form that reads back as the same double). *\\\n"
    out += sense == .maximize ? "Maximize\n" : "Minimize\n"
    var objectiveTerms: [String] = []
    for (j, value) in c.enumerated() where value != 0 { objectiveTerms.append(Self.term(value, columns[j])) }
    if objectiveConstant != 0 { objectiveTerms.append(Self.signed(objectiveConstant)) }
    if objectiveTerms.isEmpty { objectiveTerms.append("0 \(columns.first ?? "x")") }
    out += Self.wrapped(" obj:", objectiveTerms)
    out += "Subject To\n"
    for (i, b) in rowBounds.enumerated() {
      var terms = (rowStart[i]..<rowStart[i + 1]).map { Self.term(entryValue[$0], columns[Int(entryColumn[$0])]) }
      if terms.isEmpty { terms = ["0 \(columns.first ?? "x")"] }
      switch (b.lower.isFinite, b.upper.isFinite) {
      case (false, false): out += "\\ \(rows[i]) is free: it constrains nothing\n"
      case (false, true): out += Self.wrapped(" \(rows[i]):", terms + ["<= \(Self.number(b.upper))"])
      case (true, false): out += Self.wrapped(" \(rows[i]):", terms + [">= \(Self.number(b.lower))"])
      case (true, true) where b.lower == b.upper:
        out += Self.wrapped(" \(rows[i]):", terms + ["= \(Self.number(b.lower))"])
      case (true, true):
        // Two rows, as in MPS: both bounds stay exact.
        out += Self.wrapped(" \(rows[i]):", terms + [">= \(Self.number(b.lower))"])
        out += Self.wrapped(" \(rows[i])~hi:", terms + ["<= \(Self.number(b.upper))"])
      }
    }
    out += "Bounds\n"
    for (j, b) in columnBounds.enumerated() {
      let n = columns[j]
      switch (b.lower.isFinite, b.upper.isFinite) {
      case (false, false): out += " \(n) free\n"
      case (false, true): out += " -inf <= \(n) <= \(Self.number(b.upper))\n"
      case (true, false): if b.lower != 0 { out += " \(n) >= \(Self.number(b.lower))\n" }
      case (true, true) where b.lower == b.upper: out += " \(n) = \(Self.number(b.lower))\n"
      case (true, true): out += " \(Self.number(b.lower)) <= \(n) <= \(Self.number(b.upper))\n"
      }
    }
    if !integerColumns.isEmpty { out += Self.wrapped("General\n", integerColumns.map { columns[$0] }) }
    return out + "End\n"
  }

  /// "+ 2.5 x", "- 3 y".
  static func term(_ value: Double, _ name: String) -> String { "\(signed(value)) \(name)" }
  static func signed(_ value: Double) -> String { value < 0 ? "- \(number(-value))" : "+ \(number(value))" }

  /// Terms on lines of at most about 200 characters (readers limit line lengths).
  static func wrapped(_ head: String, _ terms: [String]) -> String {
    var out = head
    var line = head.count
    for t in terms {
      if line + t.count + 1 > 200 {
        out += "\n   "
        line = 3
      }
      out += " " + t
      line += t.count + 1
    }
    return out + "\n"
  }

  /// Names CPLEX LP readers accept (as GLPK's writer spells them: `(` `)` `~` for `[` `]`
  /// `-`, `_` for any other character the format reserves), or `r_i`/`x_j` for all of them
  /// when that would make two names the same.
  func cplexNames() -> (rows: [String], columns: [String]) {
    func clean(_ s: String) -> String {
      let allowed = Set("!\"#$%&()/,.;?@_`'{}|~")
      var out = ""
      for ch in s {
        switch ch {
        case "[": out.append("(")
        case "]": out.append(")")
        case "-": out.append("~")
        default: out.append(ch.isASCII && (ch.isLetter || ch.isNumber || allowed.contains(ch)) ? ch : "_")
        }
      }
      if let first = out.first, first.isNumber || first == "." { out = "_" + out }
      return out.isEmpty ? "_" : out
    }
    let rows = rowNames.map(clean)
    let columns = columnNames.map(clean)
    let all = rows + columns + ["obj"]
    if Set(all).count == all.count { return (rows, columns) }
    return (rowNames.indices.map { "r_\($0 + 1)" }, columnNames.indices.map { "x_\($0 + 1)" })
  }
}
