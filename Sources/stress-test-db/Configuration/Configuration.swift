import Foundation
import LoadCore

enum RunnerKind: String, Equatable {
    case curl = "libcurl engine"
    case urlSession = "URLSession"
}

/// Everything a run needs, resolved from flags, the environment and `.env` files.
struct Configuration {
    var baseURL: String
    var assistantID: String
    /// nil: send no Authorization header.
    var token: String?
    var requestURL: String
    var virtualUsers: Int
    /// Closed loop or open model, with or without stages (SPEC section 11).
    var plan: LoadPlan
    var thresholds: [Threshold]
    /// `--stream`: ask for Server-Sent Events and measure TTFT, ITL, TPOT.
    var streaming: Bool
    /// `--assistant-id 1,2,3`: the assistants requests go to in turn, and their URLs (`assistantID` is
    /// them joined with `+`, as the CSV shows them).
    var assistantIDs: [String] = []
    var requestURLs: [String] = []
    /// `--prompts FILE`: the conversations' openings, in turn (empty: `prompt`).
    var prompts: [PromptFile.Entry] = []
    /// `--turns N`: turns per conversation (1: every request a new chat).
    var turns = 1
    /// `--turns MIN..MAX`: the shortest conversation (`turns` the longest).
    var minimumTurns = 1
    /// `--replay FILE` (SPEC 24): the trace and its schedule (nil: no replay).
    var replay: ReplayConfiguration?
    /// `--metrics`: the live listener's address, and how long it serves after the run.
    var metrics: MetricsAddress?
    var metricsLingerSeconds = 0.0
    /// `--http2` and `--connections` (SPEC 23).
    var http2 = false
    var connections: Int?
    /// `--refused-pause`: the closed model's wait after a refused connection.
    var refusedPause: Double?
    /// `--think`: the closed model's pause between a VU's requests.
    var think: ThinkTime?
    /// `--seed`: the arrivals' (poisson), the pauses' and the conversation lengths' generator.
    var seed: UInt64 = 1
    /// `--model` and `--no-persist`: extra members of the body.
    var model: String? = nil
    var persistChat = true
    var serviceLevel: ServiceLevel?
    /// `--timeseries` (nil: no file) and the interval; `intervalSeconds` is nil when neither flag was given.
    var timeSeriesPath: String?
    var intervalSeconds: Double?
    /// `--report FILE.html`.
    var reportPath: String?
    /// `--hdr FILE`: the HdrHistogram interval log.
    var hdrPath: String?
    /// Whether the run keeps the time series (its file, the report's charts, the drift verdict):
    /// not when `--hdr` alone asked for intervals, so the log costs only its histograms.
    var keepsTimeSeries: Bool { intervalSeconds != nil && (timeSeriesPath != nil || reportPath != nil || hdrPath == nil) }
    /// `--shard I/N` (nil: the whole run).
    var shard: Shard?
    /// `--source-address`: local addresses connections leave from, checked to be local.
    var sourceAddresses: [String] = []
    /// `--loops`: the libcurl engine's event-loop threads.
    var loops: LoopCount = .auto
    /// The loops a run uses (nil with `--sync`, which has none): `metadata.loops`.
    var loopsUsed: Int? { runner == .curl ? loops.resolve(virtualUsers: virtualUsers) : nil }
    /// Sweep steps: records completed this early in the run are left out of the statistics.
    var warmupSeconds: Double = 0
    var requestLimit: Int?
    var durationSeconds: Double?
    var timeoutSeconds: Double
    /// Cap on stored response text in Unicode scalars; 0 is unlimited.
    var responseMaxChars: Int
    var readinessCheck: Bool
    var prompt: String
    var runner: RunnerKind
    var verbose: Bool
    var progress: Bool
    var outputPath: String?
    var responsesPath: String?
    var csvPath: String?
    var trustStatus: Bool
    var tls: TLSOptions
    /// Where embeddings discovery looks first (SPEC section 7), with its token.
    var embeddingsConfigURL: String?
    var embeddingsConfigToken: String?
    /// Files that supplied values, for `--verbose`.
    var envFilesRead: [String]

    /// `{"messages": [{"role": "user", "content": "<prompt>"}], "stream": false}`, as Python's json.dumps writes it.
    /// `{"messages": [{"role": "user", "content": "<prompt>"}], "stream": false}` (true with `--stream`),
    /// as Python's json.dumps writes it.
    var requestBody: String { body(messages: #"[{"role": "user", "content": \#(JSONText.string(prompt))}]"#) }

    /// Every distinct body of the run, built once: one per `--prompts` entry, else the prompt's.
    var requestBodies: [String] {
        prompts.isEmpty ? [requestBody] : prompts.map { body(messages: $0.messagesJSON) }
    }

    /// `{"messages": MESSAGES, "stream": false}` (true with `--stream`), then `model` and `persist_chat`
    /// when asked for, as Python's json.dumps writes them.
    func body(messages: String) -> String { #"{"messages": "# + messages + bodyTail + "}" }

    /// What follows the messages in every body, without the closing brace.
    var bodyTail: String {
        var tail = #", "stream": \#(streaming)"#
        if let model { tail += #", "model": \#(JSONText.string(model))"# }
        if !persistChat { tail += #", "persist_chat": false"# }
        return tail
    }

    /// `--turns` above 1: the parts each conversation's bodies are built from.
    var conversationPlan: ConversationPlan? {
        guard turns > 1 else { return nil }
        let openings = prompts.isEmpty ? [#"[{"role": "user", "content": \#(JSONText.string(prompt))}]"#] : prompts.map(\.messagesJSON)
        // Each opening's array members, without its brackets.
        let members = openings.map { Array($0.dropFirst().dropLast().utf8) }
        return ConversationPlan(turns: turns, userMessages: members, head: Array(#"{"messages": ["#.utf8),
                                tail: Array(("]" + bodyTail).utf8), needsChatID: persistChat,
                                minimumTurns: minimumTurns, seed: seed)
    }

    var requestHeaders: [String] {
        var headers = ["Content-Type: application/json", "Accept: */*"]
        if let token { headers.append("Authorization: Bearer \(token)") }
        return headers
    }

    /// Every secret this run carries, so tests and the log scrubber can look for them.
    var secrets: [String] { [token, embeddingsConfigToken].compactMap { $0 }.filter { !$0.isEmpty } }
}

struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
