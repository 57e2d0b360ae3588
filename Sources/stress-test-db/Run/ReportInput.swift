import Foundation

/// Files of a finished run read back for `stress-test-db report`: records (JSON Lines, or an
/// `--output` document's `raw_results`) rebuild the statistics and the console block; time-series
/// lines give the charts over time. The Python tool's files have the same first eight record keys.
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
        var timeline: [TimeSeries.Point] = []
        if let timeseries {
            for line in try RecordFiles.lines(timeseries, flag: "--timeseries") {
                let entry = try RecordFiles.object(line, from: timeseries)
                let latency = entry["latency_ms"] as? [String: Any]
                timeline.append(TimeSeries.Point(
                    t: entry["t"] as? Double ?? 0, p50: latency?["p50"] as? Double, p95: latency?["p95"] as? Double,
                    p99: latency?["p99"] as? Double, rps: entry["rps"] as? Double ?? 0, failed: entry["failed"] as? Int ?? 0,
                    ttftP95: (entry["ttft_ms"] as? [String: Any])?["p95"] as? Double))
            }
        }
        let source = [responses, output, timeseries].compactMap { $0 }.joined(separator: ", ")
        return HTMLReport(
            title: "stress-test-db report: \(source)",
            consoleText: count > 0 ? ConsoleReport.results(statistics) : "No per-request records were given; the charts come from the time series.",
            keyFigures: HTMLReport.keyFigures(statistics), latency: count > 0 ? statistics.latencies : nil,
            streaming: statistics.streaming.requests > 0 ? statistics.streaming : nil, timeline: timeline)
    }
}
