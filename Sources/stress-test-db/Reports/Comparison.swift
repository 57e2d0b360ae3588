import Foundation

/// One run read back from its `--output` file for `compare`.
struct CompareRun {
    var path: String
    var statistics = Statistics()
    /// Latencies (and TTFT, TPOT) of the successful requests: what the bootstrap resamples.
    var latencies: [Double] = []
    var timesToFirstToken: [Double] = []
    var timesPerOutputToken: [Double] = []
    /// Latencies of the successful requests by turn bucket (SPEC 24), where records carry a turn.
    var latenciesByTurn: [Int: [Double]] = [:]
    var seconds = 0.0

    init(path: String) throws {
        self.path = path
        var first = Int64.max, last = Int64.min
        try RecordFiles.forEachRawResult(path, flag: "compare", requireRecords: true) { record in
            statistics.add(record)
            first = min(first, record.completedAtMicroseconds - Int64(record.latencyMilliseconds * 1000))
            last = max(last, record.completedAtMicroseconds)
            guard record.success else { return }
            latencies.append(record.latencyMilliseconds)
            if let turn = record.turn { latenciesByTurn[Statistics.turnBucket(turn), default: []].append(record.latencyMilliseconds) }
            if let ttft = record.stream?.timeToFirstTokenMilliseconds { timesToFirstToken.append(ttft) }
            if let tpot = record.timePerOutputTokenMilliseconds { timesPerOutputToken.append(tpot) }
        }
        // From the first request's start to the last completion, read from the records' timestamps.
        seconds = last > first ? Double(last - first) / 1e6 : 0
    }

    var requestsPerSecond: Double { seconds > 0 ? Double(statistics.total) / seconds : 0 }
}

/// SPEC section 17: side by side, B − A, and intervals with a verdict for p50 and p95.
struct Comparison {
    struct Row {
        var name: String
        var a: Double?
        var b: Double?
        var interval: Bootstrap.Interval?
        var difference: Double? { a.flatMap { a in b.map { $0 - a } } }
    }

    let a: CompareRun
    let b: CompareRun
    let rows: [Row]
    /// Where either run held conversations: per turn (`1` … `7+`), p95 with its interval and the error rate.
    let byTurn: [(label: String, rows: [Row])]

    static func percentile(_ values: [Double], _ p: Double) -> Double? { values.isEmpty ? nil : Bootstrap.percentile(values.sorted(), p) }

    init(a: CompareRun, b: CompareRun) throws {
        self.a = a
        self.b = b
        byTurn = Self.turnRows(a, b)
        let percentile = Self.percentile
        var rows = [
            Row(name: "requests", a: Double(a.statistics.total), b: Double(b.statistics.total)),
            Row(name: "success %", a: a.statistics.successPercent, b: b.statistics.successPercent),
            Row(name: "req/s", a: a.requestsPerSecond, b: b.requestsPerSecond),
            Row(name: "p50 ms", a: percentile(a.latencies, 0.5), b: percentile(b.latencies, 0.5),
                interval: Bootstrap.interval(a: a.latencies, b: b.latencies, p: 0.5)),
            Row(name: "p95 ms", a: percentile(a.latencies, 0.95), b: percentile(b.latencies, 0.95),
                interval: Bootstrap.interval(a: a.latencies, b: b.latencies, p: 0.95)),
            Row(name: "p99 ms", a: percentile(a.latencies, 0.99), b: percentile(b.latencies, 0.99)),
        ]
        if !a.timesToFirstToken.isEmpty && !b.timesToFirstToken.isEmpty {
            rows.append(Row(name: "TTFT p95 ms", a: percentile(a.timesToFirstToken, 0.95), b: percentile(b.timesToFirstToken, 0.95)))
        }
        if !a.timesPerOutputToken.isEmpty && !b.timesPerOutputToken.isEmpty {
            rows.append(Row(name: "TPOT p95 ms", a: percentile(a.timesPerOutputToken, 0.95), b: percentile(b.timesPerOutputToken, 0.95)))
        }
        self.rows = rows
    }

    var table: String {
        func number(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func line(_ row: Row, name: String) -> String {
            var line = name.padding(toLength: 13, withPad: " ", startingAt: 0)
                + pad(number(row.a), 12) + pad(number(row.b), 12) + pad(row.difference.map { String(format: "%+.2f", $0) } ?? "-", 12)
            if let interval = row.interval {
                line += String(format: "  [%+.2f, %+.2f] %@", interval.low, interval.high, interval.verdict)
            }
            return line
        }
        var lines = ["A: \(a.path)", "B: \(b.path)", "",
                     "metric       " + [pad("A", 12), pad("B", 12), pad("B - A", 12), "  95% interval of B - A, verdict"].joined()]
        lines += rows.map { line($0, name: $0.name) }
        if !byTurn.isEmpty { lines += ["", "By turn:"] }
        for (label, rows) in byTurn { lines += rows.map { line($0, name: "  \(label) \($0.name)") } }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: JSONValue {
        .object([("a", .string(a.path)), ("b", .string(b.path)), ("rows", .array(rows.map(Self.json)))]
            + (byTurn.isEmpty ? [] : [("by_turn", .object(byTurn.map { ($0.label, .array($0.rows.map(Self.json))) }))]))
    }

    static func json(_ row: Row) -> JSONValue {
        var members: [(String, JSONValue)] = [("metric", .string(row.name)), ("a", row.a.map(JSONValue.number) ?? .null),
                                              ("b", row.b.map(JSONValue.number) ?? .null),
                                              ("difference", row.difference.map(JSONValue.number) ?? .null)]
        if let interval = row.interval {
            members += [("interval_95", .array([.number(interval.low), .number(interval.high)])), ("verdict", .string(interval.verdict))]
        }
        return .object(members)
    }
}

extension Comparison {
    /// SPEC 24's breakdown: for each turn bucket either run has, the p95 of its successful requests
    /// (with the bootstrap interval) and its error rate; none when neither run went past turn 1.
    static func turnRows(_ a: CompareRun, _ b: CompareRun) -> [(label: String, rows: [Row])] {
        guard a.statistics.hasLaterTurns || b.statistics.hasLaterTurns else { return [] }
        let buckets = Set(a.statistics.byTurn.keys).union(b.statistics.byTurn.keys).sorted()
        func errorPercent(_ run: CompareRun, _ bucket: Int) -> Double? {
            run.statistics.byTurn[bucket].map { Double($0.failed) / Double($0.total) * 100 }
        }
        return buckets.map { bucket in
            let latenciesA = a.latenciesByTurn[bucket] ?? [], latenciesB = b.latenciesByTurn[bucket] ?? []
            return (Statistics.turnLabel(bucket), [
                Row(name: "p95 ms", a: percentile(latenciesA, 0.95), b: percentile(latenciesB, 0.95),
                    interval: Bootstrap.interval(a: latenciesA, b: latenciesB, p: 0.95)),
                Row(name: "error %", a: errorPercent(a, bucket), b: errorPercent(b, bucket)),
            ])
        }
    }
}
