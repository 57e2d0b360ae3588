@testable import LoadCore
import Foundation
import Synchronization
@testable import stress_test_db

/// The wall clock of a scripted run: µs since the epoch, moved only by the script.
final class ScriptedClock: Sendable {
    /// The run's time zero (any fixed moment: nothing reads the real clock).
    static let origin: Int64 = 1_800_000_000_000_000
    private let now = Mutex(ScriptedClock.origin)

    func read() -> Int64 { now.withLock { $0 } }
    func set(seconds: Double) { now.withLock { $0 = Self.origin + Int64((seconds * 1e6).rounded()) } }
}

/// A `LoadRunner` without sockets, as swift-nio's `EmbeddedChannel` is a channel without them: it hands
/// scripted `RequestResult` batches to a real `ResultChannel` (one producer, so read batches come back
/// to it for reuse) and moves a `ScriptedClock`. `stop()` is counted; after it the runner hands over
/// `abandonedOnStop` (the transfers in flight, as the engine's loops do) and closes the channel.
///
/// Two ways to drive it: `pacer` (a sink put in the collector's list) runs one step each time the collector
/// is about to wait, on the collector's own thread, so every batch is read, and every tick run, before the
/// next step; or `freeRunning`: `start()` plays the whole script at once (on its own thread if asked).
final class ScriptedRunner: LoadRunner, @unchecked Sendable {
    enum Step {
        /// The clock moves to `at` seconds of the run, then a batch of these, completed at their own times.
        case batch(at: Double, [RequestResult])
        /// The clock moves on with no record (the sinks' ticks come due).
        case advance(to: Double)
        /// Something happens between batches (a Ctrl-C, a disk filling up).
        case action((ScriptedRunner) -> Void)
    }

    let results = ResultChannel(producers: 1)
    let clock = ScriptedClock()
    /// Every batch handed over, in order, to check they come back.
    private(set) var pushed: [RecordBatch] = []
    private var steps: [Step]
    private let abandonedOnStop: [RequestResult]
    private let freeRunning: Bool
    private let onItsOwnThread: Bool
    private let state = Mutex((stops: 0, started: 0, closed: false))

    init(_ steps: [Step], abandonedOnStop: [RequestResult] = [], freeRunning: Bool = false, onItsOwnThread: Bool = false) {
        self.steps = steps
        self.abandonedOnStop = abandonedOnStop
        self.freeRunning = freeRunning
        self.onItsOwnThread = onItsOwnThread
    }

    var stops: Int { state.withLock { $0.stops } }
    var starts: Int { state.withLock { $0.started } }

    func start() {
        state.withLock { $0.started += 1 }
        guard freeRunning else { return }
        if onItsOwnThread { Thread { self.playAll() }.start() } else { playAll() }
    }

    func stop() { state.withLock { $0.stops += 1 } }

    var connectionsOpened: Int? { 3 }
    var failure: String? { nil }
    var requestsStarted: Int { 0 }
    var achievedRate: Double? { nil }
    var thinking: Int { 0 }

    /// The pacer's step: one step of the script, or (stopped, or the script done) the end of the run.
    /// Whether the collector has something to read now (a batch, or the channel closed).
    @discardableResult
    func step() -> Bool {
        if state.withLock({ $0.closed }) { return true }
        guard stops == 0, !steps.isEmpty else {
            end()
            return true
        }
        switch steps.removeFirst() {
        case .batch(let seconds, let records):
            clock.set(seconds: seconds)
            hand(records)
            return !records.isEmpty
        case .advance(let seconds):
            clock.set(seconds: seconds)
        case .action(let action):
            action(self)
        }
        return false
    }

    private func playAll() {
        while !state.withLock({ $0.closed }) { step() }
    }

    private func end() {
        hand(abandonedOnStop)
        state.withLock { $0.closed = true }
        results.close()
    }

    private func hand(_ records: [RequestResult]) {
        guard !records.isEmpty else { return }
        // A reused batch if the collector gave one back, as the engine's loops refill theirs.
        let batch = results.takeReturned(producer: 0) ?? RecordBatch(producer: 0)
        batch.results = records
        pushed.append(batch)
        results.push(batch)
    }

    /// The sink that runs the script: asked when its next tick is due, just before the collector waits.
    /// A step with nothing to read is due now, so the collector wakes at once and ticks the sinks.
    var pacer: any RecordSink { Pacer(runner: self) }

    private final class Pacer: RecordSink {
        let runner: ScriptedRunner
        init(runner: ScriptedRunner) { self.runner = runner }
        func add(_ record: ResponseRecord, at seconds: Double) {}
        var nextTick: Double? {
            runner.step() ? nil : Double(runner.clock.read() - ScriptedClock.origin) / 1e6
        }
    }
}

/// A record as a loop would build it, completed `seconds` into a scripted run.
func scriptedResult(at seconds: Double, status: Int = 200, latency: Double, failure: FailureKind? = nil,
                    user: Int = 0) -> RequestResult {
    let body = failure == nil ? Array(#"{"choices":[{"message":{"content":"ok"}}],"model":"m"}"#.utf8) : []
    return RequestResult(statusCode: failure == nil ? status : 0, latencyMilliseconds: latency, failure: failure,
                         contentType: "application/json", body: body,
                         completedAtMicroseconds: ScriptedClock.origin + Int64((seconds * 1e6).rounded()), virtualUser: user)
}
