import CurlEngine
import Foundation
import TestSupport
import XCTest

/// lamb-sim's database holds LAMB's own tables, written as LAMB writes them (lamb a4836f14): a
/// `LAMB_lamb_chats` row a chat with its message tree, a `LAMB_usage_logs` row a completion.
final class LambTablesTests: XCTestCase {
    private let auth = ["Authorization: Bearer \(LambSimServer.token)", "Content-Type: application/json"]
    private let question = "What is the difference between mitosis and meiosis?"

    private func chat(_ server: LambSimServer, _ body: String) -> [String: Any] {
        let response = Probe.perform(method: "POST", url: server.chatURL, headers: auth, timeoutSeconds: 10, body: Array(body.utf8))
        XCTAssertEqual(response.statusCode, 200)
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    private func sqlite(_ database: String, _ sql: String) throws -> String {
        try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [database, sql]).stdout
    }

    /// Column names, declared types and NOT NULL, as in LAMB's database (`../shared/samples/lamb-class.db`).
    func testTablesHaveLAMBsColumns() throws {
        let server = try LambSimServer()
        server.stop()
        let columns = "SELECT group_concat(name || ' ' || type || ' ' || \"notnull\", ', ') FROM pragma_table_info"
        XCTAssertEqual(try sqlite(server.databasePath, "\(columns)('LAMB_lamb_chats')"),
                       "id TEXT 0, user_id INTEGER 1, assistant_id INTEGER 1, title TEXT 1, created_at INTEGER 1, "
                       + "updated_at INTEGER 1, chat JSON 1, archived INTEGER 0\n")
        XCTAssertEqual(try sqlite(server.databasePath, "\(columns)('LAMB_usage_logs')"),
                       "id INTEGER 0, organization_id INTEGER 1, user_id INTEGER 0, assistant_id INTEGER 0, "
                       + "usage_data JSON 1, created_at INTEGER 1, model_name TEXT 0, provider TEXT 0\n")
    }

    func testAChatIsLAMBsMessageTreeAndEachCompletionAUsageRow() throws {
        let server = try LambSimServer()
        let first = chat(server, #"{"messages":[{"role":"user","content":"\#(question)"}]}"#)
        let chatID = try XCTUnwrap(first["chat_id"] as? String)
        _ = chat(server, #"{"messages":[{"role":"user","content":"And why?"}],"chat_id":"\#(chatID)"}"#)
        let unsaved = chat(server, #"{"messages":[{"role":"user","content":"Not kept"}],"persist_chat":false}"#)
        XCTAssertNil(unsaved["chat_id"])
        _ = chat(server, #"{"messages":[{"role":"user","content":"Not kept"}],"persist_chat":false,"stream":true}"#)
        server.stop()
        let row = try sqlite(server.databasePath, "SELECT id, user_id, assistant_id, title, typeof(created_at), archived FROM LAMB_lamb_chats")
        XCTAssertTrue(row.hasPrefix("\(chatID)|1|1|What is the difference between... - "), row)
        XCTAssertTrue(row.hasSuffix("|integer|0\n"), row)
        let json = try sqlite(server.databasePath, "SELECT chat FROM LAMB_lamb_chats")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let messages = try XCTUnwrap((document["history"] as? [String: Any])?["messages"] as? [String: [String: Any]])
        XCTAssertEqual(messages.count, 4)
        // The chain from the root: each message's one child is the next, user and assistant in turn.
        var chain: [[String: Any]] = []
        var current = messages.values.first { $0["parentId"] is NSNull }
        XCTAssertTrue(messages.allSatisfy { $0.key == $0.value["id"] as? String }, "keyed by id")
        while let message = current, chain.count < messages.count {
            XCTAssertTrue(message["timestamp"] is Int, "whole seconds")
            chain.append(message)
            let children = message["childrenIds"] as? [String] ?? []
            XCTAssertLessThanOrEqual(children.count, 1)
            current = children.first.flatMap { messages[$0] }
            XCTAssertEqual(current?["parentId"] as? String, current == nil ? nil : message["id"] as? String)
        }
        XCTAssertEqual(chain.compactMap { $0["role"] as? String }, ["user", "assistant", "user", "assistant"])
        XCTAssertEqual(chain.compactMap { $0["content"] as? String },
                       [question, "Hello! How can I help you today?", "And why?", "Hello! How can I help you today?"])
        // In the text too the messages come in the order they were added, as Python's json.dumps writes them.
        XCTAssertTrue(json.hasPrefix(#"{"history": {"messages": {""#), json)
        XCTAssertLessThan(try XCTUnwrap(json.range(of: question)).lowerBound, try XCTUnwrap(json.range(of: "And why?")).lowerBound)
        // Four completions, persisted or not: LAMB's usage row each (no user, organization 1).
        XCTAssertEqual(try sqlite(server.databasePath, """
            SELECT organization_id, quote(user_id), assistant_id, usage_data, model_name, provider, typeof(created_at)
            FROM LAMB_usage_logs ORDER BY id
            """), usageRows(prompts: [question, "And why?", "Not kept", "Not kept"]))
    }

    /// LAMB's row for a completion of the fixed 7-word answer to each prompt.
    private func usageRows(prompts: [String]) -> String {
        prompts.map { prompt in
            let tokens = prompt.split(separator: " ").count
            return #"1|NULL|1|{"prompt_tokens": \#(tokens), "completion_tokens": 7, "total_tokens": \#(tokens + 7)}"#
                + "|lamb-sim-gpt-4o-mini|openai|integer\n"
        }.joined()
    }
}
