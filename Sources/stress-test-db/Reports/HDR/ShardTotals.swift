import Foundation

/// What `merge` needs of a run beyond its histograms, carried in the HDR log's
/// `#[stress-test-db ...]` line: the exact counts, each measure's exact moments (so the merged mean,
/// stdev, min and max are exact), the run's settings and its wall time.
struct ShardTotals {
    var shard = "0/1"
    /// The run's settings that every shard shares, as a digest (`run=` on the line): logs of one run agree.
    var run: String?
    var vus = 0
    var requests = 0
    var successful = 0
    var seconds = 0.0
    var startedAtMicroseconds: Int64 = 0
    var apiURL = ""
    var assistantID = ""
    var requestLimit: Int?
    var durationSeconds: Double?
    var timeoutSeconds = 120.0
    var statusCodes: [(key: String, count: Int)] = []
    var errors: [(key: String, count: Int)] = []
    var problems: [(key: String, count: Int)] = []
    var models: [(key: String, count: Int)] = []
    var latency = Moments()
    var ttft: Moments?
    var service: Moments?
    var outputTokens: Int?
    var offeredRate: Double?
    var achievedRate: Double?
    /// Where records carry a turn (SPEC 24): requests and successful per turn bucket, keyed `1` … `7+`.
    var turnRequests: [(key: String, count: Int)] = []
    var turnSuccessful: [(key: String, count: Int)] = []

    init() {}

    init(_ summary: RunSummary) {
        let run = summary.run, statistics = summary.statistics
        shard = run.shard ?? "0/1"
        self.run = Self.runID(run)
        vus = run.virtualUsers
        requests = statistics.total
        successful = statistics.successful
        seconds = summary.wallSeconds
        startedAtMicroseconds = summary.startedAtMicroseconds
        apiURL = run.apiURL
        assistantID = run.assistantID
        requestLimit = run.requestLimit
        durationSeconds = run.durationSeconds
        timeoutSeconds = run.timeoutSeconds
        statusCodes = statistics.statusCodes.entries.map { (String($0.key), $0.count) }
        errors = statistics.errors.entries
        problems = statistics.problems.entries
        models = statistics.models.entries
        latency = statistics.latencies.moments
        if run.streaming {
            ttft = statistics.streaming.timeToFirstToken.moments
            outputTokens = statistics.streaming.outputTokens
        }
        turnRequests = statistics.turns.map { ($0.label, $0.part.total) }
        turnSuccessful = statistics.turns.map { ($0.label, $0.part.successful) }
        if let rate = run.offeredRate {
            service = statistics.serviceTimes.moments
            offeredRate = rate
            achievedRate = summary.achievedRate
        }
    }

    var pairs: [(String, String)] {
        var pairs: [(String, String)] = [
            ("shard", shard)] + (run.map { [("run", $0)] } ?? []) + [("vus", String(vus)), ("requests", String(requests)), ("successful", String(successful)),
            ("seconds", "\(seconds)"), ("started_us", String(startedAtMicroseconds)), ("api_url", apiURL),
            ("assistant_id", assistantID), ("timeout", "\(timeoutSeconds)"),
            ("status", Self.list(statusCodes)), ("errors", Self.list(errors)), ("problems", Self.list(problems)),
            ("models", Self.list(models)), ("latency", Self.text(latency)),
        ]
        if let requestLimit { pairs.append(("request_limit", String(requestLimit))) }
        if let durationSeconds { pairs.append(("duration", "\(durationSeconds)")) }
        if let ttft { pairs.append(("ttft", Self.text(ttft))) }
        if let outputTokens { pairs.append(("output_tokens", String(outputTokens))) }
        if let service { pairs.append(("service", Self.text(service))) }
        if let offeredRate { pairs.append(("offered_rate", "\(offeredRate)")) }
        if let achievedRate { pairs.append(("achieved_rate", "\(achievedRate)")) }
        if !turnRequests.isEmpty { pairs += [("turn_requests", Self.list(turnRequests)), ("turn_successful", Self.list(turnSuccessful))] }
        return pairs
    }

    // MARK: text forms

    static let keyCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))

    /// `200:97,500:3`, each key percent-encoded.
    static func list(_ entries: [(key: String, count: Int)]) -> String {
        entries.map { ($0.key.addingPercentEncoding(withAllowedCharacters: keyCharacters) ?? $0.key) + ":\($0.count)" }
            .joined(separator: ",")
    }

    /// `count:sum:min:max:mean:squaredDeviations`, each number in Swift's shortest exact form.
    static func text(_ moments: Moments) -> String {
        guard moments.count > 0 else { return "0" }
        return [Double(moments.count), moments.sum, moments.min, moments.max, moments.mean, moments.squaredDeviations]
            .map { "\($0)" }.joined(separator: ":")
    }
}
