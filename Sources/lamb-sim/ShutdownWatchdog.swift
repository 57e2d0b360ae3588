import Foundation

/// Kept so the sources live as long as the process; written once, at start, by the main task.
// Safe: appended to before any source can fire, never read after; the sources' handlers do not touch it.
private nonisolated(unsafe) var watchdogSources: [DispatchSourceSignal] = []

/// Hummingbird shuts down gracefully on SIGINT/SIGTERM, but stalled requests (the stall fault) would
/// hold that open for minutes: two seconds after the signal, the process leaves regardless.
/// The signal is also delivered to Hummingbird's own handler; this one only sets the deadline.
func installShutdownWatchdog() {
    for number in [SIGINT, SIGTERM] {
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) { exit(0) }
        }
        source.resume()
        watchdogSources.append(source)
    }
}
