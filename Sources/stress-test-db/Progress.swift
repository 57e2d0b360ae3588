import Foundation

/// The live line on stderr: in place on a terminal, a plain line every few seconds otherwise.
struct ProgressLine {
    let requestLimit: Int?
    let durationSeconds: Double?
    let isTerminal: Bool
    private(set) var lastShown: Double = 0
    private var recentLatencies: [Double] = []
    private var lastCompleted = 0

    init(requestLimit: Int?, durationSeconds: Double?, isTerminal: Bool) {
        self.requestLimit = requestLimit
        self.durationSeconds = durationSeconds
        self.isTerminal = isTerminal
    }

    var interval: Double { isTerminal ? 0.5 : 5 }

    mutating func observe(_ record: ResponseRecord) { recentLatencies.append(record.latencyMilliseconds) }

    /// The line to show now, if one is due; p95 is over the records since the last line.
    mutating func update(elapsed: Double, completed: Int, errors: Int) -> String? {
        guard elapsed - lastShown >= interval else { return nil }
        let window = elapsed - lastShown
        let rate = window > 0 ? Double(completed - lastCompleted) / window : 0
        lastShown = elapsed
        lastCompleted = completed
        let p95 = LatencySummary(recentLatencies).map { String(format: "%.1f ms", $0.p95) } ?? "-"
        recentLatencies.removeAll(keepingCapacity: true)
        return Self.render(elapsed: elapsed, completed: completed, requestLimit: requestLimit,
                           durationSeconds: durationSeconds, rate: rate, errors: errors, p95: p95)
    }

    static func render(elapsed: Double, completed: Int, requestLimit: Int?, durationSeconds: Double?,
                       rate: Double, errors: Int, p95: String) -> String {
        var progress = "\(completed)"
        if let requestLimit { progress += "/\(requestLimit)" }
        progress += " done"
        if let durationSeconds { progress += String(format: ", %.0fs left", max(0, durationSeconds - elapsed)) }
        return String(format: "[%6.1fs] ", elapsed) + progress
            + String(format: " | %.1f req/s | errors %d | p95 %@", rate, errors, p95)
    }
}

/// First SIGINT/SIGTERM: stop gracefully. Second: leave at once.
final class StopSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received = 0
    private var firstSignal: Int32?

    func install(console: Console, onStop: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                lock.lock()
                received += 1
                let count = received
                if firstSignal == nil { firstSignal = number }
                lock.unlock()
                if count == 1 {
                    console.err("\nStopping: letting in-flight requests finish, then writing results (signal again to quit at once)\n")
                    onStop()
                } else {
                    console.err("\nStopped at once: results not written\n")
                    _exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal that stopped the run, if one did.
    var stoppedBySignal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return firstSignal
    }

    func uninstall() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }
}
