import Foundation

/// `--turns N`: what each conversation's body is made of. A body is `head`, the messages so far and
/// the turn's user message(s), `tail`, then `, "chat_id": ID` from the second turn on, then `}`.
public struct ConversationPlan: Sendable, Equatable {
    /// The longest conversation; each one's length is drawn between `minimumTurns` and this (`--turns MIN..MAX`).
    public var turns: Int
    public var minimumTurns: Int
    /// The seed of the drawn lengths (`--seed`).
    public var seed: UInt64
    /// Per prompt, the turn's user message(s) as JSON array members (`{"role": "user", "content": "Hi"}`).
    public var userMessages: [[UInt8]]
    /// `{"messages": [`
    public var head: [UInt8]
    /// `], "stream": false` and any other members, without the closing brace.
    public var tail: [UInt8]
    /// LAMB stores the chat (`persist_chat` true) and names it: a turn carries on only with its chat id.
    /// Without persistence LAMB names none, and later turns send the history alone.
    public var needsChatID: Bool

    public init(turns: Int, userMessages: [[UInt8]], head: [UInt8], tail: [UInt8], needsChatID: Bool = true,
                minimumTurns: Int? = nil, seed: UInt64 = 1) {
        self.turns = turns
        self.minimumTurns = min(turns, max(1, minimumTurns ?? turns))
        self.seed = seed
        self.userMessages = userMessages
        self.head = head
        self.tail = tail
        self.needsChatID = needsChatID
    }
}

extension ConversationPlan {
    /// The length of VU `virtualUser`'s `conversation`-th conversation (0-based): the same draw for the
    /// scheduler, which reserves its turns from `--requests`, and for the VU's `Conversation`.
    public func length(virtualUser: Int, conversation: Int) -> Int {
        guard minimumTurns < turns else { return turns }
        var random = SplitMix64(seed: seed ^ (UInt64(virtualUser) &* 0xD1B5_4A32_D192_ED03) ^ (UInt64(conversation) &* 0x9E37_79B9_7F4A_7C15))
        return minimumTurns + Int(random.next() % UInt64(turns - minimumTurns + 1))
    }
}

/// One VU's conversation, kept on the loop thread (or, for the URLSession runner, behind its lock).
/// The history grows by appending the raw bytes of each turn's user message and of the assistant's
/// answer (its JSON string literal as received, so nothing is decoded or re-serialised); a failed turn
/// ends the conversation.
public final class Conversation {
    private var history: [UInt8] = []
    private var pending: [UInt8] = []
    /// The chat id LAMB returned (its JSON value's bytes), from the first answer on: sent with later turns.
    public private(set) var chatID: [UInt8]?
    /// The chat id the latest answer named (its JSON value's bytes), also when the turn failed: LAMB's
    /// error body (or a cut stream's `X-Chat-Id`) names the chat it opened.
    public private(set) var namedChatID: [UInt8]?
    /// Turns answered in the current conversation; 0 before its first.
    public private(set) var answered = 0
    /// The current conversation's drawn length, and how many this VU has begun.
    public private(set) var length = 0
    private var begun = 0
    /// The current conversation's place among all begun (its prompt and assistant go round-robin by it).
    public private(set) var number = 0
    /// The body of the request in flight, in memory libcurl may point at until it completes.
    package private(set) var body = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
    package private(set) var bodyCount = 0

    public init() {}

    deinit { body.deallocate() }

    /// The turn the next request is (1-based).
    public var turn: Int { answered + 1 }

    /// A copy of the prepared body.
    public var bodyBytes: [UInt8] { Array(body[0..<bodyCount]) }

    /// Builds the next turn's body. A new conversation takes prompt `conversation % count` (prompts go
    /// round-robin per conversation) and sends it again as each later turn's user message.
    /// `virtualUser`: the VU's run number, whose stream draws each conversation's length.
    public func prepare(_ plan: ConversationPlan, virtualUser: Int = 0, nextConversation: () -> Int) {
        namedChatID = nil
        if answered == 0 {
            length = plan.length(virtualUser: virtualUser, conversation: begun)
            begun += 1
            history.removeAll(keepingCapacity: true)
            chatID = nil
            number = nextConversation()
            pending = plan.userMessages[number % plan.userMessages.count]
        }
        build(plan)
    }

