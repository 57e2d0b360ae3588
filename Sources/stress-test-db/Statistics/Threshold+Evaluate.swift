import Foundation

/// A threshold judged on a run's statistics.
extension Threshold {
    /// The run's value for the metric, or nil when there is none (no latency without records).
    func actual(_ statistics: Statistics, wallSeconds: Double) -> Double? {
        let latency = statistics.latencySummary()
        switch metric {
        case .p50: return latency?.median
        case .p95: return latency?.p95
        case .p99: return latency?.p99
        case .mean: return latency?.mean
        case .max: return latency?.max
        case .errorRate: return statistics.errorRatePercent
        case .rps: return wallSeconds > 0 ? Double(statistics.total) / wallSeconds : nil
        case .ttftP95: return statistics.streaming.timeToFirstToken.summary()?.p95
        case .ttftP99: return statistics.streaming.timeToFirstToken.summary()?.p99
        case .tpotP95: return statistics.streaming.timePerOutputToken.summary()?.p95
        case .goodput: return statistics.goodPercent
        }
    }

    struct Result: Equatable {
        var threshold: Threshold
        var value: Double?
        /// A threshold without a value to judge fails: nothing was shown to meet it.
        var passed: Bool { value.map { threshold.comparison.holds($0, threshold.limit) } ?? false }

        /// `✓ p95<2000: 1834.20`
        var line: String {
            (passed ? "✓ " : "✗ ") + threshold.expression + ": " + (value.map { String(format: "%.2f", $0) } ?? "no data")
        }
    }

    func evaluate(_ statistics: Statistics, wallSeconds: Double) -> Result {
        Result(threshold: self, value: actual(statistics, wallSeconds: wallSeconds))
    }
}
