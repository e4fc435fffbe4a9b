import LinearProgram
import PlanningModel

/// Objectives and allocation policies (docs/MODEL.md): the policy's sequence of stages.
///
/// The optimizer appends each solved stage's objective as a row, held near its optimum
/// while later stages run.
enum Objectives {
  static func stages(_ ctx: FormulationContext, consumers: Consumers, cost: [(ColumnID, Double)], lp: inout LPAssembly)
    throws(LPError) -> [Stage]
  {
    let m = ctx.model
    let penalties = consumers.penalties
    var stages: [Stage] = []
    let classesPresent = Set(penalties.map { m.consumers[$0.consumer].consumerClass })
    let ranked = ConsumerClass.allCases.filter { classesPresent.contains($0) }
      .sorted { (m.classSettings($0).rank, $0) < (m.classSettings($1).rank, $1) }
    func terms(of cls: ConsumerClass) -> [(ColumnID, Double)] {
      penalties.filter { m.consumers[$0.consumer].consumerClass == cls }.map { ($0.column, $0.weight) }
    }
    func stage(_ name: String, _ kind: Stage.Kind, _ sense: OptimizationSense, _ terms: [(ColumnID, Double)]) -> Stage {
      Stage(name: name, kind: kind, sense: sense, objective: merged(terms), holds: true)
    }

    switch ctx.policy {
    case .weighted:
      stages.append(
        stage("weighted shortfall", .shortfall(ranked), .minimize, penalties.map { ($0.column, $0.weight) }))
    case .lexicographic:
      for cls in ranked {
        stages.append(stage("\(cls.rawValue) shortfall", .shortfall([cls]), .minimize, terms(of: cls)))
      }
    case .fairShare:
      for cls in ranked {
        // z ≤ coverage of every demand series and target of the class.
        let z = try lp.column("floor[\(cls.rawValue)]", .coverageFloor(consumerClass: cls), bounds: .between(0, 1))
        for fr in consumers.fairRows where m.consumers[fr.consumer].consumerClass == cls {
          let which = fr.demand.map { "d\($0)" } ?? "t\(fr.target ?? TargetIndex(0))"
          try lp.row(
            "fair[\(m.consumers[fr.consumer].id),\(which)]",
            .fairShare(consumer: fr.consumer, demand: fr.demand, target: fr.target), bounds: .atMost(1),
            terms: fr.terms + [(z, 1)])
        }
        stages.append(stage("\(cls.rawValue) coverage floor", .coverageFloor(cls), .maximize, [(z, 1)]))
        stages.append(stage("\(cls.rawValue) shortfall", .shortfall([cls]), .minimize, terms(of: cls)))
      }
    }
    stages.append(stage("cost", .cost, .minimize, cost))
    return stages
  }

  /// Terms summed by column, sorted, zeros dropped.
  static func merged(_ terms: [(ColumnID, Double)]) -> [Term] {
    var sums: [Int: Double] = [:]
    for (c, v) in terms { sums[c.index, default: 0] += v }
    return sums.keys.sorted().compactMap { j in
      guard let v = sums[j], v != 0 else { return nil }
      return Term(column: j, coefficient: v)
    }
  }
}
