/// One completed (or abandoned) request, as the engine saw it on the wire.
///
/// Built once, on the loop thread, when a transfer finishes. It carries the
/// transport facts only; what the body *means* (model, a hidden error, the
/// text to store) is read from `body` by the consumer, off the loop thread.
public struct RequestResult: Sendable {
    /// HTTP status, or 0 when no response arrived.
    public var statusCode: Int
    /// Request start to complete body, monotonic clock. In the open model the start is the
    /// *scheduled* time, so a request that waited for a free VU carries the wait (no coordinated omission).
    public var latencyMilliseconds: Double
    /// Open model: actual send minus scheduled time; nil in the closed loop, where they are the same.
    public var startLagMilliseconds: Double?
    /// Streaming: the events as they arrived (also when the transfer failed part-way).
    public var stream: StreamSummary?
    /// The request's place in start order over every VU and loop: it took URL and body `requestIndex % count`
    /// (0 when there is one URL and one body: nothing to choose). With `--turns`, its conversation's place
    /// among those begun (a conversation keeps one URL).
    public var requestIndex = 0
    /// `--turns`: the request's turn in its conversation (1-based), and the conversation's chat id.
    public var turn: Int?
    public var chatID: String?
    /// `--replay`: the trace file's line this request replays (`requestIndex` is then its conversation's
    /// entry in the `ReplaySchedule`).
    public var traceLine: Int?
    /// `--think`: the pause the VU took before this request (not part of any latency).
    public var thinkMilliseconds: Double?
    /// `--http2`: the HTTP version of the answer.
    public var httpVersion: String?
    /// Why no complete response arrived; nil when one did (whatever its status).
    public var failure: FailureKind?
    /// libcurl's (or the runner's) own words about the failure. Never aggregated.
    public var failureDetail: String?
    /// The response's Content-Type header, if any.
    public var contentType: String?
    /// The first `bodyCaptureBytes` bytes of the body.
    public var body: [UInt8]
    /// Every body byte received, captured or not.
    public var bodyBytesReceived: Int
    /// Completion time, microseconds since the Unix epoch (UTC wall clock).
    public var completedAtMicroseconds: Int64
    /// Time to connect (0 on a reused connection), milliseconds.
    public var connectMilliseconds: Double
    /// Time to the first response byte, milliseconds.
    public var firstByteMilliseconds: Double
    /// Request bytes sent (head and body).
    public var bytesSent: Int
    /// New connections this request opened (0 when it reused one).
    public var newConnections: Int
    /// Index of the virtual user that sent it.
    public var virtualUser: Int

    public init(
        statusCode: Int, latencyMilliseconds: Double, failure: FailureKind?, failureDetail: String? = nil,
        contentType: String? = nil, body: [UInt8] = [], bodyBytesReceived: Int? = nil,
        completedAtMicroseconds: Int64, connectMilliseconds: Double = 0, firstByteMilliseconds: Double = 0,
        bytesSent: Int = 0, newConnections: Int = 0, virtualUser: Int = 0, startLagMilliseconds: Double? = nil,
        stream: StreamSummary? = nil, requestIndex: Int = 0, turn: Int? = nil, chatID: String? = nil,
        thinkMilliseconds: Double? = nil, httpVersion: String? = nil
    ) {
        self.httpVersion = httpVersion
        self.statusCode = statusCode
        self.latencyMilliseconds = latencyMilliseconds
        self.failure = failure
        self.failureDetail = failureDetail
        self.contentType = contentType
        self.body = body
        self.bodyBytesReceived = bodyBytesReceived ?? body.count
        self.completedAtMicroseconds = completedAtMicroseconds
        self.connectMilliseconds = connectMilliseconds
        self.firstByteMilliseconds = firstByteMilliseconds
        self.bytesSent = bytesSent
        self.newConnections = newConnections
        self.virtualUser = virtualUser
        self.startLagMilliseconds = startLagMilliseconds
        self.stream = stream
        self.requestIndex = requestIndex
        self.turn = turn
        self.chatID = chatID
        self.thinkMilliseconds = thinkMilliseconds
    }

    /// The connection was one kept alive from an earlier request.
    public var connectionReused: Bool { failure == nil && newConnections == 0 }
    /// The body was longer than what was captured.
    public var bodyCaptureIncomplete: Bool { bodyBytesReceived > body.count }
}
