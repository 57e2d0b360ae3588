import Foundation
import LoadCore

/// `--preconnect`'s two steps across the loop threads: each loop reports its phase (`report`) and waits
/// (`waitUntilOpen`); `prepare` waits for every report (`waitForReports`), then `start` opens the gate
/// and the loops start the run's clock together (`LoadShare.ready`).
final class PreconnectGate: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var reports: [Preconnect] = []
    private var isOpen = false

    func report(_ phase: Preconnect) {
        condition.lock()
        reports.append(phase)
        condition.broadcast()
        condition.unlock()
    }

    func waitForReports(_ count: Int) -> [Preconnect] {
        condition.lock()
        defer { condition.unlock() }
        while reports.count < count { condition.wait() }
        return reports
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilOpen() {
        condition.lock()
        defer { condition.unlock() }
        while !isOpen { condition.wait() }
    }
}
