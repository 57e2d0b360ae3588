import Foundation
import TestSupport
import XCTest

/// `--replay` (SPEC 24) against lamb-sim: the server gets every conversation's turns in order, none
/// before its previous answer, at the trace's gaps ÷ speed; totals equal the trace.
final class ReplayTests: BinaryTestCase {
    /// Ten conversations over ~19 s of trace: conversation k starts at 2k s and has 2 or 3 turns, 2–5 s apart.
    static func trace() -> (text: String, gaps: [String: [Double]], prompts: [String: [String]]) {
        var requests: [(offset: Double, line: String)] = []
        var gaps: [String: [Double]] = [:], prompts: [String: [String]] = [:]
        for k in 0..<10 {
            let key = String(format: "%016x", 0xC0FFEE + k)
            var offset = Double(2 * k)
            for turn in 1...(k % 2 == 0 ? 3 : 2) {
                let gap = turn == 1 ? 0.0 : Double(2 + (k + turn) % 4)
                offset += gap
                let prompt = "conversation \(k) turn \(turn): what about \"p\"?"
                gaps[key, default: []].append(gap)
                prompts[key, default: []].append(prompt)
                requests.append((offset, #"{"offset_s": \#(offset), "conversation": "\#(key)", "turn": \#(turn), "assistant_id": 1, "#
                    + #""prompt": "conversation \#(k) turn \#(turn): what about \"p\"?", "gap_s": \#(gap), "history_answer_chars": []}"#))
            }
        }
        let lines = requests.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element.line)
        let header = #"{"trace": "stress-test-db", "version": 1, "source": "lamb", "start": 1796267846, "conversations": 10, "requests": \#(lines.count)}"#
        return (([header] + lines).joined(separator: "\n") + "\n", gaps, prompts)
    }

    func write(_ text: String, _ name: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    func testSpeedTenSendsEveryTurnInOrderAtTheTracesGapsAfterItsPreviousAnswer() throws {
        for runner in [[], ["--sync"]] {
            try checkSpeedTen(runner)
        }
    }

    func checkSpeedTen(_ runner: [String]) throws {
        let trace = Self.trace()
        try write(trace.text, "class.jsonl")
        let server = try LambSimServer(["--latency-ms", "1"])
        let output = try stressTest(runner + ["--replay", "class.jsonl", "--speed", "10", "--responses", "r.jsonl", "--output", "r.json"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("Replay: 25 requests of 10 conversations at 10× (scale 1); schedule lag p50 "), output.stdout)
        // The server's chats: one per conversation, its user messages the trace's prompts in order.
        XCTAssertEqual(ReplayChecks.sorted(try ReplayChecks.storedConversations(server.databasePath)),
                       ReplayChecks.sorted(Array(trace.prompts.values)))
        XCTAssertEqual(try server.stats()["chats_by_turns"] as? [String: Int], ["2": 5, "3": 5])
        let records = Array(records("r.jsonl").suffix(25))
        XCTAssertEqual(lines("r.jsonl").count, runner.isEmpty ? 25 : 50, "totals equal the trace")
        ReplayChecks.checkTurns(records, gaps: trace.gaps, speed: 10)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("r.json")))) as! [String: Any]
        let replay = (document["metadata"] as! [String: Any])["replay"] as? [String: Any]
        XCTAssertEqual(replay?["conversations"] as? Int, 10)
        XCTAssertEqual(replay?["requests"] as? Int, 25)
        XCTAssertEqual(replay?["speed"] as? Int, 10)
        XCTAssertNotNil((document["statistics"] as! [String: Any])["schedule_lag_ms"] as? [String: Double])
    }

