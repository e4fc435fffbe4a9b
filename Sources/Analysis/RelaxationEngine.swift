import Formulation
import Foundation
import GLPKSolver
import LinearProgram
import Optimizer
import PlanningModel

extension RelaxationAnalysis {
  /// Measures what a planner-sized step of every binding limit buys (docs/MODEL.md,
  /// "Relaxation analysis").
  ///
  /// Every candidate's relaxed program is re-solved through the stages that decide
  /// coverage, warm from the plan's own bases: the fall of the policy's weighted shortfall
  /// is its value, canonical because each stage's optimum is unique. The best `detailed`
  /// are then re-solved through the cost stage for what they cover item by item and what
  /// they cost; the best `curveTop` at larger steps for the curve.
  ///
  /// `coldAfter`: how long a value's warm attempt may run, once every value has been taken,
  /// before its cold solve is started apart for the next worker free (by default a tenth of
  /// the first stage's cold solve: for a plan re-solved warm, as a sweep's points are, that of
  /// the cold solve its bases come from, not the warm re-solve's few milliseconds, after which
  /// nearly every attempt would start a cold solve for nothing); it changes when work starts,
  /// never what is measured.
  public static func run(
    _ plan: PlanResult, optimizer: Optimizer, settings: RelaxationSettings, detailed: Int = 10, workers: Int = 2,
    coldAfter: Double? = nil
  ) throws(GLPKError) -> RelaxationAnalysis {
    guard let solution = plan.solution, let allocation = plan.allocation else { return .none(settings) }
    let f = plan.formulation
    // Convexity: any optimal dual y bounds the gain of raising bounds by Δ by −y·Δ, so a
    // limit whose duals are zero in every stage that decides coverage gains nothing and
    // needs no re-solve (exactly, whatever the degeneracy).
    let binding = Self.candidates(f, solution: solution, allocation: allocation, settings: settings)
    var index: [LPVariable: Int] = [:]
    for (l, limit) in f.limits.enumerated() { index[limit.variable] = l }
    let candidates = binding.filter { Self.mayGain($0, index: index, plan.duals) }
    let run = Measurement(
      plan: plan, solution: solution, optimizer: optimizer, settings: settings, workers: workers,
      // Generous: about what a cold solve of these LPs takes (1.1-1.9 iterations a row), so
      // a relaxation that needs more is not a planner-sized step. Counted from the LP's size,
      // not the cold solve's own iterations, so that the presolver or a warm start, which
      // change the path, do not change what gets measured.
      limit: max(5_000, 2 * f.program.numberOfRows),
      coldAfter: coldAfter ?? (optimizer.coldFirstStageSeconds ?? plan.stages.first?.seconds ?? 0) / 10)

    let m = try run.all(candidates, detailed: detailed)
    // Supply chains second, only where no part alone gained anything (limits in series): a
    // chain of parts that each gain would be their sum at many steps, not a bottleneck.
    let valued = Set(m.valued.map(\.candidate.subject))
    let taken = Set(binding.map { Set($0.variables) })
    let chains = Self.supplyChains(binding, model: f.model, allocation: allocation)
    let series = chains.filter { c in
      guard case .chain(_, let parts) = c.subject else { return false }
      return parts.allSatisfy { !valued.contains(.limit($0)) } && !taken.contains(Set(c.variables))
        && Self.mayGain(c, index: index, plan.duals)
    }
    let s = series.isEmpty ? Measurement.Measured() : try run.all(series, detailed: series.count)
    let seconds = zip(m.seconds + [0, 0, 0], s.seconds + [0, 0, 0]).map { $0 + $1 }
    let phases = [
      RelaxationPhase(m.screened + s.screened, name: "values", seconds: seconds[0]),
      RelaxationPhase(m.chains + s.chains, name: "breakdowns", seconds: seconds[1]),
      RelaxationPhase(m.curves + s.curves, name: "curves", seconds: seconds[2]),
    ]
    let (singleBottlenecks, singleTradeOffs) = run.classify(m)
    let (chainBottlenecks, chainTradeOffs) = run.classify(s)
    let iterations = [m, s].reduce(0) { total, r in
      total + r.screened.reduce(0) { $0 + ($1?.iterations ?? run.limit) }
        + r.chains.reduce(0) { $0 + ($1?.iterations ?? 4 * run.limit) }
        + r.curves.reduce(0) { $0 + ($1?.iterations ?? run.limit) }
    }
    // Values are rounded to 6 digits: equal ones keep the fixed order of limits.
    let byValue = { (a: Bottleneck, b: Bottleneck) in
      a.value != b.value ? a.value > b.value : Self.precedes(a.candidate, b.candidate)
    }
    return RelaxationAnalysis(
      bottlenecks: (singleBottlenecks + chainBottlenecks).sorted(by: byValue),
      tradeOffs: singleTradeOffs + chainTradeOffs, unmeasured: m.unmeasured + s.unmeasured, binding: binding.count,
      measured: candidates.count + series.count, iterations: iterations, settings: settings, phases: phases,
      aheadUnused: m.aheadUnused + s.aheadUnused, coldAhead: m.coldAhead + s.coldAhead)
  }

  /// The re-solves of one analysis and what they share.
  struct Measurement {
    let plan: PlanResult
    let solution: LPSolution
    let optimizer: Optimizer
    let settings: RelaxationSettings
    let workers: Int
    /// Iterations one re-solve of the shortfall stages may take.
    let limit: Int
    /// Seconds a value's warm attempt runs before its cold solve is started apart.
    let coldAfter: Double

    var f: Formulation { plan.formulation }
    var baseObjectives: [Double] { plan.stages.map(\.optimum) }

    /// What a step covers and costs: demand and money columns, base and relaxed.
    struct Breakdown {
      let effects: [RelaxationEffect]
      let money: Double
      let byItem: [ItemIndex: Double]
      let shifts: [ItemIndex: MoneyShift]
      /// EUR paid more for each consumer's deliveries of each end item.
      let byPair: [MoneyColumns.ConsumerItem: Double]
      /// What each (input, product) pair of `InputColumns` draws more.
      let inputDelta: [Double]
    }

