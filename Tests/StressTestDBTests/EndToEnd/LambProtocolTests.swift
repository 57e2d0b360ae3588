import Foundation
import TestSupport
import XCTest

/// What a real LAMB showed (issue 19, SPEC 20), pinned against lamb-sim, which answers as LAMB does:
/// chat ids are UUID strings, `persist_chat: false` names no chat, and with its LLM down LAMB opens
/// the chat, then answers 200 `{"error", "chat_id"}` (a stream: the 200 head, then an aborted body).
final class LambProtocolTests: BinaryTestCase {
    let uuid = #"^5c5ea8ca-0000-4000-8000-[0-9a-f]{12}$"#

    func messagesPerChat(_ server: LambSimServer) throws -> [Int] {
        let sqlite = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"),
                                    [server.databasePath, "SELECT json_array_length(messages) FROM chats ORDER BY id"])
        return sqlite.stdout.split(separator: "\n").compactMap { Int($0) }
    }

    func testRecordsCarryTheChatIDStringItselfNotItsJSONQuoting() throws {
        let server = try LambSimServer(["--latency-ms", "1"])
        for (runner, file) in [([String](), "a.jsonl"), (["--sync"], "b.jsonl")] {
            let output = try stressTest(["--vus", "2", "--requests", "8", "--turns", "2", "--responses", file] + runner,
                                        environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            let ids = records(file).compactMap { $0["chat_id"] as? String }
            XCTAssertEqual(ids.count, 8)
            for id in ids { XCTAssertNotNil(id.range(of: uuid, options: .regularExpression), "\(runner): \(id)") }
        }
        XCTAssertEqual(try messagesPerChat(server), [Int](repeating: 4, count: 8), "the ids sent back continued the chats")
    }

    func testTurnsWithoutPersistenceSendTheHistoryWithoutAChatID() throws {
        let server = try LambSimServer(["--latency-ms", "1"])
        for stream in [[String](), ["--stream"]] {
            let file = "np\(stream.count).jsonl"
            let output = try stressTest(["--vus", "2", "--requests", "12", "--turns", "3", "--no-persist", "--responses", file] + stream,
                                        environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            let lines = records(file)
            XCTAssertEqual(Dictionary(grouping: lines, by: { $0["turn"] as? Int ?? 0 }).mapValues(\.count), [1: 4, 2: 4, 3: 4], "\(stream)")
            XCTAssertTrue(lines.allSatisfy { $0["chat_id"] is NSNull && $0["success"] as? Bool == true }, "\(stream)")
        }
        XCTAssertEqual(try messagesPerChat(server), [], "nothing stored")
    }

    func testAFailedTurnKeepsTheChatIDLAMBNamedAndACutStreamKeepsItsStatus() throws {
        let server = try LambSimServer(["--latency-ms", "1", "--fault-llm-down-rate", "1"])
        for stream in [[String](), ["--stream"]] {
            let file = "down\(stream.count).jsonl"
            let output = try stressTest(["--vus", "2", "--requests", "6", "--turns", "2", "--responses", file] + stream,
                                        environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 1, output.all)
            let lines = records(file)
            XCTAssertEqual(lines.count, 6)
            for line in lines {
                XCTAssertEqual(line["turn"] as? Int, 1, "a failed turn ends the conversation")
                XCTAssertEqual(line["status_code"] as? Int, 200, "the status that arrived: \(line)")
                XCTAssertEqual(line["error"] as? String, stream.isEmpty ? "ErrorInResponse" : "ServerDisconnected", "\(line)")
                let id = line["chat_id"] as? String ?? "null"
                XCTAssertNotNil(id.range(of: uuid, options: .regularExpression), "the chat LAMB opened: \(line)")
            }
        }
        XCTAssertEqual(try messagesPerChat(server), [Int](repeating: 1, count: 12), "each failed turn's chat holds its user message")
    }
}