    /// `--replay`: turn `turn` (1-based) of conversation `number` of the schedule, `length` turns long,
    /// with the trace's user message; the history is the trace's earlier prompts and the answers received.
    public func prepareReplay(_ plan: ConversationPlan, number: Int, turn: Int, length: Int, userMessage: [UInt8]) {
        namedChatID = nil
        if turn == 1 {
            history.removeAll(keepingCapacity: true)
            chatID = nil
        }
        self.number = number
        self.length = length
        answered = turn - 1
        pending = userMessage
        build(plan)
    }

    /// The body: head, the history, the pending user message(s), tail, the chat id, the closing brace.
    private func build(_ plan: ConversationPlan) {
        var bytes = plan.head + history
        if !history.isEmpty { bytes += Array(", ".utf8) }
        bytes += pending + plan.tail
        if let chatID { bytes += Array(#", "chat_id": "#.utf8) + chatID }
        bytes.append(UInt8(ascii: "}"))
        if bytes.count > body.count {
            body.deallocate()
            body = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, body.count * 2), alignment: 1)
        }
        body.copyBytes(from: bytes)
        bodyCount = bytes.count
    }

    /// The answer to the turn in flight: a 2xx JSON with a `chat_id` and the assistant's content
    /// carries the conversation on; anything else ends it (the next request starts a new one).
    public func receive(_ plan: ConversationPlan, succeeded: Bool, response: [UInt8]) {
        let answer = Self.answer(response)
        namedChatID = answer.chatID
        guard succeeded, let content = answer.content else { return carry(plan, reply: nil) }
        carry(plan, reply: (answer.chatID, content))
    }

    /// The streamed answer to the turn in flight: a 2xx stream that ended with `[DONE]`, no error
    /// event and some content, with LAMB's `X-Chat-Id` header, carries the conversation on.
    public func receive(_ plan: ConversationPlan, succeeded: Bool, stream: SSEScanner?, chatIDHeader: [UInt8]?) {
        namedChatID = chatIDHeader.flatMap(Self.jsonValue)
        guard succeeded, let stream, stream.sawDone, stream.errorMessage == nil, let content = stream.content, !content.isEmpty else {
            return carry(plan, reply: nil)
        }
        carry(plan, reply: (namedChatID, [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]))
    }

    /// The chat id a record shows: the one the latest answer named, else the one sent; the id string
    /// itself (a JSON string's quotes and escapes removed).
    public var recordChatID: String? {
        guard let bytes = namedChatID ?? chatID else { return nil }
        guard bytes.first == UInt8(ascii: "\"") else { return String(decoding: bytes, as: UTF8.self) }
        let inner = bytes.dropFirst().dropLast()
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        return (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) as? String
    }

    /// A header's chat id as a JSON value: digits as a number (LAMB's ids), anything else a string.
    static func jsonValue(_ header: [UInt8]) -> [UInt8]? {
        guard !header.isEmpty else { return nil }
        if header.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) { return header }
        guard !header.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) else { return nil }
        return [UInt8(ascii: "\"")] + header + [UInt8(ascii: "\"")]
    }

    /// A good answer carries the conversation on (with its chat id, or without one when LAMB stores
    /// nothing); anything else ends it.
    private func carry(_ plan: ConversationPlan, reply: (chatID: [UInt8]?, content: [UInt8])?) {
        guard let (id, content) = reply, id != nil || !plan.needsChatID else {
            answered = 0
            return
        }
        chatID = id
        if !history.isEmpty { history += Array(", ".utf8) }
        history += pending + Array(#", {"role": "assistant", "content": "#.utf8) + content + [UInt8(ascii: "}")]
        answered += 1
        if answered >= length { answered = 0 }
    }

    /// The top-level `chat_id` (when not null) and `choices[0].message.content` (its string literal) of
    /// a JSON answer, each when present.
    static func answer(_ response: [UInt8]) -> (chatID: [UInt8]?, content: [UInt8]?) {
        response.withUnsafeBytes { raw -> ([UInt8]?, [UInt8]?) in
            let json = JSONSlice(bytes: raw)
            let id = json.member("chat_id", inObjectAt: 0).flatMap { json.isNull($0) ? nil : Array(raw[$0]) }
            guard let choices = json.member("choices", inObjectAt: 0), let first = json.firstElement(ofArrayAt: choices.lowerBound),
                  let message = json.member("message", inObjectAt: first.lowerBound),
                  let content = json.member("content", inObjectAt: message.lowerBound), json.isString(content) else { return (id, nil) }
            return (id, Array(raw[content]))
        }
    }
}
