import Foundation

/// Runs closures, one at a time and in order, on a single dedicated OS thread.
///
/// Why a raw thread and not an actor or a dispatch queue: a GLPK problem object belongs to
/// the OS thread that created it. GLPK keeps its whole environment (including the memory
/// allocator that tracks the object) in a thread-local pointer, so touching the object from
/// another thread corrupts that allocator and aborts the process ("glp_free: memory
/// allocation error"). Actors and serial dispatch queues guarantee mutual exclusion but may
/// run successive jobs on different OS threads; only a dedicated `Thread` guarantees the
/// same one for the object's whole life.
final class ConfinedThread: @unchecked Sendable {
  // All mutable state below is guarded by `condition`.
  private let condition = NSCondition()
  private var jobs: [Job] = []
  private var stopping = false
  private var exited = false
  private var thread: Thread?

  /// A unit of work; `@unchecked Sendable` because `sync` blocks its caller until the job
  /// has run, so the closure and what it captures are never used concurrently.
  private struct Job: @unchecked Sendable {
    let run: () -> Void
  }

  /// - Parameters:
  ///   - setUp: runs first, on the new thread (GLPK's per-thread terminal settings).
  ///   - tearDown: runs last, on the same thread, before it exits (frees GLPK's environment).
  init(name: String, setUp: @escaping @Sendable () -> Void, tearDown: @escaping @Sendable () -> Void) {
    let thread = Thread { [self] in
      setUp()
      while let job = self.next() { job.run() }
      tearDown()
      self.condition.lock()
      self.exited = true
      self.condition.broadcast()
      self.condition.unlock()
    }
    thread.name = name
    // GLPK's LU factorisation recurses little, but Swift's default for secondary threads
    // on Linux can be small; 8 MiB matches the main thread.
    thread.stackSize = 8 << 20
    self.thread = thread
    thread.start()
  }

  private func next() -> Job? {
    condition.lock()
    defer { condition.unlock() }
    while jobs.isEmpty && !stopping { condition.wait() }
    if jobs.isEmpty { return nil }
    return jobs.removeFirst()
  }

  private var isCurrent: Bool {
    guard let thread else { return false }
    return Thread.current === thread
  }

  /// Runs `body` on the confined thread and returns its result, blocking the caller.
  ///
  /// `body` is escaping only in the type system's eyes: the caller waits until it has run
  /// and the thread has dropped it. (`withoutActuallyEscaping` would trap here, because
  /// the worker may still hold the finished job for an instant after signalling.)
  func sync<T>(_ body: @escaping () -> T) -> T {
    if isCurrent { return body() }
    let slot = Slot<T>()
    let job = Job {
      slot.value = body()
      slot.done.signal()
    }
    condition.lock()
    jobs.append(job)
    condition.signal()
    condition.unlock()
    slot.done.wait()
    // The job always stores a value before signalling.
    guard let value = slot.value else { preconditionFailure("confined job produced no value") }
    return value
  }

  /// Runs the remaining jobs, then `tearDown`, and waits until the thread has exited.
  func stop() {
    condition.lock()
    stopping = true
    condition.broadcast()
    // Waiting from the confined thread itself would deadlock; it exits after this job.
    if !isCurrent {
      while !exited { condition.wait() }
    }
    condition.unlock()
  }
}

/// Carries one job's result back to the blocked caller; the semaphore orders the accesses.
private final class Slot<T>: @unchecked Sendable {
  var value: T?
  let done = DispatchSemaphore(value: 0)
}
