// swift-tools-version: 6.0
// Arsenal — a defence-industrial capacity optimizer. GPL-3.0-or-later (GLPK is GPL-3+).
import PackageDescription

let package = Package(
  name: "Arsenal",
  products: [
    .executable(name: "arsenal", targets: ["ArsenalCLI"]),
    .library(name: "LinearProgram", targets: ["LinearProgram"]),
    .library(name: "GLPKSolver", targets: ["GLPKSolver"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
  ],
  targets: [
    // Debian's libglpk-dev has no pkg-config file: the module map links "glpk" directly.
    .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
    // A solver-independent sparse LP with named rows and columns.
    .target(name: "LinearProgram"),
    // The only code that calls glp_*: loads a LinearProgram into GLPK on a dedicated thread.
    .target(name: "GLPKSolver", dependencies: ["CGLPK", "LinearProgram"]),
    .executableTarget(
      name: "ArsenalCLI",
      dependencies: [
        "LinearProgram", "GLPKSolver",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(name: "LinearProgramTests", dependencies: ["LinearProgram"]),
    .testTarget(name: "GLPKSolverTests", dependencies: ["GLPKSolver", "LinearProgram"]),
    // End-to-end tests run the built `arsenal` binary.
    .testTarget(name: "ArsenalCLITests", dependencies: ["ArsenalCLI"]),
  ]
)
