import CGLPK
import Foundation
import LinearProgram

/// A `LinearProgram` loaded into GLPK, living on its own OS thread.
///
/// This file and its neighbours in `GLPKSolver` are the only code in Arsenal that calls
/// `glp_*`. Every index, bound and number is validated in Swift before it reaches C,
/// because GLPK reports misuse by calling `abort()`. The GLPK object is created, used and
/// deleted on one dedicated thread (see `ConfinedThread`); each public method hops onto that
/// thread and blocks until it is done, so instances are safe to share between tasks.
public final class GLPKProblem: @unchecked Sendable {
  let thread: ConfinedThread
  let logSink: LogSink
  // Everything below is touched only on `thread`.
  var prob: OpaquePointer?
  var program: LinearProgram
  /// True when the stored simplex solution is optimal for the program as it stands.
  var hasOptimalBasis = false
  /// Whether the last solve was interior point (its solution has no basis).
  var lastSolveWasInterior = false
  /// Whether a simplex solve has run (after which the stored basis is worth keeping).
  var simplexHasRun = false
  /// Whether GLPK has been given the names (see `nameEverything`).
  var named = false
  /// Scale factors computed before, by matrix (see `scale`).
  var scaleCache: [ScaleFactors] = []
  /// Rows or columns were removed since the matrix was last scaled (`scaleIfStale`).
  var scaleIsStale = false
  /// The matrix's hash at the row counts it has had, for `scale`'s fingerprint.
  var rowHashes = RowHashes()
  /// How the matrix is scaled, whenever it changes.
  public let scaling: GLPKTuning.Scaling

  /// The version of the GLPK library Arsenal is linked against, for example "5.0".
  public static var glpkVersion: String { String(cString: glp_version()) }

  /// Loads `program` into a new GLPK problem object on a new dedicated thread.
  ///
  /// The matrix is scaled by `scaling` (`GLPKTuning.Scaling.arsenal` by default). With `scalesOf`,
  /// the scale factors that problem computed are known here too (the same numbers, shared,
  /// not copied): a copy of a problem for a second worker neither scales its matrices again
  /// nor holds its own factors for them.
  public init(
    _ program: LinearProgram, scaling: GLPKTuning.Scaling = .arsenal, scalesOf other: GLPKProblem? = nil
  ) throws(GLPKError) {
    // GLPK indexes with Int32 and keeps 1-based arrays: refuse what does not fit.
    let limit = Int(Int32.max) - 1
    guard program.numberOfRows < limit, program.numberOfColumns < limit,
      program.numberOfNonZeros < limit
    else {
      throw .tooLarge(
        "\(program.numberOfRows) rows, \(program.numberOfColumns) columns, \(program.numberOfNonZeros) non-zeros")
    }
    let sink = LogSink()
    self.logSink = sink
    self.program = program
    self.scaling = scaling
    if let other, other.scaling == scaling { scaleCache = other.thread.sync { other.scaleCache } }
    let context = Unmanaged.passUnretained(sink).toOpaque()
    let contextBits = UInt(bitPattern: context)
    self.thread = ConfinedThread(
      name: "glpk",
      setUp: {
        // Terminal output is per thread: route it to this problem's sink, which discards
        // it unless a solve asked to capture it.
        let pointer = UnsafeMutableRawPointer(bitPattern: contextBits)
        glp_term_hook(
          { info, text in
            guard let info, let text else { return 1 }
            Unmanaged<LogSink>.fromOpaque(info).takeUnretainedValue().append(String(cString: text))
            return 1  // non-zero: GLPK prints nothing itself
          }, pointer)
      },
      tearDown: {
        // A thread that exits without this leaks GLPK's whole environment.
        glp_free_env()
      })
    thread.sync { [self] in load() }
  }

  deinit {
    thread.sync { [self] in
      if let prob { glp_delete_prob(prob) }
      prob = nil
    }
    thread.stop()
  }

