import Foundation

/// SPEC 24's console block `By turn:`: one line a turn (`7+` for the long tail) with its requests,
/// failures, latency p50/p95/p99 and, when streaming, TTFT p50; printed only when the run held
/// conversations (a record of turn 2 or later), so a one-turn run's output stays as it was.
enum ByTurnReport {
    static func lines(_ statistics: Statistics, streaming: Bool) -> [String] {
        guard statistics.hasLaterTurns else { return [] }
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func milliseconds(_ value: Double?, _ width: Int) -> String { pad(value.map { String(format: "%.2f", $0) } ?? "-", width) }
        var header = "By turn:".padding(toLength: 10, withPad: " ", startingAt: 0) + pad("Requests", 10) + pad("Failed", 8)
            + pad("P50 ms", 11) + pad("P95 ms", 11) + pad("P99 ms", 11)
        if streaming { header += pad("TTFT P50 ms", 13) }
        var lines = [header]
        for (_, label, part) in statistics.turns {
            let latency = part.latencies.summary()
            var line = ("  " + label).padding(toLength: 10, withPad: " ", startingAt: 0) + pad("\(part.total)", 10)
                + pad("\(part.failed)", 8) + milliseconds(latency?.median, 11) + milliseconds(latency?.p95, 11)
                + milliseconds(latency?.p99, 11)
            if streaming { line += milliseconds(part.timesToFirstToken.summary()?.median, 13) }
            lines.append(line)
        }
        return lines
    }
}