    func testScaleThreeTriplesTheTraceExactly() throws {
        try write(Self.trace().text, "class.jsonl")
        let server = try LambSimServer(["--latency-ms", "1"])
        let output = try stressTest(["--replay", "class.jsonl", "--speed", "20", "--scale", "3", "--seed", "5", "--loops", "2",
                                     "--responses", "r.jsonl"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertEqual(records("r.jsonl").count, 75)
        XCTAssertEqual(Set(records("r.jsonl").compactMap { $0["conversation"] as? String }).count, 30)
        XCTAssertEqual(try server.stats()["chats_by_turns"] as? [String: Int], ["2": 15, "3": 15])
    }

    /// A server slower than the trace's gaps: each later turn is due 0.1 s after the one before (1 s ÷ 10)
    /// but the answer takes at least 0.4 s, so every later turn waits for it and the wait is schedule lag:
    /// at least 0.3 s, whatever the machine's load (the lower bound comes from the server's sleep).
    func testALateAnswerHoldsTheNextTurnBackAndShowsAsScheduleLag() throws {
        let header = #"{"trace": "stress-test-db", "version": 1, "source": "lamb", "start": 1796267846, "conversations": 2, "requests": 6}"#
        // Conversation k starts at 0.5k s; its turns are 1 s apart in the trace. Lines in offset order.
        let requests = (0..<2).flatMap { k in (1...3).map { turn in (offset: Double(k) * 0.5 + Double(turn - 1), k: k, turn: turn) } }
        let lines = requests.sorted { $0.offset < $1.offset }.map { r in
            #"{"offset_s": \#(r.offset), "conversation": "slow\#(r.k)", "turn": \#(r.turn), "assistant_id": 1, "#
                + #""prompt": "slow \#(r.k) turn \#(r.turn)", "gap_s": \#(r.turn == 1 ? 0 : 1), "history_answer_chars": []}"#
        }
        try write(([header] + lines).joined(separator: "\n") + "\n", "slow.jsonl")
        let server = try LambSimServer(["--latency-ms", "400"])
        let output = try stressTest(["--replay", "slow.jsonl", "--speed", "10", "--responses", "r.jsonl", "--output", "r.json"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let records = records("r.jsonl")
        XCTAssertEqual(records.count, 6)
        XCTAssertEqual(try server.stats()["chats_by_turns"] as? [String: Int], ["3": 2])
        for (key, turns) in Dictionary(grouping: records, by: { $0["conversation"] as? String ?? "?" }) {
            let ordered = turns.sorted { ($0["turn"] as? Int ?? 0) < ($1["turn"] as? Int ?? 0) }
            XCTAssertEqual(ordered.map { $0["turn"] as? Int ?? 0 }, [1, 2, 3], key)
            for (previous, next) in zip(ordered, ordered.dropFirst()) {
                XCTAssertGreaterThanOrEqual(ReplayChecks.sentSeconds(next), ReplayChecks.completedSeconds(previous) - 0.002,
                                            "\(key): never before the previous answer")
            }
        }
        let statistics = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("r.json")))) as! [String: Any])["statistics"] as! [String: Any]
        let lag = try XCTUnwrap(statistics["schedule_lag_ms"] as? [String: Double])
        XCTAssertGreaterThanOrEqual(lag["max"] ?? 0, 300, "a later turn waited ≥ 0.4 s − 0.1 s for its answer: \(lag)")
    }

    /// A failed turn ends its conversation: its later turns are not sent, and the Replay line counts them.
    func testAFailedTurnEndsItsConversationAndTheRestIsCountedNotSent() throws {
        try write(Self.trace().text, "class.jsonl")
        let server = try LambSimServer(["--latency-ms", "1", "--fault-status-rate", "0.4"])
        let output = try stressTest(["--replay", "class.jsonl", "--speed", "20", "--responses", "r.jsonl"], environment: environment(server.baseURL))
        XCTAssertTrue([0, 1].contains(output.status), output.all)
        let records = records("r.jsonl")
        XCTAssertGreaterThan(records.filter { $0["success"] as? Bool == false }.count, 0, "the fault hit")
        for (key, turns) in Dictionary(grouping: records, by: { $0["conversation"] as? String ?? "?" }) {
            let ordered = turns.sorted { ($0["turn"] as! Int) < ($1["turn"] as! Int) }
            XCTAssertEqual(ordered.map { $0["turn"] as! Int }, Array(1...ordered.count), key)
            XCTAssertTrue(ordered.dropLast().allSatisfy { $0["success"] as? Bool == true }, "\(key): only its last sent turn may have failed")
        }
        XCTAssertEqual(Set(records.compactMap { $0["conversation"] as? String }).count, 10, "every conversation begun")
        if records.count < 25 {
            XCTAssertTrue(output.stdout.contains("; \(25 - records.count) of the trace's 25 turns not sent"), output.stdout)
        }
    }

