import LoadCore

/// SPEC section 17: a 95% bootstrap interval for the difference of a percentile between two runs,
/// 2,000 resamples from a fixed seed, so the same files always give the same interval.
enum Bootstrap {
    struct Interval: Equatable {
        var difference: Double
        var low: Double
        var high: Double

        /// `B slower`, `B faster`, or `no significant difference` when the interval contains 0.
        var verdict: String { low > 0 ? "B slower" : (high < 0 ? "B faster" : "no significant difference") }
    }

    /// The percentile as section 5 defines it: sorted[⌊n × p⌋], the median as the mean of the middle two.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let n = sorted.count
        if p == 0.5 { return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2 }
        return sorted[min(n - 1, Int(Double(n) * p))]
    }

    /// B − A of the percentile `p`, and its 2.5%–97.5% bootstrap interval. Each resample draws n
    /// indices into the sorted values and reads the order statistic from their counts: O(n), no sort.
    static func interval(a: [Double], b: [Double], p: Double, resamples: Int = 2000, seed: UInt64 = 1) -> Interval? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        let sortedA = a.sorted(), sortedB = b.sorted()
        var random = SplitMix64(seed: seed)
        var counts = [Int](repeating: 0, count: max(sortedA.count, sortedB.count))
        func resampled(_ sorted: [Double]) -> Double {
            let n = sorted.count
            for index in 0..<n { counts[index] = 0 }
            for _ in 0..<n { counts[Int(random.next() % UInt64(n))] += 1 }
            func orderStatistic(_ rank: Int) -> Double {
                var seen = 0
                for index in 0..<n {
                    seen += counts[index]
                    if rank < seen { return sorted[index] }
                }
                return sorted[n - 1]
            }
            if p == 0.5 { return n % 2 == 1 ? orderStatistic(n / 2) : (orderStatistic(n / 2 - 1) + orderStatistic(n / 2)) / 2 }
            return orderStatistic(min(n - 1, Int(Double(n) * p)))
        }
        var differences: [Double] = []
        differences.reserveCapacity(resamples)
        for _ in 0..<resamples { differences.append(resampled(sortedB) - resampled(sortedA)) }
        differences.sort()
        return Interval(difference: percentile(sortedB, p) - percentile(sortedA, p),
                        low: differences[Int(Double(resamples) * 0.025)], high: differences[min(resamples - 1, Int(Double(resamples) * 0.975))])
    }
}
