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

    /// A written interval's figures, for the HTML report's charts (a few numbers an interval).
    struct Point {
        var t: Double
        var p50: Double?
        var p95: Double?
        var p99: Double?
        var rps: Double
        var failed: Int
        var ttftP95: Double?
    }

    /// One interval's line of SPEC section 13 (rendered as JSON by `Line.json`).
    struct Line {
        var t: Double
        var intervalSeconds: Double
        var target: Double?
        var requests: Int
        var successful: Int
        var errors: [(key: String, count: Int)]
        var statusCodes: [(key: Int, count: Int)]
        var latency: LatencySummary?
        /// Streaming only.
        var timeToFirstToken: LatencySummary??
        var inFlight: Int
        var connectionsOpened: Int?
        var thinking: Int?

        var failed: Int { requests - successful }
        var rps: Double { intervalSeconds > 0 ? Double(requests) / intervalSeconds : 0 }
    }

    /// What the engine says at the moment a line is written.
    struct Gauges {
        var target: Double?
        var inFlight: Int
        var connectionsOpened: Int?
        /// `--think`: VUs pausing between requests (nil without it).
        var thinking: Int? = nil
    }

    let intervalSeconds: Double
    let streaming: Bool
    private var open: Interval
    private var connectionsBefore = 0
    /// Each written interval's end, p95 and error rate, for the drift verdict (three numbers each).
    private(set) var history: [(t: Double, p95: Double?, errorRate: Double?)] = []
    /// Each written interval's figures for the HTML report's charts (a few numbers an interval).
    private(set) var points: [Point] = []

    /// When the open interval ends, seconds on the series' clock.
    var openEnd: Double { Double(open.index + 1) * intervalSeconds }

    init(intervalSeconds: Double, streaming: Bool) {
        self.intervalSeconds = intervalSeconds
        self.streaming = streaming
        open = Interval(index: 0)
    }

    /// Adds a record completed `seconds` after the start. One that completed in an interval already
    /// written (it reached the consumer late) counts in the open one: every record is in some line.
    mutating func add(_ record: ResponseRecord, at seconds: Double, lines: inout [Line], gauges: Gauges) {
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
    mutating func advance(to seconds: Double, lines: inout [Line], gauges: Gauges) {
        while seconds >= Double(open.index + 1) * intervalSeconds { lines.append(closeFull(gauges: gauges)) }
    }

    /// The last, partial interval, ending when the run did.
    mutating func finish(at seconds: Double, gauges: Gauges) -> Line {
        let begin = Double(open.index) * intervalSeconds
        return close(end: max(seconds, begin), span: max(0, seconds - begin), gauges: gauges)
    }

    private mutating func closeFull(gauges: Gauges) -> Line {
        close(end: Double(open.index + 1) * intervalSeconds, span: intervalSeconds, gauges: gauges)
    }

    private mutating func close(end: Double, span: Double, gauges: Gauges) -> Line {
        let interval = open
        open = Interval(index: interval.index + 1)
        let opened = gauges.connectionsOpened.map { total -> Int in
            defer { connectionsBefore = total }
            return total - connectionsBefore
        }
        let line = Line(
            t: end, intervalSeconds: span, target: gauges.target, requests: interval.requests, successful: interval.successful,
            errors: interval.errors.entries, statusCodes: interval.statusCodes.entries.sorted { $0.key < $1.key },
            latency: LatencySummary(interval.latencies),
            timeToFirstToken: streaming ? .some(LatencySummary(interval.timesToFirstToken)) : .none,
            inFlight: gauges.inFlight, connectionsOpened: opened, thinking: gauges.thinking)
        history.append((end, line.latency?.p95, line.requests == 0 ? nil : Double(line.failed) / Double(line.requests) * 100))
        points.append(Point(t: end, p50: line.latency?.median, p95: line.latency?.p95, p99: line.latency?.p99, rps: line.rps,
                            failed: line.failed, ttftP95: LatencySummary(interval.timesToFirstToken)?.p95))
        return line
    }
}
