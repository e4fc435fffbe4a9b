import Formulation
import PlanningModel

/// Money a step moves inside a budget with none left: how a limit on one item costs a
/// consumer another (more mortar bombs for the Reassurance Force, bought with money its
/// coalition budget had spent on PAC-3 missiles).
public struct BudgetShift: Sendable, Hashable {
  /// The funder whose budget binds in the plan.
  public let funder: FunderIndex
  /// The consumer that loses.
  public let consumer: ConsumerIndex
  /// The loss: its demand or stockpile (the step's largest loss by value).
  public let what: RelaxationEffect.What
  /// The item it gets less of.
  public let from: ItemIndex
  /// The item the money goes to instead: of the other items delivered to the funder's
  /// consumers, the one that costs most more.
  public let to: ItemIndex
  /// EUR moved over the horizon: what the lost item's deliveries to the consumer cost less
  /// (other items delivered to the funder's consumers cost at least as much more).
  public let euros: Double

  /// Whether the loss is of stock held against a target, not of consumption.
  public var isStockpile: Bool {
    if case .stockpile = what { return true }
    return false
  }
}

extension BudgetShift {
  /// The funders that paid for each consumer's deliveries in the plan (any share of any
  /// shipment's cost).
  struct Payers {
    private var funders: [ConsumerIndex: Set<FunderIndex>] = [:]

    init(_ a: Allocation) {
      for s in a.shipments where !s.funders.isEmpty {
        for part in s.funders where part.share > 0 { funders[s.consumer, default: []].insert(part.funder) }
      }
    }

    /// The one funder that paid for all of a consumer's deliveries, if one did.
    func sole(_ consumer: ConsumerIndex) -> FunderIndex? {
      guard let all = funders[consumer], all.count == 1 else { return nil }
      return all.first
    }
  }

  /// The budget through which a step's largest loss comes, if one does (docs/MODEL.md,
  /// "Through which budget"): one funder paid for all the loser's deliveries in the plan and
  /// has no money left in some period (`BudgetUse.binding`); the lost item's deliveries to the
  /// loser cost less; and other items delivered to consumers the funder pays for cost at
  /// least as much more.
  ///
  /// One payer makes the money freed that funder's: with several, which of them saves is not
  /// in the breakdown's sums.
  static func find(
    _ b: Bottleneck, byPair: [MoneyColumns.ConsumerItem: Double], payers: Payers, budgets: [BudgetUse],
    model m: PlanningModel
  ) -> BudgetShift? {
    guard let loss = b.losses.min(by: { ($0.value, $0.consumer, $0.what) < ($1.value, $1.consumer, $1.what) }),
      let item = Bottleneck.item(loss.what), let funder = payers.sole(loss.consumer),
      budgets.contains(where: { $0.funder == funder && !$0.binding.isEmpty })
    else { return nil }
    let freed = -(byPair[MoneyColumns.ConsumerItem(consumer: loss.consumer, item: item)] ?? 0)
    guard freed > 0 else { return nil }
    let paysFor = m.funders[funder].paysFor.consumers
    // What other items cost more, by item over the funder's consumers, in a fixed order so
    // that the sums are the same on every run.
    var more: [ItemIndex: Double] = [:]
    let pairs = byPair.keys.filter { $0.item != item && paysFor.contains($0.consumer) }
      .sorted { ($0.item, $0.consumer) < ($1.item, $1.consumer) }
    for pair in pairs { more[pair.item, default: 0] += byPair[pair] ?? 0 }
    let rises = more.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    // All the money freed must be spent on other items: a budget with no money left spends
    // what one item no longer needs on another. Where less is, the loss has another cause (an
    // input both items draw) and the money only follows it.
    guard let to = rises.first, rises.reduce(0, { $0 + $1.value }) >= freed * (1 - 1e-6) else { return nil }
    return BudgetShift(
      funder: funder, consumer: loss.consumer, what: loss.what, from: item, to: to.key, euros: freed)
  }
}
