import LoadCore

/// The `--output` document: metadata, statistics, and every record. The records are rendered as
/// they arrive (`element`) and the document is put together at the end: `head`, elements, `tail`.
enum JSONReport {
    static func document(_ summary: RunSummary, records: [ResponseRecord], writtenAtMicroseconds: Int64 = wallClockMicroseconds()) -> String {
        head(summary, writtenAtMicroseconds: writtenAtMicroseconds) + records.enumerated().map { element($1, first: $0 == 0) }.joined() + tail(count: records.count)
    }

    /// One `raw_results` element as it stands in the document, with what separates it from the one before.
    static func element(_ record: ResponseRecord, first: Bool) -> String {
        var out: [UInt8] = []
        appendElement(record, first: first, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same, appended as bytes (the spool's path, for every record).
    static func appendElement(_ record: ResponseRecord, first: Bool, to out: inout [UInt8]) {
        out += (first ? "\n    " : ",\n    ").utf8
        record.json.render(into: &out, indent: 2, level: 2)
    }

    static func tail(count: Int) -> String { count == 0 ? "]\n}\n" : "\n  ]\n}\n" }

    /// Everything up to and including `"raw_results": [`.
    /// `metadata.timestamp` is when the file is written, as the Python tool writes it.
    static func head(_ summary: RunSummary, writtenAtMicroseconds: Int64 = wallClockMicroseconds()) -> String {
        let run = summary.run
        let document: JSONValue = .object([
            ("metadata", .object([
                ("timestamp", .string(isoTimestamp(microseconds: writtenAtMicroseconds))),
                ("api_url", .string(run.apiURL)),
                ("assistant_id", .string(run.assistantID)),
                ("vus", run.virtualUsers > 0 ? .int(run.virtualUsers) : .null),
                ("total_requests", .optional(run.requestLimit)),
                ("duration", .optional(run.durationSeconds)),
                ("timeout", .wholeOrNumber(run.timeoutSeconds)),
            ] + (run.shard.map { [("shard", JSONValue.string($0))] } ?? [])
              + [("loops", .optional(run.loops))] + (run.think.map { [("think", JSONValue.string($0))] } ?? [])
              + (run.httpVersion.map { [("http_version", JSONValue.string($0))] } ?? []) + ReplayReport.metadata(run)
              + PreconnectReport.metadata(summary) + interrupted(summary))),
            ("statistics", statistics(summary)),
            ("raw_results", .array([])),
        ])
        // The document with an empty array ends `"raw_results": []\n}`: keep it up to the `[`.
        return String(document.pretty.dropLast(3))
    }

    /// A run stopped by a signal: `interrupted: true` and the seconds it ran (`duration` stays the limit asked for).
    static func interrupted(_ summary: RunSummary) -> [(String, JSONValue)] {
        summary.interrupted ? [("interrupted", .bool(true)), ("wall_seconds", .number((summary.wallSeconds * 1000).rounded() / 1000))] : []
    }

    /// The `statistics` object of a run (also each step of a sweep).
    static func statistics(_ summary: RunSummary) -> JSONValue {
        let statistics = summary.statistics
        return .object([
            ("total_requests", .int(statistics.total)),
            ("successful", .int(statistics.successful)),
            ("failed", .int(statistics.failed)),
            ("error_rate_percent", .number(statistics.errorRatePercent)),
            ("status_codes", .object(statistics.statusCodes.entries.sorted { $0.key < $1.key }
                .map { (String($0.key), .int($0.count)) })),
            ("errors", .object(statistics.errors.entries.map { ($0.key, .int($0.count)) })),
            ("latency_ms", json(statistics.latencySummary())),
        ] + byAssistant(statistics) + byTurn(statistics, streaming: summary.run.streaming) + streaming(summary)
            + ConnectionsReport.statistics(statistics, streaming: summary.run.streaming) + goodput(summary) + openModel(summary)
            + ReplayReport.statistics(summary) + drift(summary) + outages(statistics) + thresholds(summary))
    }

    static func json(_ latency: LatencySummary?) -> JSONValue {
        guard let latency else { return .object([]) }
        return .object([
            ("min", .number(latency.min)), ("max", .number(latency.max)), ("mean", .number(latency.mean)),
            ("median", .number(latency.median)), ("p95", .number(latency.p95)), ("p99", .number(latency.p99)),
            ("stdev", .number(latency.stdev)),
        ])
    }

    /// SPEC section 16: `statistics.by_assistant`, with several `--assistant-id`s.
    static func byAssistant(_ statistics: Statistics) -> [(String, JSONValue)] {
        guard !statistics.byAssistant.isEmpty else { return [] }
        return [("by_assistant", .object(statistics.byAssistant.map { id, part in
            (id, .object([("total_requests", .int(part.total)), ("successful", .int(part.successful)),
                          ("latency_ms", json(part.latencies.summary()))]))
        }))]
    }

    /// SPEC 24 (and 16): `statistics.by_turn`, wherever records carry a turn: per bucket (`1` … `6`, `7+`)
    /// `requests`, `failed`, `latency_ms` p50/p95/p99 and `ttft_ms` when streaming; SPEC 16's
    /// `total_requests`, `successful` and latency summary stay beside them for readers of older files.
    static func byTurn(_ statistics: Statistics, streaming: Bool) -> [(String, JSONValue)] {
        guard !statistics.byTurn.isEmpty else { return [] }
        return [("by_turn", .object(statistics.turns.map { _, label, part in
            var members: [(String, JSONValue)] = [
                ("requests", .int(part.total)), ("failed", .int(part.failed)),
                ("latency_ms", percentiles(part.latencies.summary(), keepingSummary: true)),
            ]
            if streaming || part.timesToFirstToken.count > 0 {
                members.append(("ttft_ms", percentiles(part.timesToFirstToken.summary())))
            }
            members += [("total_requests", .int(part.total)), ("successful", .int(part.successful))]
            return (label, .object(members))
        }))]
    }

    /// `{"p50", "p95", "p99"}` (p50 the median), then with `keepingSummary` the rest of `json(_:)`'s keys; `{}` for none.
    static func percentiles(_ latency: LatencySummary?, keepingSummary: Bool = false) -> JSONValue {
        guard let latency else { return .object([]) }
        let head: [(String, JSONValue)] = [("p50", .number(latency.median)), ("p95", .number(latency.p95)), ("p99", .number(latency.p99))]
        guard keepingSummary, case .object(let all) = json(latency) else { return .object(head) }
        return .object(head + all.filter { key, _ in key != "p95" && key != "p99" })
    }

    /// SPEC section 9: `statistics.streaming`, with `--stream` only.
    static func streaming(_ summary: RunSummary) -> [(String, JSONValue)] {
        guard summary.run.streaming else { return [] }
        let streaming = summary.statistics.streaming
        let perSecond = summary.wallSeconds > 0 ? Double(streaming.outputTokens) / summary.wallSeconds : 0
        return [("streaming", .object([
            ("ttft_ms", json(streaming.timeToFirstToken.summary())),
            ("itl_ms", json(streaming.interTokenGaps.summary())),
            ("tpot_ms", json(streaming.timePerOutputToken.summary())),
            ("output_tokens", .int(streaming.outputTokens)),
            ("output_tokens_per_s", .number(perSecond)),
        ]))]
    }

    /// SPEC section 10: `statistics.goodput`, with `--slo` only.
    static func goodput(_ summary: RunSummary) -> [(String, JSONValue)] {
        let statistics = summary.statistics
        guard let level = statistics.serviceLevel, let percent = statistics.goodPercent else { return [] }
        let perSecond = summary.wallSeconds > 0 ? Double(statistics.good) / summary.wallSeconds : 0
        return [("goodput", .object([
            ("slo", .object(level.limits.map { ("\($0.key.rawValue)_ms", .number($0.milliseconds)) })),
            ("good_requests", .int(statistics.good)),
            ("good_percent", .number(percent)),
            ("good_per_s", .number(perSecond)),
        ]))]
    }

    /// SPEC section 11's additions, in the open model only.
    static func openModel(_ summary: RunSummary) -> [(String, JSONValue)] {
        guard let offered = summary.run.offeredRate else { return [] }
        let lag = summary.statistics.startLags.summary()
        return [
            ("service_time_ms", json(summary.statistics.serviceTimes.summary())),
            ("start_lag_ms", lag.map { .object([("median", .number($0.median)), ("p99", .number($0.p99)), ("max", .number($0.max))]) }
                ?? .object([])),
            ("offered_rate", .number(offered)),
            ("achieved_rate", summary.achievedRate.map(JSONValue.number) ?? .null),
        ]
    }

    /// SPEC section 13: `statistics.drift`, with six intervals or more.
    /// `statistics.outages`, when the run had any (SPEC 22).
    static func outages(_ statistics: Statistics) -> [(String, JSONValue)] {
        let outages = statistics.outages.all
        guard !outages.isEmpty else { return [] }
        return [("outages", .array(outages.map { outage in
            .object([("start_s", .number(outage.startSeconds)), ("end_s", .number(outage.endSeconds)),
                     ("refused_attempts", .int(outage.refusedAttempts))])
        }))]
    }

    static func drift(_ summary: RunSummary) -> [(String, JSONValue)] {
        guard let drift = summary.drift else { return [] }
        return [("drift", .object([
            ("intervals", .int(drift.intervals)),
            ("p95_slope_ms_per_min", drift.p95.map { .number($0.slope) } ?? .null),
            ("p95_trend", .string(drift.p95?.direction ?? "none")),
            ("p95_p_value", drift.p95.map { .number($0.pValue) } ?? .null),
            ("error_rate_slope_pct_per_min", drift.errorRate.map { .number($0.slope) } ?? .null),
            ("error_trend", .string(drift.errorRate?.direction ?? "none")),
            ("verdict", .string(drift.word)),
        ]))]
    }

    /// SPEC section 12: `[{"expr", "value", "passed"}]`, when thresholds were given.
    static func thresholds(_ summary: RunSummary) -> [(String, JSONValue)] {
        guard !summary.thresholds.isEmpty else { return [] }
        return [("thresholds", .array(summary.thresholds.map { result in
            .object([("expr", .string(result.threshold.expression)), ("value", result.value.map(JSONValue.number) ?? .null),
                     ("passed", .bool(result.passed))])
        }))]
    }
}
