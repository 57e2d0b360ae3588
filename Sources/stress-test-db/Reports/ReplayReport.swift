/// What a `--replay` run says of its trace (SPEC 24): the trace, speed, scale and this process's
/// conversations and requests (`metadata.replay`).
struct ReplayDescription: Equatable {
    var file: String
    var speed: Double
    var scale: Double
    var conversations: Int
    var requests: Int
}

/// The replay's parts of the reports: `metadata.replay`, `statistics.schedule_lag_ms` and the console's
/// `Replay:` line. Schedule lag is the records' start lag: how long after its due time each turn went
/// (a turn whose previous answer came late, or that found every VU busy).
enum ReplayReport {
    static func metadata(_ run: RunDescription) -> [(String, JSONValue)] {
        guard let replay = run.replay else { return [] }
        return [("replay", .object([
            ("file", .string(replay.file)), ("speed", .wholeOrNumber(replay.speed)), ("scale", .wholeOrNumber(replay.scale)),
            ("conversations", .int(replay.conversations)), ("requests", .int(replay.requests)),
        ]))]
    }

    static func statistics(_ summary: RunSummary) -> [(String, JSONValue)] {
        guard summary.run.replay != nil else { return [] }
        let lag = summary.statistics.startLags.summary()
        return [("schedule_lag_ms", lag.map { .object([("p50", .number($0.median)), ("p99", .number($0.p99)), ("max", .number($0.max))]) }
            ?? .object([]))]
    }

    /// `Replay: 875 requests of 297 conversations at 5× (scale 1); schedule lag p50 0.21 / p99 3.10 / max 12.40 ms`,
    /// and the turns not sent when a failed turn ended its conversation (or the run was stopped).
    static func consoleLine(_ summary: RunSummary) -> String? {
        guard let replay = summary.run.replay else { return nil }
        let sent = summary.statistics.total
        let lag = summary.statistics.startLags.summary().map { String(format: "p50 %.2f / p99 %.2f / max %.2f ms", $0.median, $0.p99, $0.max) } ?? "-"
        var line = "Replay: \(sent) requests of \(replay.conversations) conversations at \(JSONText.integerOrNumber(replay.speed))× "
            + "(scale \(JSONText.integerOrNumber(replay.scale))); schedule lag \(lag)"
        if sent < replay.requests { line += "; \(replay.requests - sent) of the trace's \(replay.requests) turns not sent" }
        return line
    }
}
