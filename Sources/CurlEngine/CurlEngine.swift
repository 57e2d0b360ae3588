import CCurl
import Foundation
import Glibc
import ProcessLimits
import Synchronization

/// Runs closed-loop virtual users on one dedicated thread: `curl_multi` handles (a shard
/// per 32 VUs) driven by `curl_multi_socket_action` and one epoll set.
///
/// Other threads only call `stop()`, which sets a flag and writes the eventfd;
/// the loop thread owns every curl handle. Records leave through `results`.
/// The loop's decisions live in plain values (`Scheduler`, `EpollRegistry`, `ShardTimers`);
/// `EventLoop` applies them to libcurl and epoll.
///
/// `@unchecked Sendable`: every stored property is immutable, atomic, or behind a `Mutex`;
/// the curl handles live in the `EventLoop`, which only the loop thread touches.
public final class CurlEngine: @unchecked Sendable {
    public let configuration: EngineConfiguration
    public let results = ResultChannel()

    let stopRequested = Atomic<Bool>(false)
    let wakeDescriptor: Int32
    private let done = DispatchSemaphore(value: 0)
    let counterState = Mutex(EngineCounters())
    private let failureState = Mutex<String?>(nil)

    /// Why the loop could not start, or why it stopped early, if it did.
    public var failure: String? { failureState.withLock { $0 } }

    func fail(_ message: String) { failureState.withLock { if $0 == nil { $0 = message } } }

    public struct EngineCounters: Sendable {
        public var requestsStarted = 0
        public var connectionsOpened = 0
        /// Requests started per second from the first due time to the last start (SPEC section 11).
        public var achievedRate: Double?
    }

    public init(configuration: EngineConfiguration) throws {
        guard configuration.virtualUsers >= 1 else { throw EngineError("at least one virtual user is needed") }
        // Each VU holds one socket; leave room for the epoll/eventfd, output files and stdio.
        let needed = configuration.virtualUsers + 64
        let limit = FileDescriptorLimit.raise(to: needed)
        guard limit >= needed else {
            throw EngineError(
                "the open-file limit is \(limit), too low for \(configuration.virtualUsers) virtual users (needs \(needed)); raise it with `ulimit -n \(needed)` or use fewer --vus"
            )
        }
        let descriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard descriptor >= 0 else { throw EngineError("could not create an eventfd: \(String(cString: strerror(errno)))") }
        wakeDescriptor = descriptor
        self.configuration = configuration
        signal(SIGPIPE, SIG_IGN)
        CurlGlobal.initialise()
    }

    deinit { close(wakeDescriptor) }

    public var counters: EngineCounters { counterState.withLock { $0 } }

    /// Starts the loop thread. Records arrive on `results`, which closes when the run ends.
    public func start() {
        let thread = Thread { [self] in
            do {
                let loop = try EventLoop(engine: self)
                loop.run()
            } catch {
                fail("\(error)")
            }
            results.close()
            done.signal()
        }
        thread.name = "curl-engine"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Stop starting requests; in-flight ones get the grace period, then are recorded as aborted.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }

    /// Blocks until the loop thread has finished.
    public func wait() {
        done.wait()
        done.signal()
    }
}
