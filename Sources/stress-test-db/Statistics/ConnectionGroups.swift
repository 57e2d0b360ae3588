/// The successful requests split by their connection (issue 29): those that opened theirs (a VU's
/// first request, or its first after a reconnect: `connection_reused: false`), which paid the TCP
/// connect and any TLS handshake in their latency and TTFT, and those that found one kept alive.
/// Failures are left out of both: a failed record says `connection_reused: false` whatever the
/// connection did, so counting them would pass refused connects and timeouts off as first connections.
struct ConnectionGroups {
    struct Group {
        var requests: Int { latencies.count }
        var latencies = LatencyDistribution()
        /// The records' `connect_ms`, the time to the TCP connection: of the first connections only
        /// (a reused one's is 0).
        var connects = LatencyDistribution()
        /// Of the streamed requests.
        var timesToFirstToken = LatencyDistribution()

        mutating func add(_ record: ResponseRecord) {
            latencies.add(record.latencyMilliseconds)
            if !record.connectionReused { connects.add(record.connectMilliseconds) }
            if let ttft = record.stream?.timeToFirstTokenMilliseconds { timesToFirstToken.add(ttft) }
        }
    }

    private(set) var first = Group()
    private(set) var reused = Group()

    /// Both kinds were seen: only then do the reports show the split (one kind alone is the whole run).
    var hasBothKinds: Bool { first.requests > 0 && reused.requests > 0 }

    mutating func add(_ record: ResponseRecord) {
        guard record.success else { return }
        if record.connectionReused { reused.add(record) } else { first.add(record) }
    }
}
