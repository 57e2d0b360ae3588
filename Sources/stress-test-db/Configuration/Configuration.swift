import CurlEngine
import Foundation

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
    /// `--model` and `--no-persist`: extra members of the body.
    var model: String? = nil
    var persistChat = true
    var serviceLevel: ServiceLevel?
    /// `--timeseries` (nil: no file) and the interval; `intervalSeconds` is nil when neither flag was given.
    var timeSeriesPath: String?
    var intervalSeconds: Double?
    /// `--report FILE.html`.
    var reportPath: String?
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
    func body(messages: String) -> String {
        var body = #"{"messages": \#(messages), "stream": \#(streaming)"#
        if let model { body += #", "model": \#(JSONText.string(model))"# }
        if !persistChat { body += #", "persist_chat": false"# }
        return body + "}"
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