    /// Two shards of one streamed replay: the conversations split whole, together the trace.
    func testShardsSplitTheConversationsAndTogetherSendTheTrace() throws {
        try write(Self.trace().text, "class.jsonl")
        let server = try LambSimServer(["--latency-ms", "1", "--ttft-ms", "1", "--itl-ms", "1", "--tokens", "3"])
        var names: [Set<String>] = []
        for shard in ["0/2", "1/2"] {
            let output = try stressTest(["--replay", "class.jsonl", "--speed", "20", "--shard", shard, "--stream", "--responses", "\(shard.first!).jsonl"],
                                        environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            let records = records("\(shard.first!).jsonl")
            XCTAssertTrue(records.allSatisfy { $0["success"] as? Bool == true })
            names.append(Set(records.compactMap { $0["conversation"] as? String }))
        }
        XCTAssertEqual(names.map(\.count), [5, 5])
        XCTAssertTrue(names[0].isDisjoint(with: names[1]), "no conversation in both shards")
        XCTAssertEqual(try server.stats()["chats_by_turns"] as? [String: Int], ["2": 5, "3": 5], "each chat whole, its turns carried by X-Chat-Id")
    }

    func testAnAIPerfTraceIsOneTurnConversationsOfThatManyWords() throws {
        let lines = (0..<5).map { #"{"timestamp": \#($0 * 100), "input_length": \#(3 + $0), "output_length": 20}"# }
        try write(lines.joined(separator: "\n") + "\n", "aiperf.jsonl")
        let server = try LambSimServer(["--latency-ms", "1"])
        let output = try stressTest(["--replay", "aiperf.jsonl", "--responses", "a.jsonl"], environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertEqual(records("a.jsonl").map { $0["trace_line"] as? Int }, [1, 2, 3, 4, 5])
        let sqlite = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [server.databasePath,
            "SELECT json_extract(value, '$.content') FROM chats, json_each(chats.messages) WHERE json_extract(value, '$.role') = 'user' ORDER BY chats.id"])
        XCTAssertEqual(sqlite.stdout.split(separator: "\n").map { $0.split(separator: " ").count }, [3, 4, 5, 6, 7])
    }

    func testABadTraceOrAFlagAReplayCannotTakeIsOneErrorAndExitOne() throws {
        try write(Self.trace().text.replacingOccurrences(of: #""version": 1"#, with: #""version": 9"#), "v9.jsonl")
        try write(Self.trace().text, "class.jsonl")
        let cases: [([String], String)] = [
            (["--replay", "v9.jsonl"], "is trace version 9"),
            (["--replay", "missing.jsonl"], "does not exist"),
            (["--replay", "class.jsonl", "--rate", "5", "--turns", "3"], "--replay cannot be used with --rate (the trace's times are the schedule), --turns"),
        ]
        for (arguments, expected) in cases {
            let output = try stressTest(arguments + ["--no-check"], environment: environment("http://127.0.0.1:9"))
            XCTAssertEqual(output.status, 1, "\(arguments): \(output.all)")
            XCTAssertTrue(output.stderr.contains(expected), "\(arguments): \(output.stderr)")
        }
    }
}
