import Foundation
import LoadCore

/// The sweep's table, its one-line verdict and its `--output` document (SPEC section 14).
enum SweepReport {
    static func levelText(_ level: Double, byRate: Bool) -> String {
        byRate ? "\(JSONText.integerOrNumber(level)) req/s" : "\(Int(level)) VUs"
    }

    static func table(_ steps: [SweepStep], byRate: Bool) -> String {
        func row(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : String(repeating: " ", count: max(0, 10 - cell.count)) + cell
            }.joined(separator: " | ")
        }
        var lines = ["", row([byRate ? "rate" : "vus", "req/s", "p50", "p95", "p99", "errors %", "verdict"])]
        for step in steps {
            let statistics = step.summary.statistics
            let latency = statistics.latencySummary()
            let rps = step.summary.requestsPerSecond
            func number(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
            lines.append(row([JSONText.integerOrNumber(step.level), number(rps), number(latency?.median), number(latency?.p95),
                              number(latency?.p99), number(statistics.errorRatePercent), step.passed ? "pass" : "fail"]))
        }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// `Max sustainable: 32 VUs (151.90 req/s, p95 191.40 ms, 0.00% errors)`, `No level passed`, or
    /// `All levels passed (capacity above 400 VUs)`.
    static func verdict(capacity: SweepStep?, steps: [SweepStep], levels: [Double], byRate: Bool) -> String {
        guard let capacity else { return "No level passed" }
        if steps.allSatisfy(\.passed), steps.count == levels.count, let top = levels.last {
            return "All levels passed (capacity above \(levelText(top, byRate: byRate)))"
        }
        let statistics = capacity.summary.statistics
        let rps = capacity.summary.requestsPerSecond
        return String(format: "Max sustainable: %@ (%.2f req/s, p95 %.2f ms, %.2f%% errors)", levelText(capacity.level, byRate: byRate),
                      rps, statistics.latencySummary()?.p95 ?? 0, statistics.errorRatePercent)
    }

    static func document(base: RunDescription, steps: [SweepStep], capacity: SweepStep?, byRate: Bool,
                         stepSeconds: Double, warmupSeconds: Double) -> String {
        let key = byRate ? "rate" : "vus"
        let capacityValue: JSONValue = capacity.map { step in
            .object([(key, .wholeOrNumber(step.level)), ("rps", .number(step.summary.requestsPerSecond)),
                            ("p95_ms", step.summary.statistics.latencySummary().map { .number($0.p95) } ?? .null)])
        } ?? .null
        let document: JSONValue = .object([
            ("metadata", .object([
                ("timestamp", .string(isoTimestamp(microseconds: wallClockMicroseconds()))),
                ("api_url", .string(base.apiURL)), ("assistant_id", .string(base.assistantID)),
                ("step_duration", .wholeOrNumber(stepSeconds)), ("warmup", .wholeOrNumber(warmupSeconds)),
                ("timeout", .wholeOrNumber(base.timeoutSeconds)),
            ])),
            ("steps", .array(steps.map { .object([(key, .wholeOrNumber($0.level)), ("statistics", JSONReport.statistics($0.summary))]) })),
            ("capacity", capacityValue),
        ])
        return document.pretty + "\n"
    }
}

/// One measured level of a sweep: its summary and whether it passed.
struct SweepStep {
    var level: Double
    var summary: RunSummary
    var passed: Bool
}
