import Foundation

/// The `#[stress-test-db ...]` line read back, every value checked: a count is a whole number from 0,
/// a time finite and from 0, the shard `I/N` with 0 ≤ I < N, the successful no more than the requests.
/// A value out of bounds (`requests=-5`, `latency=nan:...`) is an error naming the log and the key.
extension ShardTotals {
    /// From a log's pairs; nil for a log without them (another tool's).
    init?(_ metadata: [(key: String, value: String)], source: String) throws {
        guard !metadata.isEmpty else { return nil }
        let values = Dictionary(metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        let read = Reader(values: values, source: source)
        self.init()
        shard = values["shard"] ?? "0/1"
        guard Self.shardParts(shard) != nil else {
            throw FileError("\(source): shard \(shard) is not I/N with 0 ≤ I < N.")
        }
        run = values["run"]
        vus = try read.required("vus", read.count)
        requests = try read.required("requests", read.count)
        successful = try read.required("successful", read.count)
        guard successful <= requests else {
            throw FileError("\(source): successful=\(successful) is more than requests=\(requests).")
        }
        seconds = try read.required("seconds", read.number)
        startedAtMicroseconds = try read.optional("started_us", read.microseconds) ?? 0
        apiURL = values["api_url"] ?? ""
        assistantID = values["assistant_id"] ?? ""
        timeoutSeconds = try read.optional("timeout", read.number) ?? 120
        requestLimit = try read.optional("request_limit", read.count)
        durationSeconds = try read.optional("duration", read.number)
        statusCodes = try read.list("status")
        errors = try read.list("errors")
        problems = try read.list("problems")
        models = try read.list("models")
        latency = try read.required("latency", read.moments)
        ttft = try read.optional("ttft", read.moments)
        outputTokens = try read.optional("output_tokens", read.count)
        service = try read.optional("service", read.moments)
        offeredRate = try read.optional("offered_rate", read.number)
        achievedRate = try read.optional("achieved_rate", read.number)
        turnRequests = try read.list("turn_requests")
        turnSuccessful = try read.list("turn_successful")
        let requestsByTurn = Dictionary(turnRequests, uniquingKeysWith: +)
        for (turn, count) in turnSuccessful where count > requestsByTurn[turn] ?? 0 || Statistics.turnBucket(label: turn) == nil {
            throw FileError("\(source): turn_successful \(turn):\(count) is not a turn bucket with as many requests.")
        }
    }

    /// `I/N` as (I, N) when 0 ≤ I < N.
    static func shardParts(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), index >= 0, index < count else { return nil }
        return (index, count)
    }

    /// FNV-1a of the settings every shard of one run shares (not its share of VUs, requests or rate).
    static func runID(_ run: RunDescription) -> String {
        let count = run.shard.flatMap(shardParts)?.count ?? 1
        let settings = [run.apiURL, run.assistantID, String(count), "\(run.timeoutSeconds)", run.durationSeconds.map { "\($0)" } ?? "",
                        String(run.streaming), run.think ?? "", run.httpVersion ?? "", String(run.offeredRate != nil)].joined(separator: "\n")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in settings.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    private struct Reader {
        let values: [String: String]
        let source: String

        func required<T>(_ key: String, _ parse: (String, String) throws -> T) throws -> T {
            guard let text = values[key] else {
                throw FileError("\(source): the stress-test-db line has no readable \(key); was the run cut short before it ended?")
            }
            return try parse(key, text)
        }

        func optional<T>(_ key: String, _ parse: (String, String) throws -> T) throws -> T? {
            try values[key].map { try parse(key, $0) }
        }

        func count(_ key: String, _ text: String) throws -> Int {
            guard let value = Int(text), value >= 0, value <= RecordFields.maximumCount else {
                throw FileError("\(source): \(key)=\(text.prefix(40)) is not a count (a whole number from 0).")
            }
            return value
        }

        /// Seconds since the epoch in microseconds (up to the year 33,000: safe to add times to).
        func microseconds(_ key: String, _ text: String) throws -> Int64 {
            guard let value = Int64(text), value >= 0, value <= 1 << 60 else {
                throw FileError("\(source): \(key)=\(text.prefix(40)) is not a time in microseconds.")
            }
            return value
        }

        /// Seconds, a rate: up to 10¹² (a time in microseconds still fits an Int64); moments' sums up to 10¹⁸.
        func number(_ key: String, _ text: String) throws -> Double { try number(key, text, limit: 1e12) }

        func number(_ key: String, _ text: String, limit: Double) throws -> Double {
            guard let value = Double(text), value.isFinite, value >= 0, value <= limit else {
                throw FileError("\(source): \(key)=\(text.prefix(40)) is not a finite number from 0.")
            }
            return value
        }

        /// `200:97,500:3`, each key percent-encoded.
        func list(_ key: String) throws -> [(key: String, count: Int)] {
            try (values[key] ?? "").split(separator: ",").map { entry in
                guard let colon = entry.lastIndex(of: ":") else { throw FileError("\(source): \(key) has an entry without a count: \(entry.prefix(40)).") }
                let name = String(entry[..<colon])
                return (name.removingPercentEncoding ?? name, try count(key, String(entry[entry.index(after: colon)...])))
            }
        }

        /// `count:sum:min:max:mean:squaredDeviations` (or `0`), every number finite, min ≤ mean ≤ max.
        func moments(_ key: String, _ text: String) throws -> Moments {
            if text == "0" { return Moments() }
            let fields = text.split(separator: ":", omittingEmptySubsequences: false)
            let numbers = try fields.map { try number(key, String($0), limit: 1e18) }
            guard numbers.count == 6, numbers[0] >= 1, numbers[0] <= Double(RecordFields.maximumCount),
                  numbers[0] == numbers[0].rounded(), numbers[2] <= numbers[3] else {
                throw FileError("\(source): \(key)=\(text.prefix(60)) is not count:sum:min:max:mean:squared-deviations.")
            }
            return Moments(count: Int(numbers[0]), sum: numbers[1], min: numbers[2], max: numbers[3], mean: numbers[4],
                           squaredDeviations: numbers[5])
        }
    }
}
