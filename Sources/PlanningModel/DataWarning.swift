/// Something in a data set that loads but deserves a look (`arsenal check`): a number
/// without a citation, a funder or a demand nobody can serve, a scenario that changes nothing.
///
/// Warnings never stop a run. The facts are in `detail`; every word a planner reads is built
/// by `DataLintWords` from them.
public struct DataWarning: Sendable, Hashable, CustomStringConvertible {
  /// What sort of warning it is, so that tools and tests can tell warnings apart without
  /// reading the sentence.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// A number in a TOML file without a citation comment, or a CSV row without a source.
    case uncitedNumber = "uncited-number"
    /// A funder whose `buys_from` selects no producer of anything its consumers need.
    case funderBuysFromNobody = "funder-buys-from-nobody"
    /// A consumer needs an end item (or a substitution group) that no producer makes.
    case demandNobodyMakes = "demand-nobody-makes"
    /// A consumer needs an end item whose every producer is barred from delivering it to them.
    case demandNobodyMaySupply = "demand-nobody-may-supply"
    /// A scenario with changes that leave the model as it was.
    case scenarioChangesNothing = "scenario-changes-nothing"
    /// A producer's product needs an input that nothing in its pool makes, holds or buys.
    case inputWithoutSource = "input-without-source"
    /// An end item a producer makes that no consumer who needs it may receive from it.
    case productNobodyMayReceive = "product-nobody-may-receive"
    /// A producer that needs inputs sits alone in its pool.
    case poolWithOneMember = "pool-with-one-member"
    /// A TOML number written like a thousands separator (`100.000`).
    case thousandsSeparator = "thousands-separator"
    /// A consumer uses an item fired from a system (or wearing a part) it holds none of and
    /// may never receive.
    case systemNeverHeld = "system-never-held"
  }

  /// The facts behind a warning, from which its message is built.
  public enum Detail: Sendable, Hashable {
    /// A number in a TOML file that no comment cites (docs/INPUTS.md, "Sources and the data lint").
    case uncitedTOML
    /// A CSV row with no source: its `source` cell is empty (or the file has no `source`
    /// column) and no `note` or `comment` cell cites one.
    case uncitedRow(hasSourceColumn: Bool)
    /// A funder's `buys_from` selects none of the producers of `needs`, the end items the
    /// consumers it pays for need.
    case buysFromNobody(needs: [String])
    /// No producer makes any of `items` (the item needed, or the members of the group needed).
    case nobodyMakes(items: [String])
    /// Every producer of the items needed is barred from delivering them to the consumer.
    case nobodyMaySupply(Barred)
    /// A scenario's `changes` changes leave the model as it was.
    case changesNothing(changes: Int)
    /// A product needs `input`, which no producer in `pool` makes, no producer there holds and
    /// no market delivers there: the product can never be made.
    case inputWithoutSource(product: String, input: String, pool: String)
    /// An end item `product` with capacity that no consumer needing it may receive from its
    /// producer (`needed`: whether any consumer needs it at all).
    case nobodyMayReceive(product: String, needed: Bool)
    /// `pool` has one producer, whose products need inputs: it shares components with nobody
    /// (`others`: the data set's other pools).
    case aloneInPool(pool: String, others: [String])
    /// A number like `100.000`, which TOML reads as 100.0, not 100,000.
    case looksLikeThousands(String)
    /// `item` is fired from (or, `worn`, wears) `system`, which the consumer never holds.
    case neverHeld(item: String, system: String, worn: Bool)
  }

  /// How the producers of a needed item are barred from a consumer, each counted once under
  /// the first reason that bars it (rule, then funders, then route).
  public struct Barred: Sendable, Hashable {
    /// Producer–item pairs that could meet the need.
    public let makers: Int
    /// Barred by the eligibility rules (or `default_eligible = false`).
    public let byRule: Int
    /// Barred because none of the consumer's funders may buy from the producer.
    public let byFunders: Int
    /// Barred because the route that applies has no capacity, or a lead time past the horizon.
    public let byRoute: Int

    /// Counts of producer–item pairs by the reason they are barred.
    public init(makers: Int, byRule: Int, byFunders: Int, byRoute: Int) {
      self.makers = makers
      self.byRule = byRule
      self.byFunders = byFunders
      self.byRoute = byRoute
    }
  }

  /// The facts behind the warning.
  public let detail: Detail
  /// The file, relative to the data set folder.
  public let file: String
  /// The line in the file (1-based), when it can be located.
  public let line: Int?
  /// Where in the file, as `check`'s errors say it: `producer "x" › product #1 › capacity`.
  public let key: String
  /// The value as written (shortened to 80 characters), if there is one.
  public let value: String?

  /// A warning about `key` at `file`:`line`, with `value` as written (shortened to 80 characters).
  public init(_ detail: Detail, file: String, line: Int?, key: String, value: String? = nil) {
    self.detail = detail
    self.file = file
    self.line = line
    self.key = key
    self.value = value.map { $0.count > 80 ? String($0.prefix(77)) + "..." : $0 }
  }

  /// What sort of warning it is.
  public var kind: Kind {
    switch detail {
    case .uncitedTOML, .uncitedRow: return .uncitedNumber
    case .buysFromNobody: return .funderBuysFromNobody
    case .nobodyMakes: return .demandNobodyMakes
    case .nobodyMaySupply: return .demandNobodyMaySupply
    case .changesNothing: return .scenarioChangesNothing
    case .inputWithoutSource: return .inputWithoutSource
    case .nobodyMayReceive: return .productNobodyMayReceive
    case .aloneInPool: return .poolWithOneMember
    case .looksLikeThousands: return .thousandsSeparator
    case .neverHeld: return .systemNeverHeld
    }
  }

  /// What is wrong, as a sentence fragment.
  public var message: String { DataLintWords.message(detail) }

  /// `file:line: key: value V; message`, as `check` prints it (the form of its errors).
  public var description: String {
    var s = file
    if let line { s += ":\(line)" }
    s += ": \(key):"
    if let value { s += " value \(value);" }
    return s + " \(message)"
  }
}

