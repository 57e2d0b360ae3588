import Foundation

/// The RESULTS block the Python tool prints, shape for shape.
enum ConsoleReport {
    static let rule = String(repeating: "=", count: 70)

    static func results(_ summary: RunSummary) -> String { results(summary.statistics) }

    static func results(_ statistics: Statistics) -> String {
        let total = statistics.total
        func percent(_ count: Int) -> String {
            String(format: "%.1f%%", total == 0 ? 0 : Double(count) / Double(total) * 100)
        }
        var lines = ["", rule, "RESULTS", rule, ""]
        lines.append("Requests:     \(total) total")
        lines.append("Successful:   \(statistics.successful) (\(percent(statistics.successful)))")
        lines.append("Failed:       \(statistics.failed) (\(percent(statistics.failed)))")
        if !statistics.statusCodes.isEmpty {
            lines.append("")
            lines.append("Status Codes:")
            for (code, count) in statistics.statusCodes.entries.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(code): \(count) (\(percent(count)))")
            }
        }
        if !statistics.errors.isEmpty {
            lines.append("")
            lines.append("Errors Observed:")
            for (error, count) in statistics.errors.byCountDescending {
                lines.append("  \(error): \(count) (\(percent(count)))")
            }
        }
        lines.append("")
        if let latency = statistics.latencySummary() {
            lines.append("Latency (milliseconds):")
            for (label, value) in [("Min:", latency.min), ("Mean:", latency.mean), ("Median:", latency.median),
                                   ("P95:", latency.p95), ("P99:", latency.p99), ("Max:", latency.max),
                                   ("Std Dev:", latency.stdev)] {
                lines.append("  " + label.padding(toLength: 8, withPad: " ", startingAt: 0) + String(format: "%14.2f", value))
            }
        } else {
            lines.append("No requests completed: there is no latency to report.")
        }
        lines.append("")
        lines.append(rule)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The lines after the block: by turn, streaming, first and reused connections, goodput, the open model's
    /// rates, then the thresholds.
    static func afterBlock(_ summary: RunSummary) -> String {
        var lines = ByTurnReport.lines(summary.statistics, streaming: summary.run.streaming)
        if summary.run.streaming { lines += streaming(summary) }
        if let connections = ConnectionsReport.consoleLine(summary.statistics, streaming: summary.run.streaming) {
            lines.append(connections)
        }
        if let goodput = goodput(summary) { lines.append(goodput) }
        if let drift = summary.drift { lines.append(drift.line) }
        lines += outages(summary.statistics.outages.all)
        if let offered = summary.run.offeredRate {
            let lag = summary.statistics.startLags.summary().map { String(format: "%.2f ms", $0.p99) } ?? "-"
            let achieved = summary.achievedRate.map { String(format: "%.2f req/s", $0) } ?? "-"
            lines.append(String(format: "Rate: offered %.2f req/s, achieved %@, start lag p99 %@", offered, achieved, lag))
        }
        if let replay = ReplayReport.consoleLine(summary) { lines.append(replay) }
        if !summary.thresholds.isEmpty {
            lines.append("Thresholds:")
            lines += summary.thresholds.map { "  " + $0.line }
        }
        return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n") + "\n"
    }

    /// SPEC 22: one line per outage (the first five, then how many more), so an error rate made of a
    /// restart's refused attempts reads as one.
    static func outages(_ outages: [Outages.Outage]) -> [String] {
        var lines = outages.prefix(5).map { outage in
            String(format: "Outage: no connection could be made from %.1f s to %.1f s (%.1f s, %d refused attempts)",
                   outage.startSeconds, outage.endSeconds, outage.seconds, outage.refusedAttempts)
        }
        if outages.count > 5 { lines.append("Outage: \(outages.count - 5) more") }
        return lines
    }

    /// `Streaming:` with TTFT, ITL, TPOT rows (Median/P95/P99) and the output tokens.
    static func streaming(_ summary: RunSummary) -> [String] {
        let streaming = summary.statistics.streaming
        var lines = ["Streaming (milliseconds):    Median       P95       P99"]
        for (label, distribution) in [("TTFT:", streaming.timeToFirstToken), ("ITL:", streaming.interTokenGaps),
                                      ("TPOT:", streaming.timePerOutputToken)] {
            let row = distribution.summary().map { String(format: "%10.2f%10.2f%10.2f", $0.median, $0.p95, $0.p99) }
                ?? String(repeating: String(repeating: " ", count: 9) + "-", count: 3)
            lines.append("  " + label.padding(toLength: 24, withPad: " ", startingAt: 0) + row)
        }
        let seconds = summary.wallSeconds
        lines.append(String(format: "Output tokens: %d (%.2f tokens/s)", streaming.outputTokens,
                            seconds > 0 ? Double(streaming.outputTokens) / seconds : 0))
        return lines
    }

    /// `Goodput: 912 of 1000 requests (91.20%) met e2e<=10000 ms, ttft<=500 ms; 15.20 good req/s`
    static func goodput(_ summary: RunSummary) -> String? {
        let statistics = summary.statistics
        guard let level = statistics.serviceLevel, let percent = statistics.goodPercent else { return nil }
        let perSecond = summary.wallSeconds > 0 ? Double(statistics.good) / summary.wallSeconds : 0
        return String(format: "Goodput: %d of %d requests (%.2f%%) met %@; %.2f good req/s",
                      statistics.good, statistics.total, percent, level.description, perSecond)
    }

    /// What follows the block: where files went, then the verdict.
    static func closing(_ summary: RunSummary, savedFiles: [String]) -> String {
        var text = "\n"
        for line in savedFiles { text += line + "\n" }
        if summary.interrupted {
            text += "\n⚠️  Test interrupted: results cover the requests that finished before the stop\n"
        }
        if summary.thresholdFailed {
            text += "\n⚠️  Thresholds failed: \(summary.thresholds.filter { !$0.passed }.map(\.threshold.expression).joined(separator: ", "))\n"
        }
        if summary.highErrorRate {
            text += String(format: "\n⚠️  Warning: High error rate (%.1f%%)\n", summary.statistics.errorRatePercent)
        } else if !summary.interrupted && !summary.thresholdFailed {
            text += "✓ Test completed\n"
        }
        return text
    }
}
