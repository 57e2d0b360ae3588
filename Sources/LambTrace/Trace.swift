/// One request of a trace file (SPEC section 24): a user turn of a conversation, where it starts
/// (`offset` seconds after the trace's `start`), its prompt or only its length, the time since the
/// conversation's previous user message, and the lengths of the answers before it.
public struct TraceRequest: Equatable, Sendable {
    public var offset: Double
    public var conversation: String
    public var turn: Int
    public var assistantID: Int64?
    /// The prompt's text; nil under `--anonymize` and for a completion without a persisted chat.
    public var prompt: String?
    /// The prompt's length in Unicode scalars (for a completion without a chat: 4 × its prompt tokens).
    public var promptChars: Int
    public var gap: Double
    public var outputTokens: Int?
    /// The lengths of the answers to the conversation's earlier turns, in order (0 for none saved).
    public var historyAnswerChars: [Int]
}

/// A class's requests in `offset` order, with the epoch second they are measured from.
public struct Trace: Equatable, Sendable {
    public var start: Double
    public var conversations: Int
    public var requests: [TraceRequest]
    /// Conversations from persisted chats; the rest are completions without one (one turn each).
    public var chatConversations: Int
}

/// What to export: the window (turn 1's time in `since ..< until`), the assistants, the text or not.
public struct TraceOptions: Sendable {
    public var since: Double?
    public var until: Double?
    public var assistants: [Int64]?
    public var anonymize: Bool

    public init(since: Double? = nil, until: Double? = nil, assistants: [Int64]? = nil, anonymize: Bool = false) {
        self.since = since
        self.until = until
        self.assistants = assistants
        self.anonymize = anonymize
    }

    func includes(_ time: Double) -> Bool {
        (since.map { time >= $0 } ?? true) && (until.map { time < $0 } ?? true)
    }
}