    /// What `all` measured.
    struct Measured {
      /// The candidates whose value is above noise, best first, and those not measured.
      var valued: [(candidate: RelaxationCandidate, value: Double)] = []
      var unmeasured: [RelaxationCandidate] = []
      /// Each candidate's value re-solve (its second try where the first fell short).
      var screened: [MeasuredPlan?] = []
      /// The breakdown re-solves of the best `detailed`, in `valued`'s order, and what they cover.
      var chains: [MeasuredPlan?] = []
      var breakdowns: [Breakdown?] = []
      /// The inputs breakdowns follow, and what the plan draws of each (input, product) pair.
      var inputs: InputColumns?
      var drawn: [Double] = []
      /// The curve re-solves, and each curved candidate's points by its index in `valued`.
      var curves: [MeasuredPlan?] = []
      var curveOf: [Int: [CurvePoint]] = [:]
      /// Wall-clock seconds each phase (values, breakdowns, curves) added after the one before
      /// (measured ahead, a phase can add none).
      var seconds: [Double] = []
      /// Re-solves measured ahead, while a value was still to come, and not needed after all.
      var aheadUnused = 0
      /// Values whose cold solve was started before their warm attempt ended, and used.
      var coldAhead = 0
    }

    /// Every re-solve of the analysis, through one queue of workers.
    ///
    /// 1. The value of every candidate: the stages that decide coverage only, from the plan's
    ///    bases. A large step (an export rule lifted) can need more than the cold solve from
    ///    the plan's bases: those get one more try at four times the allowance before they
    ///    count as not measured. Iteration counts are deterministic, so which get it does not
    ///    vary by run.
    /// 2. What the best `detailed` cover and cost: re-solved through the cost stage. A
    ///    relaxation whose value was measured by the cold route starts from that optimum: the
    ///    same first stage solved from scratch again would end at the same basis, after
    ///    spending its warm allowance first.
    /// 3. The curve's shape for the best `curveTop`: larger steps of the same limit.
    ///
    /// A worker left with nothing to take while values are still to come (one far relaxation
    /// on the cold route can take as long as the plan's first stage) measures ahead: the
    /// breakdowns and curves of the best among the values known; once every value has been
    /// taken, before those, the cold solve of a value whose warm attempt has run `coldAfter`
    /// seconds. A value's warm attempt and cold solve are two tasks (`MeasureTask.Route`),
    /// joined as the whole route would measure them (`MeasuredPlan.joined`); a cold solve
    /// started ahead whose warm attempt ends within its allowance is not used. The best are
    /// decided from all the values, as without measuring ahead, and a re-solve measures the
    /// same whenever it runs, so only time changes; a relaxation measured ahead that the last
    /// values push out of the best is not used.
    func all(_ candidates: [RelaxationCandidate], detailed: Int) throws(GLPKError) -> Measured {
      var m = Measured()
      guard !candidates.isEmpty else { return m }
      let clock = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
      let t0 = clock()
      let demand = DemandColumns(f)
      let money = MoneyColumns(f)
      let inputs = InputColumns(f)
      let columns = demand.columns + money.columns + inputs.columns
      let d = demand.columns.count
      let e = d + money.columns.count
      let short = demand.columns.map { solution.columnValues[$0.index] }
      let paid = columns[d..<e].map { solution.columnValues[$0.index] }
      let drawn = inputs.usage(columns[e...].map { solution.columnValues[$0.index] }[...])
      // A breakdown keeps what it pays more, what its inputs draw more and the demand columns
      // it moves (`breakdowns`).
      let summarize: @Sendable ([Double]) -> [Double] = { values in
        let usage = inputs.usage(values[e...])
        return money.summary(base: paid, relaxed: values[d..<e]) + zip(usage, drawn).map { $0 - $1 }
          + DemandColumns.changes(base: short, relaxed: values[..<d])
      }
      let coverage = optimizer.coverageStages
      let through = optimizer.stagesThroughCost
      // Per candidate: the task of its breakdown and of its first curve point.
      var v = Values(candidates: candidates, split: coverage == 1 && optimizer.splitsFirstRoute)
      var chainTask: [Int: Int] = [:]
      var curveTask: [Int: Int] = [:]
      var ranked: [(c: Int, value: Double)] = []
      var times: [Double] = []
      try optimizer.measure(workers: min(workers, candidates.count)) { queue throws(GLPKError) in
        v.first = queue.add(
          candidates.map { task($0, stages: coverage, limit: limit, route: v.split ? .warm : .whole, value: true) })
        var seen = 0
        while true {
          v.collect(queue, self)
          let pending = v.pending
          let nextLook = pending ? v.startColdSolves(queue, self) : nil
          if !pending || queue.hasIdleWorker {
            ranked = rank(candidates, v.final)
            for (c, _) in ranked.prefix(detailed) where chainTask[c] == nil {
              let start = v.final[c].flatMap { $0?.firstOptimum }
              var chain = task(candidates[c], stages: through, columns: columns, limit: 4 * limit, start: start)
              chain.summarize = summarize
              chainTask[c] = queue.add([chain]).lowerBound
            }
            for (c, _) in ranked.prefix(settings.curveTop) where candidates[c].totalStep > 0 && curveTask[c] == nil {
              curveTask[c] =
                queue.add(settings.curve.map { task(candidates[c], scale: $0, stages: coverage, limit: limit) })
                .lowerBound
            }
          }
          if !pending {
            if times.isEmpty { times.append(clock()) }
            let chained = ranked.prefix(detailed).map { chainTask[$0.c] ?? 0 }
            if times.count == 1, let chains = Self.stored(queue, chained) {
              m.chains = chains
              times.append(clock())
            }
            let curved = ranked.prefix(settings.curveTop).filter { candidates[$0.c].totalStep > 0 }
            let firsts = curved.map { curveTask[$0.c] ?? 0 }
            if times.count == 2, let curves = Self.stored(queue, firsts, count: settings.curve.count) {
              m.curves = curves
              times.append(clock())
              break
            }
          }
          seen = try queue.wait(after: seen, timeout: nextLook.map { max(0.01, $0) })
        }
      }
      m.seconds = zip(times, [t0] + times).map { $0 - $1 }
      m.screened = v.final.map { $0 ?? nil }
      m.valued = ranked.map { (candidates[$0.c], $0.value) }
      m.unmeasured = candidates.indices.filter { m.screened[$0] == nil }.map { candidates[$0] }
      let best = Set(ranked.prefix(detailed).map(\.c))
      let curved = Set(ranked.prefix(settings.curveTop).map(\.c))
      m.coldAhead = v.startedAhead.intersection(v.coldUsed).count
      m.aheadUnused =
        v.coldTask.keys.filter { !v.coldUsed.contains($0) }.count
        + chainTask.keys.filter { !best.contains($0) }.count
        + curveTask.keys.filter { !curved.contains($0) }.count * settings.curve.count
      m.breakdowns = breakdowns(m.chains, demand: demand, short: short, money: money, inputs: inputs.pairs.count)
      m.inputs = inputs
      m.drawn = drawn
      m.curveOf = curvePoints(m.curves, of: ranked.prefix(settings.curveTop).map { candidates[$0.c] })
      return m
    }

