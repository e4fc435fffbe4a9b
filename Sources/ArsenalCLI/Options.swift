import Analysis
import ArgumentParser
import Arsenal
import Foundation
import GLPKSolver
import PlanningModel
import Reports

// Option groups the commands share, and how errors end a command.

extension AllocationPolicy: ExpressibleByArgument {}
extension SolverOptions.Method: ExpressibleByArgument {}

/// The exit codes, following sysexits(3) where one applies (README, "Exit codes").
enum Exit {
  /// The command line is wrong: an unknown option, scenario or comparison (EX_USAGE).
  static let usage: Int32 = 64
  /// The input data are wrong: every problem is listed (EX_DATAERR).
  static let data: Int32 = 65
  /// A stage was not solved to optimality (time or iteration limit, numerical failure).
  ///
  /// No report is written. EX_TEMPFAIL: a longer --time-limit or another --method may
  /// succeed (2 would read as a usage error by many shells' conventions).
  static let notOptimal: Int32 = 75
  /// The formulation or the solver layer refused the problem: a bug or a limit (EX_SOFTWARE).
  static let software: Int32 = 70
  /// The outputs could not be written (EX_IOERR).
  static let io: Int32 = 74
  /// Interrupted by Ctrl-C or SIGTERM (128 + SIGINT).
  static let interrupted: Int32 = 130
}

/// Writes `error: …` to stderr and returns the exit to throw.
func fail(_ error: Error, code: Int32) -> ExitCode {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  return ExitCode(code)
}

extension ArsenalError {
  /// The exit code for this error (`Exit`).
  var exitCode: Int32 {
    switch self {
    case .input: return Exit.data
    case .unknownScenario, .usage: return Exit.usage
    case .notOptimal, .noPortfolio: return Exit.notOptimal
    case .formulation, .solver: return Exit.software
    case .write: return Exit.io
    }
  }
}

struct DataOptions: ParsableArguments {
  @Option(
    name: .customLong("data"),
    help: ArgumentHelp("The data set folder (default: the bundled Inputs/europe-2027).", valueName: "folder"))
  var folder: String?

  /// The folder given, or else the bundled data set.
  ///
  /// That is `Inputs/europe-2027` under the current folder (running from a clone), else beside the executable (`.build/*/arsenal` in a clone, or
  /// `PREFIX/share/arsenal/europe-2027` after `make install`). If none exists the relative
  /// path is kept, and loading says it does not exist and how to point to a data set.
  /// For default folder names: `--data-NAME` when another data set than the bundled one is
  /// given, so its reports never replace the bundled data set's.
  var resultSuffix: String {
    guard let folder else { return "" }
    let name = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
    return name == "europe-2027" ? "" : "--data-\(name)"
  }

  var data: String { folder ?? Self.bundled }

  /// The bundled data set's folder, found as `data` describes.
  static var bundled: String {
    let relative = "Inputs/europe-2027"
    let fm = FileManager.default
    if fm.fileExists(atPath: relative) { return relative }
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let candidates = [
      exe.appendingPathComponent("../share/arsenal/europe-2027"),
      exe.appendingPathComponent("../../Inputs/europe-2027"),
      exe.appendingPathComponent("../../../Inputs/europe-2027"),
    ]
    return candidates.first { fm.fileExists(atPath: $0.path) }?.standardizedFileURL.path ?? relative
  }
}