  /// Runs `body` on this problem's thread, so that this problem's calls inside it run there
  /// directly rather than each being handed over and waited for.
  ///
  /// A staged solve makes a dozen calls a stage; one by one, each cost two thread wake-ups
  /// (futex calls were a sixth of a warm sweep's profile). The problem is busy for the whole
  /// of `body`: another thread's call to it waits until `body` returns.
  public func batch<T>(_ body: @escaping () throws(GLPKError) -> T) throws(GLPKError) -> T {
    let result: Result<T, GLPKError> = thread.sync {
      do throws(GLPKError) {
        return .success(try body())
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  // MARK: Loading

  func load() {
    guard let p = glp_create_prob() else { return }
    prob = p
    glp_set_prob_name(p, program.name)
    fill(p, merging: nil)
    // Scale once; GLPK keeps the factors for every later solve of this object.
    scale(p)
  }

  /// Loads the program into the empty GLPK object `p`: every column, or with each group of
  /// `merging` as one column bounded by the sum of its parts (`solveMerged`).
  func fill(_ p: OpaquePointer, merging: MergedColumns?) {
    glp_set_obj_dir(p, program.sense == .minimize ? GLP_MIN : GLP_MAX)
    glp_set_obj_coef(p, 0, program.objectiveConstant)
    let m = program.numberOfRows
    let n = merging?.count ?? program.numberOfColumns
    if m > 0 { glp_add_rows(p, Int32(m)) }
    if n > 0 { glp_add_cols(p, Int32(n)) }
    // Names are handed to GLPK only when a file needs them (`export`, the ranges report):
    // on large programs they would double the memory names take and slow the load.
    for i in 0..<m { setRowBounds(p, i, program.rowBounds[i]) }
    func target(_ j: Int) -> Int? {
      guard let merging else { return j }
      return merging.column(of: j)
    }
    for j in 0..<program.numberOfColumns {
      guard let c = target(j) else { continue }
      setColumnBounds(p, c, merging?.bounds(of: c) ?? program.columnBounds[j])
      glp_set_obj_coef(p, Int32(c + 1), program.objective[j])
    }
    var ia: [Int32] = [0]
    var ja: [Int32] = [0]
    var ar: [Double] = [0]
    // 1-based triplets; element 0 is ignored by GLPK. LPBuilder guarantees no repeats.
    ia.reserveCapacity(program.numberOfNonZeros + 1)
    ja.reserveCapacity(program.numberOfNonZeros + 1)
    ar.reserveCapacity(program.numberOfNonZeros + 1)
    for i in 0..<m {
      for k in program.rowStart[i]..<program.rowStart[i + 1] {
        guard let c = target(Int(program.entryColumn[k])) else { continue }
        ia.append(Int32(i + 1))
        ja.append(Int32(c + 1))
        ar.append(program.entryValue[k])
      }
    }
    if ar.count > 1 { glp_load_matrix(p, Int32(ar.count - 1), ia, ja, ar) }
  }

  /// The factors `glp_scale_prob` gives the loaded matrix (`scaling`).
  ///
  /// They depend on the matrix alone, so the factors computed for an equal matrix earlier are
  /// set again rather than recomputed: a staged solve re-appends the same held rows at every
  /// point of a sweep or risk study, and scaling the whole matrix each time cost about 5 % of
  /// a risk draw (docs/performance-history.md, "Optimal faces"). The factors set are the very numbers
  /// GLPK computed, so the solve is bit for bit the one a fresh scaling gives.
  func scale(_ p: OpaquePointer) {
    scaleIsStale = false
    let matrix = rowHashes.fingerprint(of: program)
    if let known = scaleCache.first(where: { $0.matrix == matrix }) {
      known.set(p)
      return
    }
    if scaling == .none {
      glp_unscale_prob(p)
      return
    }
    glp_scale_prob(p, scaling.flags)
    let factors = ScaleFactors(
      matrix: matrix,
      rows: (0..<program.numberOfRows).map { glp_get_rii(p, Int32($0 + 1)) },
      columns: (0..<program.numberOfColumns).map { glp_get_sjj(p, Int32($0 + 1)) })
    // A few matrices at most recur (the program with each stage's held rows).
    if scaleCache.count == 8 { scaleCache.removeFirst() }
    scaleCache.append(factors)
  }

  /// Scales the matrix as it now stands when rows or columns were removed since it was last
  /// scaled: GLPK keeps the factors of the larger matrix for what remains, so the plan's
  /// program after a staged solve's rows were removed was solved with other factors than the
  /// same program loaded afresh (an analysis worker's copy), and pivoted differently.
  func scaleIfStale(_ p: OpaquePointer) {
    if scaleIsStale { scale(p) }
  }

  func setRowBounds(_ p: OpaquePointer, _ i: Int, _ b: Bounds) {
    let (type, lb, ub) = Self.glpkBounds(b)
    glp_set_row_bnds(p, Int32(i + 1), type, lb, ub)
  }

  func setColumnBounds(_ p: OpaquePointer, _ j: Int, _ b: Bounds) {
    let (type, lb, ub) = Self.glpkBounds(b)
    glp_set_col_bnds(p, Int32(j + 1), type, lb, ub)
  }

  static func glpkBounds(_ b: Bounds) -> (Int32, Double, Double) {
    switch (b.lower.isFinite, b.upper.isFinite) {
    case (false, false): return (GLP_FR, 0, 0)
    case (true, false): return (GLP_LO, b.lower, 0)
    case (false, true): return (GLP_UP, 0, b.upper)
    case (true, true): return b.lower == b.upper ? (GLP_FX, b.lower, b.upper) : (GLP_DB, b.lower, b.upper)
    }
  }

  // MARK: What is loaded

  /// The program as currently loaded, including bound and objective changes.
  public var currentProgram: LinearProgram { thread.sync { [self] in program } }

  // MARK: Changes (kept structure, so the stored basis stays usable)

  /// Applies bound and objective changes; the stored basis is kept for a warm re-solve.
  public func apply(_ changes: LPChanges) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      guard let p = prob else { return .failure(.noOptimalBasis("a change")) }
      // Validated in full before anything changes, so a bad change leaves no partial update.
      do throws(LPError) {
        try program.apply(changes)
      } catch {
        return .failure(.invalidProgram(error))
      }
      for c in changes.rowBounds { setRowBounds(p, c.id.index, c.value) }
      for c in changes.columnBounds { setColumnBounds(p, c.id.index, c.value) }
      for c in changes.objective { glp_set_obj_coef(p, Int32(c.id.index + 1), c.value) }
      if !changes.isEmpty { hasOptimalBasis = false }
      return .success(())
    }
    try result.get()
  }

  /// Makes the loaded program equal to `newProgram`, which must have the same structure,
  /// by applying only the differing bounds and objective coefficients.
  ///
  /// Returns them.
  @discardableResult
  public func update(to newProgram: LinearProgram) throws(GLPKError) -> LPChanges {
    guard let changes = currentProgram.changes(to: newProgram) else { throw .structureMismatch }
    try apply(changes)
    return changes
  }

  /// Appends rows, keeping the basis: each new row's auxiliary variable enters as basic,
  /// so the next simplex call starts warm.
  public func appendRows(_ rows: [LinearProgram.NewRow]) throws(GLPKError) {
    let block: LinearProgram.NewRows
    do throws(LPError) {
      block = try LinearProgram.NewRows(rows)
    } catch {
      throw .invalidProgram(error)
    }
    try appendRows(block)
  }

  /// Appends rows, keeping the basis (see above).
  public func appendRows(_ rows: LinearProgram.NewRows) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      guard let p = prob, !rows.isEmpty else { return .success(()) }
      let first = program.numberOfRows
      do throws(LPError) {
        try program.append(rows)
      } catch {
        return .failure(.invalidProgram(error))
      }
      glp_add_rows(p, Int32(rows.count))
      for n in rows.indices {
        let i = first + n
        if named { glp_set_row_name(p, Int32(i + 1), rows.names[n]) }
        setRowBounds(p, i, rows.bounds[n])
        let range = program.rowStart[i]..<program.rowStart[i + 1]
        var ind = [Int32](repeating: 0, count: range.count + 1)
        var val = [Double](repeating: 0, count: range.count + 1)
        for (k, e) in range.enumerated() {
          ind[k + 1] = program.entryColumn[e] + 1
          val[k + 1] = program.entryValue[e]
        }
        glp_set_mat_row(p, Int32(i + 1), Int32(range.count), ind, val)
        glp_set_row_stat(p, Int32(i + 1), GLP_BS)
      }
      // New rows come unscaled; an objective held as a row mixes coefficients of every
      // magnitude, and left so it makes later bases ill-conditioned. Scaling depends only on
      // the matrix, so every path to the same program scales it the same way. (Equilibrating
      // just the new rows was measured: half the cost here, twice the iterations after.)
      scale(p)
      hasOptimalBasis = false
      return .success(())
    }
    try result.get()
  }

  /// Appends columns (bounds given, objective zero, no entries yet), keeping the basis:
  /// each new column enters non-basic at its lower bound.
  public func appendColumns(_ columns: [LinearProgram.NewColumn]) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      guard let p = prob, !columns.isEmpty else { return .success(()) }
      let first = program.numberOfColumns
      do throws(LPError) {
        try program.append(columns: columns)
      } catch {
        return .failure(.invalidProgram(error))
      }
      glp_add_cols(p, Int32(columns.count))
      for (n, c) in columns.enumerated() {
        let j = first + n
        if named { glp_set_col_name(p, Int32(j + 1), c.name) }
        setColumnBounds(p, j, c.bounds)
        glp_set_col_stat(
          p, Int32(j + 1), c.bounds.lower.isFinite ? GLP_NL : (c.bounds.upper.isFinite ? GLP_NU : GLP_NF))
      }
      hasOptimalBasis = false
      return .success(())
    }
    try result.get()
  }

  /// Removes every column after the first `count` (columns `appendColumns` added); the rows
  /// that used them must be removed first.
  ///
  /// Removed columns are non-basic when the basis comes from a stage that had them: call
  /// `restore` before solving again.
  public func keepColumns(_ count: Int) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      let n = program.numberOfColumns
      guard count >= 0 && count <= n else {
        return .failure(.invalidProgram(.indexOutOfRange(kind: .column, index: count, count: n)))
      }
      guard count < n, let p = prob else { return .success(()) }
      do throws(LPError) {
        try program.keepColumns(count)
      } catch {
        return .failure(.invalidProgram(error))
      }
      let doomed = (count + 1)...n
      var num = [Int32](repeating: 0, count: doomed.count + 1)
      for (k, j) in doomed.enumerated() { num[k + 1] = Int32(j) }
      glp_del_cols(p, Int32(doomed.count), num)
      // Scaled again before the next solve, once rows and columns are both back.
      scaleIsStale = true
      hasOptimalBasis = false
      return .success(())
    }
    try result.get()
  }

  /// Removes every row after the first `count` (rows `appendRows` added).
  ///
  /// Removed rows are basic, so the remaining basis stays valid.
  public func keepRows(_ count: Int) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      let m = program.numberOfRows
      guard count >= 0 && count <= m else {
        return .failure(.invalidProgram(.indexOutOfRange(kind: .row, index: count, count: m)))
      }
      guard let p = prob, count < m else { return .success(()) }
      let doomed = (count + 1)...m
      var num = [Int32](repeating: 0, count: doomed.count + 1)
      for (k, i) in doomed.enumerated() { num[k + 1] = Int32(i) }
      glp_del_rows(p, Int32(doomed.count), num)
      program.keepRows(count)
      scaleIsStale = true
      hasOptimalBasis = false
      return .success(())
    }
    try result.get()
  }

  // MARK: Basis

  /// The current basis, to restore later (for example one stage of a staged solve).
  public func basis() -> Basis {
    thread.sync { [self] in
      guard let p = prob else { return Basis(rowStatus: [], columnStatus: []) }
      return Basis(
        rowStatus: (0..<program.numberOfRows).map { Self.status(glp_get_row_stat(p, Int32($0 + 1))) },
        columnStatus: (0..<program.numberOfColumns).map { Self.status(glp_get_col_stat(p, Int32($0 + 1))) })
    }
  }

  /// Restores a basis saved from this problem; the next simplex solve starts from it.
  ///
  /// With `refactorizing`, the basis is factorized afresh here, so that the next solve starts
  /// from the same state whatever this object solved before. GLPK keeps its factorization when
  /// the restored statuses are the ones it holds; after pivots that came back to them, that
  /// is an updated factorization, its basic variables in another order, and the solve that
  /// follows can pivot differently from one on a copy of the problem.
  public func restore(_ basis: Basis, refactorizing: Bool = false) throws(GLPKError) {
    let result: Result<Void, GLPKError> = thread.sync { [self] in
      guard basis.rowStatus.count == program.numberOfRows else {
        return .failure(
          .invalidProgram(
            .lengthMismatch(
              what: "basis rows", expected: program.numberOfRows, actual: basis.rowStatus.count)))
      }
      guard basis.columnStatus.count == program.numberOfColumns else {
        return .failure(
          .invalidProgram(
            .lengthMismatch(
              what: "basis columns", expected: program.numberOfColumns, actual: basis.columnStatus.count)))
      }
      guard let p = prob else { return .success(()) }
      // GLPK adjusts a status that does not fit the variable's bounds; a wrong number of
      // basic variables makes the next solve report GLP_EBADB, which runSimplex repairs.
      for (i, s) in basis.rowStatus.enumerated() { glp_set_row_stat(p, Int32(i + 1), Self.glpkStatus(s)) }
      for (j, s) in basis.columnStatus.enumerated() { glp_set_col_stat(p, Int32(j + 1), Self.glpkStatus(s)) }
      if refactorizing {
        // The factors belong to the matrix as it stands; a basis GLPK cannot factorize is
        // left invalid, and the solve reports it as it would have.
        scaleIfStale(p)
        _ = glp_factorize(p)
      }
      hasOptimalBasis = false
      simplexHasRun = true
      return .success(())
    }
    try result.get()
  }

}

