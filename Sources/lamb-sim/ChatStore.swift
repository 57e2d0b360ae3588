import Foundation
import GRDB
import Synchronization

/// LAMB's per-request SQLite work on a real file, in LAMB's own tables (`LambSchema`), through several
/// connections so that writers contend the way LAMB's request handlers do.
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
        try connections[0].write { db in try db.execute(sql: LambSchema.statements) }
    }

    private func connection() -> DatabaseQueue {
        connections[next.increment() % connections.count]
    }

    private static var now: Int { Int(Date().timeIntervalSince1970) }

    /// Before the LLM call: insert the chat (LAMB's `create_lamb_chat`, titled from the prompt), then
    /// read-modify-write its message tree with the user's message.
    func openChat(assistantID: String, prompt: String) async throws -> Int64 {
        let now = Self.now
        let title = LambChatJSON.title(firstMessage: prompt, at: now)
        let id = try await connection().writeWithoutTransaction { db -> Int64 in
            var chatID: Int64 = 0
            try db.inTransaction(.immediate) {
                chatID = try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(rowid), 0) + 1 FROM LAMB_lamb_chats") ?? 1
                try db.execute(
                    sql: """
                        INSERT INTO LAMB_lamb_chats (rowid, id, user_id, assistant_id, title, created_at, updated_at, chat, archived)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
                        """,
                    arguments: [chatID, ChatID.text(chatID), LambSchema.userID, assistantID,
                                title, now, now, LambChatJSON.empty])
                try Self.appendMessage(db, chatID: chatID, role: "user", content: prompt)
                return .commit
            }
            return chatID
        }
        chatRowsWritten.increment()
        return id
    }

    /// A later turn: the user's message appended to the chat's tree (read-modify-write, so a long
    /// conversation costs more each turn). False when there is no such chat (LAMB answers 404).
    func continueChat(chatID: Int64, prompt: String) async throws -> Bool {
        try await connection().writeWithoutTransaction { db -> Bool in
            var found = false
            try db.inTransaction(.immediate) {
                found = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM LAMB_lamb_chats WHERE id = ?",
                                         arguments: [ChatID.text(chatID)]) == 1
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
                SELECT turns, COUNT(*) AS chats FROM (SELECT (SELECT COUNT(*) FROM json_each(chat, '$.history.messages')
                WHERE json_extract(value, '$.role') = 'user') AS turns FROM LAMB_lamb_chats) GROUP BY turns
                """)
            return Dictionary(uniqueKeysWithValues: rows.map { (Int($0["turns"] as Int64), Int($0["chats"] as Int64)) })
        }
    }

    /// After the LLM call: log its usage (LAMB's `log_token_usage`: insert + upsert), then add the
    /// answer to the chat, all in one transaction.
    func closeChat(chatID: Int64, assistantID: String, completion: Completion) async throws {
        try await connection().writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try Self.logUsage(db, assistantID: assistantID, completion: completion)
                try Self.appendMessage(db, chatID: chatID, role: "assistant", content: completion.content)
                return .commit
            }
        }
    }

    /// A completion without a persisted chat (`"persist_chat": false`): its usage only, as LAMB logs it.
    func logUsage(assistantID: String, completion: Completion) async throws {
        try await connection().writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try Self.logUsage(db, assistantID: assistantID, completion: completion)
                return .commit
            }
        }
    }

    private static func logUsage(_ db: Database, assistantID: String, completion: Completion) throws {
        let now = Self.now
        let usage = #"{"prompt_tokens": \#(completion.promptTokens), "completion_tokens": \#(completion.completionTokens), "#
            + #""total_tokens": \#(completion.totalTokens)}"#
        try db.execute(
            sql: """
                INSERT INTO LAMB_usage_logs (organization_id, assistant_id, usage_data, model_name, provider, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [LambSchema.organizationID, assistantID, usage, completion.model, LambSchema.provider, now])
        try db.execute(
            sql: """
                INSERT INTO LAMB_assistant_usage_totals
                    (assistant_id, prompt_tokens_total, completion_tokens_total, total_tokens_total, cost_usd_total, updated_at)
                VALUES (?, ?, ?, ?, 0.0, ?)
                ON CONFLICT(assistant_id) DO UPDATE SET
                    prompt_tokens_total = prompt_tokens_total + excluded.prompt_tokens_total,
                    completion_tokens_total = completion_tokens_total + excluded.completion_tokens_total,
                    total_tokens_total = total_tokens_total + excluded.total_tokens_total,
                    updated_at = excluded.updated_at
                """,
            arguments: [assistantID, completion.promptTokens, completion.completionTokens, completion.totalTokens, now])
    }

    /// LAMB's `add_message_to_lamb_chat`: read the chat's tree, add the message under the last one, write it back.
    private static func appendMessage(_ db: Database, chatID: Int64, role: String, content: String) throws {
        let id = ChatID.text(chatID)
        let blob = try String.fetchOne(db, sql: "SELECT chat FROM LAMB_lamb_chats WHERE id = ?", arguments: [id])
        var chat = (try? LambChatJSON(json: blob ?? LambChatJSON.empty)) ?? LambChatJSON()
        let now = Self.now
        chat.append(role: role, content: content, timestamp: now)
        try db.execute(sql: "UPDATE LAMB_lamb_chats SET chat = ?, updated_at = ? WHERE id = ?",
                       arguments: [chat.json, now, id])
    }

    func chatRowCount() throws -> Int {
        try connections[0].read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM LAMB_lamb_chats") ?? 0 }
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