/// What every command that solves takes: the policy, the method and the analysis's steps.
struct SolveOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp("Allocation policy (default: the data set's).", valueName: "weighted|lexicographic|fair-share"))
  var policy: AllocationPolicy?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Simplex method (primal is the fastest cold on these models; interior leaves no basis for bottlenecks).",
      valueName: "primal|dual|dual-primal|interior"))
  var method: SolverOptions.Method = .primal

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The relaxation analysis's step: percent added to a binding limit in each period it binds.", valueName: "percent")
  )
  var step: Double = 10

  @Option(
    name: .customLong("budget-step"),
    help: ArgumentHelp("The relaxation analysis's step of a budget, in EUR million.", valueName: "EUR-million"))
  var budgetStep: Double = 100

  @Option(
    name: .customLong("kind-step"),
    help: ArgumentHelp(
      "A step for one kind of limit, KIND=PERCENT (repeatable).",
      discussion:
        "Kinds: \(RelaxationSettings.steppedKinds.map(RelaxationSettings.argumentName).joined(separator: ", ")).",
      valueName: "kind=percent")
  )
  var kindStep: [String] = []

  /// Checked while parsing, so that a bad step prints the command's usage line.
  func validate() throws { _ = try relaxation() }

  /// The analysis's settings, or every problem with the step options at once.
  func relaxation() throws -> RelaxationSettings {
    var kinds: [String: Double] = [:]
    var problems: [String] = []
    for entry in kindStep {
      let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, let value = Double(parts[1]) else {
        problems.append("--kind-step \"\(entry)\": expected KIND=PERCENT, e.g. component=25")
        continue
      }
      kinds[parts[0]] = value
    }
    do {
      let settings = try RelaxationSettings.planner(percent: step, budgetMillions: budgetStep, kinds: kinds)
      guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
      return settings
    } catch let e as RelaxationSettings.StepProblems {
      throw ValidationError((problems + e.problems).joined(separator: "; "))
    }
  }

  /// What in these options changes the result, as a suffix for default folder names ("" for
  /// the defaults), so that a run with another policy, method or step never lands on — and
  /// replaces — the report of the default run: `--policy-lexicographic`, `--step-25`.
  var resultSuffix: String {
    func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
    var parts: [String] = []
    if let policy { parts.append("policy-\(policy.rawValue)") }
    if method == .interior { parts.append("interior") }
    if step != 10 { parts.append("step-\(number(step))") }
    if budgetStep != 100 { parts.append("budget-step-\(number(budgetStep))") }
    parts += kindStep.sorted().map { "kind-step-\($0)" }
    return parts.map { "--" + $0 }.joined()
  }

  func runOptions(data: String, scenarios: [String]) throws -> RunOptions {
    RunOptions(data: data, scenarios: scenarios, policy: policy, method: method, relaxation: try relaxation())
  }
}

/// What a command prints on stdout: its lines, nothing (`--quiet`) or one JSON object.
///
/// `--json` is docs/OUTPUTS.md's "JSON on standard output". Errors always go to stderr.
/// GLPK's control parameters beyond method and presolver, for measuring them (`solve`, `bench`).
struct GLPKKnobOptions: ParsableArguments {
  @Option(
    name: .customLong("glpk"),
    help: ArgumentHelp(
      "Set one of GLPK's control parameters (repeatable; for measuring them, docs/PERFORMANCE.md).",
      discussion:
        "Keys: \(GLPKTuning.keys). Unset keys keep GLPK's defaults, which Arsenal uses, but for scale (2n: GLPK's automatic scaling, factors rounded to powers of two). merge is Arsenal's: "
        + "identical columns merged before a presolved solve, on unless merge=off.",
      valueName: "key=value"))
  var glpk: [String] = []

  func validate() throws { _ = try tuning() }

  func tuning() throws -> GLPKTuning {
    var t = GLPKTuning()
    let problems = glpk.compactMap { t.set($0) }
    guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
    return t
  }
}

struct ConsoleOptions: ParsableArguments {
  @Flag(name: .long, help: "Print nothing on success (errors still go to stderr; the exit code tells the outcome).")
  var quiet = false

  @Flag(name: .long, help: "Print the outcome as one JSON object on stdout instead of lines (docs/OUTPUTS.md).")
  var json = false

  /// Prints `line` on stdout unless `--quiet` or `--json`.
  func say(_ line: String) {
    if !quiet && !json { print(line) }
  }

  /// Prints `value` on stdout under `--json` (even with `--quiet`: it was asked for).
  func emit(_ value: @autoclosure () -> JSONValue) {
    if json { print(value().render(indent: 0)) }
  }

  /// Prints a JSON text already rendered (a report's own JSON file) under `--json`.
  func emit(text: @autoclosure () -> String) {
    if json { print(text(), terminator: text().hasSuffix("\n") ? "" : "\n") }
  }
}

/// The output folder of a command that writes one: locked before anything is solved.
struct OutputOptions: ParsableArguments {
  @Flag(name: .long, help: "If another arsenal command is writing the output folder, wait for it instead of failing.")
  var wait = false

