import Foundation

extension ReplayTrace {
    /// Reads a trace file's text; `name` is how errors call it (the path). Our format when the first line
    /// is a header (`"trace": "stress-test-db"`), AIPerf's when it has a `timestamp`. Anything else, or
    /// any line that does not fit its format, is one `ReplayTraceError` naming the line.
    public static func parse(_ text: String, name: String) throws -> ReplayTrace {
        var lines: [(number: Int, object: [String: Any])] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            guard let data = line.data(using: .utf8),
                  let object = (try? JSONSerialization.jsonObject(with: data, options: [])) as? [String: Any] else {
                throw ReplayTraceError("\(name) line \(number) is not a JSON object; a trace is JSON Lines (`trace export` writes one).")
            }
            lines.append((number, object))
        }
        guard let first = lines.first else {
            throw ReplayTraceError("\(name) is empty; give a trace written by `trace export` or an AIPerf trace.")
        }
        if first.object["trace"] != nil { return try readOurs(lines, name: name) }
        if first.object["timestamp"] != nil { return try readAIPerf(lines, name: name) }
        throw ReplayTraceError("\(name) line \(first.number) is neither a trace header ({\"trace\": \"stress-test-db\", \"version\": 1, ...}) "
            + "nor an AIPerf line ({\"timestamp\": MS, \"input_length\": N, ...}).")
    }

    private static func readOurs(_ lines: [(number: Int, object: [String: Any])], name: String) throws -> ReplayTrace {
        let header = Fields(lines[0].object, line: lines[0].number, name: name)
        guard header.object["trace"] as? String == "stress-test-db" else {
            throw header.error("names its trace `\(header.object["trace"].map { "\($0)" } ?? "")`, not stress-test-db")
        }
        guard let version = try header.whole("version") else { throw header.error("has no `version`") }
        guard versions.contains(version) else {
            throw header.error("is trace version \(version); this build reads version \(versions.map(String.init).joined(separator: ", ")) (a newer stress-test-db wrote it?)")
        }
        var order: [String] = []
        var turns: [String: [Turn]] = [:]
        for (number, object) in lines.dropFirst() {
            let fields = Fields(object, line: number, name: name)
            let (key, turn) = try fields.request()
            let previous = turns[key]?.count ?? 0
            guard turn.number == previous + 1 else {
                throw fields.error(previous == 0 ? "is turn \(turn.number) of conversation \(key), which has no turn 1 before it"
                    : "is turn \(turn.number) of conversation \(key) after its turn \(previous); turns must follow in order")
            }
            if previous == 0 { order.append(key) }
            turns[key, default: []].append(turn.turn)
        }
        let trace = ReplayTrace(format: .stressTestDB, conversations: order.map { Conversation(key: $0, turns: turns[$0] ?? []) })
        try header.checkCounts(conversations: trace.conversations.count, requests: trace.requests)
        return trace
    }

    private static func readAIPerf(_ lines: [(number: Int, object: [String: Any])], name: String) throws -> ReplayTrace {
        var requests: [(line: Int, milliseconds: Double, words: Int)] = []
        for (number, object) in lines {
            let fields = Fields(object, line: number, name: name)
            guard let timestamp = try fields.number("timestamp") else { throw fields.error("has no `timestamp` (milliseconds)") }
            guard let words = try fields.whole("input_length") else { throw fields.error("has no `input_length` (words)") }
            guard words <= maximumPromptLength else { throw fields.error("asks for \(words) words; at most \(maximumPromptLength)") }
            requests.append((number, timestamp, words))
        }
        let start = requests.map(\.milliseconds).min() ?? 0
        let conversations = requests.map { request in
            Conversation(key: "aiperf-\(request.line)", turns: [
                Turn(line: request.line, offset: (request.milliseconds - start) / 1000, gap: 0, prompt: SyntheticText.words(request.words)),
            ])
        }
        return ReplayTrace(format: .aiperf, conversations: conversations)
    }
}

/// One line's members, read with the checks a hostile file needs: each a number of the right kind,
/// finite, not negative.
private struct Fields {
    let object: [String: Any]
    let line: Int
    let name: String

    init(_ object: [String: Any], line: Int, name: String) {
        self.object = object
        self.line = line
        self.name = name
    }

    func error(_ what: String) -> ReplayTraceError { ReplayTraceError("\(name) line \(line) \(what).") }

    /// A number ≥ 0 (nil when absent).
    func number(_ key: String) throws -> Double? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard !(value is String), let number = (value as? NSNumber)?.doubleValue,
              number.isFinite, number >= 0, number < 1e12 else {
            throw error("has `\(key)` \(value), which is not a number of 0 or more")
        }
        return number
    }

    /// A whole number ≥ 0 (nil when absent).
    func whole(_ key: String) throws -> Int? {
        guard let number = try number(key) else { return nil }
        guard number == number.rounded(), number <= Double(Int32.max) else { throw error("has `\(key)` \(number), which is not a whole number") }
        return Int(number)
    }

    /// A request line of our format: its conversation and turn.
    func request() throws -> (key: String, turn: (number: Int, turn: ReplayTrace.Turn)) {
        guard let offset = try number("offset_s") else { throw error("has no `offset_s`") }
        guard let key = object["conversation"] as? String, !key.isEmpty else { throw error("has no `conversation` (a string)") }
        guard let turn = try whole("turn"), turn >= 1 else { throw error("has no `turn` (1, 2, ...)") }
        let gap = try number("gap_s") ?? 0
        guard turn == 1 || object["gap_s"] != nil else { throw error("is turn \(turn) without `gap_s`") }
        let prompt: String
        if let text = object["prompt"] as? String {
            prompt = text
        } else if let characters = try whole("prompt_chars") {
            guard characters <= ReplayTrace.maximumPromptLength else {
                throw error("asks for \(characters) prompt characters; at most \(ReplayTrace.maximumPromptLength)")
            }
            prompt = SyntheticText.characters(characters)
        } else {
            throw error("has neither `prompt` (text) nor `prompt_chars` (a length)")
        }
        return (key, (turn, ReplayTrace.Turn(line: line, offset: offset, gap: gap, prompt: prompt)))
    }

    /// The header's counts, when it has them, against what the file holds (a cut file shows here).
    func checkCounts(conversations: Int, requests: Int) throws {
        if let expected = try whole("requests"), expected != requests {
            throw error("says \(expected) requests but the file has \(requests) (a truncated or edited trace?)")
        }
        if let expected = try whole("conversations"), expected != conversations {
            throw error("says \(expected) conversations but the file has \(conversations) (a truncated or edited trace?)")
        }
        guard requests > 0 else { throw error("is a trace without requests: nothing to replay") }
    }
}
