import LoadCore

/// The per-request record of SPEC section 4: what the engine saw on the wire and what the body
/// says, read once, off the loop thread. Every writer and statistic reads this; the body bytes
/// themselves are not kept (`--output` holds every record).
struct ResponseRecord: Sendable {
    let outcome: Outcome
    let statusCode: Int
    let latencyMilliseconds: Double
    let errorDetail: String?
    let model: String?
    let responseText: String?
    let responseTruncated: Bool
    /// Completion time, microseconds since the Unix epoch.
    let completedAtMicroseconds: Int64
    let connectMilliseconds: Double
    let firstByteMilliseconds: Double
    let bytesReceived: Int
    let bytesSent: Int
    let connectionReused: Bool
    let virtualUser: Int
    /// Open model: actual send minus scheduled time (nil in the closed loop).
    let startLagMilliseconds: Double?
    /// Streaming: what arrived, event by event.
    let stream: StreamSummary?
    /// With several `--assistant-id`s: the one this request went to.
    let assistantID: String?
    /// `--turns`: the request's turn (1-based) and its conversation's chat id.
    let turn: Int?
    let chatID: String?
    /// `--replay`: the trace line the request replays and its conversation (the trace's key, `.c` for copy c).
    let traceLine: Int?
    let conversation: String?
    /// `--think`: the pause the VU took before this request (not part of its latency).
    let thinkMilliseconds: Double?
    /// `--http2`: "2", or "1.1" from a server that would not.
    let httpVersion: String?
    /// Open model: completion minus actual send.
    var serviceMilliseconds: Double { latencyMilliseconds - (startLagMilliseconds ?? 0) }

    var success: Bool { outcome.isSuccess }
    /// SPEC's `error`.
    var error: String? { outcome.error }
    var timestamp: String { isoTimestamp(microseconds: completedAtMicroseconds) }

    /// - Parameters:
    ///   - maxCharacters: cap on `response_text` in Unicode scalars; 0 is unlimited.
    ///   - trustStatus: the old tool's rule, a 2xx is a success whatever its body.
    ///   - assistantID: with several `--assistant-id`s, the one the request went to.
    init(_ result: RequestResult, maxCharacters: Int, trustStatus: Bool, assistantID: String? = nil, conversation: String? = nil) {
        let contentType = result.contentType?.lowercased() ?? ""
        let isJSON = contentType.hasPrefix("application/json")
        let findings = (result.failure == nil && !result.body.isEmpty) ? BodyScanner.scan(result.body) : BodyScanner.Findings()
        let text = (isJSON || contentType.hasPrefix("text/"))
            ? Self.capturedText(result, maxCharacters: maxCharacters) : (text: nil, truncated: false)

        outcome = Outcome.classify(statusCode: result.statusCode, failure: result.failure, bodyError: findings.error,
                                   bodyBytes: result.bodyBytesReceived, stream: result.stream, trustStatus: trustStatus)
        switch outcome {
        case .transport: errorDetail = result.failureDetail
        case .streamError: errorDetail = result.stream?.errorMessage
        case .incompleteStream:
            errorDetail = "the stream ended after \(result.stream?.events ?? 0) events without data: [DONE]"
                + (result.failureDetail.map { " (\($0))" } ?? "")
        case .errorInResponse: errorDetail = findings.error
        case .emptyResponse: errorDetail = "the server answered \(result.statusCode) with an empty body"
        case .success, .status, .other: errorDetail = nil
        }
        statusCode = result.statusCode
        latencyMilliseconds = result.latencyMilliseconds
        model = isJSON ? findings.model : nil
        responseText = text.text
        responseTruncated = text.truncated
        completedAtMicroseconds = result.completedAtMicroseconds
        connectMilliseconds = result.connectMilliseconds
        firstByteMilliseconds = result.firstByteMilliseconds
        bytesReceived = result.bodyBytesReceived
        bytesSent = result.bytesSent
        connectionReused = result.connectionReused
        virtualUser = result.virtualUser
        startLagMilliseconds = result.startLagMilliseconds
        stream = result.stream
        self.assistantID = assistantID
        turn = result.turn
        chatID = result.chatID
        traceLine = result.traceLine
        self.conversation = conversation
        thinkMilliseconds = result.thinkMilliseconds
        httpVersion = result.httpVersion
    }

    /// Streaming: `usage.completion_tokens` when an event carried it, else the content chunks.
    var outputTokens: Int? { stream.map { $0.usageCompletionTokens ?? $0.contentChunks } }
    var tokensSource: String? { stream.map { $0.usageCompletionTokens == nil ? "chunks" : "usage" } }

    /// (latency − TTFT) / (output tokens − 1), when there are two tokens or more.
    var timePerOutputTokenMilliseconds: Double? {
        guard let ttft = stream?.timeToFirstTokenMilliseconds, let tokens = outputTokens, tokens > 1 else { return nil }
        return (latencyMilliseconds - ttft) / Double(tokens - 1)
    }

    /// The captured body as text, cut to `maxCharacters` Unicode scalars.
    private static func capturedText(_ result: RequestResult, maxCharacters: Int) -> (text: String?, truncated: Bool) {
        let text = String(decoding: result.body, as: UTF8.self)
        let scalars = text.unicodeScalars
        // A body of at most `maxCharacters` bytes has at most as many scalars: no need to count them;
        // past that, only far enough to know (a long answer is not counted whole for every record).
        if maxCharacters > 0, result.body.count > maxCharacters, scalars.dropFirst(maxCharacters).first != nil {
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: scalars.prefix(maxCharacters))
            return (String(cut), true)
        }
        return (text, result.bodyCaptureIncomplete)
    }
}