  @OptionGroup var console: ConsoleOptions

  @Flag(
    name: .long,
    help: "Replace a report made from other inputs (other scenarios, data set, policy or steps) in the output folder.")
  var force = false

  @Flag(
    name: .long,
    help: ArgumentHelp(
      "Write CSVs for spreadsheets: UTF-8 with a byte order mark and CRLF line ends (Excel shows names right).",
      discussion: "For locales with a decimal comma, import the CSV (Data > From Text) with comma as the separator."))
  var spreadsheet = false

  @Flag(
    name: .long,
    help: "Also write results.xlsx: every CSV table of the report as a sheet, numbers as numbers (libxlsxwriter).")
  var xlsx = false

  /// How the command's folders are written.
  var settings: WriteSettings {
    WriteSettings(wait: wait, waiting: Self.tellWaiting, force: force, spreadsheetCSV: spreadsheet, workbook: xlsx)
  }

  /// Prints `line` on stdout unless `--quiet` or `--json`.
  func say(_ line: String) { console.say(line) }

  /// The command line, as the lock names its holder.
  static var commandLine: String { (["arsenal"] + CommandLine.arguments.dropFirst()).joined(separator: " ") }

  /// Says who holds a lock we wait for.
  static let tellWaiting: @Sendable (String) -> Void = { message in
    FileHandle.standardError.write(Data("\(message)…\n".utf8))
  }

  /// Takes `folder` for a report made from `madeFrom`, or fails with the reason (exit 74).
  func take(_ folder: String, madeFrom: String) throws -> OutputFolder {
    do {
      return try OutputFolder(folder, command: Self.commandLine, madeFrom: madeFrom, settings: settings)
    } catch {
      throw fail(ArsenalError.write(error), code: ArsenalError.write(error).exitCode)
    }
  }

  /// Options for the library: the same wait and message.
  func apply(to options: inout RunOptions) {
    options.write = settings
  }
}

/// Shell completion of the names a data set defines (`arsenal --generate-completion-script
/// bash|zsh|fish`, README): scenarios, comparisons and sweeps of the data set the command
/// line names with `--data`, else of the bundled one.
enum Completions {
  static let scenarios = CompletionKind.custom { words, _, prefix in
    names(words, prefix) { $0.scenarios.map(\.name) }
  }
  static let scenariosAndComparisons = CompletionKind.custom { words, _, prefix in
    names(words, prefix) { $0.scenarios.map(\.name) + $0.comparisons.map(\.name) }
  }
  static let sweeps = CompletionKind.custom { words, _, prefix in names(words, prefix) { $0.sweeps.map(\.name) } }
  static let investments = CompletionKind.custom { words, _, prefix in
    names(words, prefix) { $0.investments.map(\.name) }
  }
  static let risks = CompletionKind.custom { words, _, prefix in names(words, prefix) { $0.risks.map(\.name) } }
  static let hedges = CompletionKind.custom { words, _, prefix in names(words, prefix) { $0.hedges.map(\.name) } }

  /// The names `pick` takes from the data set, those starting with `prefix` (none when the
  /// data set does not load: completion never prints errors).
  static func names(_ words: [String], _ prefix: String, _ pick: (DataSet) -> [String]) -> [String] {
    var folder = DataOptions.bundled
    if let i = words.firstIndex(of: "--data"), i + 1 < words.count { folder = words[i + 1] }
    guard let set = try? Arsenal.load(folder) else { return [] }
    return pick(set).filter { $0.hasPrefix(prefix) }
  }
}

/// Progress of a long command on standard error.
enum Progress {
  /// A reporter that redraws "COMMAND: done/total NOUN, rate NOUN/s, about N s left" in place.
  static func line(command: String, noun: String) -> @Sendable (Int, Int, Double) -> Void {
    { done, total, seconds in
      let rate = seconds > 0 ? Double(done) / seconds : 0
      let left = rate > 0 ? Double(total - done) / rate : 0
      let text =
        "\r\(command): \(done)/\(total) \(noun), \(Fmt.plain(rate, decimals: 1)) \(noun)/s, about "
        + "\(Fmt.plain(left.rounded(), decimals: 0)) s left   "
      FileHandle.standardError.write(Data(text.utf8))
    }
  }
}
