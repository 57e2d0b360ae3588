import Foundation

/// One run read back from its `--output` file for `compare`.
struct CompareRun {
    var path: String
    var statistics = Statistics()
    /// Latencies (and TTFT, TPOT) of the successful requests: what the bootstrap resamples.
    var latencies: [Double] = []
    var timesToFirstToken: [Double] = []
    var timesPerOutputToken: [Double] = []
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

    init(a: CompareRun, b: CompareRun) throws {
        self.a = a
        self.b = b
        func percentile(_ values: [Double], _ p: Double) -> Double? { values.isEmpty ? nil : Bootstrap.percentile(values.sorted(), p) }
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
        var lines = ["A: \(a.path)", "B: \(b.path)", "",
                     "metric       " + [pad("A", 12), pad("B", 12), pad("B - A", 12), "  95% interval of B - A, verdict"].joined()]
        for row in rows {
            var line = row.name.padding(toLength: 13, withPad: " ", startingAt: 0)
                + pad(number(row.a), 12) + pad(number(row.b), 12) + pad(row.difference.map { String(format: "%+.2f", $0) } ?? "-", 12)
            if let interval = row.interval {
                line += String(format: "  [%+.2f, %+.2f] %@", interval.low, interval.high, interval.verdict)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: JSONValue {
        .object([
            ("a", .string(a.path)), ("b", .string(b.path)),
            ("rows", .array(rows.map { row in
                var members: [(String, JSONValue)] = [("metric", .string(row.name)), ("a", row.a.map(JSONValue.number) ?? .null),
                                                      ("b", row.b.map(JSONValue.number) ?? .null),
                                                      ("difference", row.difference.map(JSONValue.number) ?? .null)]
                if let interval = row.interval {
                    members += [("interval_95", .array([.number(interval.low), .number(interval.high)])), ("verdict", .string(interval.verdict))]
                }
                return .object(members)
            })),
        ])
    }
}
