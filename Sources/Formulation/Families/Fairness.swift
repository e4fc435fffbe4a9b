import LinearProgram
import PlanningModel

/// Fairness among consumers of equal priority (docs/MODEL.md, "Fairness and the canonical plan").
///
/// The shortfall stages value a round missing at one of them exactly as at another, so any
/// split of a scarce item between them is optimal; left alone, the simplex path would
/// choose. Consumers of one class whose shortfall (or target gap) columns carry the same
/// penalty for the same demand and period form a group; the fairness stage minimises each
/// member's deviation from a common gap fraction ḡ:
///
///   d_k ≥ v_k − ḡ L_k,  d_k ≥ ḡ L_k − v_k,  minimise Σ_G Σ_k d_k / Σ_k L_k
///
/// so that, where the data allow it, every member misses the same share of its need.
struct Fairness {
  /// The block the fairness stage appends.
  var columns: [LinearProgram.NewColumn] = []
  var rows = LinearProgram.NewRows()
  /// Roles of the block's columns.
  var roles: [ColumnRole] = []
  /// Objective terms of the fairness stage.
  var objective: [Term] = []
  private let firstColumn: Int
  private var groups = 0

  private struct GroupKey: Hashable {
    let consumerClass: ConsumerClass
    let weight: Double
    let share: ShareKey
  }

  init(_ ctx: FormulationContext, penalties: [Penalty], firstColumn: Int) throws(LPError) {
    self.firstColumn = firstColumn
    let m = ctx.model
    var order: [GroupKey] = []
    var members: [GroupKey: [Penalty]] = [:]
    for p in penalties where p.level > 0 {
      let key = GroupKey(consumerClass: m.consumers[p.consumer].consumerClass, weight: p.weight, share: p.share)
      if members[key] == nil { order.append(key) }
      members[key, default: []].append(p)
    }
    for key in order {
      guard let group = members[key], group.count >= 2 else { continue }
      try add(ctx, key: key, group: group)
    }
  }

  private mutating func column(_ name: String, _ role: ColumnRole, bounds: Bounds) -> Int {
    columns.append(LinearProgram.NewColumn(name: name, bounds: bounds))
    roles.append(role)
    return firstColumn + columns.count - 1
  }

  private mutating func add(_ ctx: FormulationContext, key: GroupKey, group: [Penalty]) throws(LPError) {
    let m = ctx.model
    let g = groups
    groups += 1
    let what: String
    switch key.share.kind {
    case .demand(let d): what = "\(m.id(of: d)),d"
    case .target(let i): what = "\(m.items[i].id),t"
    }
    let label = "\(key.consumerClass.rawValue),\(what),\(ctx.labels[key.share.period]),\(g)"
    let share = column("share[\(label)]", .equalShare(group: g), bounds: .between(0, 1))
    let total = group.reduce(0) { $0 + $1.level }
    for (n, member) in group.enumerated() {
      let consumer = m.consumers[member.consumer].id
      let d = column("dev[\(consumer),\(label)]", .shareDeviation(group: g, member: n), bounds: .nonNegative)
      objective.append(Term(column: d, coefficient: 1 / total))
      let v = member.column.index
      try rows.append(
        LinearProgram.NewRow(
          name: "devhi[\(consumer),\(label)]", bounds: .atLeast(0),
          terms: [
            Term(column: d, coefficient: 1), Term(column: v, coefficient: -1),
            Term(column: share, coefficient: member.level),
          ]))
      try rows.append(
        LinearProgram.NewRow(
          name: "devlo[\(consumer),\(label)]", bounds: .atLeast(0),
          terms: [
            Term(column: d, coefficient: 1), Term(column: v, coefficient: 1),
            Term(column: share, coefficient: -member.level),
          ]))
    }
  }
}

/// The tie-break stage's objective: every column weighted by a number in [1, 2) derived from
/// its name (FNV-1a).
///
/// With every earlier stage held, this generic direction leaves exactly one optimal plan,
/// the same whatever the solver's path, the warm start or the order of the input files
/// (names are built from ids, not positions).
package enum TieBreak {
  static func objective(_ names: [String]) -> [Term] {
    names.indices.map { j in Term(column: j, coefficient: weight(names[j])) }
  }

  /// 1 + the top 53 bits of the name's FNV-1a hash, mixed by SplitMix64's finalizer, as a
  /// fraction.
  ///
  /// FNV-1a alone is not generic enough: its top bits add up field by field, so shipping x
  /// from plant A to consumer 1 and from plant B to consumer 2, instead of A to 2 and B to 1,
  /// cost exactly the same tie-break whenever the names' low bytes met (one swap in 50 to 800
  /// on names like Arsenal's), and the solver's path chose among those plans. The finalizer
  /// spreads every input bit over all output bits.
  package static func weight(_ name: String) -> Double {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in name.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01b3
    }
    h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
    h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
    h ^= h >> 31
    return 1 + Double(h >> 11) / Double(1 << 53)
  }
}
