import Foundation

/// The RESULTS block the Python tool prints, shape for shape.
enum ConsoleReport {
    static let rule = String(repeating: "=", count: 70)

    static func results(_ summary: RunSummary) -> String {
        let statistics = summary.statistics
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

    /// What follows the block: where files went, then the verdict.
    static func closing(_ summary: RunSummary, savedFiles: [String]) -> String {
        var text = "\n"
        for line in savedFiles { text += line + "\n" }
        if summary.interrupted {
            text += "\n⚠️  Test interrupted: results cover the requests that finished before the stop\n"
        }
        if summary.highErrorRate {
            text += String(format: "\n⚠️  Warning: High error rate (%.1f%%)\n", summary.statistics.errorRatePercent)
        } else if !summary.interrupted {
            text += "✓ Test completed\n"
        }
        return text
    }
}