    /// The measured candidates as bottlenecks and trade-offs, best first.
    func classify(_ m: Measured) -> (bottlenecks: [Bottleneck], tradeOffs: [Bottleneck]) {
      var bottlenecks: [Bottleneck] = []
      var tradeOffs: [Bottleneck] = []
      // Who paid for what, and which budgets bind: read once, where a step loses anything.
      var money: (payers: BudgetShift.Payers, budgets: [BudgetUse])?
      for (n, entry) in m.valued.enumerated() {
        let breakdown = n < m.breakdowns.count ? m.breakdowns[n] : nil
        var b = bottleneck(entry, breakdown: breakdown, curve: m.curveOf[n] ?? [])
        if let breakdown, let inputs = m.inputs { b.inputShift = inputShift(b, breakdown, inputs, drawn: m.drawn) }
        if let breakdown, !b.losses.isEmpty, let a = plan.allocation {
          if money == nil { money = (BudgetShift.Payers(a), PlanAnalysis.budgetUse(f, a)) }
          if let money {
            b.budgetShift = BudgetShift.find(
              b, byPair: breakdown.byPair, payers: money.payers, budgets: money.budgets, model: f.model)
          }
        }
        // Gains that come only with equal losses elsewhere are a trade-off, not a bottleneck;
        // a step that covers nothing more, only sooner, is one too.
        if b.detailed && b.effects.reduce(0, { $0 + $1.value }) <= RelaxationAnalysis.noise {
          tradeOffs.append(b.recategorised(b.effects.isEmpty ? .earlier : .tradeOff))
        } else {
          bottlenecks.append(b)
        }
      }
      return (bottlenecks, tradeOffs)
    }

    /// Where each candidate's value stands while the analysis runs.
    struct Values {
      let candidates: [RelaxationCandidate]
      /// Whether a value's warm attempt and cold solve are measured as two tasks.
      let split: Bool
      /// The tasks of the first tries, one per candidate.
      var first: Range<Int> = 0..<0
      /// Each candidate's final value re-solve once known (`.some(nil)`: not measured).
      var final: [MeasuredPlan??]
      /// The tasks of a candidate's cold solve and of its second try.
      var coldTask: [Int: Int] = [:]
      var retry: [Int: Int] = [:]
      /// Candidates whose cold solve counted, and those whose cold solve was started ahead.
      var coldUsed = Set<Int>()
      var startedAhead = Set<Int>()

      init(candidates: [RelaxationCandidate], split: Bool) {
        self.candidates = candidates
        self.split = split
        final = Array(repeating: nil, count: candidates.count)
      }

      var pending: Bool { final.contains { $0 == nil } }

      /// Reads the results stored since the last look: a first try that fell short gets its
      /// cold solve (first in the queue) or is joined with it; one not measured, a second try.
      mutating func collect(_ queue: MeasureQueue, _ run: Measurement) {
        let coverage = run.optimizer.coverageStages
        for c in candidates.indices where final[c] == nil {
          if let r = retry[c] {
            if let result = queue.result(r) { final[c] = .some(result) }
            continue
          }
          guard var result = queue.result(first.lowerBound + c) else { continue }
          if let warm = result, warm.fellShort {
            if coldTask[c] == nil {
              let cold = run.task(candidates[c], stages: coverage, limit: run.limit, route: .cold)
              coldTask[c] = queue.add([cold], first: true).lowerBound
            }
            guard let k = coldTask[c], let cold = queue.result(k) else { continue }
            result = warm.joined(cold, limit: run.limit)
            coldUsed.insert(c)
          }
          if let k = coldTask[c], !coldUsed.contains(c) {
            // Its warm attempt ended within the allowance: a cold solve not yet taken is
            // dropped (one already running cannot be stopped and is not used).
            queue.cancel(k)
          }
          if result == nil {
            retry[c] =
              queue.add([run.task(candidates[c], stages: coverage, limit: 4 * run.limit, value: true)])
              .lowerBound
          } else {
            final[c] = .some(result)
          }
        }
      }

      /// Starts the cold solve of each warm attempt that has run `coldAfter` seconds.
      ///
      /// Only once every value has been taken: an attempt running long is likely far, and its
      /// cold solve goes before anything measured ahead, to the next worker free. Returns how
      /// long until the next attempt still running reaches `coldAfter`, if any.
      mutating func startColdSolves(_ queue: MeasureQueue, _ run: Measurement) -> Double? {
        guard split, first.allSatisfy({ queue.wasTaken($0) }) else { return nil }
        var nextLook: Double?
        for c in candidates.indices where final[c] == nil && coldTask[c] == nil && retry[c] == nil {
          guard let running = queue.running(first.lowerBound + c) else { continue }
          if running >= run.coldAfter {
            let cold = run.task(candidates[c], stages: run.optimizer.coverageStages, limit: run.limit, route: .cold)
            coldTask[c] = queue.add([cold], first: true).lowerBound
            startedAhead.insert(c)
          } else {
            nextLook = min(nextLook ?? .infinity, run.coldAfter - running)
          }
        }
        return nextLook
      }
    }

