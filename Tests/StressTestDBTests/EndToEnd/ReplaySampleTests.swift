import Foundation
import TestSupport
import XCTest

/// The sample class (`../shared/samples/lamb-class.db`) exported and replayed at 10× against lamb-sim:
/// the server receives every conversation's turns in order, none before its previous answer, at the
/// trace's gaps ÷ 10 (within 10% + 50 ms), and the totals are the trace's.
final class ReplaySampleTests: BinaryTestCase {
    /// The class's last minute: conversations begun from 90 s after its first message (1796267846) to its
    /// end, 150 s. Counted apart from this code with python3, as TraceSampleTests' numbers were: 104
    /// conversations of 1 to 6 turns, 203 requests, over 60 s of trace (6 s at 10×).
    private let window = ["--since", "1796267936", "--until", "1796267996"]

    func testTheSamplesLastMinuteAtSpeedTenReachesTheServerTurnByTurnAtItsGaps() throws {
        let export = try runProcess(binary("stress-test-db"), ["trace", "export", "--lamb-db", LambFixtures.sample] + window
                                    + ["--out", path("class.jsonl")], directory: folder, timeout: 120)
        XCTAssertEqual(export.status, 0, export.all)
        XCTAssertTrue(export.stdout.contains("Trace: 104 conversations (104 chats, 0 completions without a chat), 203 requests"),
                      export.stdout)
        let trace = records("class.jsonl")
        let conversations = ReplayChecks.conversations(trace)
        let expected = Array(conversations.values.map(\.prompts))
        XCTAssertEqual(ReplayChecks.byTurns(expected), ["1": 50, "2": 26, "3": 15, "4": 10, "5": 2, "6": 1])

        let server = try LambSimServer(["--latency-ms", "1"])
        let output = try stressTest(["--replay", "class.jsonl", "--speed", "10", "--responses", "r.jsonl"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("Replay: 203 requests of 104 conversations at 10× (scale 1); schedule lag p50 "), output.stdout)
        // The server's side: each chat's user messages along LAMB's message tree are a conversation's prompts in order.
        XCTAssertEqual(ReplayChecks.sorted(try ReplayChecks.storedConversations(server.databasePath)), ReplayChecks.sorted(expected))
        let stats = try server.stats()
        XCTAssertEqual(stats["received"] as? Int, 203)
        XCTAssertEqual(stats["chats_by_turns"] as? [String: Int], ReplayChecks.byTurns(expected))
        // The records' side: every turn once, in order, after its previous answer, at the trace's gap ÷ 10.
        let records = records("r.jsonl")
        XCTAssertEqual(records.count, 203)
        ReplayChecks.checkTraceLines(records, trace: trace)
        let deviation = ReplayChecks.checkTurns(records, gaps: conversations.mapValues(\.gaps), speed: 10)
        print(String(format: "ReplaySampleTests: %d records, %d conversations; largest gap deviation %.1f ms",
                     records.count, Set(records.compactMap { $0["conversation"] as? String }).count, deviation * 1000))
    }
}