/// Collects GLPK's terminal output for one problem while a solve asks for it.
final class LogSink: @unchecked Sendable {
  private let lock = NSLock()
  var capturing = false
  var text = ""

  func start(capturing: Bool) {
    lock.lock()
    self.capturing = capturing
    text = ""
    lock.unlock()
  }

  func append(_ s: String) {
    lock.lock()
    if capturing { text += s }
    lock.unlock()
  }

  /// Stops capturing and returns what was captured.
  @discardableResult
  func stop() -> String {
    lock.lock()
    defer { lock.unlock() }
    capturing = false
    return text
  }
}

/// Row and column scale factors GLPK computed for one matrix.
///
/// Arsenal's scaling rounds every factor to a power of two (`GLPKTuning.Scaling.powersOfTwo`),
/// so such factors are kept as their exponents, a byte each instead of eight: as doubles the
/// cache held 12.4 MB at the peak of a one-worker run on generated large (docs/PERFORMANCE.md,
/// "Memory"). Factors of another scaling are kept as they are.
struct ScaleFactors {
  /// The matrix they were computed for.
  let matrix: MatrixFingerprint
  private let factors: Factors

  private enum Factors {
    case exponents(rows: [Int8], columns: [Int8])
    case values(rows: [Double], columns: [Double])
  }