    /// A re-solve task for `candidate`'s step times `scale`.
    ///
    /// A `value`'s warm attempt runs the primal simplex; the breakdowns' and curves' the dual
    /// (docs/PERFORMANCE.md, "Values by the primal simplex"). Measured on generated large,
    /// the values took 36,979 iterations by the primal against 63,678 by the dual, the curves
    /// 30,873 against 12,631.
    func task(
      _ candidate: RelaxationCandidate, scale: Double = 1, stages: Int, columns: [ColumnID] = [], limit: Int,
      start: BasisDelta? = nil, route: MeasureTask.Route = .whole, value: Bool = false
    ) -> MeasureTask {
      var t = MeasureTask(
        candidate.changes(scale: scale, program: f.program), stages: stages, columns: columns, iterationLimit: limit,
        start: start, route: route)
      if value { t.firstMethod = .primal }
      return t
    }

    /// The results of the `count` tasks from each of `firsts`, once all are stored.
    static func stored(_ queue: MeasureQueue, _ firsts: [Int], count: Int = 1) -> [MeasuredPlan?]? {
      var results: [MeasuredPlan?] = []
      for k in firsts {
        for i in 0..<count {
          guard let result = queue.result(k + i) else { return nil }
          results.append(result)
        }
      }
      return results
    }

    /// The values above noise, best first, then by the fixed order of limits (`precedes`), as
    /// indices of `candidates` whose final value re-solve is known.
    func rank(_ candidates: [RelaxationCandidate], _ final: [MeasuredPlan??]) -> [(c: Int, value: Double)] {
      var ranked = candidates.indices.compactMap { c -> (c: Int, value: Double)? in
        guard case .some(.some(let result)) = final[c] else { return nil }
        let value = RelaxationAnalysis.value(f, base: baseObjectives, relaxed: result.objectives)
        return value > RelaxationAnalysis.noise ? (c, value) : nil
      }
      ranked.sort { $0.value != $1.value ? $0.value > $1.value : precedes(candidates[$0.c], candidates[$1.c]) }
      return ranked
    }

    /// What each breakdown re-solve covers and costs against the plan (whose demand columns
    /// stand at `short`), from what it kept: `MoneyColumns.summary`, then
    /// `DemandColumns.changes`.
    func breakdowns(
      _ chains: [MeasuredPlan?], demand: DemandColumns, short base: [Double], money: MoneyColumns, inputs: Int
    ) -> [Breakdown?] {
      let s = money.summaryCount
      return chains.map { chain in
        chain.map { c in
          Breakdown(
            effects: demand.compare(base: base, relaxed: DemandColumns.applying(c.values[(s + inputs)...], to: base))
              .effects,
            money: money.change(c.values[..<s]), byItem: money.changeByItem(c.values[..<s]),
            shifts: money.shiftsByItem(c.values[..<s]), byPair: money.changeByPair(c.values[..<s]),
            inputDelta: Array(c.values[s..<(s + inputs)]))
        }
      }
    }

    /// Each curved candidate's points, by its index among `best` (the best `curveTop`); those
    /// with no step have no curve and no re-solves in `curves`.
    func curvePoints(_ curves: [MeasuredPlan?], of best: [RelaxationCandidate]) -> [Int: [CurvePoint]] {
      var curveOf: [Int: [CurvePoint]] = [:]
      var n = 0
      for (b, candidate) in best.enumerated() where candidate.totalStep > 0 {
        curveOf[b] = settings.curve.enumerated().compactMap { s, scale in
          curves[n * settings.curve.count + s].map {
            CurvePoint(
              scale: scale, value: RelaxationAnalysis.value(f, base: baseObjectives, relaxed: $0.objectives), money: 0)
          }
        }
        n += 1
      }
      return curveOf
    }

    /// The input through which a step covers an item off its own items' chains, if one moves
    /// materially (`InputColumns.shift`); none where what the limit makes goes into the
    /// covered item, or where the limit is not on items (a budget, a route).
    func inputShift(_ b: Bottleneck, _ breakdown: Breakdown, _ inputs: InputColumns, drawn: [Double]) -> InputShift? {
      let m = f.model
      let own: [ItemIndex]
      switch b.candidate.subject {
      case .limit(let s): own = InputColumns.items(of: s, model: m)
      case .chain(_, let parts): own = parts.flatMap { InputColumns.items(of: $0, model: m) }
      case .rule: own = []
      }
      guard !own.isEmpty, let covered = b.principalItem ?? b.gains.first.flatMap({ Bottleneck.item($0.what) })
      else { return nil }
      // The covered item's chain: when an own item is on it, the step covers it directly.
      let chain = m.itemsGoing(into: covered)
      guard !own.contains(where: { chain.contains($0) }) else { return nil }
      return inputs.shift(delta: breakdown.inputDelta, base: drawn, covered: covered, chain: chain)
    }

    /// A measured candidate as a bottleneck (its category decided by the caller).
    func bottleneck(
      _ entry: (candidate: RelaxationCandidate, value: Double), breakdown: Breakdown?, curve: [CurvePoint]
    ) -> Bottleneck {
      Bottleneck(
        candidate: entry.candidate, category: .bottleneck, value: entry.value, effects: breakdown?.effects ?? [],
        money: breakdown?.money ?? 0, moneyByItem: breakdown?.byItem ?? [:],
        moneyShifts: breakdown?.shifts ?? [:], curve: curve,
        marginal: RelaxationAnalysis.marginal(of: entry.candidate, in: plan), detailed: breakdown != nil)
    }
  }

  /// How much the policy's weighted shortfall falls: the first stage's objective under the
  /// weighted policy; under the others, each class's shortfall stage times its class weight.
  static func value(_ f: Formulation, base: [Double], relaxed: [Double]) -> Double {
    var total = 0.0
    for (s, stage) in f.stages.enumerated() where s < relaxed.count && s < base.count {
      guard case .shortfall(let classes) = stage.kind else { continue }
      let weight = f.policy == .weighted ? 1 : classes.first.map { f.model.classSettings($0).weight } ?? 1
      total += weight * (base[s] - relaxed[s])
    }
    // Six significant digits: the optimum of each stage is unique, its last digits are not.
    return abs(total) < 1e-6 ? 0 : Allocation.measured(total, 6)
  }

