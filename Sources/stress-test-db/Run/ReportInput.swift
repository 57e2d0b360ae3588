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
        if let responses {
            for line in try lines(responses, flag: "--responses") {
                statistics.add(try record(line, from: responses))
                count += 1
            }
        }
        if let output {
            let document = try object(try text(output, flag: "--output"), from: output)
            guard let raw = document["raw_results"] as? [[String: Any]] else {
                throw FileError("--output \(output) has no raw_results array: is it a stress-test-db or Python tool --output file?")
            }
            if responses == nil { for entry in raw { statistics.add(try ResponseRecord(json: entry, source: output)); count += 1 } }
        }
        var timeline: [TimeSeries.Point] = []
        if let timeseries {
            for line in try lines(timeseries, flag: "--timeseries") {
                let entry = try object(line, from: timeseries)
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

    private func text(_ path: String, flag: String) throws -> String {
        do {
            guard let text = try FileOutput.readText(path) else { throw FileError("\(flag) \(path) does not exist.") }
            return text
        } catch let error as FileError { throw error } catch {
            throw FileError("cannot read \(flag) \(path): \(error).")
        }
    }

    private func lines(_ path: String, flag: String) throws -> [String] {
        try text(path, flag: flag).split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    private func object(_ line: String, from path: String) throws -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw FileError("\(path): a line is not a JSON object: \(line.prefix(80))")
        }
        return object
    }

    private func record(_ line: String, from path: String) throws -> ResponseRecord {
        try ResponseRecord(json: try object(line, from: path), source: path)
    }
}
