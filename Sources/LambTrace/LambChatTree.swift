import Foundation

/// One user turn of a LAMB chat: when the user wrote it, what, and the answer on the kept branch.
struct LambTurn: Equatable {
    var time: Double
    var prompt: String
    /// The assistant message that answered it on the kept branch (nil when there is none yet).
    var answer: String?
    var answerTime: Double?
}

/// A `LAMB_lamb_chats` row's `chat` JSON: `$.history.messages`, a map of message id to
/// `{id, parentId, childrenIds, role, content, timestamp}`. The conversation is the path from the root
/// (`parentId` null) that follows, at each branch, the child with the latest timestamp; between
/// children of the same timestamp the one listed last in `childrenIds` (the newest LAMB added: a
/// regenerated answer or an edited question) wins.
enum LambChatTree {
    struct Message: Decodable {
        var id: String?
        var parentId: String?
        var childrenIds: [String]?
        var role: String?
        var content: String
        var timestamp: Double

        enum CodingKeys: String, CodingKey { case id, parentId, childrenIds, role, content, timestamp }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try? container.decodeIfPresent(String.self, forKey: .id)
            parentId = try? container.decodeIfPresent(String.self, forKey: .parentId)
            childrenIds = try? container.decodeIfPresent([String].self, forKey: .childrenIds)
            role = try? container.decodeIfPresent(String.self, forKey: .role)
            // A content that is not text (parts, files) counts as empty text.
            content = (try? container.decodeIfPresent(String.self, forKey: .content)) ?? ""
            timestamp = (try? container.decodeIfPresent(Double.self, forKey: .timestamp)) ?? 0
        }
    }

    private struct Document: Decodable {
        struct History: Decodable { var messages: [String: Message]? }
        var history: History?
    }

    /// The chat's user turns in order, or nil when the JSON is not a LAMB chat.
    static func turns(json: String) -> [LambTurn]? {
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(json.utf8)) else { return nil }
        return turns(messages: document.history?.messages ?? [:])
    }

    static func turns(messages: [String: Message]) -> [LambTurn] {
        let path = keptPath(messages)
        var turns: [LambTurn] = []
        for (index, message) in path.enumerated() where message.role == "user" {
            let next = index + 1 < path.count ? path[index + 1] : nil
            let answer = next?.role == "assistant" ? next : nil
            turns.append(LambTurn(time: message.timestamp, prompt: message.content,
                                  answer: answer?.content, answerTime: answer?.timestamp))
        }
        return turns
    }

    /// The messages from the root along the latest child at each branch (a cycle or a missing child
    /// ends the path). More than one root: the latest, as for children.
    static func keptPath(_ messages: [String: Message]) -> [Message] {
        let roots = messages.keys.sorted().compactMap { key -> Message? in
            let message = messages[key]!
            return message.parentId == nil ? message : nil
        }
        var path: [Message] = []
        var seen = Set<String>()
        var current = latest(roots)
        while let message = current {
            if let id = message.id {
                if seen.contains(id) { break }
                seen.insert(id)
            }
            path.append(message)
            current = latest((message.childrenIds ?? []).compactMap { messages[$0] })
        }
        return path
    }

    /// The latest of the candidates; of equal timestamps, the last listed.
    private static func latest(_ candidates: [Message]) -> Message? {
        var best: Message?
        for candidate in candidates where best == nil || candidate.timestamp >= best!.timestamp {
            best = candidate
        }
        return best
    }
}
