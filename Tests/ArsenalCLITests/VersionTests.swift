import Foundation
import Testing

@Suite struct VersionTests {
  @Test func versionNamesGLPK5() throws {
    let result = try CLI.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("arsenal"))
    #expect(result.stdout.contains("GLPK 5.0"))
  }

  @Test func helpListsTheCommand() throws {
    let result = try CLI.run(["--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("USAGE: arsenal"))
  }
}
