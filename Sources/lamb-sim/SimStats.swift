import Foundation
import Synchronization

/// Counters `GET /stats` reports.
final class SimStats: Sendable {
    private struct State {
        var byStatus: [Int: Int] = [:]
        var completions = 0
        var openConnections = Set<ObjectIdentifier>()
        var serviceTimes: [Double] = []
        /// Faults injected, by name.
        var faults: [String: Int] = [:]
        /// Connections served, by the client's address (`--source-address` spreads them).
        var connectionsByPeer: [String: Int] = [:]
    }

    private let state = Mutex(State())
    /// Chat requests received, counted before any check or fault.
    let received = Counter()
    /// HEAD requests to the chat routes (`--preconnect`'s), apart from `received`.
    let heads = Counter()
    /// Service times kept for percentiles; beyond this the oldest are overwritten.
    private let serviceTimeWindow = 200_000

    func isNewConnection(_ id: ObjectIdentifier, peer: String?) -> Bool {
        state.withLock { state in
            guard state.openConnections.insert(id).inserted else { return false }
            state.connectionsByPeer[peer ?? "unknown", default: 0] += 1
            return true
        }
    }

    func connectionClosed(_ id: ObjectIdentifier) {
        state.withLock { _ = $0.openConnections.remove(id) }
    }

    func recordFault(_ fault: Fault) {
        guard let name = fault.name else { return }
        state.withLock { $0.faults[name, default: 0] += 1 }
    }

    func record(status: Int, serviceMilliseconds: Double, completion: Bool) {
        state.withLock { state in
            state.byStatus[status, default: 0] += 1
            if completion { state.completions += 1 }
            let total = state.byStatus.values.reduce(0, +)
            if state.serviceTimes.count < serviceTimeWindow {
                state.serviceTimes.append(serviceMilliseconds)
            } else {
                state.serviceTimes[total % serviceTimeWindow] = serviceMilliseconds
            }
        }
    }

    func json(store: ChatStore?) -> String {
        let snapshot = state.withLock { $0 }
        let sorted = snapshot.serviceTimes.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        let statuses = snapshot.byStatus.keys.sorted().map { "\"\($0)\":\(snapshot.byStatus[$0]!)" }.joined(separator: ",")
        let faults = snapshot.faults.keys.sorted().map { "\"\($0)\":\(snapshot.faults[$0]!)" }.joined(separator: ",")
        let peers = snapshot.connectionsByPeer.keys.sorted().map { "\"\($0)\":\(snapshot.connectionsByPeer[$0]!)" }.joined(separator: ",")
        let total = snapshot.byStatus.values.reduce(0, +)
        let rows = (try? store?.chatRowCount()) ?? 0
        let byTurns = (try? store?.chatsByTurns()) ?? [:]
        let turns = byTurns.keys.sorted().map { "\"\($0)\":\(byTurns[$0]!)" }.joined(separator: ",")
        return """
            {"received":\(received.current),"head_requests":\(heads.current),"requests":\(total),"requests_by_status":{\(statuses)},"faults":{\(faults)},"completions":\(snapshot.completions),\
            "chat_rows":\(rows),"chats_by_turns":{\(turns)},"chat_rows_written":\(store?.chatRowsWritten.current ?? 0),\
            "sqlite_busy_waits":\(store?.busyWaits.current ?? 0),\
            "open_connections":\(snapshot.openConnections.count),"connections_by_peer":{\(peers)},\
            "service_time_ms":{"p50":\(percentile(0.5)),"p95":\(percentile(0.95)),"p99":\(percentile(0.99))}}
            """
    }
}