  /// Whether some stage's duals allow raising the candidate to gain anything.
  static func mayGain(_ c: RelaxationCandidate, index: [LPVariable: Int], _ duals: [LimitDuals]) -> Bool {
    for d in duals {
      for v in c.variables {
        if let l = index[v], abs(d.limits[l]) > 1e-9 { return true }
      }
      for j in c.barred where abs(d.barred[j] ?? 0) > 1e-9 { return true }
    }
    return false
  }

  /// Value units below this are solver noise.
  static let noise = 1e-6

  /// A fixed order of candidates for ties: kind, then subject.
  static func precedes(_ a: RelaxationCandidate, _ b: RelaxationCandidate) -> Bool {
    order(a).lexicographicallyPrecedes(order(b))
  }

  static func order(_ c: RelaxationCandidate) -> [Int] {
    let kind = LimitKind.allCases.firstIndex(of: c.kind) ?? 0
    switch c.subject {
    case .limit(let s): return [kind] + Self.key(s)
    case .rule(let r): return [kind, r.rawValue]
    case .chain(let i, let parts): return [kind, i.rawValue] + parts.flatMap(Self.key)
    }
  }

  static func key(_ s: Limit.Subject) -> [Int] {
    switch s {
    case .product(let p, let k): return [0, p.rawValue, k.rawValue]
    case .line(let p, let l): return [1, p.rawValue, l.rawValue]
    case .market(let m, let s): return [2, m.rawValue, s.rawValue]
    case .funder(let f): return [3, f.rawValue]
    case .route(let r): return [4, r.rawValue]
    case .quota(let q): return [5, q.rawValue]
    case .expansion(let p, let e): return [6, p.rawValue, e.rawValue]
    case .investment(let f): return [7, f.rawValue]
    case .fleet(let k, let i): return [8, k.rawValue, i.rawValue]
    case .marketWhole(let mi, let supplies): return [9, mi.rawValue] + supplies.map(\.rawValue)
    }
  }

  /// The candidate's shadow price in the first coverage stage, first binding period.
  static func marginal(of c: RelaxationCandidate, in plan: PlanResult) -> LimitMarginal? {
    guard case .limit(let subject) = c.subject else { return nil }
    let limits = plan.formulation.limits
    return plan.marginals.filter { limits[$0.limit].subject == subject && c.periods.contains(limits[$0.limit].t) }
      .min { (limits[$0.limit].t, $0.stage) < (limits[$1.limit].t, $1.stage) }
  }
}

/// What buyers pay: every shipment at its price (and route cost), every expansion at its
/// cost by the end of the horizon.
struct MoneyColumns {
  /// The columns' positions, in 32 bits as a program keeps them (about 146,000 priced
  /// shipments on generated large, kept through the analysis).
  private let positions: [Int32]
  let prices: [Double]
  /// The end items carried, in order of their first column, and each column's among them
  /// (-1 for an expansion).
  let itemOrder: [ItemIndex]
  private let itemSlot: [Int32]
  /// The prices each end item is delivered at, in order of their first column.
  ///
  /// Each column's bucket among them (-1 for an expansion): where a step lets the plan buy an
  /// item at a lower price instead of a higher one, money paid more at one price is saved at
  /// another. Deliveries at one price are one bucket, so that moves between equally priced
  /// makers or periods — which the cost stage may make either way — cancel.
  let buckets: [PriceBucket]
  private let bucketSlot: [Int32]
  /// The (consumer, end item) pairs delivered to, in order of their first column, and each
  /// column's among them (-1 for an expansion): whose money a step moves between items.
  let pairs: [ConsumerItem]
  private let pairSlot: [Int32]

  struct PriceBucket: Hashable {
    let item: ItemIndex
    let price: Double
  }

  struct ConsumerItem: Hashable {
    let consumer: ConsumerIndex
    let item: ItemIndex
  }

  /// The columns, in order.
  var columns: [ColumnID] { positions.map { ColumnID(Int($0)) } }

  init(_ f: Formulation) {
    let m = f.model
    var columns: [ColumnID] = []
    var prices: [Double] = []
    var items: [ItemIndex?] = []
    var bucketSlots: [Int32] = []
    var buckets = Slots<PriceBucket>()
    var pairSlots: [Int32] = []
    var pairs = Slots<ConsumerItem>()
    let periodCount = m.horizon.periods
    for (j, role) in f.columnRoles.enumerated() {
      switch role {
      case .shipment(let n, let k, _):
        let price = f.nodes[n].unitCost + (f.routeOfShipment[j].map { m.routes[$0].cost } ?? 0)
        guard price > 0 else { continue }
        columns.append(ColumnID(j))
        prices.append(price)
        items.append(f.nodes[n].item)
        pairSlots.append(pairs.slot(ConsumerItem(consumer: k, item: f.nodes[n].item)))
        bucketSlots.append(buckets.slot(PriceBucket(item: f.nodes[n].item, price: price)))
      case .expansion(let p, let e, let t) where t == periodCount - 1:
        let x = m.producers[p].expansions[e]
        guard x.capacity > 0, x.cost > 0 else { continue }
        columns.append(ColumnID(j))
        prices.append(x.cost / x.capacity)
        items.append(nil)
        bucketSlots.append(-1)
        pairSlots.append(-1)
      default: continue
      }
    }
    positions = columns.map { Int32(truncatingIfNeeded: $0.index) }
    self.prices = prices.withExactCapacity()
    bucketSlot = bucketSlots.withExactCapacity()
    self.buckets = buckets.keys
    pairSlot = pairSlots.withExactCapacity()
    self.pairs = pairs.keys
    var order = Slots<ItemIndex>()
    itemSlot = items.map { $0.map { order.slot($0) } ?? -1 }
    itemOrder = order.keys
  }

