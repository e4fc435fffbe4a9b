import Formulation
import LinearProgram
import PlanningModel

/// A component or material a step moves from one product to another: how a limit on one
/// item covers demand for an unrelated one (more 152 mm rounds bought outside Europe free
/// nitrocellulose from 152 mm charges for 155 mm charges).
public struct InputShift: Sendable, Hashable {
  /// The component or material moved.
  public let input: ItemIndex
  /// The product that draws less of it (the largest such fall).
  public let from: ItemIndex
  /// The product that draws more of it (the largest such rise), on the covered item's chain.
  public let to: ItemIndex
  /// Units of the input moved over the horizon: what products off the covered item's chain
  /// draw less, up to what products on it draw more.
  public let units: Double
}

/// What the production columns draw of each input, summed by (input, product item) over
/// producers and periods: moves between makers or months of one product cancel, as they
/// may go either way at the cost stage a breakdown is read at.
struct InputColumns {
  struct Pair: Hashable {
    let input: ItemIndex
    let product: ItemIndex
  }

  /// The (input, product) pairs, in order of their first column.
  let pairs: [Pair]
  private let positions: [Int32]
  /// Per column, where its draws start in `slots` and `quantities` (one more entry at the end).
  private let starts: [Int32]
  /// Each draw's pair and quantity per unit made.
  private let slots: [Int32]
  private let quantities: [Double]

  var columns: [ColumnID] { positions.map { ColumnID(Int($0)) } }

  init(_ f: Formulation) {
    let m = f.model
    var positions: [Int32] = []
    var starts: [Int32] = [0]
    var slots: [Int32] = []
    var quantities: [Double] = []
    var pairs = Slots<Pair>()
    for (j, role) in f.columnRoles.enumerated() {
      guard case .production(let p, let k, _) = role else { continue }
      let product = m.producers[p].products[k]
      let lines = m.inputs(of: product)
      guard !lines.isEmpty else { continue }
      positions.append(Int32(truncatingIfNeeded: j))
      for line in lines {
        slots.append(pairs.slot(Pair(input: line.item, product: product.item)))
        quantities.append(line.quantity)
      }
      starts.append(Int32(slots.count))
    }
    self.pairs = pairs.keys
    self.positions = positions.withExactCapacity()
    self.starts = starts.withExactCapacity()
    self.slots = slots.withExactCapacity()
    self.quantities = quantities.withExactCapacity()
  }

  /// Units of each pair's input drawn, by `pairs`, from the columns' values (in `columns`'
  /// order).
  func usage(_ values: ArraySlice<Double>) -> [Double] {
    var out = [Double](repeating: 0, count: pairs.count)
    for n in positions.indices {
      let made = values[values.startIndex + n]
      guard made != 0 else { continue }
      for d in Int(starts[n])..<Int(starts[n + 1]) { out[Int(slots[d])] += made * quantities[d] }
    }
    return out
  }

  /// The input a step moves onto the chain of `covered` (`chain`: it and every item that goes
  /// into it) from products off it, if one does materially (`delta`: usage more in the
  /// relaxed plan, by `pairs`; `base`: the plan's).
  ///
  /// For each input of the covered item's chain, what products on the chain draw more and
  /// what products off it draw less; the input moved is the smaller of the two, and it must
  /// supply at least half of what the chain draws more — the rest of a rise may be stock the
  /// cost stage makes at no cost. Of several, the one whose move is the largest share of its
  /// use in the plan.
  func shift(delta: [Double], base: [Double], covered: ItemIndex, chain: EntitySet<Item>) -> InputShift? {
    var onChain: [ItemIndex: (total: Double, best: Double, to: ItemIndex?)] = [:]
    var offChain: [ItemIndex: (total: Double, best: Double, from: ItemIndex?)] = [:]
    var used: [ItemIndex: Double] = [:]
    for (slot, pair) in pairs.enumerated() where chain.contains(pair.input) && pair.input != covered {
      used[pair.input, default: 0] += base[slot]
      let d = delta[slot]
      if chain.contains(pair.product) {
        guard d > 0 else { continue }
        var e = onChain[pair.input] ?? (0, 0, nil)
        e.total += d
        if d > e.best { (e.best, e.to) = (d, pair.product) }
        onChain[pair.input] = e
      } else {
        guard d < 0 else { continue }
        var e = offChain[pair.input] ?? (0, 0, nil)
        e.total -= d
        if -d > e.best { (e.best, e.from) = (-d, pair.product) }
        offChain[pair.input] = e
      }
    }
    var best: (share: Double, shift: InputShift)?
    for input in onChain.keys.sorted() {
      guard let on = onChain[input], let off = offChain[input], let to = on.to, let from = off.from else { continue }
      let moved = min(on.total, off.total)
      let total = used[input] ?? 0
      guard moved >= 0.5 * on.total, total > 0, moved > 1e-6 * total else { continue }
      let share = moved / total
      if share > (best?.share ?? 0) {
        best = (share, InputShift(input: input, from: from, to: to, units: Allocation.measured(moved, 6)))
      }
    }
    return best?.shift
  }

  /// The items a limit is on: what raising it makes more of directly (none for budgets,
  /// routes, quotas and fleets, whose reach is not one item's chain).
  static func items(of subject: Limit.Subject, model m: PlanningModel) -> [ItemIndex] {
    switch subject {
    case .product(let p, let k): return [m.producers[p].products[k].item]
    case .line(let p, let l): return m.producers[p].lines[l].usage.map(\.item)
    case .market(let mi, let s): return [m.markets[mi].supplies[s].item]
    case .marketWhole(let mi, let supplies): return supplies.map { m.markets[mi].supplies[$0].item }
    case .expansion(let p, let e):
      switch m.producers[p].expansions[e].target {
      case .item(let k): return [m.producers[p].products[k].item]
      case .line(let l): return m.producers[p].lines[l].usage.map(\.item)
      }
    case .funder, .route, .quota, .investment, .fleet: return []
    }
  }
}
