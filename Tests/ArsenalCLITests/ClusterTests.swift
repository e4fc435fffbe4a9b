import Foundation
import Testing

/// A sharded risk study run as a Slurm array job on a single-node cluster the test starts
/// itself (scripts/slurm-single-node.sh, Debian's slurmctld, slurmd and munge), merged by a
/// dependent job: the merged files must equal one unsharded run byte for byte.
///
/// Runs as root where the daemons are installed (`make test-deps` installs them; .ci/run
/// runs it), unless ARSENAL_SLURM_TEST=0; with ARSENAL_REQUIRE_SLURM=1, a missing cluster is a
/// failure, not a skip.
@Suite(.serialized) struct ClusterTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var available: Bool {
    getuid() == 0
      && ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch"].allSatisfy {
        FileManager.default.isExecutableFile(atPath: $0)
      }
  }

  /// A small data set (one producer, one demand, a capacity and a demand drawn) in a folder.
  static func dataSet(in folder: URL) throws {
    let files = [
      "dataset.toml": """
      name = "cluster-test"
      [horizon]
      start = "2027-01"
      periods = 6
      [settings]
      default_lead_time = 0
      [countries]
      AA = "Alphaland"
      """,
      "items.toml": "[[item]]\nid = \"round\"\nkind = \"end\"\nunit = \"rounds\"\n",
      "producers.toml": """
      [[producer]]
      id = "p"
      country = "AA"
      [[producer.product]]
      item = "round"
      capacity = 100
      """,
      "consumers.toml": "[[consumer]]\nid = \"front\"\nclass = \"front-line\"\ncountry = \"AA\"\n",
      "demand.csv": "consumer,item,start,quantity\nfront,round,2027-01,100\n",
      "uncertainty.toml": """
      [[uncertain]]
      name = "output"
      kind = "capacity"
      producer = "p"
      distribution = "triangular"
      low = 0.5
      mode = 0.9
      high = 1.2
      [[uncertain]]
      name = "demand"
      kind = "demand"
      class = "front-line"
      distribution = "uniform"
      low = 0.8
      high = 1.3
      [risk.study]
      draws = 60
      seed = 3
      """,
    ]
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
  }

  @Test func arrayJobMergesToTheSingleRun() throws {
    guard ProcessInfo.processInfo.environment["ARSENAL_SLURM_TEST"] != "0" else { return }
    guard Self.available else {
      if ProcessInfo.processInfo.environment["ARSENAL_REQUIRE_SLURM"] == "1" {
        Issue.record("Slurm is required here (ARSENAL_REQUIRE_SLURM=1) but not installed, or not root")
      }
      return
    }
    let work = URL(fileURLWithPath: "/tmp/ars-\(getpid())")
    // The state folder stays short: slurmd's socket paths are limited to about 100 bytes.
    let state = work.appendingPathComponent("slurm")
    // Removed last: the stop below (deferred later, so run first) needs the state folder's
    // pid files, or the daemons outlive the test and hold the ports of the next run.
    defer { try? FileManager.default.removeItem(at: work) }
    let data = work.appendingPathComponent("data")
    try Self.dataSet(in: data)
    let script = Self.root.appendingPathComponent("scripts/slurm-single-node.sh").path
    // The daemons outlive the script: their output goes to a file, not to the pipes CLI.tool
    // reads to their end.
    let log = work.appendingPathComponent("cluster.log").path
    let started = try CLI.tool("/bin/bash", ["-c", "\"$0\" start \"$1\" >\"$2\" 2>&1", script, state.path, log])
    #expect(started.status == 0, "start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    defer { _ = try? CLI.tool("/bin/bash", ["-c", "\"$0\" stop \"$1\" >>\"$2\" 2>&1", script, state.path, log]) }
    guard started.status == 0 else { return }

    let reference = work.appendingPathComponent("reference").path
    let single = try CLI.run(["risk", "study", "--data", data.path, "--out", reference, "--measure", "4", "--quiet"])
    #expect(single.status == 0, "single run: \(single.stderr)")

    var environment = ProcessInfo.processInfo.environment
    environment["SLURM_CONF"] = state.appendingPathComponent("etc/slurm.conf").path
    environment["STUDY_DIR"] = work.appendingPathComponent("study").path
    environment["ARSENAL"] = CLI.executable.path
    environment["DATA"] = data.path
    let submit = Self.root.appendingPathComponent("scripts/slurm/submit.sh").path
    let job = try CLI.tool(
      "/bin/bash", [submit, "--shards", "4", "--wait", "--poll", "1", "--", "risk", "study", "--measure", "4"],
      environment: environment)
    #expect(job.status == 0, "submit: \(job.stdout)\n\(job.stderr)")
    #expect(job.stdout.contains("array_job=") && job.stdout.contains("merge_job="))

    let merged = work.appendingPathComponent("study/merged")
    for file in ["risk.md", "risk.html", "risk.csv", "risk.json", "draws.csv"] {
      let a = try Data(contentsOf: URL(fileURLWithPath: reference).appendingPathComponent(file))
      let b = try Data(contentsOf: merged.appendingPathComponent(file))
      #expect(a == b, "\(file): the merged array job differs from the single run")
    }
    // Every shard ran on the cluster, each with its own share of the 60 draws.
    for i in 1...4 {
      let manifest = try String(
        contentsOf: work.appendingPathComponent("study/shard-\(i)/shard.json"), encoding: .utf8)
      #expect(manifest.contains("\"count\" : 4") && manifest.contains("\"index\" : \(i)"))
    }
  }
}
