import CPlatform

/// The C allocator's settings for commands made of many warm re-solves (sweeps, risk
/// studies, the reports that run them).
enum Allocator {
  /// Keeps up to 32 MiB of freed memory for reuse instead of handing it back to the system.
  ///
  /// GLPK allocates its working arrays afresh on every simplex call and frees them after;
  /// with glibc's defaults each such block went back to the system and came back as fresh
  /// pages, 141,000 page faults in a 100-point sweep of the bundled baseline. Kept, a warm
  /// point takes about a tenth less time, for 1.5 MiB more peak memory
  /// (docs/PERFORMANCE.md, "Where a warm point's time goes"). Not set for a single solve,
  /// whose peak memory on large programs it could raise.
  static func keepFreedMemory() {
    _ = arsenal_keep_freed_memory(32 << 20)
  }
}
