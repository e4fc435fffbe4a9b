// swift-tools-version: 6.0
// Arsenal — a defence-industrial capacity optimizer. GPL-3.0-or-later (GLPK is GPL-3+).
import PackageDescription

let package = Package(
  name: "Arsenal",
  products: [
    .executable(name: "arsenal", targets: ["ArsenalCLI"]),
    .library(name: "LinearProgram", targets: ["LinearProgram"]),
    .library(name: "GLPKSolver", targets: ["GLPKSolver"]),
    .library(name: "PlanningModel", targets: ["PlanningModel"]),
    .library(name: "Formulation", targets: ["Formulation"]),
    .library(name: "Optimizer", targets: ["Optimizer"]),
    .library(name: "Analysis", targets: ["Analysis"]),
    .library(name: "Reports", targets: ["Reports"]),
    .library(name: "Arsenal", targets: ["Arsenal"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
  ],
  targets: [
    // Debian's libglpk-dev has no pkg-config file: the module map links "glpk" directly.
    .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
    .systemLibrary(name: "CXLSXWriter", providers: [.apt(["libxlsxwriter-dev"])]),
    .target(name: "Workbook", dependencies: ["CXLSXWriter"]),
    // The one system call Swift's Glibc module lacks: exchanging two paths atomically.
    .target(name: "CPlatform"),
    // A solver-independent sparse LP with named rows and columns.
    .target(name: "LinearProgram"),
    // The only code that calls glp_*: loads a LinearProgram into GLPK on a dedicated thread.
    .target(name: "GLPKSolver", dependencies: ["CGLPK", "LinearProgram"]),
    // Input files → a validated, immutable planning model; scenarios as overlays.
    .target(name: "PlanningModel", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
    // Planning model → a solver-independent LP with named rows and columns, and the stages
    // of the allocation policy.
    .target(name: "Formulation", dependencies: ["PlanningModel", "LinearProgram"]),
    // Runs a formulation's stages on GLPK (warm from stage to stage and point to point) and
    // collects the sensitivity of binding limits.
    .target(name: "Optimizer", dependencies: ["Formulation", "GLPKSolver", "LinearProgram", "PlanningModel"]),
    // Coverage, bottlenecks (with values and ranges), idle capacity and its reasons.
    .target(name: "Analysis", dependencies: ["Optimizer", "Formulation", "PlanningModel", "LinearProgram"]),
    // Markdown, CSV and JSON reports, written atomically.
    .target(
      name: "Reports", dependencies: ["Analysis", "Optimizer", "Formulation", "PlanningModel", "CPlatform", "Workbook"]),
    // The library behind the CLI: runs, comparisons, sweeps, synthetic data, benchmarks.
    .target(
      name: "Arsenal",
      dependencies: ["PlanningModel", "Formulation", "Optimizer", "Analysis", "Reports", "GLPKSolver", "LinearProgram"]),
    .executableTarget(
      name: "ArsenalCLI",
      dependencies: [
        "Arsenal", "Analysis", "PlanningModel", "GLPKSolver", "Reports", "CPlatform",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(name: "LinearProgramTests", dependencies: ["LinearProgram"]),
    .testTarget(name: "GLPKSolverTests", dependencies: ["GLPKSolver", "LinearProgram"]),
    .testTarget(name: "PlanningModelTests", dependencies: ["PlanningModel"]),
    .testTarget(
      name: "FormulationTests",
      dependencies: ["PlanningModel", "Formulation", "Optimizer", "LinearProgram", "GLPKSolver"]),
    .testTarget(
      name: "BundledDataTests",
      dependencies: ["Arsenal", "Analysis", "PlanningModel", "Formulation", "Optimizer", "GLPKSolver", "LinearProgram"]),
    // What several test targets share: a scratch folder removed when the test process exits.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "SweepTests", dependencies: ["Arsenal", "PlanningModel", "Reports", "TestSupport"]),
    .testTarget(
      name: "ReportsTests", dependencies: ["Arsenal", "Reports", "Analysis", "Formulation", "PlanningModel"]),
    // End-to-end tests run the built `arsenal` binary.
    .testTarget(name: "ArsenalCLITests", dependencies: ["ArsenalCLI", "Reports", "TestSupport"]),
  ]
)