  /// What a relaxed plan pays more than the base, unrounded.
  ///
  /// In all, then for each end item in `itemOrder`'s order, then the units delivered more at
  /// each price in `buckets`'s order, then EUR for each (consumer, item) in `pairs`' order:
  /// what `change`, `changeByItem`, `shiftsByItem` and `changeByPair` round. A breakdown keeps
  /// these sums, not every shipment's value (`MeasureTask.summarize`).
  func summary(base: [Double], relaxed: ArraySlice<Double>) -> [Double] {
    var total = 0.0
    var byItem = [Double](repeating: 0, count: itemOrder.count)
    var byBucket = [Double](repeating: 0, count: buckets.count)
    var byPair = [Double](repeating: 0, count: pairs.count)
    for (n, price) in prices.enumerated() {
      let units = relaxed[relaxed.startIndex + n] - base[n]
      let delta = price * units
      total += delta
      let slot = Int(itemSlot[n])
      if slot >= 0 { byItem[slot] += delta }
      let bucket = Int(bucketSlot[n])
      if bucket >= 0 { byBucket[bucket] += units }
      let pair = Int(pairSlot[n])
      if pair >= 0 { byPair[pair] += delta }
    }
    return [total] + byItem + byBucket + byPair
  }

  /// How many numbers `summary` gives.
  var summaryCount: Int { 1 + itemOrder.count + buckets.count + pairs.count }

  /// EUR paid more for each consumer's deliveries of each end item (`summary`), to the euro
  /// as `change`.
  func changeByPair(_ summary: ArraySlice<Double>) -> [ConsumerItem: Double] {
    let first = summary.startIndex + 1 + itemOrder.count + buckets.count
    var out: [ConsumerItem: Double] = [:]
    for (slot, pair) in pairs.enumerated() { out[pair] = Self.euros(summary[first + slot]) }
    return out
  }

  /// EUR paid more in the relaxed plan (`summary`), to the euro: a difference of large sums
  /// carries rounding noise in its last digits, which must not reach a report.
  func change(_ summary: ArraySlice<Double>) -> Double { Self.euros(summary.first ?? 0) }

  /// EUR paid more for deliveries of each end item (`summary`).
  func changeByItem(_ summary: ArraySlice<Double>) -> [ItemIndex: Double] {
    var out: [ItemIndex: Double] = [:]
    for (slot, item) in itemOrder.enumerated() { out[item] = Self.euros(summary[summary.startIndex + 1 + slot]) }
    return out
  }

  /// For each end item, the units delivered more (or fewer) at each price, to 6 significant
  /// digits, a move below a millionth of the item's largest left out as the noise of two
  /// solutions (`summary`).
  func shiftsByItem(_ summary: ArraySlice<Double>) -> [ItemIndex: MoneyShift] {
    var moves: [ItemIndex: [PriceMove]] = [:]
    let first = summary.startIndex + 1 + itemOrder.count
    for (slot, bucket) in buckets.enumerated() {
      moves[bucket.item, default: []].append(PriceMove(price: bucket.price, units: summary[first + slot]))
    }
    var out: [ItemIndex: MoneyShift] = [:]
    for item in itemOrder {
      let all = moves[item] ?? []
      let largest = all.map { abs($0.units) }.max() ?? 0
      let kept = all.filter { abs($0.units) > 1e-6 * max(1, largest) }
        .map { PriceMove(price: $0.price, units: Allocation.significant($0.units, 6)) }
        .sorted { ($0.price, $0.units) < ($1.price, $1.units) }
      let more = kept.filter { $0.units > 0 }.reduce(0) { $0 + $1.units * $1.price }
      let less = kept.filter { $0.units < 0 }.reduce(0) { $0 + $1.units * $1.price }
      out[item] = MoneyShift(more: Self.euros(more), less: Self.euros(less), moves: kept)
    }
    return out
  }

  /// Seven significant digits, then whole euros: €204,400,000, not €204,399,999.8.
  static func euros(_ delta: Double) -> Double {
    let magnitude = max(1, abs(delta))
    var unit = 1.0
    while unit * 1e7 <= magnitude { unit *= 10 }
    return (delta / unit).rounded() * unit
  }
}

/// The shortfall and target-gap columns, with what each stands for and its value weight.
struct DemandColumns {
  struct Entry {
    let consumer: ConsumerIndex
    let what: RelaxationEffect.What
    /// Value units per unit covered.
    let weight: Double
  }
  let columns: [ColumnID]
  let entries: [Entry]

  init(columns: [ColumnID], entries: [Entry]) {
    self.columns = columns
    self.entries = entries
  }

  init(_ f: Formulation) {
    let m = f.model
    var columns: [ColumnID] = []
    var entries: [Entry] = []
    for (j, role) in f.columnRoles.enumerated() {
      switch role {
      case .shortfall(let k, let d, _):
        let key = m.consumers[k].demand[d].key
        columns.append(ColumnID(j))
        entries.append(Entry(consumer: k, what: .demand(key), weight: Self.weight(m, k) * m.describe(key).weight))
      case .targetGap(let k, let ti):
        let item = m.consumers[k].targets[ti].item
        columns.append(ColumnID(j))
        entries.append(
          Entry(
            consumer: k, what: .stockpile(item),
            weight: Self.weight(m, k) * m.items[item].weight * m.settings.stockpileWeight))
      default: continue
      }
    }
    self.columns = columns
    self.entries = entries
  }

  /// Class weight × priority: what the value currency counts a consumer's unit at.
  static func weight(_ m: PlanningModel, _ k: ConsumerIndex) -> Double {
    m.classSettings(m.consumers[k].consumerClass).weight * m.consumers[k].priority
  }

  /// The entries of `relaxed` that differ from `base`, as (position, value) pairs.
  ///
  /// A relaxation moves part of a program's shortfall columns (about a quarter in generated
  /// large's breakdowns), and a breakdown keeps only those until the analysis ends
  /// (`MeasureTask.summarize`).
  static func changes(base: [Double], relaxed: ArraySlice<Double>) -> [Double] {
    var out: [Double] = []
    for (n, v) in zip(relaxed.indices, relaxed) where v != base[n - relaxed.startIndex] {
      out.append(Double(n - relaxed.startIndex))
      out.append(v)
    }
    return out
  }

