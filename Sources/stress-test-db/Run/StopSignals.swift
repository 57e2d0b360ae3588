import Foundation
import LoadCore
import Synchronization

/// First SIGINT/SIGTERM: stop gracefully. Second: leave at once.
///
/// A C signal handler may not run Swift code safely, so the signals are ignored and delivered
/// instead by `DispatchSourceSignal` on a queue, where the handler can lock, print and stop the runner
/// measuring now (`stopping(_:during:)` names it).
final class StopSignals: Sendable {
    private struct State {
        /// The first signal received, and how many arrived.
        var first: Int32?
        var received = 0
    }

    private let state = Mutex(State())
    /// The runner a signal stops: the one measuring, if any (set and cleared by the measuring thread).
    private let current = Mutex<(any LoadRunner)?>(nil)
    /// Only the thread that calls `install` and `uninstall` (the run's) touches this.
    // Safe: RunSession calls `install` in its init and `uninstall` in its deinit, both on the main thread; the handlers never read it.
    nonisolated(unsafe) private var sources: [DispatchSourceSignal] = []

    func install(console: Console) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                let count = state.withLock { state -> Int in
                    if state.first == nil { state.first = number }
                    state.received += 1
                    return state.received
                }
                if count == 1 {
                    console.err("\nStopping: letting in-flight requests finish, then writing results (signal again to quit at once)\n")
                    current.withLock { $0?.stop() }
                } else {
                    console.err("\nStopped at once: results not written\n")
                    _exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// `body` measures `runner`: a signal meanwhile stops it.
    func stopping<T>(_ runner: any LoadRunner, during body: () -> T) -> T {
        current.withLock { $0 = runner }
        defer { current.withLock { $0 = nil } }
        return body()
    }

    /// The signal that stopped the run, if one did.
    var stoppedBySignal: Int32? { state.withLock { $0.first } }

    func uninstall() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }
}
