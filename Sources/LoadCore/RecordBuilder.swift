/// What a transport saw of one finished transfer, before it is a record: the engine reads these from
/// its easy handle, the URLSession runner from its delegate.
public struct TransferFacts: Sendable {
    /// HTTP status, or 0 when no response arrived.
    public var statusCode: Int
    public var failure: FailureKind?
    public var failureDetail: String?
    public var contentType: String?
    public var body: [UInt8]
    public var bodyBytesReceived: Int
    public var connectMilliseconds: Double
    public var firstByteMilliseconds: Double
    public var bytesSent: Int
    public var newConnections: Int
    /// `--http2`: the version the answer came in ("2", or "1.1" from a server that would not).
    public var httpVersion: String? = nil

    public init(statusCode: Int, failure: FailureKind?, failureDetail: String? = nil, contentType: String? = nil,
                body: [UInt8] = [], bodyBytesReceived: Int = 0, connectMilliseconds: Double = 0,
                firstByteMilliseconds: Double = 0, bytesSent: Int = 0, newConnections: Int = 0, httpVersion: String? = nil) {
        self.httpVersion = httpVersion
        self.statusCode = statusCode
        self.failure = failure
        self.failureDetail = failureDetail
        self.contentType = contentType
        self.body = body
        self.bodyBytesReceived = bodyBytesReceived
        self.connectMilliseconds = connectMilliseconds
        self.firstByteMilliseconds = firstByteMilliseconds
        self.bytesSent = bytesSent
        self.newConnections = newConnections
    }
}

/// The one place a request's end becomes a `RequestResult`, for both transports: latency from the
/// scheduled time, the open model's start lag, the stream summary, and the conversation's turn carried
/// on or ended. A record leaves here complete; nothing patches it afterwards.
public struct RecordBuilder: Sendable {
    /// Where a request stood: which VU sent it, its place in start order, when it was due and sent.
    public struct Request: Sendable {
        public var virtualUser: Int
        public var requestIndex: Int
        public var scheduledAt: UInt64
        public var sentAt: UInt64
        /// `--think`: the pause the VU took before this request.
        public var thinkMilliseconds: Double?
        /// `--replay`: the trace line it replays.
        public var traceLine: Int?

        public init(virtualUser: Int, requestIndex: Int, scheduledAt: UInt64, sentAt: UInt64, thinkMilliseconds: Double? = nil,
                    traceLine: Int? = nil) {
            self.traceLine = traceLine
            self.virtualUser = virtualUser
            self.requestIndex = requestIndex
            self.scheduledAt = scheduledAt
            self.sentAt = sentAt
            self.thinkMilliseconds = thinkMilliseconds
        }
    }

    let openModel: Bool
    let conversations: ConversationPlan?

    public init(_ configuration: EngineConfiguration) {
        openModel = configuration.plan.isOpen || configuration.replay != nil
        conversations = configuration.conversations
    }

    /// A finished transfer. With `--turns`, `conversation` is the VU's: the answer carries it on or ends
    /// it (a stream by `chatIDHeader`, LAMB's `X-Chat-Id`; a JSON answer by its body).
    public func record(_ request: Request, _ facts: TransferFacts, stream: SSEScanner?, conversation: Conversation? = nil,
                       chatIDHeader: [UInt8]? = nil, endedAt: UInt64 = monotonicNanoseconds()) -> RequestResult {
        var turn: Int?
        var chatID: String?
        if let plan = conversations, let conversation {
            turn = conversation.turn
            let succeeded = facts.failure == nil && (200..<300).contains(facts.statusCode)
            if let stream {
                conversation.receive(plan, succeeded: succeeded, stream: stream, chatIDHeader: chatIDHeader)
            } else {
                conversation.receive(plan, succeeded: succeeded, response: facts.body)
            }
            chatID = conversation.recordChatID
        }
        let delivered = facts.failure == nil
        var result = RequestResult(
            // Whatever status line arrived, also when the body then failed (a 200 whose stream was cut).
            statusCode: facts.statusCode, latencyMilliseconds: milliseconds(endedAt, since: request.scheduledAt),
            failure: facts.failure, failureDetail: delivered ? nil : facts.failureDetail,
            contentType: delivered ? facts.contentType : nil, body: delivered ? facts.body : [],
            bodyBytesReceived: delivered ? facts.bodyBytesReceived : 0, completedAtMicroseconds: wallClockMicroseconds(),
            connectMilliseconds: facts.connectMilliseconds, firstByteMilliseconds: facts.firstByteMilliseconds,
            bytesSent: facts.bytesSent, newConnections: facts.newConnections, virtualUser: request.virtualUser,
            startLagMilliseconds: startLag(request), stream: stream?.summary(from: request.scheduledAt),
            requestIndex: request.requestIndex, turn: turn, chatID: chatID, thinkMilliseconds: request.thinkMilliseconds,
            httpVersion: facts.httpVersion)
        result.traceLine = request.traceLine
        return result
    }

    /// Past the stop grace (or stopped before it was sent): recorded as aborted, never dropped.
    public func aborted(_ request: Request, stream: SSEScanner?, detail: String) -> RequestResult {
        var result = RequestResult(
            statusCode: 0, latencyMilliseconds: milliseconds(monotonicNanoseconds(), since: request.scheduledAt),
            failure: .aborted, failureDetail: detail, completedAtMicroseconds: wallClockMicroseconds(),
            virtualUser: request.virtualUser, startLagMilliseconds: startLag(request),
            stream: stream?.summary(from: request.scheduledAt), requestIndex: request.requestIndex,
            thinkMilliseconds: request.thinkMilliseconds)
        result.traceLine = request.traceLine
        return result
    }

    /// A request the transport would not take: recorded as failed, with its reason.
    public func unsent(virtualUser: Int, detail: String) -> RequestResult {
        RequestResult(statusCode: 0, latencyMilliseconds: 0, failure: .transportError, failureDetail: detail,
                      completedAtMicroseconds: wallClockMicroseconds(), virtualUser: virtualUser)
    }

    /// Open model only: how late the request was handed to the transport after it was due.
    private func startLag(_ request: Request) -> Double? {
        openModel ? milliseconds(request.sentAt, since: request.scheduledAt) : nil
    }

    private func milliseconds(_ end: UInt64, since start: UInt64) -> Double { Double(end &- start) / 1e6 }
}
