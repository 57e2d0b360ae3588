import Foundation

/// The first-connection requests apart from the rest (issue 29), in the reports of a run that had
/// both: `statistics.first_connection` and `statistics.reused_connection`, and the console's
/// `Connections:` line. Both count successful requests only (see `ConnectionGroups`).
enum ConnectionsReport {
    /// `first_connection` `{requests, latency_ms {p50, p95, p99}, connect_ms {p50, p99}, ttft_ms?}` and
    /// `reused_connection` `{requests, latency_ms, ttft_ms?}`; nothing unless both kinds were seen.
    static func statistics(_ statistics: Statistics, streaming: Bool) -> [(String, JSONValue)] {
        let connections = statistics.connections
        guard connections.hasBothKinds else { return [] }
        func group(_ group: ConnectionGroups.Group, connects: Bool) -> JSONValue {
            var members: [(String, JSONValue)] = [("requests", .int(group.requests)),
                                                  ("latency_ms", JSONReport.percentiles(group.latencies.summary()))]
            if connects {
                members.append(("connect_ms", group.connects.summary().map {
                    .object([("p50", .number($0.median)), ("p99", .number($0.p99))])
                } ?? .object([])))
            }
            if streaming || group.timesToFirstToken.count > 0 {
                members.append(("ttft_ms", JSONReport.percentiles(group.timesToFirstToken.summary())))
            }
            return .object(members)
        }
        return [("first_connection", group(connections.first, connects: true)),
                ("reused_connection", group(connections.reused, connects: false))]
    }

    /// `Connections: 20 first (p50 12.30 ms, connect p50 1.20 ms), 180 reused (p50 4.50 ms)`, with each
    /// kind's TTFT p50 after its latency when streaming; nil unless both kinds were seen.
    static func consoleLine(_ statistics: Statistics, streaming: Bool) -> String? {
        let connections = statistics.connections
        guard connections.hasBothKinds else { return nil }
        func median(_ distribution: LatencyDistribution) -> String {
            distribution.summary().map { String(format: "%.2f ms", $0.median) } ?? "-"
        }
        func figures(_ group: ConnectionGroups.Group) -> [String] {
            ["p50 " + median(group.latencies)] + (streaming ? ["TTFT p50 " + median(group.timesToFirstToken)] : [])
        }
        let first = figures(connections.first) + ["connect p50 " + median(connections.first.connects)]
        let reused = figures(connections.reused)
        return "Connections: \(connections.first.requests) first (\(first.joined(separator: ", "))), "
            + "\(connections.reused.requests) reused (\(reused.joined(separator: ", ")))"
    }
}
