import Foundation
import TestSupport
import XCTest

/// The round trip of issue 28: a `--turns` run against lamb-sim, `trace export` of its database, that
/// trace replayed against a fresh lamb-sim, and its database exported: the second server saw the same
/// conversations (keys and chat ids differ, so a conversation is known by its prompts in turn order).
final class TraceRoundTripTests: BinaryTestCase {
    /// Prompts go round-robin per conversation; three of them and 1 to 4 turns make conversations that differ.
    private let prompts = ["Why is the sky blue?", "What is a prime number, with an example?", "How do vaccines train the body?"]

    private func export(_ database: String, to name: String) throws -> [[String: Any]] {
        let output = try runProcess(binary("stress-test-db"), ["trace", "export", "--lamb-db", database, "--out", path(name)],
                                    directory: folder, timeout: 120)
        XCTAssertEqual(output.status, 0, output.all)
        return records(name)
    }

    /// A trace's conversations as their prompt sequences (turn numbers checked to be 1…n on the way).
    private func sequences(_ trace: [[String: Any]]) -> [[String]] {
        let turns = Dictionary(grouping: trace.dropFirst(), by: { $0["conversation"] as? String ?? "?" })
            .mapValues { $0.compactMap { $0["turn"] as? Int } }
        XCTAssertTrue(turns.values.allSatisfy { $0 == Array(1...max(1, $0.count)) }, "turns in order: \(turns)")
        return Array(ReplayChecks.conversations(trace).values.map(\.prompts))
    }

    func testARunExportedAndReplayedGivesAFreshServerTheSameConversations() throws {
        try (prompts.joined(separator: "\n") + "\n").write(toFile: path("prompts.txt"), atomically: true, encoding: .utf8)
        let first = try LambSimServer(["--latency-ms", "1"])
        let run = try stressTest(["--vus", "4", "--requests", "30", "--turns", "1..4", "--seed", "3", "--think", "200ms..600ms",
                                  "--prompts", "prompts.txt", "--responses", "run.jsonl"], environment: environment(first.baseURL))
        XCTAssertEqual(run.status, 0, run.all)
        XCTAssertEqual(records("run.jsonl").count, 30)
        let traceA = try export(first.databasePath, to: "a.jsonl")
        XCTAssertEqual(traceA.first?["requests"] as? Int, 30, "the run's every turn is in the trace")

        let second = try LambSimServer(["--latency-ms", "1"])
        let replay = try stressTest(["--replay", "a.jsonl", "--speed", "10", "--responses", "replay.jsonl"],
                                    environment: environment(second.baseURL))
        XCTAssertEqual(replay.status, 0, replay.all)
        let traceB = try export(second.databasePath, to: "b.jsonl")

        let (sequencesA, sequencesB) = (sequences(traceA), sequences(traceB))
        XCTAssertGreaterThan(Set(sequencesA.map(\.count)).count, 1, "conversations of different lengths")
        XCTAssertEqual(sequencesB.count, sequencesA.count, "as many conversations")
        XCTAssertEqual(traceB.first?["conversations"] as? Int, traceA.first?["conversations"] as? Int)
        XCTAssertEqual(ReplayChecks.byTurns(sequencesB), ReplayChecks.byTurns(sequencesA), "the same turn counts")
        XCTAssertEqual(ReplayChecks.sorted(sequencesB), ReplayChecks.sorted(sequencesA), "each conversation's prompts in order")
        XCTAssertEqual(traceB.first?["requests"] as? Int, 30)
        let replayed = records("replay.jsonl")
        XCTAssertEqual(replayed.count, 30, "every turn of the trace sent")
        XCTAssertTrue(replayed.allSatisfy { $0["success"] as? Bool == true })
        ReplayChecks.checkTraceLines(replayed, trace: traceA)
        // Both servers' own counters agree with the trace.
        for server in [first, second] {
            let stats = try server.stats()
            XCTAssertEqual(stats["received"] as? Int, 30)
            XCTAssertEqual(stats["chat_rows"] as? Int, sequencesA.count)
            XCTAssertEqual(stats["chats_by_turns"] as? [String: Int], ReplayChecks.byTurns(sequencesA))
        }
    }
}
