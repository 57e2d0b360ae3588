/// SPEC section 9's `statistics.streaming`, over successful streamed requests, accumulated as records
/// arrive: TTFT and TPOT per request, ITL pooled over every gap of every request (exact while small,
/// then bucketed to 10 µs like the latencies), and the output tokens.
struct StreamingStatistics {
    private(set) var timeToFirstToken = LatencyDistribution()
    private(set) var interTokenGaps = LatencyDistribution()
    private(set) var timePerOutputToken = LatencyDistribution()
    private(set) var outputTokens = 0
    private(set) var requests = 0

    init() {}

    /// What a merge of HDR logs knows: the TTFT distribution and the output tokens.
    init(timeToFirstToken: LatencyDistribution, outputTokens: Int) {
        self.timeToFirstToken = timeToFirstToken
        self.outputTokens = outputTokens
        requests = timeToFirstToken.count
    }

    mutating func add(_ record: ResponseRecord) {
        guard record.success, let stream = record.stream else { return }
        requests += 1
        if let ttft = stream.timeToFirstTokenMilliseconds { timeToFirstToken.add(ttft) }
        for gap in stream.gapsMilliseconds { interTokenGaps.add(Double(gap)) }
        if let tpot = record.timePerOutputTokenMilliseconds { timePerOutputToken.add(tpot) }
        outputTokens += record.outputTokens ?? 0
    }
}
