import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import ProcessLimits

@main
struct LambSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lamb-sim",
        abstract: "A LAMB-compatible target server for stress-test-db: chat completions backed by a real SQLite file.",
        discussion: """
            Serves LAMB's chat endpoint (POST /creator/assistant/{id}/chat/completions), the OpenAI-style
            POST /v1/chat/completions, POST /creator/login, the KB embeddings-config endpoint and GET /stats.
            Each chat request does LAMB's SQLite work (insert chat, read-modify-write its message tree,
            usage insert + upsert, update) on a WAL database with a 5000 ms busy timeout, in LAMB's own
            tables (LAMB_lamb_chats, LAMB_usage_logs): `stress-test-db trace export --lamb-db` reads it.
            Prints one line `lamb-sim listening on http://HOST:PORT` when ready.
            """
    )

    @Option(help: "Address to listen on (loopback by default).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one and prints it.")
    var port = 0

    @Option(help: "SQLite database file (default: a new file in the temporary folder).")
    var database: String?

    @Option(help: "SQLite connections the request handlers share (contention grows with this).")
    var connections = 4

    @Flag(help: "Skip the SQLite work entirely (for benchmarking the client).")
    var noDb = false

    @Option(help: "Bearer token the server accepts.")
    var token = "sim-token"

    @Option(help: "Bearer key /v1/chat/completions accepts (LAMB's API key; the body's model is lamb_assistant.<id>).")
    var apiKey = "sim-api-key"

    @Flag(help: "Accept chat requests without a bearer token (for --no-auth runs).")
    var allowAnonymous = false

    @Option(help: "Login e-mail for POST /creator/login.")
    var email = "admin@example.com"

    @Option(help: "Login password for POST /creator/login.")
    var password = "admin"

    @Option(help: "Comma-separated assistant ids that exist (whole numbers, as LAMB's).")
    var assistants = "1"

    @Option(help: "Model name reported in completions.")
    var model = "lamb-sim-gpt-4o-mini"

    @Option(help: "Embeddings model reported by the embeddings-config endpoint.")
    var embeddingsModel = "nomic-embed-text-v1.5"

    @Option(help: "Simulated LLM latency in milliseconds: a number, or a range MIN-MAX.")
    var latencyMs = "0"

    @Option(help: "Streaming: milliseconds before the first content chunk, a number or a range MIN-MAX (default: spread --latency-ms over the events).")
    var ttftMs: String?
    @Option(help: "Streaming: milliseconds between content chunks, a number or a range MIN-MAX (with --ttft-ms).")
    var itlMs = "0"
    @Option(help: "Words per answer, streamed as that many content chunks (default: a fixed 7-word reply).")
    var tokens: Int?
    @Flag(help: "Streaming: leave out the final chunk that carries usage.completion_tokens.")
    var noUsage = false
    @Option(help: "Fraction of streamed requests that get an error event half-way.")
    var faultStreamErrorRate = 0.0
    @Option(help: "Fraction of streamed requests cut half-way, without data: [DONE].")
    var faultStreamCutRate = 0.0
    @Option(help: "Fraction of streamed requests answered 200 with an empty body.")
    var faultStreamEmptyRate = 0.0

    @Option(help: "Add this many milliseconds of latency for every second the server has run (a slowly degrading server).")
    var latencyGrowthMsPerS = 0.0
    @Option(help: "Answer at most this many chat requests at once; the rest wait their turn (a known capacity). A stream counts until its headers are sent.")
    var maxConcurrent: Int?

    @Option(help: "Pause the whole server for --stall-for seconds at the end of every period of this many seconds.")
    var stallEvery = 0.0
    @Option(help: "Length of each --stall-every pause in seconds.")
    var stallFor = 0.0

    @Option(help: "Fraction of chat requests answered with --fault-status.")
    var faultStatusRate = 0.0
    @Option(help: "HTTP status for --fault-status-rate.")
    var faultStatus = 500
    @Option(help: "Fraction of chat requests held unanswered for --stall-seconds.")
    var faultStallRate = 0.0
    @Option(help: "How long a stalled request is held.")
    var stallSeconds = 300.0
    @Option(help: "Fraction of chat requests whose connection is closed before any response.")
    var faultCloseRate = 0.0
    @Option(help: "Fraction of chat requests arriving on a kept-alive connection (not its first request) that are answered by closing it, without a response byte.")
    var faultCloseKeptAliveRate = 0.0
    @Option(help: "Fraction of chat requests whose connection is closed halfway through the body.")
    var faultMidBodyRate = 0.0
    @Option(help: "Fraction of chat requests answered 200 with an HTML (non-JSON) body.")
    var faultNotJsonRate = 0.0
    @Option(help: "Fraction of chat requests answered 200 with a JSON \"error\" (LAMB's LLM/persistence failure).")
    var faultErrorRate = 0.0
    @Option(help: "Fraction of chat requests met as LAMB does with its LLM down: the chat opened, then 200 {\"error\", \"chat_id\"} (a stream: the head, then the body aborted).")
    var faultLlmDownRate = 0.0
    @Option(help: "Fraction of chat requests answered 200 with an oversized body.")
    var faultOversizedRate = 0.0
    @Option(help: "Size of the oversized body in bytes.")
    var oversizedBytes = 8 * 1024 * 1024

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard stallEvery >= 0, stallFor >= 0, stallFor <= stallEvery || stallEvery == 0, (stallEvery > 0) == (stallFor > 0) else {
            throw ValidationError("--stall-every and --stall-for go together, with 0 < --stall-for <= --stall-every")
        }
        guard ttftMs.map({ parseLatency($0) != nil }) ?? true, parseLatency(itlMs) != nil else {
            throw ValidationError("--ttft-ms and --itl-ms take a number of milliseconds or a range like 140-160")
        }
        guard assistants.split(separator: ",").allSatisfy({ Int64($0.trimmingCharacters(in: .whitespaces)) != nil }) else {
            throw ValidationError("--assistants takes LAMB's assistant ids, whole numbers separated by commas (1,2,3)")
        }
        if let tokens, tokens < 1 { throw ValidationError("--tokens must be at least 1") }
        if let maxConcurrent, maxConcurrent < 1 { throw ValidationError("--max-concurrent must be at least 1") }
        guard latencyGrowthMsPerS >= 0 else { throw ValidationError("--latency-growth-ms-per-s cannot be negative") }
        guard parseLatency(latencyMs) != nil else {
            throw ValidationError("--latency-ms takes a number of milliseconds or a range like 20-80")
        }
        for (name, rate) in [("--fault-status-rate", faultStatusRate), ("--fault-stall-rate", faultStallRate),
                             ("--fault-close-rate", faultCloseRate), ("--fault-close-kept-alive-rate", faultCloseKeptAliveRate),
                             ("--fault-mid-body-rate", faultMidBodyRate),
                             ("--fault-not-json-rate", faultNotJsonRate), ("--fault-error-rate", faultErrorRate),
                             ("--fault-oversized-rate", faultOversizedRate),
                             ("--fault-stream-error-rate", faultStreamErrorRate), ("--fault-stream-cut-rate", faultStreamCutRate),
                             ("--fault-stream-empty-rate", faultStreamEmptyRate), ("--fault-llm-down-rate", faultLlmDownRate)] where !(0...1).contains(rate) {
            throw ValidationError("\(name) is a fraction between 0 and 1")
        }
    }

    func run() async throws {
        // As many connections as the clients open: thousands of VUs in the tests and benchmarks.
        FileDescriptorLimit.raise(to: 1 << 20)
        var store: ChatStore?
        if !noDb {
            let path = database ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("lamb-sim-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite").path
            store = try ChatStore(path: path, connections: connections)
        }
        let settings = SimSettings(
            token: token, apiKey: apiKey, allowAnonymous: allowAnonymous, email: email, password: password,
            assistantIDs: Set(assistants.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }),
            model: model, embeddingsModel: embeddingsModel,
            latencyMilliseconds: parseLatency(latencyMs)!,
            faults: FaultPlan(
                statusRate: faultStatusRate, status: faultStatus, stallRate: faultStallRate,
                closeBeforeRate: faultCloseRate, closeKeptAliveRate: faultCloseKeptAliveRate, closeMidBodyRate: faultMidBodyRate, notJSONRate: faultNotJsonRate,
                errorInBodyRate: faultErrorRate, oversizedRate: faultOversizedRate,
                streamErrorRate: faultStreamErrorRate, streamCutRate: faultStreamCutRate, streamEmptyRate: faultStreamEmptyRate,
                llmDownRate: faultLlmDownRate),
            stallSeconds: stallSeconds, oversizedBytes: oversizedBytes,
            stalls: StallSchedule(everySeconds: stallEvery, forSeconds: stallFor),
            pacing: StreamPacing(timeToFirstToken: ttftMs.flatMap(parseLatency), interToken: parseLatency(itlMs),
                                 tokens: tokens, usage: !noUsage),
            latencyGrowthPerSecond: latencyGrowthMsPerS)
        let server = SimServer(settings: settings, store: store, limit: maxConcurrent.map(ConcurrencyLimit.init))
        var logger = Logger(label: "lamb-sim")
        logger.logLevel = .error
        let databaseNote = store.map { " database \($0.path)" } ?? " (no database)"
        let app = Application(
            router: server.router(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil, backlog: 16384),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                let shownHost = host.contains(":") ? "[\(host)]" : host
                // Unbuffered: whoever started the server reads this line to learn the port.
                FileHandle.standardOutput.write(Data("lamb-sim listening on http://\(shownHost):\(bound)\(databaseNote)\n".utf8))
            },
            logger: logger
        )
        // Stalled requests would hold a graceful shutdown open; give it two seconds, then leave.
        installShutdownWatchdog()
        try await app.runService()
    }
}
