/// SPEC section 5, accumulated record by record. Only the latencies are kept
/// (8 bytes a request) because exact floor-index percentiles need them all.
struct Statistics {
    private(set) var total = 0
    private(set) var successful = 0
    private(set) var statusCodes = CountedKeys<Int>()
    private(set) var errors = CountedKeys<String>()
    /// Errors and non-2xx statuses together, for the CSV `error` column.
    private(set) var problems = CountedKeys<String>()
    private(set) var models = CountedKeys<String>()
    private(set) var latencies: [Double] = []

    var failed: Int { total - successful }
    var errorRatePercent: Double { total == 0 ? 0 : Double(failed) / Double(total) * 100 }
    var successPercent: Double { total == 0 ? 0 : Double(successful) / Double(total) * 100 }
    /// The most common non-empty model; the first seen wins a tie.
    var mostCommonModel: String? { models.mostCommon }

    mutating func add(_ record: ResponseRecord) {
        total += 1
        if record.success { successful += 1 }
        statusCodes.add(record.statusCode)
        if let error = record.error { errors.add(error) }
        if let problem = record.problemKey { problems.add(problem) }
        if let model = record.model, !model.isEmpty { models.add(model) }
        latencies.append(record.latencyMilliseconds)
    }

    /// Latency summary; nil when there are no records.
    func latencySummary() -> LatencySummary? { LatencySummary(latencies) }
}

struct LatencySummary: Equatable {
    var min: Double
    var max: Double
    var mean: Double
    var median: Double
    var p95: Double
    var p99: Double
    var stdev: Double

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

/// Counts per key, remembering the order keys were first seen.
struct CountedKeys<Key: Hashable> {
    private(set) var order: [Key] = []
    private(set) var counts: [Key: Int] = [:]

    mutating func add(_ key: Key) {
        if let count = counts[key] {
            counts[key] = count + 1
        } else {
            counts[key] = 1
            order.append(key)
        }
    }

    subscript(key: Key) -> Int { counts[key] ?? 0 }
    var isEmpty: Bool { order.isEmpty }
    /// (key, count) in first-seen order.
    var entries: [(key: Key, count: Int)] { order.map { ($0, counts[$0]!) } }
    /// By count, descending; first-seen order breaks ties.
    var byCountDescending: [(key: Key, count: Int)] {
        entries.enumerated().sorted { a, b in
            a.element.count != b.element.count ? a.element.count > b.element.count : a.offset < b.offset
        }.map(\.element)
    }
    var mostCommon: Key? { byCountDescending.first?.key }
}
