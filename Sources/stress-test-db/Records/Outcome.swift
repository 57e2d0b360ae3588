import LoadCore

/// How one request ended, decided once per record. The SPEC's `error` key, the CSV `error`
/// column and the console's `Errors Observed:` are all read from it.
enum Outcome: Equatable, Sendable {
    /// A 2xx answer with nothing wrong in it.
    case success
    /// No complete response: the transport failed.
    case transport(FailureKind)
    /// A complete answer with a status outside 2xx.
    case status(Int)
    /// A 2xx whose JSON object body has a non-null top-level `error` (LAMB's hidden LLM failure).
    case errorInResponse
    /// A 2xx with an empty body, or a stream without a content chunk.
    case emptyResponse
    /// Streaming: an event whose JSON has a non-null top-level `error`.
    case streamError
    /// Streaming: events arrived, then the stream ended (cleanly, closed or reset) without `data: [DONE]`.
    case incompleteStream
    /// Read back from a file: an error name this tool does not produce (the Python tool's, say).
    case other(String)

    var isSuccess: Bool { self == .success }

    /// SPEC section 4's `error`: nil for a success and for a non-2xx status (the status says it).
    var error: String? {
        switch self {
        case .success, .status: return nil
        case .transport(let kind): return kind.rawValue
        case .errorInResponse: return "ErrorInResponse"
        case .emptyResponse: return "EmptyResponse"
        case .streamError: return "StreamError"
        case .incompleteStream: return "IncompleteStream"
        case .other(let name): return name
        }
    }

    /// What the CSV `error` column counts: the error, or the non-2xx status.
    var problemKey: String? {
        if case .status(let code) = self { return String(code) }
        return error
    }

    /// A record read back from a file: its `error`, or its status when it has none.
    init(error: String?, success: Bool, statusCode: Int) {
        switch error {
        case nil: self = success ? .success : .status(statusCode)
        case "ErrorInResponse"?: self = .errorInResponse
        case "EmptyResponse"?: self = .emptyResponse
        case "StreamError"?: self = .streamError
        case "IncompleteStream"?: self = .incompleteStream
        case let name?: self = FailureKind(rawValue: name).map(Outcome.transport) ?? .other(name)
        }
    }

    /// SPEC sections 4 and 9, in their precedence: a transport failure (a stream that began and then
    /// broke is `IncompleteStream`, a timeout stays `Timeout`), a non-2xx status, then, unless
    /// `trustStatus`, a failure hidden in a 2xx: `StreamError`, `IncompleteStream`, `ErrorInResponse`,
    /// `EmptyResponse`.
    static func classify(statusCode: Int, failure: FailureKind?, bodyError: String?, bodyBytes: Int,
                         stream: StreamSummary? = nil, trustStatus: Bool) -> Outcome {
        if let failure {
            let began = (stream?.events ?? 0) > 0
            return began && failure != .timeout && failure != .aborted ? .incompleteStream : .transport(failure)
        }
        guard (200..<300).contains(statusCode) else { return .status(statusCode) }
        if trustStatus { return .success }
        if let stream {
            if stream.errorMessage != nil { return .streamError }
            if stream.events > 0 && !stream.sawDone { return .incompleteStream }
            if bodyError != nil { return .errorInResponse }
            return stream.contentChunks == 0 ? .emptyResponse : .success
        }
        if bodyError != nil { return .errorInResponse }
        if bodyBytes == 0 { return .emptyResponse }
        return .success
    }
}
