extension TimeSeries.Line {
    /// The interval's line of SPEC section 13, keys in the SPEC's order.
    var json: JSONValue {
        func percentiles(_ summary: LatencySummary?, max: Bool) -> JSONValue {
            var members: [(String, JSONValue)] = [("p50", summary.map { .number($0.median) } ?? .null),
                                                  ("p95", summary.map { .number($0.p95) } ?? .null),
                                                  ("p99", summary.map { .number($0.p99) } ?? .null)]
            if max { members.append(("max", summary.map { .number($0.max) } ?? .null)) }
            return .object(members)
        }
        var members: [(String, JSONValue)] = [
            ("t", .number(t)), ("interval_s", .number(intervalSeconds)),
            ("target", target.map(JSONValue.wholeOrNumber) ?? .null),
            ("requests", .int(requests)), ("successful", .int(successful)), ("failed", .int(failed)),
            ("errors", .object(errors.map { ($0.key, .int($0.count)) })),
            ("status_codes", .object(statusCodes.map { (String($0.key), .int($0.count)) })),
            ("rps", .number(rps)),
            ("latency_ms", percentiles(latency, max: true)),
        ]
        if let timeToFirstToken { members.append(("ttft_ms", percentiles(timeToFirstToken, max: false))) }
        members += [("in_flight", .int(inFlight))] + (thinking.map { [("thinking", JSONValue.int($0))] } ?? [])
            + [("connections_opened", connectionsOpened.map(JSONValue.int) ?? .null)]
        return .object(members)
    }
}
