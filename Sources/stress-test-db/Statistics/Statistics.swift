/// SPEC section 5, accumulated record by record, in memory that does not grow
/// with the run beyond the latency distribution (see `LatencyDistribution`).
struct Statistics {
    private(set) var total = 0
    private(set) var successful = 0
    private(set) var statusCodes = CountedKeys<Int>()
    private(set) var errors = CountedKeys<String>()
    /// Errors and non-2xx statuses together, for the CSV `error` column.
    private(set) var problems = CountedKeys<String>()
    private(set) var models = CountedKeys<String>()
    private(set) var latencies = LatencyDistribution()
    /// Open model only: completion minus actual send, and actual send minus scheduled time.
    private(set) var serviceTimes = LatencyDistribution()
    private(set) var startLags = LatencyDistribution()
    /// Streaming only (`--stream`).
    private(set) var streaming = StreamingStatistics()
    /// With several assistants: each one's share (`statistics.by_assistant`), in first-seen order.
    private(set) var byAssistant: [(id: String, part: Part)] = []
    /// Wherever records carry a `turn` (`--turns`, `--replay`): each turn's share
    /// (`statistics.by_turn`), by turn number, turns from `longTurn` on in one bucket (SPEC 24).
    private(set) var byTurn: [Int: Part] = [:]
    /// The successful requests that opened their connection and those that reused one.
    private(set) var connections = ConnectionGroups()

    struct Part {
        var total = 0
        var successful = 0
        var latencies = LatencyDistribution()
        /// Of the successful streamed requests.
        var timesToFirstToken = LatencyDistribution()
        var failed: Int { total - successful }
    }

    /// Stretches in which no connection could be made (SPEC 22).
    private(set) var outages = Outages()
    /// The first record's completion, the clock of outages when records come without their run's time.
    private var firstCompletion: Int64?

    /// With `--slo`: the limits, and how many requests met them.
    var serviceLevel: ServiceLevel?
    private(set) var good = 0

    var failed: Int { total - successful }
    var errorRatePercent: Double { total == 0 ? 0 : Double(failed) / Double(total) * 100 }
    var successPercent: Double { total == 0 ? 0 : Double(successful) / Double(total) * 100 }
    /// The most common non-empty model; the first seen wins a tie.
    var mostCommonModel: String? { models.mostCommon }
    /// With `--slo`: the share of all requests that were good.
    var goodPercent: Double? { serviceLevel.map { _ in total == 0 ? 0 : Double(good) / Double(total) * 100 } }

    init(serviceLevel: ServiceLevel? = nil) { self.serviceLevel = serviceLevel }

    /// The union of shards, from their HDR logs (`merge`): counts added, distributions merged.
    init(total: Int, successful: Int, statusCodes: CountedKeys<Int>, errors: CountedKeys<String>, problems: CountedKeys<String>,
         models: CountedKeys<String>, latencies: LatencyDistribution, serviceTimes: LatencyDistribution, streaming: StreamingStatistics,
         byTurn: [Int: Part] = [:]) {
        (self.total, self.successful, self.statusCodes, self.errors, self.problems, self.models) =
            (total, successful, statusCodes, errors, problems, models)
        (self.latencies, self.serviceTimes, self.streaming, self.byTurn) = (latencies, serviceTimes, streaming, byTurn)
    }

    /// `seconds`: when the record completed, since the run's start (from files: since the first record).
    mutating func add(_ record: ResponseRecord, at seconds: Double? = nil) {
        if firstCompletion == nil { firstCompletion = record.completedAtMicroseconds }
        outages.add(record, at: seconds ?? Double(record.completedAtMicroseconds - firstCompletion!) / 1e6)
        total += 1
        if record.success { successful += 1 }
        statusCodes.add(record.statusCode)
        if let error = record.outcome.error { errors.add(error) }
        if let problem = record.outcome.problemKey { problems.add(problem) }
        if let model = record.model, !model.isEmpty { models.add(model) }
        latencies.add(record.latencyMilliseconds)
        if let lag = record.startLagMilliseconds {
            startLags.add(lag)
            serviceTimes.add(record.serviceMilliseconds)
        }
        if record.stream != nil { streaming.add(record) }
        connections.add(record)
        if let turn = record.turn { byTurn[Self.turnBucket(turn), default: Part()].add(record) }
        if let assistant = record.assistantID {
            if let index = byAssistant.firstIndex(where: { $0.id == assistant }) {
                byAssistant[index].part.add(record)
            } else {
                var part = Part()
                part.add(record)
                byAssistant.append((assistant, part))
            }
        }
        if let serviceLevel, serviceLevel.isMet(by: record) { good += 1 }
    }

    /// Latency summary; nil when there are no records.
    func latencySummary() -> LatencySummary? { latencies.summary() }
}

extension Statistics.Part {
    mutating func add(_ record: ResponseRecord) {
        total += 1
        if record.success { successful += 1 }
        latencies.add(record.latencyMilliseconds)
        if record.success, let ttft = record.stream?.timeToFirstTokenMilliseconds { timesToFirstToken.add(ttft) }
    }
}