  /// `base` with `changes` (of `changes(base:relaxed:)`) applied: the relaxed values again.
  static func applying(_ changes: ArraySlice<Double>, to base: [Double]) -> [Double] {
    var values = base
    var k = changes.startIndex
    while k + 1 < changes.endIndex {
      values[Int(changes[k])] = changes[k + 1]
      k += 2
    }
    return values
  }

  /// The change from `base` to `relaxed` values, per consumer and demand, and its value.
  func compare(base: [Double], relaxed: [Double]) -> (value: Double, effects: [RelaxationEffect]) {
    struct Key: Hashable {
      let consumer: ConsumerIndex
      let what: RelaxationEffect.What
    }
    var units: [Key: Double] = [:]
    var value: [Key: Double] = [:]
    for (n, e) in entries.enumerated() {
      // Less shortfall (or gap) is more covered.
      let covered = base[n] - relaxed[n]
      guard abs(covered) > 1e-6 * max(1, abs(base[n])) else { continue }
      let key = Key(consumer: e.consumer, what: e.what)
      units[key, default: 0] += covered
      value[key, default: 0] += covered * e.weight
    }
    var effects: [RelaxationEffect] = []
    // Six significant digits: a difference of two solutions carries noise beyond them, in
    // each effect and in the breakdown as a whole (an effect below the sixth digit of the
    // largest came out at 0.001 units by one path to the optimum and not by another).
    let floor = max(Allocation.tiny, 1e-6 * (units.values.map(abs).max() ?? 0))
    for key in units.keys.sorted(by: { ($0.consumer, $0.what) < ($1.consumer, $1.what) }) {
      let u = Allocation.measured(units[key] ?? 0, 6)
      guard abs(u) >= floor else { continue }
      effects.append(
        RelaxationEffect(
          consumer: key.consumer, what: key.what, units: u, value: Allocation.measured(value[key] ?? 0, 6)))
    }
    effects.sort { (abs($0.value), $1.consumer, $1.what) > (abs($1.value), $0.consumer, $0.what) }
    let total = Allocation.measured(effects.reduce(0) { $0 + $1.value }, 6)
    return (total, effects)
  }
}

extension RelaxationAnalysis {
  /// What binds in a plan, without re-solving: every limit at its level in some period and
  /// every export rule that bars a delivery (the analysis's candidates; a risk draw's
  /// "binds").
  public static func binding(_ plan: PlanResult, settings: RelaxationSettings) -> [RelaxedSubject] {
    guard let solution = plan.solution, let allocation = plan.allocation else { return [] }
    return candidates(plan.formulation, solution: solution, allocation: allocation, settings: settings).map(\.subject)
  }

  /// Every limit binding somewhere in the plan, and every export rule that bars a delivery,
  /// with the planner-sized step the settings give it.
  static func candidates(
    _ f: Formulation, solution x: LPSolution, allocation a: Allocation, settings: RelaxationSettings
  ) -> [RelaxationCandidate] {
    let m = f.model
    var bySubject: [Limit.Subject: [Int]] = [:]
    var order: [Limit.Subject] = []
    for (l, limit) in f.limits.enumerated() {
      if bySubject[limit.subject] == nil { order.append(limit.subject) }
      bySubject[limit.subject, default: []].append(l)
    }
    var out: [RelaxationCandidate] = []
    for subject in order {
      guard let limits = bySubject[subject], let first = limits.first else { continue }
      let kind = f.limits[first].kind
      if case .funder(let fu) = subject {
        if let c = budgetCandidate(f, funder: fu, limits: limits, allocation: a, settings: settings) { out.append(c) }
        continue
      }
      var periods: [Int] = []
      var levels: [Double] = []
      var steps: [Double] = []
      var variables: [LPVariable] = []
      let fraction = settings.fraction(for: kind)
      if case .fleet(let k, let i) = subject {
        // The level of a fire row is what the fleet held can fire: rate × months × systems.
        guard let link = m.items[i].firedFrom else { continue }
        let rate = link.rate * Double(m.horizon.length.months)
        for l in limits {
          let limit = f.limits[l]
          let level = rate * (a.consumerStock[k][link.item]?[limit.t] ?? 0)
          let upper = Self.upper(f.program, limit.variable)
          guard level > 0, x.value(of: limit.variable) >= upper - 1e-6 * max(1, abs(upper), level) else { continue }
          periods.append(limit.t)
          levels.append(level)
          steps.append(level * fraction)
          variables.append(limit.variable)
        }
        if !periods.isEmpty {
          out.append(
            RelaxationCandidate(
              subject: .limit(subject), kind: kind, periods: periods, levels: levels, step: steps,
              variables: variables, barred: []))
        }
        continue
      }
      for l in limits {
        let limit = f.limits[l]
        let upper = Self.upper(f.program, limit.variable)
        guard upper.isFinite, upper > 0 else { continue }
        let value = x.value(of: limit.variable)
        guard value >= upper - 1e-6 * max(1, upper) else { continue }
        periods.append(limit.t)
        levels.append(upper)
        steps.append(upper * fraction)
        variables.append(limit.variable)
      }
      guard !periods.isEmpty else { continue }
      out.append(
        RelaxationCandidate(
          subject: .limit(subject), kind: kind, periods: periods, levels: levels, step: steps, variables: variables,
          barred: []))
    }
    out += wholeMarkets(out)
    out += ruleCandidates(f)
    return out
  }

