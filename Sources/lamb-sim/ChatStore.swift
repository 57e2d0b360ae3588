import Foundation
import GRDB
import Synchronization

/// LAMB's per-request SQLite work on a real file, through several connections
/// so that writers contend the way LAMB's request handlers do.
final class ChatStore: Sendable {
    private let connections: [DatabaseQueue]
    private let next = Counter()
    let busyWaits = Counter()
    let chatRowsWritten = Counter()
    let path: String

    /// WAL mode and a 5000 ms busy timeout, as LAMB configures SQLite.
    init(path: String, connections count: Int) throws {
        self.path = path
        let busyWaits = self.busyWaits
        var configuration = Configuration()
        configuration.journalMode = .wal
        // SQLite's own busy timeout, with each wait counted: retry every millisecond for 5 s.
        configuration.busyMode = .callback { tries in
            busyWaits.increment()
            if tries >= 5000 { return false }
            usleep(1000)
            return true
        }
        var queues: [DatabaseQueue] = []
        for _ in 0..<max(1, count) {
            queues.append(try DatabaseQueue(path: path, configuration: configuration))
        }
        connections = queues
        try connections[0].write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS chats (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    assistant_id TEXT NOT NULL,
                    messages TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS usage_logs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    chat_id INTEGER NOT NULL,
                    assistant_id TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL,
                    completion_tokens INTEGER NOT NULL,
                    created_at REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS assistant_usage (
                    assistant_id TEXT PRIMARY KEY,
                    requests INTEGER NOT NULL,
                    total_tokens INTEGER NOT NULL);
                """)
        }
    }

    private func connection() -> DatabaseQueue {
        connections[next.increment() % connections.count]
    }

    /// Before the LLM call: insert the chat, then read-modify-write its message blob.
    func openChat(assistantID: String, prompt: String) async throws -> Int64 {
        let id = try await connection().writeWithoutTransaction { db -> Int64 in
            var chatID: Int64 = 0
            try db.inTransaction(.immediate) {
                let now = Date().timeIntervalSince1970
                try db.execute(
                    sql: "INSERT INTO chats (assistant_id, messages, created_at, updated_at) VALUES (?, '[]', ?, ?)",
                    arguments: [assistantID, now, now])
                chatID = db.lastInsertedRowID
                try Self.appendMessage(db, chatID: chatID, role: "user", content: prompt)
                return .commit
            }
            return chatID
        }
        chatRowsWritten.increment()
        return id
    }

    /// A later turn: the user's message appended to the chat's blob (read-modify-write, so a long
    /// conversation costs more each turn). False when there is no such chat (LAMB answers 404).
    func continueChat(chatID: Int64, prompt: String) async throws -> Bool {
        try await connection().writeWithoutTransaction { db -> Bool in
            var found = false
            try db.inTransaction(.immediate) {
                found = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chats WHERE id = ?", arguments: [chatID]) == 1
                if found { try Self.appendMessage(db, chatID: chatID, role: "user", content: prompt) }
                return .commit
            }
            return found
        }
    }

    /// Chats by their number of turns (user messages), for `/stats`.
    func chatsByTurns() throws -> [Int: Int] {
        try connections[0].read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT turns, COUNT(*) AS chats FROM (SELECT (SELECT COUNT(*) FROM json_each(messages)
                WHERE json_extract(value, '$.role') = 'user') AS turns FROM chats) GROUP BY turns
                """)
            return Dictionary(uniqueKeysWithValues: rows.map { (Int($0["turns"] as Int64), Int($0["chats"] as Int64)) })
        }
    }

    /// After the LLM call: log token usage (insert + upsert), then update the chat again.
    func closeChat(chatID: Int64, assistantID: String, completion: Completion) async throws {
        try await connection().writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let now = Date().timeIntervalSince1970
                try db.execute(
                    sql: """
                        INSERT INTO usage_logs (chat_id, assistant_id, prompt_tokens, completion_tokens, created_at)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [chatID, assistantID, completion.promptTokens, completion.completionTokens, now])
                try db.execute(
                    sql: """
                        INSERT INTO assistant_usage (assistant_id, requests, total_tokens) VALUES (?, 1, ?)
                        ON CONFLICT(assistant_id) DO UPDATE SET requests = requests + 1,
                            total_tokens = total_tokens + excluded.total_tokens
                        """,
                    arguments: [assistantID, completion.totalTokens])
                try Self.appendMessage(db, chatID: chatID, role: "assistant", content: completion.content)
                return .commit
            }
        }
    }

    private static func appendMessage(_ db: Database, chatID: Int64, role: String, content: String) throws {
        let blob = try String.fetchOne(db, sql: "SELECT messages FROM chats WHERE id = ?", arguments: [chatID]) ?? "[]"
        var messages = (try? JSONSerialization.jsonObject(with: Data(blob.utf8))) as? [[String: String]] ?? []
        messages.append(["role": role, "content": content])
        let updated = String(decoding: try JSONSerialization.data(withJSONObject: messages), as: UTF8.self)
        try db.execute(
            sql: "UPDATE chats SET messages = ?, updated_at = ? WHERE id = ?",
            arguments: [updated, Date().timeIntervalSince1970, chatID])
    }

    func chatRowCount() throws -> Int {
        try connections[0].read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chats") ?? 0 }
    }
}

/// A shareable counter (an `Atomic` cannot be captured by a closure).
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    /// Adds one and returns the value before.
    @discardableResult
    func increment() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
    var current: Int { value.load(ordering: .relaxed) }
}
