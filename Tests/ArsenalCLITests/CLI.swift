import Foundation

/// Runs the built `arsenal` executable, which SwiftPM places beside the test bundle.
enum CLI {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static var executable: URL {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return here.appendingPathComponent("arsenal")
  }

  static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws
    -> Result
  {
    try tool(executable.path, arguments, in: directory, environment: environment)
  }

  /// Runs another program the tests check outputs with (xmllint, chromium, pdfinfo, unzip).
  static func tool(
    _ path: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus,
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
