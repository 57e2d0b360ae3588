/// SPEC section 13's `--timeseries`: the run cut into `--interval` seconds by completion time, one
/// line per interval once it is over. An interval keeps only its own records' values, dropped when
/// its line is written, so a 24-hour soak holds one interval at a time.
struct TimeSeries {
    struct Interval {
        var index: Int
        var requests = 0
        var successful = 0
        var errors = CountedKeys<String>()
        var statusCodes = CountedKeys<Int>()
        var latencies: [Double] = []
        var timesToFirstToken: [Double] = []
    }

    /// What the engine says at the moment a line is written.
    struct Gauges {
        var target: Double?
        var inFlight: Int
        var connectionsOpened: Int?
    }

    let intervalSeconds: Double
    let streaming: Bool
    private var open: Interval
    private var connectionsBefore = 0
    /// Each written interval's end, p95 and error rate, for the drift verdict (three numbers each).
    private(set) var history: [(t: Double, p95: Double?, errorRate: Double?)] = []
    /// Each written interval's figures for the HTML report's charts (a few numbers an interval).
    private(set) var points: [HTMLReport.TimePoint] = []

    init(intervalSeconds: Double, streaming: Bool) {
        self.intervalSeconds = intervalSeconds
        self.streaming = streaming
        open = Interval(index: 0)
    }

    /// Adds a record completed `seconds` after the start. One that completed in an interval already
    /// written (it reached the consumer late) counts in the open one: every record is in some line.
    mutating func add(_ record: ResponseRecord, at seconds: Double, lines: inout [JSONValue], gauges: Gauges) {
        let index = Int(max(0, seconds) / intervalSeconds)
        while index > open.index { lines.append(closeFull(gauges: gauges)) }
        open.requests += 1
        if record.success { open.successful += 1 }
        if let error = record.error { open.errors.add(error) }
        open.statusCodes.add(record.statusCode)
        open.latencies.append(record.latencyMilliseconds)
        if let ttft = record.stream?.timeToFirstTokenMilliseconds { open.timesToFirstToken.append(ttft) }
    }

    /// The lines of every interval over by `seconds` (also the empty ones).
    mutating func advance(to seconds: Double, lines: inout [JSONValue], gauges: Gauges) {
        while seconds >= Double(open.index + 1) * intervalSeconds { lines.append(closeFull(gauges: gauges)) }
    }

    /// The last, partial interval, ending when the run did.
    mutating func finish(at seconds: Double, gauges: Gauges) -> JSONValue {
        let begin = Double(open.index) * intervalSeconds
        return close(end: max(seconds, begin), span: max(0, seconds - begin), gauges: gauges)
    }

    private mutating func closeFull(gauges: Gauges) -> JSONValue {
        close(end: Double(open.index + 1) * intervalSeconds, span: intervalSeconds, gauges: gauges)
    }

    private mutating func close(end: Double, span: Double, gauges: Gauges) -> JSONValue {
        let interval = open
        open = Interval(index: interval.index + 1)
        let latency = LatencySummary(interval.latencies)
        let failed = interval.requests - interval.successful
        history.append((end, latency?.p95, interval.requests == 0 ? nil : Double(failed) / Double(interval.requests) * 100))
        points.append(HTMLReport.TimePoint(t: end, p50: latency?.median, p95: latency?.p95, p99: latency?.p99,
                                           rps: span > 0 ? Double(interval.requests) / span : 0, failed: failed,
                                           ttftP95: LatencySummary(interval.timesToFirstToken)?.p95))
        let opened = gauges.connectionsOpened.map { total -> Int in
            defer { connectionsBefore = total }
            return total - connectionsBefore
        }
        func percentiles(_ summary: LatencySummary?, max: Bool) -> JSONValue {
            var members: [(String, JSONValue)] = [("p50", summary.map { .number($0.median) } ?? .null),
                                                  ("p95", summary.map { .number($0.p95) } ?? .null),
                                                  ("p99", summary.map { .number($0.p99) } ?? .null)]
            if max { members.append(("max", summary.map { .number($0.max) } ?? .null)) }
            return .object(members)
        }
        var members: [(String, JSONValue)] = [
            ("t", .number(end)), ("interval_s", .number(span)),
            ("target", gauges.target.map(JSONValue.wholeOrNumber) ?? .null),
            ("requests", .int(interval.requests)), ("successful", .int(interval.successful)), ("failed", .int(failed)),
            ("errors", .object(interval.errors.entries.map { ($0.key, .int($0.count)) })),
            ("status_codes", .object(interval.statusCodes.entries.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.count)) })),
            ("rps", .number(span > 0 ? Double(interval.requests) / span : 0)),
            ("latency_ms", percentiles(latency, max: true)),
        ]
        if streaming { members.append(("ttft_ms", percentiles(LatencySummary(interval.timesToFirstToken), max: false))) }
        members += [("in_flight", .int(gauges.inFlight)), ("connections_opened", opened.map(JSONValue.int) ?? .null)]
        return .object(members)
    }
}
