/// SPEC 21's counters and histograms of a run so far, updated as each record arrives; a scrape reads a
/// copy. Fixed buckets (Prometheus histograms are cumulative counts at fixed upper bounds), chosen for
/// LLM answers: from 5 ms (a cached or refused request) to 120 s (a long streamed answer), and for the
/// time to first token from 50 ms to 60 s.
struct LiveMetrics {
    /// Upper bounds in seconds; a value above the last counts in `+Inf` only.
    static let durationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120]
    static let ttftBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 30, 60]

    struct Histogram {
        let bounds: [Double]
        /// Per bucket, the values up to its bound and above the one before (the last: above every bound).
        private(set) var counts: [Int]
        private(set) var sum = 0.0
        private(set) var count = 0

        init(bounds: [Double]) {
            self.bounds = bounds
            counts = [Int](repeating: 0, count: bounds.count + 1)
        }

        mutating func observe(_ seconds: Double) {
            var index = 0
            while index < bounds.count && seconds > bounds[index] { index += 1 }
            counts[index] += 1
            sum += seconds
            count += 1
        }

        /// Cumulative counts at each bound, then `+Inf` (= `count`).
        var cumulative: [Int] {
            var running = 0
            return counts.map { running += $0; return running }
        }
    }

    /// What a request ended as: `success`, the record's error kind, or `HTTPStatus` for a non-2xx
    /// answer (its code is the `status` label).
    struct Outcome: Hashable, Comparable {
        var outcome: String
        var status: String
        static func < (a: Outcome, b: Outcome) -> Bool { (a.outcome, a.status) < (b.outcome, b.status) }
    }

    private(set) var requests: [Outcome: Int] = [:]
    private(set) var duration = Histogram(bounds: durationBuckets)
    /// Streaming only.
    private(set) var timeToFirstToken: Histogram?
    private(set) var outputTokens = 0

    init(streaming: Bool) {
        timeToFirstToken = streaming ? Histogram(bounds: Self.ttftBuckets) : nil
    }

    mutating func add(_ record: ResponseRecord) {
        let outcome = record.success ? "success" : record.error ?? "HTTPStatus"
        requests[Outcome(outcome: outcome, status: String(record.statusCode)), default: 0] += 1
        duration.observe(record.latencyMilliseconds / 1000)
        if record.success, let ttft = record.stream?.timeToFirstTokenMilliseconds { timeToFirstToken?.observe(ttft / 1000) }
        if record.success, let tokens = record.outputTokens { outputTokens += tokens }
    }
}
