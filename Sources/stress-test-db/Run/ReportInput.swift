import Foundation

/// Files of a finished run read back for `stress-test-db report`: records (JSON Lines, or an
/// `--output` document's `raw_results`) rebuild the statistics and the console block; time-series
/// lines give the charts over time. The Python tool's files have the same first eight record keys.
/// Every value is checked as it is read (`RecordFields`): a damaged file is an error naming it.
struct ReportInput {
    var responses: String?
    var timeseries: String?
    var output: String?

    func report() throws -> HTMLReport {
        var statistics = Statistics()
        var count = 0
        let add = { (record: ResponseRecord) in
            statistics.add(record)
            count += 1
        }
        // The JSON Lines file holds every record when both are given (the document holds them too).
        if let responses {
            try RecordFiles.forEachJSONLine(responses, flag: "--responses", add)
        } else if let output {
            try RecordFiles.forEachRawResult(output, flag: "--output", add)
        }
        let timeline = try timeseries.map(Self.timeline) ?? []
        if count == 0 && timeline.isEmpty {
            throw FileError("\(responses ?? output ?? "the files") hold no records and no time series was given: nothing to report.")
        }
        let source = [responses, output, timeseries].compactMap { $0 }.joined(separator: ", ")
        let streamed = statistics.streaming.requests > 0
        let afterBlock = (ByTurnReport.lines(statistics, streaming: streamed)
            + [ConnectionsReport.consoleLine(statistics, streaming: streamed)].compactMap { $0 }).map { $0 + "\n" }.joined()
        return HTMLReport(
            title: "stress-test-db report: \(source)",
            consoleText: count > 0 ? ConsoleReport.results(statistics) + (afterBlock.isEmpty ? "" : "\n" + afterBlock)
                : "No per-request records were given; the charts come from the time series.",
            keyFigures: HTMLReport.keyFigures(statistics), latency: count > 0 ? statistics.latencies : nil,
            streaming: streamed ? statistics.streaming : nil, timeline: timeline,
            turns: HTMLReport.turns(statistics))
    }

    /// The `--timeseries` file's points, each value in its bounds.
    static func timeline(_ path: String) throws -> [TimeSeries.Point] {
        let label = "--timeseries \(path)"
        return try InputFile.lines(try InputFile.text(path, label: label)).map { number, line in
            let source = "\(label) line \(number)"
            let entry = try RecordFiles.object(String(line), from: source)
            let read = RecordFields(json: entry, source: source)
            func nested(_ key: String) throws -> RecordFields {
                guard let value = entry[key], !(value is NSNull) else { return RecordFields(json: [:], source: source) }
                guard let object = value as? [String: Any] else { throw FileError("\(source): \(key) is not an object.") }
                return RecordFields(json: object, source: "\(source) \(key)")
            }
            let latency = try nested("latency_ms"), ttft = try nested("ttft_ms")
            guard let t = try read.number("t", "seconds") else { throw FileError("\(source): the interval has no t.") }
            return TimeSeries.Point(t: t, p50: try latency.milliseconds("p50"), p95: try latency.milliseconds("p95"),
                                    p99: try latency.milliseconds("p99"), rps: try read.number("rps", "a rate") ?? 0,
                                    failed: try read.count("failed") ?? 0, ttftP95: try ttft.milliseconds("p95"))
        }
    }
}
