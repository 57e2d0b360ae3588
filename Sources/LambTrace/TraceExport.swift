import Foundation

/// LAMB's database as a trace: each persisted chat a conversation of its user turns, each completion
/// without a persisted chat a conversation of one turn; conversations named by a salted hash.
public enum TraceExport {
    /// One conversation before it is placed in time: its turns' facts.
    struct Conversation {
        var key: String
        var assistantID: Int64?
        var turns: [Turn]
        var fromChat: Bool
    }

    struct Turn {
        var time: Double
        var prompt: String?
        var promptChars: Int
        var answerChars: Int
        var outputTokens: Int?
    }

    public static func export(_ database: LambDatabase, options: TraceOptions) throws -> Trace {
        let chats = try database.chats(assistants: options.assistants)
        let completions = try database.completions(assistants: options.assistants)
        return trace(conversations(chats: chats, completions: completions), options: options, salt: ConversationHash())
    }

    static func conversations(chats: [LambChat], completions: [LambCompletion]) -> [Conversation] {
        let matched = UsageMatching.match(chats: chats, completions: completions)
        var conversations: [Conversation] = []
        for (chatIndex, chat) in chats.enumerated() where !chat.turns.isEmpty {
            let turns = chat.turns.enumerated().map { turnIndex, turn in
                Turn(time: turn.time, prompt: turn.prompt, promptChars: turn.prompt.unicodeScalars.count,
                     answerChars: turn.answer?.unicodeScalars.count ?? 0,
                     outputTokens: matched.completions[.init(chat: chatIndex, turn: turnIndex)]?.completionTokens)
            }
            conversations.append(Conversation(key: "chat:" + chat.id, assistantID: chat.assistantID, turns: turns, fromChat: true))
        }
        for orphan in matched.orphans {
            let turn = Turn(time: orphan.createdAt, prompt: nil, promptChars: 4 * (orphan.promptTokens ?? 0),
                            answerChars: 0, outputTokens: orphan.completionTokens)
            conversations.append(Conversation(key: "usage:\(orphan.id)", assistantID: orphan.assistantID, turns: [turn],
                                              fromChat: false))
        }
        return conversations
    }

    /// The conversations whose first turn is in the window, every turn kept, ordered by time.
    static func trace(_ all: [Conversation], options: TraceOptions, salt: ConversationHash) -> Trace {
        let kept = all.filter { options.includes($0.turns[0].time) }
        let start = (kept.map { $0.turns[0].time }.min() ?? 0).rounded(.down)
        var placed: [(order: Int, request: TraceRequest)] = []
        for (order, conversation) in kept.enumerated() {
            let name = salt.name(conversation.key)
            for (index, turn) in conversation.turns.enumerated() {
                let request = TraceRequest(
                    offset: turn.time - start, conversation: name, turn: index + 1, assistantID: conversation.assistantID,
                    prompt: options.anonymize ? nil : turn.prompt, promptChars: turn.promptChars,
                    gap: index == 0 ? 0 : max(0, turn.time - conversation.turns[index - 1].time),
                    outputTokens: turn.outputTokens,
                    historyAnswerChars: conversation.turns[..<index].map(\.answerChars))
                placed.append((order, request))
            }
        }
        placed.sort { ($0.request.offset, $0.order, $0.request.turn) < ($1.request.offset, $1.order, $1.request.turn) }
        return Trace(start: start, conversations: kept.count, requests: placed.map(\.request),
                     chatConversations: kept.filter(\.fromChat).count)
    }
}

/// A conversation's name in the trace: a keyed hash (SipHash, Swift's `Hasher`, seeded at random per
/// process) of LAMB's id with 16 more random bytes, neither kept, so the name cannot be traced back
/// to LAMB's chat or user and differs from one export to the next.
struct ConversationHash {
    private let salt: [UInt8]

    init() {
        var generator = SystemRandomNumberGenerator()
        salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    func name(_ key: String) -> String {
        var hasher = Hasher()
        hasher.combine(salt)
        hasher.combine(key)
        let value = UInt64(bitPattern: Int64(hasher.finalize()))
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