  /// For each end item short somewhere in the plan, the binding limits of its supply chain
  /// together, where two or more bind.
  ///
  /// Built by `run` alone: a chain is no limit of its own, so `candidates` (and a risk draw's
  /// binding list, computed every draw) leaves it out.
  ///
  /// The chain is the capacities, shared lines and market supplies of the item and of the
  /// inputs only it is made from: limits in series each gain nothing alone, and the gap would
  /// go unexplained. Each part keeps its own step; a chain whose parts an earlier item's chain
  /// already has is not measured twice.
  static func supplyChains(_ singles: [RelaxationCandidate], model m: PlanningModel, allocation a: Allocation)
    -> [RelaxationCandidate]
  {
    var short = Set<ItemIndex>()
    for (k, consumer) in m.consumers.indexed() {
      for (d, series) in consumer.demand.indexed() where a.shortfall[k][d].contains(where: { $0 > 1e-6 }) {
        switch series.key {
        case .item(let i): short.insert(i)
        case .group(let g): for member in m.substitutes[g].members { short.insert(member.item) }
        }
      }
    }
    let inputs = m.inputGraph
    func closure(_ i: ItemIndex) -> Set<ItemIndex> {
      var reached: Set<ItemIndex> = [i]
      var frontier = [i]
      while let next = frontier.popLast() {
        for input in inputs[next.rawValue] where reached.insert(input).inserted { frontier.append(input) }
      }
      return reached
    }
    // The end items each input goes into: a chain keeps the inputs only its item uses, since
    // a shared one (a fuze, nitrocellulose) is measured alone for all the items it serves.
    var users: [ItemIndex: Set<ItemIndex>] = [:]
    for e in m.items.indices where m.items[e].kind == .end {
      for x in closure(e) { users[x, default: []].insert(e) }
    }
    var seen = Set<[Limit.Subject]>()
    var out: [RelaxationCandidate] = []
    for i in short.sorted() where m.items[i].kind == .end {
      let chain = closure(i).filter { users[$0] == [i] }
      let parts = singles.filter { c in
        guard case .limit(let s) = c.subject else { return false }
        switch s {
        case .product(let p, let k): return chain.contains(m.producers[p].products[k].item)
        case .line(let p, let l): return m.producers[p].lines[l].usage.contains { chain.contains($0.item) }
        case .market(let mi, let supply): return chain.contains(m.markets[mi].supplies[supply].item)
        default: return false
        }
      }
      let subjects = parts.compactMap { c -> Limit.Subject? in
        if case .limit(let s) = c.subject { return s } else { return nil }
      }
      guard subjects.count > 1, seen.insert(subjects).inserted else { continue }
      out.append(
        RelaxationCandidate(
          subject: .chain(item: i, parts: subjects), kind: .supplyChain,
          periods: Set(parts.flatMap(\.periods)).sorted(), levels: parts.flatMap(\.levels),
          step: parts.flatMap(\.step), variables: parts.flatMap(\.variables), barred: []))
    }
    return out
  }

  /// A market's binding supplies relaxed together, where two or more bind: complements
  /// (a drone's motors, batteries and electronics from one market) gain nothing one by one.
  static func wholeMarkets(_ singles: [RelaxationCandidate]) -> [RelaxationCandidate] {
    var byMarket: [MarketIndex: [(SupplyIndex, RelaxationCandidate)]] = [:]
    for c in singles {
      guard case .limit(.market(let mi, let s)) = c.subject else { continue }
      byMarket[mi, default: []].append((s, c))
    }
    return byMarket.keys.sorted().compactMap { mi in
      guard let parts = byMarket[mi], parts.count > 1, let kind = parts.first?.1.kind else { return nil }
      return RelaxationCandidate(
        subject: .limit(.marketWhole(market: mi, supplies: parts.map(\.0))), kind: kind,
        periods: Set(parts.flatMap(\.1.periods)).sorted(), levels: parts.flatMap(\.1.levels),
        step: parts.flatMap(\.1.step), variables: parts.flatMap(\.1.variables), barred: [])
    }
  }

  static func upper(_ lp: LinearProgram, _ v: LPVariable) -> Double {
    switch v {
    case .row(let i): return lp.rowBounds[i].upper
    case .column(let j): return lp.columnBounds[j].upper
    }
  }

  /// A budget binds in the periods its funder has no money left (the budgets table's
  /// definition); the step is added to the first of them when money carries over, else
  /// spread over them.
  static func budgetCandidate(
    _ f: Formulation, funder fu: FunderIndex, limits: [Int], allocation a: Allocation, settings: RelaxationSettings
  ) -> RelaxationCandidate? {
    let funder = f.model.funders[fu]
    let rows = Dictionary(limits.map { (f.limits[$0].t, f.limits[$0].variable) }, uniquingKeysWith: { x, _ in x })
    let exhausted = PlanAnalysis.moneyExhausted(funder, spend: a.spend[fu]).filter { rows[$0] != nil }
    guard let firstPeriod = exhausted.first else { return nil }
    let step = settings.budgetStep * Formulation.moneyScale
    let periods = funder.carryOver ? [firstPeriod] : exhausted
    return RelaxationCandidate(
      subject: .limit(.funder(fu)), kind: .budget, periods: exhausted,
      levels: exhausted.map { funder.budget[$0] * Formulation.moneyScale },
      step: periods.map { _ in step / Double(periods.count) }, variables: periods.compactMap { rows[$0] }, barred: [])
  }

  /// Export rules that bar some possible delivery: lifting one opens all the pairs it bars.
  static func ruleCandidates(_ f: Formulation) -> [RelaxationCandidate] {
    var byRule: [RuleIndex: [Int]] = [:]
    for (j, r) in f.barredShipments { byRule[r, default: []].append(j) }
    return byRule.keys.sorted().compactMap { r in
      guard let columns = byRule[r]?.sorted() else { return nil }
      var periods = Set<Int>()
      for j in columns { if case .shipment(_, _, let t) = f.columnRoles[j] { periods.insert(t) } }
      return RelaxationCandidate(
        subject: .rule(r), kind: .exportRule, periods: periods.sorted(), levels: [], step: [], variables: [],
        barred: columns)
    }
  }
}

/// Keys in order of first appearance, each with its position among them: the slots a
/// breakdown's sums are kept in.
struct Slots<Key: Hashable> {
  private(set) var keys: [Key] = []
  private var index: [Key: Int32] = [:]

  /// The key's slot, a new one at the end if it has none yet.
  mutating func slot(_ key: Key) -> Int32 {
    if let known = index[key] { return known }
    let new = Int32(keys.count)
    index[key] = new
    keys.append(key)
    return new
  }
}
