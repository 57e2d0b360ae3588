import Foundation

/// A `LAMB_lamb_chats` row's `chat` JSON as LAMB writes it (`add_message_to_lamb_chat`):
/// `{"history": {"messages": {ID: {"id", "parentId", "childrenIds", "role", "content", "timestamp"}}}}`,
/// each new message a child of the last one, timestamps in whole seconds, keys in the order the
/// messages were added, Python's `json.dumps` separators.
struct LambChatJSON {
    struct Message: Codable {
        var id: String
        var parentId: String?
        var childrenIds: [String]
        var role: String
        var content: String
        var timestamp: Int
    }

    private struct Document: Decodable {
        struct History: Decodable { var messages: [String: Message]? }
        var history: History?
    }

    /// LAMB's empty chat (`create_lamb_chat`).
    static let empty = #"{"history": {"messages": {}}}"#

    /// The messages in the order they were added.
    private(set) var messages: [Message] = []

    init() {}

    /// The chat's messages, root first along the chain of children (any message off the chain
    /// after, by timestamp).
    init(json: String) throws {
        let document = try JSONDecoder().decode(Document.self, from: Data(json.utf8))
        var byID = document.history?.messages ?? [:]
        var current = byID.values.filter { $0.parentId == nil }.min { $0.timestamp < $1.timestamp }
        while let message = current, byID.removeValue(forKey: message.id) != nil {
            messages.append(message)
            current = message.childrenIds.last.flatMap { byID[$0] }
        }
        messages += byID.values.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
    }

    /// Adds a message as the child of the last one (LAMB: the latest by timestamp).
    mutating func append(role: String, content: String, timestamp: Int, id: String = UUID().uuidString.lowercased()) {
        let parent = messages.indices.last
        if let parent { messages[parent].childrenIds.append(id) }
        messages.append(Message(id: id, parentId: parent.map { messages[$0].id }, childrenIds: [],
                                role: role, content: content, timestamp: timestamp))
    }

    var json: String {
        let entries = messages.map { message in
            let children = message.childrenIds.map(jsonString).joined(separator: ", ")
            return "\(jsonString(message.id)): {\"id\": \(jsonString(message.id)), "
                + "\"parentId\": \(message.parentId.map(jsonString) ?? "null"), \"childrenIds\": [\(children)], "
                + "\"role\": \(jsonString(message.role)), \"content\": \(jsonString(message.content)), "
                + "\"timestamp\": \(message.timestamp)}"
        }
        return "{\"history\": {\"messages\": {\(entries.joined(separator: ", "))}}}"
    }

    /// LAMB's `generate_chat_title`: the first message cut to 35 characters (at a word when one ends
    /// past half of them, then `...`) and the local time, `What is... - Dec 03 03:17`.
    static func title(firstMessage: String, at time: Int) -> String {
        var text = Array(firstMessage.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\n", with: " ").unicodeScalars)
        let maxLength = 35
        if text.count > maxLength {
            text = Array(text[..<maxLength])
            if let space = text.lastIndex(of: " "), space > maxLength / 2 { text = Array(text[..<space]) }
            text += "...".unicodeScalars
        }
        var seconds = time_t(time)
        var local = tm()
        localtime_r(&seconds, &local)
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%b %d %H:%M", &local)
        let stamp = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var message = String.UnicodeScalarView()
        message.append(contentsOf: text)
        return message.isEmpty ? "New Chat - \(stamp)" : "\(String(message)) - \(stamp)"
    }
}
