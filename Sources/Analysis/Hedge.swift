import Formulation
import PlanningModel

/// A hedge's plans, each evaluated on every path (docs/MODEL.md, "Hedged plans").
public struct HedgeOutcome: Sendable {
  /// Which plan a row of the comparison is.
  public enum Plan: Sendable, Hashable {
    /// One first stage for all paths, chosen for the weighted paths.
    case hedged
    /// The first stage of the plan for one path alone (the most likely), every path's best
    /// recourse after it.
    case bet(path: Int)
    /// The first stage of the plan for the paths' mean demand and targets, every path's best
    /// recourse after it.
    case meanDemand
    /// Each path planned alone, knowing it from the start (wait and see).
    case perfectInformation
  }

  /// One plan on every path.
  public struct Evaluated: Sendable {
    /// Which plan.
    public let plan: Plan
    /// Its analysis on each path, in the study's path order.
    public let paths: [PlanAnalysis]

    /// A plan's analyses on the paths.
    public init(plan: Plan, paths: [PlanAnalysis]) {
      self.plan = plan
      self.paths = paths
    }
  }

  /// Sizes of the programs solved.
  public struct Sizes: Sendable, Hashable {
    /// Rows, columns and non-zeros of each path's own program.
    public let path: [Int]
    /// Rows, columns and non-zeros of the joined program.
    public let joined: [Int]
    /// Shared first-stage columns.
    public let shared: Int
    /// First-stage columns held at zero (some path lacks them).
    public let heldAtZero: Int

    /// The sizes.
    public init(path: [Int], joined: [Int], shared: Int, heldAtZero: Int) {
      self.path = path
      self.joined = joined
      self.shared = shared
      self.heldAtZero = heldAtZero
    }
  }

  /// The question (paths, probabilities and first periods as solved).
  public let study: HedgeStudy
  /// The plans: hedged, the bet on the most likely path, the mean-demand plan (when the paths
  /// differ only in demand and targets) and perfect information.
  public let plans: [Evaluated]
  /// Why the mean-demand plan is missing, if it is.
  public let meanDemandMissing: String?
  /// Program sizes.
  public let sizes: Sizes

  /// An outcome.
  public init(study: HedgeStudy, plans: [Evaluated], meanDemandMissing: String?, sizes: Sizes) {
    self.study = study
    self.plans = plans
    self.meanDemandMissing = meanDemandMissing
    self.sizes = sizes
  }

  /// The most likely path (the first of equal probability).
  public var mostLikely: Int {
    study.probabilities.indices.max { (study.probabilities[$0], -$0) < (study.probabilities[$1], -$1) } ?? 0
  }

  /// A plan's evaluation, if it was made.
  public func evaluated(_ plan: Plan) -> Evaluated? { plans.first { $0.plan == plan } }
}
