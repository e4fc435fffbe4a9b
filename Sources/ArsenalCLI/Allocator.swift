import CPlatform

/// The C allocator's settings: one heap for the process; for commands made of many warm
/// re-solves (sweeps, risk studies, the reports that run them) freed memory kept for reuse,
/// and for a single solve large freed blocks handed back.
enum Allocator {
  /// One heap shared by every thread, instead of glibc's heap per thread.
  ///
  /// Each GLPK problem lives on a thread of its own, and the model and formulation are built
  /// on the main thread: with a heap per thread, what formulating freed could not hold
  /// GLPK's copy of the program, nor what the solve freed a second analysis worker's problem.
  /// On generated large the peak fell from 532 to 492 MiB (289 MiB rather than 309 until the
  /// relaxation analysis), the same iterations; a 100-point sweep of the bundled data on two
  /// workers took the same CPU time (docs/PERFORMANCE.md, "Memory"). Set before any thread
  /// starts.
  static func shareOneHeap() {
    _ = arsenal_one_heap()
  }

  /// Keeps freed memory for reuse instead of handing it back to the system: blocks up to 32
  /// MiB come from the heap (glibc's own ceiling for its adaptive threshold), and up to 4 MiB
  /// may stay free at the top of the heap.
  ///
  /// GLPK allocates its working arrays afresh on every simplex call and frees them after;
  /// with glibc's defaults each such block went back to the system and came back as fresh
  /// pages, 69,000–141,000 page faults in a 100-point sweep of the bundled baseline, 6,500
  /// kept. A warm point takes about a tenth less time, for about 1.5 MiB more peak memory,
  /// with one worker or two (docs/PERFORMANCE.md, "Where a warm point's time goes"). Process
  /// wide, so set only where re-solves follow: not for a single solve, whose peak memory on
  /// large programs it could raise.
  static func keepFreedMemory() {
    _ = arsenal_malloc_thresholds(4 << 20, 32 << 20)
  }

  /// Hands every block of 128 KiB or more back to the system when it is freed.
  ///
  /// glibc does so only until the first such block is freed: it then raises its threshold to
  /// the largest block freed (up to 32 MiB), after which the formulation's and GLPK's large
  /// arrays come from the heap, whose free space below its top stays resident. The
  /// relaxation analysis then peaked 18 MiB higher on generated large with `--workers 1`
  /// (313 against 295 MiB, the same iterations and files). The bundled baseline's and
  /// generated medium's solves take the same wall time, medium's with three times the page
  /// faults and 0.13 s more system time (docs/PERFORMANCE.md, "Memory"). Not for sweeps
  /// (`keepFreedMemory`).
  static func returnFreedMemory() {
    _ = arsenal_malloc_thresholds(128 << 10, 128 << 10)
  }
}
