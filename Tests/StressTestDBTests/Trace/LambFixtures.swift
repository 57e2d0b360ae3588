import Foundation
import GRDB
import TestSupport

/// The sample class's database (read-only, never copied into the repository) and small LAMB
/// databases the tests make.
enum LambFixtures {
    /// `../shared/samples/lamb-class.db` beside the package root.
    static let sample: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/samples/lamb-class.db").standardized.path

    /// A message of LAMB's tree.
    struct Message {
        var id: String
        var parent: String?
        var children: [String]
        var role: String
        var content: String
        var time: Int
    }

    /// A new database with LAMB's two tables (the columns the export reads), in `folder`.
    static func makeDatabase(in folder: URL, name: String = "lamb.db") throws -> (path: String, queue: DatabaseQueue) {
        let path = folder.appendingPathComponent(name).path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE LAMB_lamb_chats (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL, assistant_id INTEGER NOT NULL,
                    title TEXT NOT NULL DEFAULT 'New Chat', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    chat JSON NOT NULL DEFAULT '{"history": {"messages": {}}}', archived INTEGER DEFAULT 0);
                CREATE TABLE LAMB_usage_logs (id INTEGER PRIMARY KEY AUTOINCREMENT, organization_id INTEGER NOT NULL,
                    user_id INTEGER, assistant_id INTEGER, usage_data JSON NOT NULL, created_at INTEGER NOT NULL,
                    model_name TEXT, provider TEXT);
                """)
        }
        return (path, queue)
    }

    static func insertChat(_ db: Database, id: String, assistant: Int, messages: [Message]) throws {
        var tree: [String: Any] = [:]
        for message in messages {
            tree[message.id] = ["id": message.id, "parentId": message.parent ?? NSNull(), "childrenIds": message.children,
                                "role": message.role, "content": message.content, "timestamp": message.time]
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: ["history": ["messages": tree]]), as: UTF8.self)
        let created = messages.map(\.time).min() ?? 0
        try db.execute(sql: "INSERT INTO LAMB_lamb_chats (id, user_id, assistant_id, created_at, updated_at, chat) VALUES (?, 2, ?, ?, ?, ?)",
                       arguments: [id, assistant, created, created, json])
    }

    static func insertUsage(_ db: Database, assistant: Int, at time: Int, promptTokens: Int = 10, completionTokens: Int = 6) throws {
        let usage = "{\"prompt_tokens\": \(promptTokens), \"completion_tokens\": \(completionTokens), \"total_tokens\": \(promptTokens + completionTokens)}"
        try db.execute(sql: "INSERT INTO LAMB_usage_logs (organization_id, assistant_id, usage_data, created_at, model_name) VALUES (1, ?, ?, ?, 'mock-gpt')",
                       arguments: [assistant, usage, time])
    }

    /// A linear chat of question/answer pairs, each answer `answerDelay` seconds after its question.
    static func linearChat(_ prompts: [(String, Int)], answerDelay: Int = 1) -> [Message] {
        var messages: [Message] = []
        for (index, (prompt, time)) in prompts.enumerated() {
            let user = "u\(index)", answer = "a\(index)"
            messages.append(Message(id: user, parent: index == 0 ? nil : "a\(index - 1)", children: [answer], role: "user",
                                    content: prompt, time: time))
            messages.append(Message(id: answer, parent: user, children: index + 1 < prompts.count ? ["u\(index + 1)"] : [],
                                    role: "assistant", content: "Answer \(index + 1).", time: time + answerDelay))
        }
        return messages
    }
}
