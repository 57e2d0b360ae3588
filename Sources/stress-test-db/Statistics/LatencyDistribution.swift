import Foundation

/// Every latency, exactly, for the first `exactLimit` requests; past that, counts per 10 µs (the
/// 0.01 ms that reports print), so a long soak does not grow memory with each request: a dense
/// array up to `denseLimit` (its size follows the largest value seen, 4 MB at most) and a
/// dictionary above it. Min, max, mean and stdev stay exact throughout; median and percentiles
/// become exact to the 0.01 ms.
struct LatencyDistribution {
    static let exactLimit = 100_000
    /// Values below this many buckets (10 s) are counted in the dense array.
    static let denseLimit = 1_000_000

    private(set) var exact: [Double] = []
    private(set) var isBucketed = false
    private var dense: [UInt32] = []
    private var sparse: [Int: Int] = [:]
    /// Exact count, sum, extremes and spread, whatever the mode.
    private(set) var moments = Moments()
    var count: Int { moments.count }

    init() {}

    /// A distribution known by its exact moments and counts at given values (`merge`'s HDR buckets).
    init(moments: Moments, counts: [(milliseconds: Double, count: Int)]) {
        self.moments = moments
        isBucketed = true
        for (value, n) in counts { countBucket(Self.bucket(value), n) }
    }

    mutating func add(_ value: Double) {
        moments.add(value)
        if isBucketed {
            countBucket(Self.bucket(value))
        } else {
            exact.append(value)
            if exact.count > Self.exactLimit { bucketAll() }
        }
    }

    /// In units of 10 µs; negative values (a clock step) count as 0.
    static func bucket(_ value: Double) -> Int { Swift.max(0, Int((value * 100).rounded())) }

    private mutating func countBucket(_ bucket: Int, _ n: Int = 1) {
        guard bucket < Self.denseLimit else { sparse[bucket, default: 0] += n; return }
        if bucket >= dense.count { dense.append(contentsOf: repeatElement(0, count: bucket + 1 - dense.count)) }
        if Int(dense[bucket]) + n > Int(UInt32.max) { sparse[bucket, default: 0] += n } else { dense[bucket] += UInt32(n) }
    }

    private mutating func bucketAll() {
        isBucketed = true
        for value in exact { countBucket(Self.bucket(value)) }
        exact = []
    }

    /// (bucket, count) in increasing order of bucket.
    private func buckets() -> [(bucket: Int, count: Int)] {
        var merged: [Int: Int] = sparse
        var result: [(bucket: Int, count: Int)] = []
        for (bucket, n) in dense.enumerated() where n > 0 {
            result.append((bucket, Int(n) + (merged.removeValue(forKey: bucket) ?? 0)))
        }
        result.append(contentsOf: merged.map { ($0.key, $0.value) })
        return result.sorted { $0.bucket < $1.bucket }
    }

    func summary() -> LatencySummary? {
        guard count > 0 else { return nil }
        guard isBucketed else { return LatencySummary(exact) }
        let sorted = buckets()
        /// The value at a 0-based rank in sorted order.
        func value(atRank rank: Int) -> Double {
            var seen = 0
            for (bucket, bucketCount) in sorted {
                seen += bucketCount
                if rank < seen { return Double(bucket) / 100 }
            }
            return moments.max
        }
        let n = count
        let median = n % 2 == 1 ? value(atRank: n / 2) : (value(atRank: n / 2 - 1) + value(atRank: n / 2)) / 2
        return LatencySummary(
            min: moments.min, max: moments.max, mean: moments.sum / Double(n), median: median,
            p95: value(atRank: Swift.min(n - 1, Int(Double(n) * 0.95))),
            p99: value(atRank: Swift.min(n - 1, Int(Double(n) * 0.99))),
            stdev: moments.stdev)
    }
}

/// Count, sum, extremes and Welford's sum of squared deviations: exact as values arrive, and
/// mergeable across shards (Chan, Golub and LeVeque's pairwise update).
struct Moments: Equatable {
    var count = 0
    var sum = 0.0
    var min = Double.infinity
    var max = -Double.infinity
    var mean = 0.0
    var squaredDeviations = 0.0

    mutating func add(_ value: Double) {
        count += 1
        sum += value
        min = Swift.min(min, value)
        max = Swift.max(max, value)
        let delta = value - mean
        mean += delta / Double(count)
        squaredDeviations += delta * (value - mean)
    }

    mutating func merge(_ other: Moments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let total = Double(count + other.count)
        let delta = other.mean - mean
        squaredDeviations += other.squaredDeviations + delta * delta * Double(count) * Double(other.count) / total
        mean += delta * Double(other.count) / total
        count += other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// The sample standard deviation.
    var stdev: Double { count > 1 ? (squaredDeviations / Double(count - 1)).squareRoot() : 0 }
}

struct LatencySummary: Equatable {
    var min: Double
    var max: Double
    var mean: Double
    var median: Double
    var p95: Double
    var p99: Double
    var stdev: Double

    init(min: Double, max: Double, mean: Double, median: Double, p95: Double, p99: Double, stdev: Double) {
        (self.min, self.max, self.mean, self.median, self.p95, self.p99, self.stdev) = (min, max, mean, median, p95, p99, stdev)
    }

    init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let n = sorted.count
        min = sorted[0]
        max = sorted[n - 1]
        mean = sorted.reduce(0, +) / Double(n)
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        // Nearest rank by floor index, no interpolation, as the Python tool does.
        p95 = sorted[Swift.min(n - 1, Int(Double(n) * 0.95))]
        p99 = sorted[Swift.min(n - 1, Int(Double(n) * 0.99))]
        if n > 1 {
            let mean = self.mean
            let squares = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            stdev = (squares / Double(n - 1)).squareRoot()
        } else {
            stdev = 0
        }
    }
}

extension LatencyDistribution {
    /// Counts in log-spaced bins (`perDecade` a decade), as (bin's geometric centre, count): the
    /// report's histogram, from the exact values or the bucket counts alike.
    func logHistogram(perDecade: Int = 10) -> [(x: Double, y: Double)] {
        guard count > 0 else { return [] }
        var bins: [Int: Int] = [:]
        func bin(_ value: Double) -> Int { Int((log10(Swift.max(value, 0.001)) * Double(perDecade)).rounded(.down)) }
        if isBucketed {
            for (bucket, n) in buckets() { bins[bin(Double(bucket) / 100), default: 0] += n }
        } else {
            for value in exact { bins[bin(value), default: 0] += 1 }
        }
        return bins.keys.sorted().map { (pow(10, (Double($0) + 0.5) / Double(perDecade)), Double(bins[$0]!)) }
    }
}
