import Analysis
import Arsenal
import Formulation
import Optimizer
import PlanningModel
import Testing

/// Relaxations measure the same on any number of workers.
///
/// Values, curves and effects are bit for bit the same on one worker, two and three. On the
/// generated small instance (seed 1): ten values, one of them by the cold route, whose
/// breakdown starts from that optimum. The iterations differ: a worker's copy of the problem,
/// loaded afresh, pivots differently from the plan's own.
@Suite struct RelaxationSplitTests {
  @Test func valuesDoNotDependOnTheWorkers() throws {
    var texts: [DataSetFile: String] = [:]
    for file in Generator.files(size: .small, seed: 1).files {
      if let key = DataSetFile(rawValue: file.name) { texts[key] = file.contents }
    }
    let f = try Formulator.formulate(try DataSetLoader.load(texts: texts).model)
    func analyse(_ workers: Int) throws -> [[Double]] {
      let optimizer = try Optimizer(f)
      let plan = try optimizer.run()
      let a = try RelaxationAnalysis.run(plan, optimizer: optimizer, settings: RelaxationSettings(), workers: workers)
      return (a.bottlenecks + a.tradeOffs).map { [$0.value] + $0.curve.map(\.value) + $0.effects.map(\.units) }
    }
    let one = try analyse(1)
    #expect(one.count >= 8)
    #expect(try analyse(2) == one)
    #expect(try analyse(3) == one)
  }
}
