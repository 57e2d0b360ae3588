import Foundation
import Hummingbird
import NIOCore

/// The request context: Hummingbird's, plus the channel so a fault can close it.
struct SimContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// The connection served a request before this one (set by `ConnectionTracker`).
    var keptAlive = false

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Everything the server is told at start.
struct SimSettings: Sendable {
    var token: String
    /// The bearer key of the OpenAI-compatible `/v1/chat/completions` (LAMB's API key, not a user JWT).
    var apiKey = "sim-api-key"
    var allowAnonymous: Bool
    var email: String
    var password: String
    var assistantIDs: Set<String>
    var model: String
    var embeddingsModel: String
    var latencyMilliseconds: ClosedRange<Double>
    var faults: FaultPlan
    var stallSeconds: Double
    var oversizedBytes: Int
    var stalls = StallSchedule(everySeconds: 0, forSeconds: 0)
    var pacing = StreamPacing()
    /// Milliseconds of latency added per second since the start.
    var latencyGrowthPerSecond = 0.0
}

struct SimServer: Sendable {
    let settings: SimSettings
    let store: ChatStore?
    var limit: ConcurrencyLimit? = nil
    let stats = SimStats()
    /// Time zero of the stall schedule.
    let startedAt = ContinuousClock.now

    func router() -> Router<SimContext> {
        let router = Router(context: SimContext.self)
        router.middlewares.add(ConnectionTracker(stats: stats))
        router.get("/") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"], body: body(#"{"status":"ok","service":"lamb-sim"}"#)) }
        router.get("/stats") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: body(stats.json(store: store)))
        }
        router.post("/creator/assistant/{id}/chat/completions") { request, context in
            try await chat(request, context: context, assistantID: context.parameters.get("id") ?? "")
        }
        router.post("/v1/chat/completions") { request, context in
            // LAMB's OpenAI-compatible endpoint: the assistant comes from "model": "lamb_assistant.<id>".
            try await chat(request, context: context, assistantID: nil)
        }
        router.post("/creator/login") { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 64 * 1024)
            let form = parseForm(String(buffer: buffer))
            guard form["email"] == settings.email, form["password"] == settings.password else {
                return jsonResponse(.unauthorized, #"{"success":false,"error":"Invalid credentials"}"#)
            }
            return jsonResponse(.ok, #"{"success":true,"data":{"token":\#(jsonString(settings.token))}}"#)
        }
        router.get("/creator/admin/org-admin/settings/kb/embeddings-config") { request, _ in
            guard authorised(request) else { return unauthorised() }
            return jsonResponse(.ok, """
                {"vendor":"ollama","model":\(jsonString(settings.embeddingsModel)),\
                "api_endpoint":"http://127.0.0.1:11434/api/embeddings","apikey_configured":false,"config_source":"organization"}
                """)
        }
        // `--preconnect` opens each connection with a HEAD to the chat route: answered as LAMB's FastAPI
        // does (405, only POST allowed), counted, without the database.
        for path in ["/creator/assistant/{id}/chat/completions", "/v1/chat/completions"] {
            router.on(RouterPath(path), method: .head) { _, _ in
                stats.heads.increment()
                return Response(status: .methodNotAllowed, headers: [.allow: "POST"])
            }
        }
        // Readiness probes send OPTIONS and HEAD to any path; answer below 500.
        router.on("/**", method: .options) { _, _ in Response(status: .noContent) }
        router.on("/", method: .options) { _, _ in Response(status: .noContent) }
        return router
    }

    private func authorised(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bearer \(settings.token)"
    }

    func unauthorised() -> Response {
        jsonResponse(.unauthorized, #"{"detail":"Invalid or missing authentication token"}"#)
    }

    private func chat(_ request: Request, context: SimContext, assistantID: String?) async throws -> Response {
        // Counted before any check or fault: what the clients actually sent.
        stats.received.increment()
        let started = ContinuousClock.now
        let pause = settings.stalls.remainingPause(at: Self.seconds(started - startedAt))
        if pause > 0 { try await Task.sleep(for: .seconds(pause)) }
        if let limit { await limit.acquire() }
        defer { if let limit { Task { await limit.release() } } }
        let (response, completed) = try await answer(request, context: context, assistantID: assistantID)
        let elapsed = ContinuousClock.now - started
        stats.record(
            status: Int(response.status.code),
            serviceMilliseconds: Self.seconds(elapsed) * 1000,
            completion: completed
        )
        return response
    }

    /// The response, and whether it completed LAMB's whole request path (a real answer).
    private func answer(_ request: Request, context: SimContext, assistantID path: String?) async throws -> (Response, Bool) {
        let failed = { (response: Response) in (response, false) }
        let chatRequest: ChatRequest, assistantID: String
        switch try await accept(request, assistantID: path) {
        case .refused(let response): return failed(response)
        case .accepted(let parsed, let id): (chatRequest, assistantID) = (parsed, id)
        }
        let fault = settings.faults.isEmpty ? .none
            : settings.faults.pick(draw: Double.random(in: 0..<1), keptAlive: context.keptAlive, streaming: chatRequest.stream)
        stats.recordFault(fault)
        if let response = try await injected(fault, context: context, assistantID: assistantID, prompt: chatRequest.prompt) {
            return failed(response)
        }
        let chatID: Int64?
        let store = chatRequest.persist ? self.store : nil
        switch await chat(chatRequest, assistantID: assistantID, store: store) {
        case .refused(let response): return failed(response)
        case .chat(let id): chatID = id
        }
        let result = completion(assistantID: assistantID, prompt: chatRequest.prompt)
        let latency = Double.random(in: settings.latencyMilliseconds)
            + settings.latencyGrowthPerSecond * Self.seconds(ContinuousClock.now - startedAt)
        if chatRequest.stream {
            return (streamed(result, latencyMilliseconds: latency, chatID: chatID, assistantID: assistantID, fault: fault,
                             channel: context.channel),
                    fault == .none)
        }
        if fault == .llmDown {
            // LAMB with its LLM down: the chat holds the user's message, the answer names it.
            let id = chatID.map { jsonString(ChatID.text($0)) } ?? "null"
            return failed(jsonResponse(.ok, #"{"error":"Internal server error: the LLM call failed (injected)","chat_id":\#(id)}"#))
        }
        if latency > 0 { try await Task.sleep(for: .milliseconds(latency)) }
        if let store, let chatID {
            do {
                try await store.closeChat(chatID: chatID, assistantID: assistantID, completion: result)
            } catch {
                return failed(persistenceFailure(error))
            }
        } else if !chatRequest.persist, let store = self.store {
            // LAMB logs the usage of every completion; a failure to is only logged (`log_token_usage`).
            try? await store.logUsage(assistantID: assistantID, completion: result)
        }
        return (jsonResponse(.ok, result.json(chatID: chatID)), true)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func persistenceFailure(_ error: Error) -> Response {
        jsonResponse(.ok, #"{"error":{"message":\#(jsonString("Internal server error: \(error)"))},"chat_id":null}"#)
    }

    func completion(assistantID: String, prompt: String) -> Completion {
        Completion(
            id: "chatcmpl-\(UInt32.random(in: 1...UInt32.max))", created: Int(Date().timeIntervalSince1970),
            model: settings.model,
            content: settings.pacing.tokens.map(Completion.reply(tokens:)) ?? Completion.reply,
            promptTokens: Completion.tokenCount(prompt))
    }
}

/// Counts connections as they appear, and forgets them when they close.
struct ConnectionTracker: RouterMiddleware {
    let stats: SimStats

    func handle(_ request: Request, context: SimContext, next: (Request, SimContext) async throws -> Response) async throws -> Response {
        let id = ObjectIdentifier(context.channel)
        var context = context
        if stats.isNewConnection(id, peer: context.channel.remoteAddress?.ipAddress) {
            let stats = stats
            context.channel.closeFuture.whenComplete { _ in stats.connectionClosed(id) }
        } else {
            context.keptAlive = true
        }
        return try await next(request, context)
    }
}

func body(_ text: String) -> ResponseBody { ResponseBody(byteBuffer: ByteBuffer(string: text)) }

func jsonResponse(_ status: HTTPResponse.Status, _ text: String) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: body(text))
}