  init(matrix: MatrixFingerprint, rows: [Double], columns: [Double]) {
    self.matrix = matrix
    if let r = Self.exponents(rows), let c = Self.exponents(columns) {
      factors = .exponents(rows: r, columns: c)
    } else {
      factors = .values(rows: rows, columns: columns)
    }
  }

  /// Whether they are kept a byte each.
  var asExponents: Bool {
    if case .exponents = factors { return true }
    return false
  }

  /// Sets them on `p`, whose matrix is `matrix`.
  func set(_ p: OpaquePointer) {
    switch factors {
    case .exponents(let r, let c):
      for (i, e) in r.enumerated() { glp_set_rii(p, Int32(i + 1), Self.power(e)) }
      for (j, e) in c.enumerated() { glp_set_sjj(p, Int32(j + 1), Self.power(e)) }
    case .values(let r, let c):
      for (i, f) in r.enumerated() { glp_set_rii(p, Int32(i + 1), f) }
      for (j, f) in c.enumerated() { glp_set_sjj(p, Int32(j + 1), f) }
    }
  }

  /// The exponents of `factors` when each is a power of two that a byte's exponent gives
  /// back exactly, else nil.
  static func exponents(_ factors: [Double]) -> [Int8]? {
    var out: [Int8] = []
    out.reserveCapacity(factors.count)
    for f in factors {
      guard f.isNormal, f > 0, f.significandBitPattern == 0, let e = Int8(exactly: f.exponent) else { return nil }
      out.append(e)
    }
    return out
  }

