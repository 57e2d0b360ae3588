import Foundation

/// What `merge` needs of a run beyond its histograms, carried in the HDR log's
/// `#[stress-test-db ...]` line: the exact counts, each measure's exact moments (so the merged mean,
/// stdev, min and max are exact), the run's settings and its wall time.
struct ShardTotals {
    var shard = "0/1"
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

    init() {}

    init(_ summary: RunSummary) {
        let run = summary.run, statistics = summary.statistics
        shard = run.shard ?? "0/1"
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
        if let rate = run.offeredRate {
            service = statistics.serviceTimes.moments
            offeredRate = rate
            achievedRate = summary.achievedRate
        }
    }

    var pairs: [(String, String)] {
        var pairs: [(String, String)] = [
            ("shard", shard), ("vus", String(vus)), ("requests", String(requests)), ("successful", String(successful)),
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
        return pairs
    }

    /// From a log's `#[stress-test-db ...]` pairs; nil for a log without them (another tool's).
    init?(_ metadata: [(key: String, value: String)], source: String) throws {
        guard !metadata.isEmpty else { return nil }
        let values = Dictionary(metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        func required<T>(_ key: String, _ parse: (String) -> T?) throws -> T {
            guard let text = values[key], let value = parse(text) else {
                throw FileError("\(source): the stress-test-db line has no readable \(key); was the run cut short before it ended?")
            }
            return value
        }
        shard = values["shard"] ?? "0/1"
        vus = try required("vus", { Int($0) })
        requests = try required("requests", { Int($0) })
        successful = try required("successful", { Int($0) })
        seconds = try required("seconds", { Double($0) })
        startedAtMicroseconds = Int64(values["started_us"] ?? "") ?? 0
        apiURL = values["api_url"] ?? ""
        assistantID = values["assistant_id"] ?? ""
        timeoutSeconds = Double(values["timeout"] ?? "") ?? 120
        requestLimit = values["request_limit"].flatMap { Int($0) }
        durationSeconds = values["duration"].flatMap { Double($0) }
        statusCodes = Self.parseList(values["status"])
        errors = Self.parseList(values["errors"])
        problems = Self.parseList(values["problems"])
        models = Self.parseList(values["models"])
        latency = try required("latency", Self.moments)
        ttft = values["ttft"].flatMap(Self.moments)
        outputTokens = values["output_tokens"].flatMap { Int($0) }
        service = values["service"].flatMap(Self.moments)
        offeredRate = values["offered_rate"].flatMap { Double($0) }
        achievedRate = values["achieved_rate"].flatMap { Double($0) }
    }

    // MARK: text forms

    static let keyCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))

    /// `200:97,500:3`, each key percent-encoded.
    static func list(_ entries: [(key: String, count: Int)]) -> String {
        entries.map { ($0.key.addingPercentEncoding(withAllowedCharacters: keyCharacters) ?? $0.key) + ":\($0.count)" }
            .joined(separator: ",")
    }

    static func parseList(_ text: String?) -> [(key: String, count: Int)] {
        (text ?? "").split(separator: ",").compactMap { entry in
            guard let colon = entry.lastIndex(of: ":"), let count = Int(entry[entry.index(after: colon)...]) else { return nil }
            return (String(entry[..<colon]).removingPercentEncoding ?? String(entry[..<colon]), count)
        }
    }

    /// `count:sum:min:max:mean:squaredDeviations`, each number in Swift's shortest exact form.
    static func text(_ moments: Moments) -> String {
        guard moments.count > 0 else { return "0" }
        return [Double(moments.count), moments.sum, moments.min, moments.max, moments.mean, moments.squaredDeviations]
            .map { "\($0)" }.joined(separator: ":")
    }

    static func moments(_ text: String) -> Moments? {
        if text == "0" { return Moments() }
        let numbers = text.split(separator: ":").compactMap { Double($0) }
        guard numbers.count == 6 else { return nil }
        return Moments(count: Int(numbers[0]), sum: numbers[1], min: numbers[2], max: numbers[3], mean: numbers[4],
                       squaredDeviations: numbers[5])
    }
}
