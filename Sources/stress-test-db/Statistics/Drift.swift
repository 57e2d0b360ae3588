import Foundation

/// SPEC section 13's soak verdict: the Mann–Kendall trend test (α = 0.05, ties corrected, two-sided)
/// and the Theil–Sen slope, over one value per interval.
enum Drift {
    struct Trend: Equatable {
        /// Mann–Kendall S: concordant minus discordant pairs.
        var s: Int
        var pValue: Double
        /// Median of the pairwise slopes, per unit of `times`.
        var slope: Double
        /// "rising", "falling" or "none" at α = 0.05.
        var direction: String
    }

    static let alpha = 0.05

    /// nil with fewer than two points.
    static func trend(times: [Double], values: [Double]) -> Trend? {
        let n = values.count
        guard n >= 2, times.count == n else { return nil }
        var s = 0
        var slopes: [Double] = []
        slopes.reserveCapacity(n * (n - 1) / 2)
        for i in 0..<n - 1 {
            for j in i + 1..<n {
                let difference = values[j] - values[i]
                s += difference > 0 ? 1 : (difference < 0 ? -1 : 0)
                if times[j] != times[i] { slopes.append(difference / (times[j] - times[i])) }
            }
        }
        // Variance of S under no trend, less the share of tied groups.
        var ties: [Double: Int] = [:]
        for value in values { ties[value, default: 0] += 1 }
        let tieTerm = ties.values.reduce(0.0) { sum, t in sum + Double(t * (t - 1) * (2 * t + 5)) }
        let variance = (Double(n * (n - 1) * (2 * n + 5)) - tieTerm) / 18
        let z: Double
        if variance <= 0 || s == 0 { z = 0 } else { z = Double(s > 0 ? s - 1 : s + 1) / variance.squareRoot() }
        let p = min(1, erfc(abs(z) / 2.0.squareRoot()))
        let direction = p < alpha ? (s > 0 ? "rising" : "falling") : "none"
        return Trend(s: s, pValue: p, slope: median(slopes), direction: direction)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    struct Verdict: Equatable {
        var intervals: Int
        var p95: Trend?
        var errorRate: Trend?
        /// Whether each trend moved its measure materially over the run (see `verdict`).
        var p95Material = false
        var errorRateMaterial = false

        /// Degrading when p95 or the error rate rises significantly and materially; improving when one
        /// falls so and neither rises.
        var word: String {
            let rising = (p95?.direction == "rising" && p95Material) || (errorRate?.direction == "rising" && errorRateMaterial)
            let falling = (p95?.direction == "falling" && p95Material) || (errorRate?.direction == "falling" && errorRateMaterial)
            return rising ? "degrading" : (falling ? "improving" : "stable")
        }

        /// `Soak: degrading — p95 rising 41.2 ms/min (Mann-Kendall p=0.0004)`
        var line: String {
            var parts: [String] = []
            if let p95 {
                parts.append(String(format: "p95 %@ %.1f ms/min (Mann-Kendall p=%.4f)",
                                    p95.direction == "none" ? "slope" : p95.direction, p95.slope, p95.pValue))
            }
            if let errorRate, errorRate.direction != "none" {
                parts.append(String(format: "error rate %@ %.2f %%/min (p=%.4f)", errorRate.direction, errorRate.slope, errorRate.pValue))
            }
            return "Soak: \(word) — " + (parts.isEmpty ? "no latency to judge" : parts.joined(separator: "; "))
        }
    }

    /// Over the intervals' (end time in seconds, p95 ms, error rate %); minutes are the slopes' unit.
    /// nil with fewer than six intervals.
    ///
    /// A significant trend counts towards the verdict only when it is also material: the Theil–Sen
    /// slope over the run's length moves p95 by at least 5% of its median, or the error rate by at
    /// least one percentage point. Mann–Kendall reads only the order of the values, so on a steady
    /// server microsecond jitter is "significant" one run in twenty; a soak verdict should not be.
    static func verdict(_ intervals: [(t: Double, p95: Double?, errorRate: Double?)]) -> Verdict? {
        guard intervals.count >= 6 else { return nil }
        let latencies = intervals.compactMap { interval in interval.p95.map { (interval.t / 60, $0) } }
        let errors = intervals.compactMap { interval in interval.errorRate.map { (interval.t / 60, $0) } }
        var verdict = Verdict(intervals: intervals.count,
                              p95: trend(times: latencies.map(\.0), values: latencies.map(\.1)),
                              errorRate: trend(times: errors.map(\.0), values: errors.map(\.1)))
        let minutes = (intervals.last?.t ?? 0) / 60 - (intervals.first?.t ?? 0) / 60
        if let p95 = verdict.p95 {
            verdict.p95Material = abs(p95.slope) * minutes >= 0.05 * median(latencies.map(\.1))
        }
        if let errorRate = verdict.errorRate { verdict.errorRateMaterial = abs(errorRate.slope) * minutes >= 1 }
        return verdict
    }
}