  /// 2 to the power `e`, exactly.
  static func power(_ e: Int8) -> Double { Double(sign: .plus, exponent: Int(e), significand: 1) }
}

/// A matrix known by its dimensions and a 64-bit hash of its pattern and values.
///
/// The scale cache kept a copy of each matrix it had scaled, to compare the next one with:
/// up to eight copies of the program, 8 MiB each on generated large (docs/performance-history.md,
/// "Memory, 2026-12-01"). Matrices with the same dimensions and hash are taken as equal; among the few
/// a problem scales (its program with each stage's held rows) a false match would need a
/// 64-bit collision between matrices of the same dimensions.
struct MatrixFingerprint: Equatable {
  let rows: Int
  let columns: Int
  let entries: Int
  let hash: UInt64
}

/// The hash of a program's matrix row by row, remembered at each row count it has had.
///
/// A staged solve appends a held row per stage and removes them all before the next point:
/// hashed afresh each time, the whole matrix was hashed four times a warm sweep point. Rows
/// below a remembered count never change (`GLPKProblem` only appends rows and removes the
/// last ones; bound and objective changes leave the matrix alone), so a fingerprint hashes
/// only the rows added since the nearest count at or below the current one.
struct RowHashes {
  static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15
  /// (rows hashed, hash state after them), by increasing row count; the first is (0, seed).
  private var marks: [(rows: Int, state: UInt64)] = [(0, RowHashes.seed)]

  mutating func fingerprint(of program: LinearProgram) -> MatrixFingerprint {
    let m = program.numberOfRows
    while let last = marks.last, last.rows > m { marks.removeLast() }
    var (r, h) = marks.last ?? (0, Self.seed)
    while r < m {
      let range = program.rowStart[r]..<program.rowStart[r + 1]
      IdenticalColumns.mix(&h, UInt64(range.count))
      for k in range {
        IdenticalColumns.mix(&h, UInt64(UInt32(bitPattern: program.entryColumn[k])))
        IdenticalColumns.mix(&h, program.entryValue[k].bitPattern)
      }
      r += 1
    }
    if marks.last?.rows != m { marks.append((m, h)) }
    return MatrixFingerprint(
      rows: m, columns: program.numberOfColumns, entries: program.entryValue.count, hash: h ^ (h >> 29))
  }
}
