/// What to do to one request instead of answering it properly.
enum Fault: Equatable {
    case none
    /// Answer with this HTTP status and a JSON error body.
    case status(Int)
    /// Hold the request without answering until the client gives up.
    case stall
    /// Close the connection before any response byte.
    case closeBeforeResponse
    /// Send the head and half the body, then close the connection.
    case closeMidBody
    /// 200 with a body that is not JSON.
    case notJSON
    /// 200 with a JSON `error` object, as LAMB answers when the LLM call or persistence fails.
    case errorInBody
    /// 200 with a very large JSON body.
    case oversized
    /// Streaming: an `error` event after half the content chunks.
    case streamError
    /// Streaming: half the content chunks, then the body ends without `data: [DONE]`.
    case streamCut
    /// Streaming: 200 with an empty body, as LAMB answers when its LLM call fails.
    case streamEmpty
    /// LAMB with its LLM down: the chat is opened (or continued) with the user's message, then a JSON
    /// answer is 200 `{"error": ..., "chat_id": ID}` and a stream a 200 head with `X-Chat-Id`, its body aborted.
    case llmDown

    /// The name `/stats` counts it under.
    var name: String? {
        switch self {
        case .none: return nil
        case .status: return "status"
        case .stall: return "stall"
        case .closeBeforeResponse: return "close"
        case .closeMidBody: return "mid_body"
        case .notJSON: return "not_json"
        case .errorInBody: return "error_in_body"
        case .oversized: return "oversized"
        case .streamError: return "stream_error"
        case .streamCut: return "stream_cut"
        case .streamEmpty: return "stream_empty"
        case .llmDown: return "llm_down"
        }
    }
}

/// Fractions of requests that get each fault; the rest are answered normally.
struct FaultPlan: Equatable {
    var statusRate = 0.0
    var status = 500
    var stallRate = 0.0
    var closeBeforeRate = 0.0
    /// Like `closeBeforeRate`, but only for a request on a connection that already served one:
    /// the case where an HTTP client may re-send the request on a fresh connection.
    var closeKeptAliveRate = 0.0
    var closeMidBodyRate = 0.0
    var notJSONRate = 0.0
    var errorInBodyRate = 0.0
    var oversizedRate = 0.0
    /// Streamed requests only.
    var streamErrorRate = 0.0
    var streamCutRate = 0.0
    var streamEmptyRate = 0.0
    var llmDownRate = 0.0

    var isEmpty: Bool {
        [statusRate, stallRate, closeBeforeRate, closeKeptAliveRate, closeMidBodyRate, notJSONRate, errorInBodyRate, oversizedRate,
         streamErrorRate, streamCutRate, streamEmptyRate, llmDownRate]
            .allSatisfy { $0 <= 0 }
    }

    /// The fault for a uniform draw in [0, 1): the fractions are laid end to end.
    /// `keptAlive`: the request is not the first on its connection.
    func pick(draw: Double, keptAlive: Bool, streaming: Bool = false) -> Fault {
        var edge = 0.0
        let table: [(Double, Fault)] = [
            (statusRate, .status(status)), (stallRate, .stall), (closeBeforeRate, .closeBeforeResponse),
            (keptAlive ? closeKeptAliveRate : 0, .closeBeforeResponse),
            (closeMidBodyRate, .closeMidBody), (notJSONRate, .notJSON), (errorInBodyRate, .errorInBody),
            (oversizedRate, .oversized),
            (streaming ? streamErrorRate : 0, .streamError), (streaming ? streamCutRate : 0, .streamCut),
            (streaming ? streamEmptyRate : 0, .streamEmpty), (llmDownRate, .llmDown),
        ]
        for (rate, fault) in table where rate > 0 {
            edge += rate
            if draw < edge { return fault }
        }
        return .none
    }
}
