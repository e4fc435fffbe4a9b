import Analysis
import Arsenal
import Formulation
import Optimizer
import PlanningModel
import Testing

/// Relaxations measure the same on any number of workers.
///
/// Values, curves, effects and each phase's iterations are bit for bit the same on one
/// worker, two and three, which take relaxations as they come free. On the generated small
/// instance (seed 1): ten values, one of them by the cold route, whose breakdown starts from
/// that optimum. The iterations differed before a worker's state was made canonical: the
/// plan's own problem kept the scale factors of the larger matrix its stages had appended
/// rows to, and a copy loaded afresh did not (`GLPKProblem.scaleIfStale`).
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
        + [a.phases.map { Double($0.iterations) }]
    }
    let one = try analyse(1)
    #expect(one.count >= 8)
    #expect(try analyse(2) == one)
    #expect(try analyse(3) == one)
  }
}
