import Formulation
import LinearProgram

extension PlanResult {
  /// Path `p`'s plan within a solved deterministic equivalent: its columns and rows read
  /// from the joined solution, each stage's objective evaluated on its own (duals divided by
  /// the path's probability, so that they are the path's own).
  public func path(_ p: Int, of de: DeterministicEquivalent) -> PlanResult {
    let f = de.paths[p]
    guard let joined = solution, allocation != nil else {
      return PlanResult(
        formulation: f, stages: [], marginals: [], duals: [], allocation: nil, solution: nil, warm: warm)
    }
    let columns = de.columns[p]
    let rows = de.rows[p]
    let weight = de.probabilities[p] > 0 ? de.probabilities[p] : 1
    func pick<T>(_ values: [T], _ at: [Int], _ fallback: T) -> [T] {
      at.map { $0 < values.count ? values[$0] : fallback }
    }
    let x = pick(joined.columnValues, columns, 0)
    let y = pick(joined.rowActivities, rows, 0)
    let solution = LPSolution(
      objective: 0, columnValues: x, rowActivities: y,
      rowDuals: pick(joined.rowDuals, rows, 0).map { $0 / weight },
      reducedCosts: pick(joined.reducedCosts, columns, 0).map { $0 / weight },
      rowStatus: joined.rowStatus.isEmpty ? [] : pick(joined.rowStatus, rows, .basic),
      columnStatus: joined.columnStatus.isEmpty ? [] : pick(joined.columnStatus, columns, .basic))
    let stages = zip(stages, f.stages).map { r, stage in
      let value = Optimizer.evaluate(stage, at: x)
      return StageResult(
        stage: stage, outcome: r.outcome, objective: value, optimum: value, degenerate: r.degenerate, seconds: 0)
    }
    return PlanResult(
      formulation: f, stages: stages, marginals: [], duals: [],
      allocation: Allocation(
        formulation: f, columnValues: x, rowActivities: y), solution: solution, warm: warm)
  }
}
