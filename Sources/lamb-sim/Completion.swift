import Foundation

/// What a chat-completion request asked for.
struct ChatRequest: Equatable {
    var messages: [[String: String]]
    var stream: Bool
    /// `"persist_chat": false`: LAMB skips its chat writes.
    var persist = true
    /// A later turn of a conversation: the chat to continue.
    var chatID: Int64?
    /// `"model"`: `/v1/chat/completions` needs `lamb_assistant.<id>`.
    var model: String?

    enum ParseError: Error, Equatable {
        case notJSON
        case noMessages
    }

    /// LAMB answers 400 for a body that is not a JSON object or has no `messages` array.
    static func parse(_ body: Data) throws -> ChatRequest {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw ParseError.notJSON
        }
        guard let raw = object["messages"] as? [Any], !raw.isEmpty else { throw ParseError.noMessages }
        let messages = raw.compactMap { entry -> [String: String]? in
            guard let entry = entry as? [String: Any] else { return nil }
            return entry.compactMapValues { $0 as? String }
        }
        guard messages.count == raw.count else { throw ParseError.noMessages }
        return ChatRequest(messages: messages, stream: (object["stream"] as? Bool) ?? false,
                           persist: (object["persist_chat"] as? Bool) ?? true, chatID: ChatID.parse(object["chat_id"]),
                           model: object["model"] as? String)
    }

    var prompt: String { messages.last?["content"] ?? "" }
}

/// The answer and its token counts, shared by the JSON and the SSE forms.
struct Completion {
    var id: String
    var created: Int
    var model: String
    var content: String
    var promptTokens: Int

    var completionTokens: Int { Completion.tokenCount(content) }
    var totalTokens: Int { promptTokens + completionTokens }

    static func tokenCount(_ text: String) -> Int { max(1, text.split(whereSeparator: \.isWhitespace).count) }

    /// The fixed answer of a completion without `--tokens`.
    static let reply = "Hello! How can I help you today?"

    /// `--tokens N`: an answer of exactly N words, streamed as N content chunks.
    static func reply(tokens: Int) -> String { (1...max(1, tokens)).map { "w\($0)" }.joined(separator: " ") }

    /// The OpenAI-style non-streaming `chat.completion` object, with LAMB's top-level `chat_id`.
    func json(chatID: Int64? = nil) -> String {
        """
        {"id":\(jsonString(id)),"object":"chat.completion","created":\(created),"model":\(jsonString(model)),\
        "choices":[{"index":0,"message":{"role":"assistant","content":\(jsonString(content))},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":\(promptTokens),"completion_tokens":\(completionTokens),"total_tokens":\(totalTokens)}\
        \(chatID.map { ",\"chat_id\":\(jsonString(ChatID.text($0)))" } ?? "")}
        """
    }

    /// The content split into the deltas a streaming answer sends, words with their spaces.
    var deltas: [String] {
        var pieces: [String] = []
        var current = ""
        for character in content {
            current.append(character)
            if character == " " {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Server-Sent Events, one per delta, then a final chunk carrying `usage`, then `[DONE]`.
    var sseEvents: [String] { contentEvents + [usageEvent, SSE.event("[DONE]")] }

    /// One event per content delta.
    var contentEvents: [String] {
        deltas.map { delta in
            SSE.event(
                """
                {"id":\(jsonString(id)),"object":"chat.completion.chunk","created":\(created),"model":\(jsonString(model)),\
                "choices":[{"index":0,"delta":{"content":\(jsonString(delta))},"finish_reason":null}]}
                """
            )
        }
    }

    /// The final chunk: no content, `finish_reason` and `usage`.
    var usageEvent: String {
        SSE.event(
            """
            {"id":\(jsonString(id)),"object":"chat.completion.chunk","created":\(created),"model":\(jsonString(model)),\
            "choices":[{"index":0,"delta":{},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":\(promptTokens),"completion_tokens":\(completionTokens),"total_tokens":\(totalTokens)}}
            """
        )
    }
}

enum SSE {
    /// One event: every line of the payload as a `data:` line, then a blank line.
    static func event(_ payload: String) -> String {
        payload.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }
}

/// A JSON string literal (quotes included), escaping what JSON requires.
func jsonString(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// `application/x-www-form-urlencoded` fields, as the login form sends them.
func parseForm(_ body: String) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in body.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ s: Substring) -> String {
            String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
        }
        guard let key = parts.first else { continue }
        fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return fields
}

/// LAMB's chat ids are UUID strings; the store numbers its chats. An id is shown as a UUID whose last
/// group is the number (`5c5ea8ca-0000-4000-8000-00000000002a`) and read back from that form (or a number).
enum ChatID {
    static func text(_ id: Int64) -> String { String(format: "5c5ea8ca-0000-4000-8000-%012llx", id) }

    static func parse(_ value: Any?) -> Int64? {
        if let number = value as? NSNumber, !(value is Bool) { return number.int64Value }
        guard let text = value as? String, text.hasPrefix("5c5ea8ca-"), let last = text.split(separator: "-").last else { return nil }
        return Int64(last, radix: 16)
    }
}
