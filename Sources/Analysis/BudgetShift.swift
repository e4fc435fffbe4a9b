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
  /// The item it gets less of (the step's largest loss by value).
  public let from: ItemIndex
  /// The item the money goes to instead: the largest rise in what the funder's consumers are
  /// paid more for.
  public let to: ItemIndex
  /// EUR moved over the horizon: what the lost item's deliveries to the consumer cost less
  /// (other items delivered to the funder's consumers cost at least as much more).
  public let euros: Double
}

extension BudgetShift {
  /// What each funder paid for each consumer's deliveries of each item in the plan, in units
  /// (a shipment's quantity times each funder's share of its cost).
  struct Payers {
    private var paid: [MoneyColumns.ConsumerItem: [FunderIndex: Double]] = [:]

    init(_ a: Allocation) {
      for s in a.shipments where !s.funders.isEmpty {
        let pair = MoneyColumns.ConsumerItem(consumer: s.consumer, item: s.item)
        for part in s.funders { paid[pair, default: [:]][part.funder, default: 0] += part.share * s.quantity }
      }
    }

    /// The funders of a consumer's deliveries of an item, most paid first (ties by index).
    func of(_ consumer: ConsumerIndex, _ item: ItemIndex) -> [FunderIndex] {
      let byFunder = paid[MoneyColumns.ConsumerItem(consumer: consumer, item: item)] ?? [:]
      return byFunder.keys.sorted { (byFunder[$0] ?? 0, $1) > (byFunder[$1] ?? 0, $0) }
    }
  }

  /// The budget through which a step's largest loss comes, if one does (docs/MODEL.md,
  /// "Through which budget"): the loser's deliveries of the lost item cost less; the funder
  /// that paid most for them has no money left in the plan (`BudgetUse.binding`); and other
  /// items delivered to consumers the funder pays for cost at least as much more.
  static func find(
    _ b: Bottleneck, byPair: [MoneyColumns.ConsumerItem: Double], payers: Payers, budgets: [BudgetUse],
    model m: PlanningModel
  ) -> BudgetShift? {
    guard let loss = b.losses.min(by: { ($0.value, $0.consumer) < ($1.value, $1.consumer) }),
      let item = Bottleneck.item(loss.what)
    else { return nil }
    let freed = -(byPair[MoneyColumns.ConsumerItem(consumer: loss.consumer, item: item)] ?? 0)
    guard freed > 0 else { return nil }
    let binding = Set(budgets.filter { !$0.binding.isEmpty }.map(\.funder))
    guard let funder = payers.of(loss.consumer, item).first(where: { binding.contains($0) }) else { return nil }
    let paysFor = m.funders[funder].paysFor.consumers
    // In a fixed order, so that the sum is the same on every run.
    let gains = byPair.filter { $0.value > 0 && $0.key.item != item && paysFor.contains($0.key.consumer) }
      .sorted { ($0.key.item, $0.key.consumer) < ($1.key.item, $1.key.consumer) }
    let more = gains.reduce(0) { $0 + $1.value }
    // The largest rise; of equal ones, the first in that order.
    let to = gains.max { $0.value < $1.value || ($0.value == $1.value && $0.key.item > $1.key.item) }
    // All the money freed must be spent on other items: a budget with no money left spends
    // what one item no longer needs on another. Where less is, the loss has another cause (an
    // input both items draw) and the money only follows it.
    guard let to, more >= freed * (1 - 1e-6) else { return nil }
    return BudgetShift(funder: funder, consumer: loss.consumer, from: item, to: to.key.item, euros: freed)
  }
}
