import CurlEngine
import Foundation
import TestSupport
import XCTest

/// `--turns`: conversations as students hold them, against lamb-sim's real SQLite chats.
final class ConversationTests: BinaryTestCase {
    func testFourVUsThreeTurnsTwoConversationsEach() throws {
        let server = try LambSimServer(["--latency-ms", "1"])
        let output = try stressTest(["--vus", "4", "--requests", "24", "--turns", "3", "--responses", "c.jsonl", "--output", "c.json"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        // A VU beginning a conversation reserves its 3 turns from the 24: 8 whole chats, whoever is free.
        let byTurns = try XCTUnwrap(try server.stats()["chats_by_turns"] as? [String: Int])
        XCTAssertEqual(byTurns, ["3": 8])
        let sqlite = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [server.databasePath,
            "SELECT json_array_length(messages) = 2 * (SELECT COUNT(*) FROM json_each(messages) WHERE json_extract(value, '$.role') = 'user') FROM chats"])
        XCTAssertTrue(sqlite.stdout.split(separator: "\n").allSatisfy { $0 == "1" }, "each turn's user message and answer, in the blob")
        let lines = records("c.jsonl")
        let turns = Dictionary(grouping: lines, by: { $0["turn"] as? Int ?? 0 }).mapValues(\.count)
        XCTAssertEqual(turns, [1: 8, 2: 8, 3: 8])
        // One chat id per conversation, carried through its turns; as many chats as first turns.
        let chats = Dictionary(grouping: lines, by: { $0["chat_id"] as? String ?? "?" })
        XCTAssertEqual(chats.count, turns[1])
        XCTAssertTrue(chats.values.allSatisfy { conversation in
            conversation.compactMap { $0["turn"] as? Int }.sorted() == Array(1...conversation.count)
        })
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("c.json")))) as! [String: Any]
        let byTurn = (document["statistics"] as! [String: Any])["by_turn"] as! [String: [String: Any]]
        XCTAssertEqual(byTurn["1"]?["total_requests"] as? Int, turns[1])
        // LAMB answers an unknown chat id with 404.
        let unknown = Probe.perform(method: "POST", url: server.chatURL, headers: ["Authorization: Bearer \(LambSimServer.token)"],
                                    timeoutSeconds: 10, body: Array(#"{"messages":[{"role":"user","content":"Hi"}],"chat_id":999999}"#.utf8))
        XCTAssertEqual(unknown.statusCode, 404)
    }

    func testAFailedTurnEndsTheConversation() throws {
        let server = try LambSimServer(["--latency-ms", "1", "--fault-status-rate", "0.2"])
        let output = try stressTest(["--vus", "2", "--requests", "60", "--turns", "3", "--responses", "f.jsonl"],
                                    environment: environment(server.baseURL))
        XCTAssertTrue([0, 1].contains(output.status), output.all)
        let lines = records("f.jsonl")
        XCTAssertEqual(lines.count, 60)
        XCTAssertGreaterThan(lines.filter { $0["success"] as? Bool == false }.count, 0, "the fault hit")
        for vu in [0, 1] {
            let sequence = lines.filter { $0["vu"] as? Int == vu }
            for (previous, next) in zip(sequence, sequence.dropFirst()) {
                let previousTurn = previous["turn"] as? Int ?? 0, nextTurn = next["turn"] as? Int ?? 0
                if previous["success"] as? Bool == true && previousTurn < 3 {
                    XCTAssertEqual(nextTurn, previousTurn + 1, "a success carries the conversation on")
                } else {
                    XCTAssertEqual(nextTurn, 1, "after a failure or the last turn, a new conversation")
                }
            }
        }
    }

    /// Streamed: the chat id comes in LAMB's `X-Chat-Id` header, the answer in content deltas; both runners.
    func testStreamedConversationsCarryTheHeadersChatID() throws {
        for runner in [[], ["--sync"]] {
            let server = try LambSimServer(["--latency-ms", "1", "--ttft-ms", "2", "--itl-ms", "1", "--tokens", "3"])
            let output = try stressTest(runner + ["--vus", "2", "--requests", "12", "--turns", "3", "--stream", "--responses", "s.jsonl"],
                                        environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            XCTAssertEqual(try server.stats()["chats_by_turns"] as? [String: Int], ["3": 4], "\(runner)")
            let lines = records("s.jsonl").suffix(12)
            XCTAssertEqual(Dictionary(grouping: lines, by: { $0["turn"] as? Int ?? 0 }).mapValues(\.count), [1: 4, 2: 4, 3: 4])
            XCTAssertEqual(Set(lines.compactMap { $0["chat_id"] as? String }).count, 4)
            // Six messages a chat in the blob: each turn's user message and the answer.
            let sqlite = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [server.databasePath, "SELECT json_array_length(messages) FROM chats"])
            XCTAssertEqual(sqlite.stdout.split(separator: "\n"), ["6", "6", "6", "6"], "\(runner)")
        }
    }

    /// Several assistants: a conversation keeps one (a chat belongs to one assistant); they take turns by conversation.
    func testEachConversationStaysWithOneAssistant() throws {
        let server = try LambSimServer(["--latency-ms", "1", "--assistants", "1,2"])
        let output = try stressTest(["--vus", "2", "--requests", "8", "--turns", "2", "--assistant-id", "1,2", "--responses", "a.jsonl"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let lines = records("a.jsonl")
        let byChat = Dictionary(grouping: lines, by: { $0["chat_id"] as? String ?? "?" })
        XCTAssertEqual(byChat.count, 4)
        XCTAssertTrue(byChat.values.allSatisfy { Set($0.compactMap { $0["assistant_id"] as? String }).count == 1 }, "\(byChat)")
        XCTAssertEqual(Dictionary(grouping: lines, by: { $0["assistant_id"] as? String ?? "?" }).mapValues(\.count), ["1": 4, "2": 4])
        let sqlite = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"),
                                    [server.databasePath, "SELECT assistant_id, COUNT(*) FROM chats GROUP BY assistant_id"])
        XCTAssertEqual(sqlite.stdout.split(separator: "\n"), ["1|2", "2|2"])
    }

    /// The URLSession runner holds the same conversations and reserves their turns the same way.
    func testTheURLSessionRunnerHoldsConversationsToo() throws {
        let server = try LambSimServer(["--latency-ms", "1"])
        let json = try stressTest(["--sync", "--vus", "4", "--requests", "24", "--turns", "3"], environment: environment(server.baseURL))
        XCTAssertEqual(json.status, 0, json.all)
        XCTAssertEqual(try server.stats()["chats_by_turns"] as? [String: Int], ["3": 8])
    }
}
