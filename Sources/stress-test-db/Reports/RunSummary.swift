import LoadCore

/// Everything the end-of-run reports need, besides the records themselves.
struct RunSummary {
    var run: RunDescription
    var statistics: Statistics
    /// Wall-clock start of the load phase, microseconds since the epoch.
    var startedAtMicroseconds: Int64
    /// Seconds from the first request started to the last record.
    var wallSeconds: Double
    var embeddingModel: String
    var interrupted: Bool
    /// Open model: requests started per second from the first due time to the last start.
    var achievedRate: Double?
    var thresholds: [Threshold.Result] = []
    /// With six or more intervals: the soak verdict.
    var drift: Drift.Verdict?
    /// `--preconnect`: what the phase before the clock did (nil without the flag).
    var preconnect: Preconnect? = nil

    var thresholdFailed: Bool { thresholds.contains { !$0.passed } }

    var highErrorRate: Bool { statistics.errorRatePercent > 5 }
    /// Records per second of the run's wall time.
    var requestsPerSecond: Double { wallSeconds > 0 ? Double(statistics.total) / wallSeconds : 0 }
}
