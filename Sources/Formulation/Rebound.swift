import LinearProgram
import PlanningModel

extension Formulator {
  /// The formulation of `model`, made from `previous` by changing bounds alone, when `model`
  /// differs from `previous.model` only in capacities, market supply limits and budgets, each
  /// positive in the same periods (`PlanningModel.differsOnlyInLimits`); `nil` otherwise, or
  /// when `previous` was not built from its model alone (a shape, a hedge).
  ///
  /// These figures decide which columns and rows exist only through where they are positive,
  /// and enter the program only as the bounds of production and purchase columns and of
  /// `cap`, `line`, `market` and `budget` rows, through the bound functions of their families
  /// (Families/), which this reads too: so the program is the one `build` makes, and the
  /// stages, roles, limits and names stay `previous`'s. A sweep point over such a figure then
  /// costs no formulation (docs/PERFORMANCE.md, "Where a warm point's time goes");
  /// ReboundTests compare it with the formulation from scratch, field by field.
  static func rebound(_ previous: Formulation, to model: PlanningModel) -> Formulation? {
    guard previous.plain, model.differsOnlyInLimits(from: previous.model) else { return nil }
    let program = previous.program
    var changes = LPChanges()
    // A product that expansions can add to has a `cap` row; a supply that several pools
    // share, a `market` row: their columns are then unbounded above.
    var expandable = Set<Key>()
    var shared = Set<Key>()
    for (i, role) in previous.rowRoles.enumerated() where i < program.numberOfRows {
      let bounds: Bounds
      switch role {
      case .capacity(let p, let pk, let t):
        expandable.insert(Key(p.rawValue, pk.rawValue, t))
        bounds = Capacity.rowBounds(capacity: model.producers[p].products[pk].capacity[t])
      case .line(let p, let l, let t):
        bounds = SharedLines.rowBounds(capacity: model.producers[p].lines[l].capacity[t])
      case .marketSupply(let mi, let s, let t):
        shared.insert(Key(mi.rawValue, s.rawValue, t))
        bounds = Markets.rowBounds(limit: model.markets[mi].supplies[s].limit[t])
      case .budget(let f, let t):
        bounds = Budgets.rowBounds(budget: model.funders[f].budget[t])
      default:
        continue
      }
      if bounds != program.rowBounds[i] { changes.rowBounds.append(Change(RowID(i), bounds)) }
    }
    for (j, role) in previous.columnRoles.enumerated() where j < program.numberOfColumns {
      let bounds: Bounds
      switch role {
      case .production(let p, let pk, let t):
        bounds = Capacity.columnBounds(
          capacity: model.producers[p].products[pk].capacity[t],
          expandable: expandable.contains(Key(p.rawValue, pk.rawValue, t)))
      case .purchase(let mi, let s, _, let t):
        bounds = Markets.columnBounds(
          limit: model.markets[mi].supplies[s].limit[t], shared: shared.contains(Key(mi.rawValue, s.rawValue, t)))
      default:
        continue
      }
      if bounds != program.columnBounds[j] { changes.columnBounds.append(Change(ColumnID(j), bounds)) }
    }
    var next = program
    do throws(LPError) {
      try next.apply(changes)
    } catch {
      return nil
    }
    return previous.replacing(program: next, model: model, plain: true)
  }
}

/// An entity, one of its parts (a product, a supply) and a period.
private struct Key: Hashable {
  let entity: Int
  let part: Int
  let t: Int

  init(_ entity: Int, _ part: Int, _ t: Int) {
    self.entity = entity
    self.part = part
    self.t = t
  }
}
