import Formulation
import PlanningModel

/// One raw-material chain: a material bought from markets, what is made of it and the end
/// items it reaches, with whether it limits the plan.
public struct SupplyChain: Sendable, Hashable {
  /// The material bought from markets (the chain's root).
  public let root: ItemIndex
  /// Other materials made from it on some producer's route (nitrocellulose from linters).
  public let madeInto: [ItemIndex]
  /// The end items it reaches, in index order.
  public let endItems: [ItemIndex]
  /// The largest share of a market supply of the root bought over the horizon (0 when no
  /// market offers any).
  public let mostUsed: Double
  /// Periods in which some market supply of the root was bought up.
  public let exhausted: [Int]
  /// Ranks (1-based, in the bottleneck table) of the bottlenecks on the chain: a market
  /// supply of the root, or a producer's capacity for a material made from it on that
  /// producer's route (a pulp-fed nitrocellulose line is on the pulp chain, not the linters').
  public let bottlenecks: [Int]
  /// Whether one of them is a market supply of the root itself: else the chain binds only
  /// through a plant making something of the material, which is not short.
  public let supplyBinds: Bool

  /// Whether the chain binds: relaxing one of its limits covers more demand.
  public var binds: Bool { !bottlenecks.isEmpty }
}

extension PlanAnalysis {
  /// The raw-material chains, in the order of their roots (docs/OUTPUTS.md, "Materials").
  ///
  /// A chain binds when a bottleneck of the relaxation analysis (a limit whose planner-sized
  /// step covers more demand, measured by re-solving) lies on it: a market supply of its
  /// root, or a producer's capacity for a material made from the root. A supply bought up
  /// that is not a bottleneck does not bind: relaxing it covers nothing more.
  public var supplyChains: [SupplyChain] {
    let m = model
    let roots = Set(m.markets.flatMap { $0.supplies.map(\.item) }).sorted()
    // Each bottleneck on a material: the item it limits and, for a producer's line, the
    // inputs of its route.
    let onMaterials: [(rank: Int, items: [ItemIndex], inputs: [ItemIndex]?)] = relaxation.bottlenecks.enumerated()
      .compactMap { n, b in
        guard case .limit(let subject) = b.candidate.subject else { return nil }
        switch subject {
        case .market(let mi, let s): return (n + 1, [m.markets[mi].supplies[s].item], nil)
        case .marketWhole(let mi, let supplies): return (n + 1, supplies.map { m.markets[mi].supplies[$0].item }, nil)
        case .product(let p, let k):
          let product = m.producers[p].products[k]
          return (n + 1, [product.item], m.inputs(of: product).map(\.item))
        default: return nil
        }
      }
    return roots.map { root in
      let reached = m.itemsMade(from: root)
      let materials = reached.filter { $0 == root || m.items[$0].kind == .material }
      let uses = self.materials.filter { m.markets[$0.market].supplies[$0.supply].item == root }
      let exhausted = Set(uses.flatMap(\.exhausted)).sorted()
      let mostUsed = uses.map { $0.limit > 0 ? $0.bought / $0.limit : 0 }.max() ?? 0
      let on = onMaterials.filter { b in
        guard let inputs = b.inputs else { return b.items.contains(root) }
        return b.items.contains(root)
          || (b.items.contains { materials.contains($0) } && inputs.contains { reached.contains($0) })
      }
      return SupplyChain(
        root: root, madeInto: materials.filter { $0 != root }.sorted(),
        endItems: reached.filter { m.items[$0].kind == .end }.sorted(), mostUsed: mostUsed, exhausted: exhausted,
        bottlenecks: on.map(\.rank), supplyBinds: on.contains { $0.inputs == nil })
    }
  }
}
