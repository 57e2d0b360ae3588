import CCurl
import Foundation
import Glibc
import LoadCore
import ProcessLimits
import Synchronization

/// Runs closed-loop or open-model virtual users on `loops` dedicated threads (`--loops`, SPEC 19):
/// each an `EventLoop` with its own `curl_multi` handles (a shard per 32 VUs), its own epoll set and
/// wake-up eventfd, and its own VUs (dealt in turn). They share a `LoadShare` (the request count, the
/// arrivals, start order) and hand records to one `ResultChannel`.
///
/// Other threads only call `stop()`, which sets a flag and writes every loop's eventfd;
/// each loop thread owns its curl handles. The loop's decisions live in plain values (`Scheduler`,
/// `EpollRegistry`, `ShardTimers`, `LoadShare`); `EventLoop` applies them to libcurl and epoll.
///
/// `@unchecked Sendable`: every stored property is immutable, atomic, or behind a `Mutex`;
/// the curl handles live in the `EventLoop`s, each touched only by its own thread.
/// Owned by its runner; each loop thread's closure also holds it, so it outlives every `EventLoop` (`engine`, unowned).
public final class CurlEngine: @unchecked Sendable {
    public let configuration: EngineConfiguration
    public let results: ResultChannel
    let share: LoadShare
    let loops: Int
    let recordBuilder: RecordBuilder

    let stopRequested = Atomic<Bool>(false)
    /// One per loop, so a stop wakes every loop.
    let wakeDescriptors: [Int32]
    private let running: Atomic<Int>
    /// Each loop's counters, written when it hands a batch over.
    let counterState: Mutex<[LoopCounters]>
    private let failureState = Mutex<String?>(nil)
    /// The threads were started (by `prepare` or `start`), and `--preconnect`'s gate between the two.
    private let launched = Atomic<Bool>(false)
    let preconnectGate = PreconnectGate()

    /// Why the loop could not start, or why it stopped early, if it did.
    public var failure: String? { failureState.withLock { $0 } }

    func fail(_ message: String) { failureState.withLock { if $0 == nil { $0 = message } } }

    public struct EngineCounters: Sendable {
        public var requestsStarted = 0
        public var connectionsOpened = 0
        /// `--think`: VUs pausing between requests.
        public var thinking = 0
        /// Requests started per second from the first due time to the last start (SPEC section 11).
        public var achievedRate: Double?
    }

    /// One loop's share of the counters.
    struct LoopCounters {
        var requestsStarted = 0
        var connectionsOpened = 0
        var firstScheduledAt: UInt64?
        var lastStartAt: UInt64?
        var thinking = 0
    }

    public init(configuration: EngineConfiguration) throws {
        guard configuration.virtualUsers >= 1 else { throw EngineError("at least one virtual user is needed") }
        let loops = max(1, min(configuration.loops, configuration.virtualUsers))
        // Each VU holds one socket; leave room for each loop's epoll and eventfd, output files and stdio.
        let needed = configuration.virtualUsers + 64 + 2 * loops
        let limit = FileDescriptorLimit.raise(to: needed)
        guard limit >= needed else {
            throw EngineError(
                "the open-file limit is \(limit), too low for \(configuration.virtualUsers) virtual users (needs \(needed)); raise it with `ulimit -n \(needed)` or use fewer --vus"
            )
        }
        var descriptors: [Int32] = []
        for _ in 0..<loops {
            let descriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
            guard descriptor >= 0 else {
                descriptors.forEach { close($0) }
                throw EngineError("could not create an eventfd: \(String(cString: strerror(errno)))")
            }
            descriptors.append(descriptor)
        }
        wakeDescriptors = descriptors
        self.loops = loops
        self.configuration = configuration
        share = LoadShare(configuration)
        recordBuilder = RecordBuilder(configuration)
        results = ResultChannel(producers: loops)
        running = Atomic(loops)
        counterState = Mutex([LoopCounters](repeating: LoopCounters(), count: loops))
        signal(SIGPIPE, SIG_IGN)
        try CurlGlobal.initialise()
    }

    deinit { wakeDescriptors.forEach { close($0) } }

    /// Summed over the loops.
    public var counters: EngineCounters {
        counterState.withLock { loops in
            var total = EngineCounters()
            for loop in loops {
                total.requestsStarted += loop.requestsStarted
                total.connectionsOpened += loop.connectionsOpened
                total.thinking += loop.thinking
            }
            let first = loops.compactMap(\.firstScheduledAt).min(), last = loops.compactMap(\.lastStartAt).max()
            if let first, let last, last > first {
                total.achievedRate = Double(total.requestsStarted) / (Double(last - first) / 1e9)
            }
            return total
        }
    }

    /// `--preconnect`: starts the loop threads, which open the run's connections; returns when every
    /// loop has, with what they did. `start` then starts the clock. nil without `--preconnect`.
    public func prepare() -> Preconnect? {
        guard configuration.preconnect, !launched.exchange(true, ordering: .acquiringAndReleasing) else { return nil }
        let begin = monotonicNanoseconds()
        launch()
        var phase = Preconnect.merged(preconnectGate.waitForReports(loops))
        phase.seconds = Double(monotonicNanoseconds() - begin) / 1e9
        return phase
    }

    /// Starts the loop threads (or, after `prepare`, lets them go). Records arrive on `results`, which
    /// closes when the last loop has ended (so a consumer that reads it to `.closed` has outlived every loop).
    public func start() {
        if !launched.exchange(true, ordering: .acquiringAndReleasing) { launch() }
        preconnectGate.open()
    }

    private func launch() {
        for index in 0..<loops {
            let thread = Thread { [self] in
                do {
                    let loop = try EventLoop(engine: self, index: index)
                    if configuration.preconnect {
                        preconnectGate.report(loop.preconnect())
                        preconnectGate.waitUntilOpen()
                    }
                    loop.run()
                    // libcurl may call back into the loop while it frees its handles: the loop is whole now.
                    loop.releaseHandles()
                } catch {
                    fail("\(error)")
                    stop()
                    if configuration.preconnect { preconnectGate.report(Preconnect()) }
                    // The other loops wait for every loop at the start.
                    _ = share.ready()
                }
                if running.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                    results.close()
                }
            }
            thread.name = "curl-engine-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Stop starting requests; in-flight ones get the grace period, then are recorded as aborted.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        var one: UInt64 = 1
        for descriptor in wakeDescriptors { _ = write(descriptor, &one, 8) }
    }
}

extension CurlEngine: LoadRunner {
    public var connectionsOpened: Int? { counters.connectionsOpened }
    public var requestsStarted: Int { counters.requestsStarted }
    public var achievedRate: Double? { configuration.plan.isOpen ? counters.achievedRate : nil }
    public var thinking: Int { counters.thinking }
}
