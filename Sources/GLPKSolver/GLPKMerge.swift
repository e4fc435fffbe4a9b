import CGLPK
import Foundation
import LinearProgram

/// The program's identical columns (`IdenticalColumns`), each group as one column.
struct MergedColumns {
  /// The merged program's column of each column that stands alone or heads its group; `-1`
  /// for the other parts.
  let columnOf: [Int32]
  /// How many columns the merged program has.
  let count: Int
  /// The groups, and each group's merged column.
  let groups: [(columns: [Int], merged: Int)]
  /// The bounds of the merged columns that stand for groups: `0 … Σ u`.
  let bounds: [Int: Bounds]

  init?(_ program: LinearProgram) {
    let identical = IdenticalColumns(program)
    guard identical.merged > 0 else { return nil }
    var head = [Int](repeating: -1, count: program.numberOfColumns)
    for group in identical.groups { for j in group { head[j] = group[0] } }
    var columnOf = [Int32](repeating: -1, count: program.numberOfColumns)
    var count = 0
    for j in 0..<program.numberOfColumns where head[j] < 0 || head[j] == j {
      columnOf[j] = Int32(count)
      count += 1
    }
    var groups: [(columns: [Int], merged: Int)] = []
    var bounds: [Int: Bounds] = [:]
    for group in identical.groups {
      let c = Int(columnOf[group[0]])
      groups.append((group, c))
      bounds[c] = .between(0, group.reduce(0) { $0 + program.columnBounds[$1].upper })
    }
    self.columnOf = columnOf
    self.count = count
    self.groups = groups
    self.bounds = bounds
  }

  /// The merged program's column that column `j` of the program is loaded as, `nil` for a
  /// part that is not its group's first.
  func column(of j: Int) -> Int? { columnOf[j] < 0 ? nil : Int(columnOf[j]) }

  /// The bounds of merged column `c` when it stands for a group.
  func bounds(of c: Int) -> Bounds? { bounds[c] }
}

extension GLPKProblem {
  /// A cold, presolved solve with identical columns merged (docs/PERFORMANCE.md, "Identical
  /// columns merged").
  ///
  /// The merged program is solved in a GLPK object of its own with `options`, and its
  /// optimal basis, each merged column's status split over its parts
  /// (`IdenticalColumns.split`), is set on `p`. The solve of `p` that follows starts at an
  /// optimum and only confirms it. Returns the merged solve's iterations and seconds and
  /// whether it set a basis, or `nil` when no columns merge. A merged solve that does not end
  /// optimal sets nothing: `p` is then solved as it would have been.
  func solveMerged(_ p: OpaquePointer, _ options: SolverOptions) -> (iterations: Int, seconds: Double, optimal: Bool)? {
    guard program.numberOfRows > 0, let merging = MergedColumns(program), let q = glp_create_prob() else {
      return nil
    }
    defer { glp_delete_prob(q) }
    let started = DispatchTime.now().uptimeNanoseconds
    // `p` is emptied while the merged program is solved, so that the two are never in memory
    // together, and loaded again after (its scale factors come from the cache).
    glp_erase_prob(p)
    fill(q, merging: merging)
    if scaling != .none { glp_scale_prob(q, scaling.flags) }
    options.tuning.applyFactorization(to: q)
    var parm = simplexParameters(options, method: options.method, presolve: true)
    let ret = glp_simplex(q, &parm)
    let iterations = Int(glp_get_it_cnt(q))
    let optimal = ret == 0 && glp_get_status(q) == GLP_OPT
    glp_set_prob_name(p, program.name)
    fill(p, merging: nil)
    scale(p)
    named = false
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    guard optimal else { return (iterations, seconds, false) }
    for i in 1...Int32(program.numberOfRows) { glp_set_row_stat(p, i, glp_get_row_stat(q, i)) }
    for j in 0..<program.numberOfColumns {
      let c = merging.columnOf[j]
      if c >= 0 && merging.bounds(of: Int(c)) == nil { glp_set_col_stat(p, Int32(j + 1), glp_get_col_stat(q, c + 1)) }
    }
    for (columns, c) in merging.groups {
      let parts = IdenticalColumns.split(
        status: Self.status(glp_get_col_stat(q, Int32(c + 1))), value: glp_get_col_prim(q, Int32(c + 1)),
        uppers: columns.map { program.columnBounds[$0].upper })
      for (j, s) in zip(columns, parts) { glp_set_col_stat(p, Int32(j + 1), Self.glpkStatus(s)) }
    }
    return (iterations, seconds, true)
  }
}