/// Numbers without a citation under `arsenal check --strict-sources`: an input error.
public struct UncitedNumbers: Error, Sendable, CustomStringConvertible {
  /// The uncited numbers, in file and line order.
  public let warnings: [DataWarning]

  /// The error for these uncited numbers.
  public init(_ warnings: [DataWarning]) { self.warnings = warnings }

  /// A heading line, then one indented line per number.
  public var description: String {
    ([DataLintWords.strictHeading(warnings.count)] + warnings.map { "  \($0)" }).joined(separator: "\n")
  }
}

/// Every word of the data lint: the messages of `DataWarning`s and the headings `check` prints.
public enum DataLintWords {
  /// The heading above a list of `count` warnings: "3 warnings:".
  public static func heading(_ count: Int) -> String { count == 1 ? "1 warning:" : "\(count) warnings:" }

  /// The heading of the `--strict-sources` error.
  public static func strictHeading(_ count: Int) -> String {
    let what = count == 1 ? "1 number has" : "\(count) numbers have"
    return "\(what) no source (--strict-sources; docs/INPUTS.md, Sources and the data lint):"
  }

  /// The message of a warning with these facts.
  public static func message(_ detail: DataWarning.Detail) -> String {
    switch detail {
    case .uncitedTOML:
      return "no source: or assumption: comment"
    case .uncitedRow(let hasSourceColumn):
      let source = hasSourceColumn ? "empty source cell" : "no source column"
      return "\(source) and no source: or assumption: in a note or comment cell"
    case .buysFromNobody(let needs):
      return "buys_from selects no producer of what the consumers it pays for need (\(list(needs))): "
        + "it can pay for nothing"
    case .nobodyMakes(let items):
      return items.count == 1 ? "no producer makes \(list(items))" : "no producer makes any of \(list(items))"
    case .nobodyMaySupply(let barred):
      return barredMessage(barred)
    case .changesNothing(let changes):
      let what = changes == 1 ? "its change leaves" : "its \(changes) changes leave"
      return "\(what) the model as it is"
    case .inputWithoutSource(let product, let input, let pool):
      return "\(product) needs \(input), which nothing in pool \"\(pool)\" makes, holds or buys: it can never be "
        + "made (put the producer in a pool that has \(input), add a market for it, or mark the product finished)"
    case .nobodyMayReceive(let product, let needed):
      return needed
        ? "no consumer who needs \(product) may receive it from this producer (rules, funders or routes bar "
          + "every one): its capacity can never be used"
        : "no consumer needs \(product): its capacity can never be used"
    case .aloneInPool(let pool, let others):
      let hint = others.isEmpty ? "" : " (the data set's other pools: \(list(others)))"
      return "it is the only producer in pool \"\(pool)\", so it gets components and materials only from itself and "
        + "markets; producers share inputs only within a pool — set `pool` to the pool of its suppliers\(hint)"
    case .neverHeld(let item, let system, let worn):
      return worn
        ? "\(item) wears out \(system), which this consumer holds none of and may receive from no producer: it can "
          + "never use \(item) (give it an initial stock of \(system), or a producer that may deliver one)"
        : "\(item) is fired from \(system), which this consumer holds none of and may receive from no producer: it "
          + "can never use \(item) (give it an initial stock of \(system), or a producer that may deliver one)"
    case .looksLikeThousands(let token):
      return "\(token) reads as \(Double(token.replacingOccurrences(of: "_", with: "")).map { "\($0)" } ?? token) "
        + "(a decimal point), not \(token.replacingOccurrences(of: ".", with: "")); write "
        + "\(token.replacingOccurrences(of: ".", with: "_")) for thousands, or drop the trailing zeros of a decimal"
    }
  }

  private static func barredMessage(_ b: DataWarning.Barred) -> String {
    var reasons: [String] = []
    if b.byRule > 0 { reasons.append("\(b.byRule) by eligibility rules") }
    if b.byFunders > 0 { reasons.append("\(b.byFunders) by its funders' buys_from") }
    if b.byRoute > 0 { reasons.append("\(b.byRoute) by a route with no capacity or a lead time past the horizon") }
    let who = b.makers == 1 ? "its only producer is" : "all \(b.makers) of its producers are"
    return "\(who) barred from delivering to this consumer (\(reasons.joined(separator: ", ")))"
  }

  private static func list(_ ids: [String]) -> String {
    ids.count <= 5 ? ids.joined(separator: ", ") : ids.prefix(5).joined(separator: ", ") + ", …"
  }
}
