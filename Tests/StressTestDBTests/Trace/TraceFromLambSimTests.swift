import Foundation
import TestSupport
import XCTest

/// The round trip a replay try-out starts from: a run against lamb-sim, then `trace export --lamb-db`
/// on lamb-sim's database, gives back the run's conversations, their turns in order with the prompts
/// the run sent; also while lamb-sim is still writing.
final class TraceFromLambSimTests: BinaryTestCase {
    /// One prompt a conversation: prompts go round-robin per conversation, so 8 conversations take each once.
    private let prompts = (1...8).map { "Question \($0): why does the moon look bigger near the horizon?" }

    private func export(_ database: String, to name: String) throws -> ProcessOutput {
        try runProcess(binary("stress-test-db"), ["trace", "export", "--lamb-db", database, "--out", path(name)],
                       directory: folder, timeout: 120)
    }

    func testARunComesBackAsItsConversations() throws {
        try (prompts.joined(separator: "\n") + "\n").write(toFile: path("prompts.txt"), atomically: true, encoding: .utf8)
        for (name, mode) in [("json", []), ("stream", ["--stream"])] {
            let server = try LambSimServer(["--latency-ms", "1"])
            let run = try stressTest(["--vus", "4", "--requests", "24", "--turns", "3", "--prompts", "prompts.txt",
                                      "--responses", "\(name).jsonl"] + mode, environment: environment(server.baseURL))
            XCTAssertEqual(run.status, 0, run.all)
            let sent = records("\(name).jsonl")
            XCTAssertEqual(sent.count, 24)
            XCTAssertEqual(Set(sent.compactMap { $0["chat_id"] as? String }).count, 8, "\(name): 8 conversations sent")
            XCTAssertEqual(try server.stats()["chats_by_turns"] as? [String: Int], ["3": 8], name)
            let output = try export(server.databasePath, to: "\(name)-trace.jsonl")
            XCTAssertEqual(output.status, 0, output.all)
            XCTAssertTrue(output.stdout.contains("Trace: 8 conversations (8 chats, 0 completions without a chat), 24 requests"),
                          output.stdout)
            let lines = records("\(name)-trace.jsonl")
            XCTAssertEqual(lines.first?["conversations"] as? Int, 8, name)
            XCTAssertEqual(lines.first?["requests"] as? Int, sent.count, name)
            let conversations = Dictionary(grouping: lines.dropFirst()) { $0["conversation"] as? String ?? "" }
            XCTAssertEqual(conversations.count, 8, name)
            for turns in conversations.values {
                XCTAssertEqual(turns.compactMap { $0["turn"] as? Int }, [1, 2, 3], "\(name): turns in order")
                XCTAssertEqual(Set(turns.compactMap { $0["prompt"] as? String }).count, 1, "\(name): one prompt a conversation")
            }
            XCTAssertEqual(Set(conversations.values.compactMap { $0.first?["prompt"] as? String }), Set(prompts), name)
            XCTAssertEqual(lines.dropFirst().compactMap { $0["output_tokens"] as? Int }, Array(repeating: 7, count: 24),
                           "\(name): each turn's completion matched from the usage log")
        }
    }

    /// `--no-persist` (`"persist_chat": false`): no chat, a usage row each, exported as conversations of one turn.
    func testCompletionsWithoutAChatComeBackAsOneTurnConversations() throws {
        let server = try LambSimServer(["--latency-ms", "1"])
        let run = try stressTest(["--vus", "3", "--requests", "12", "--no-persist", "--responses", "r.jsonl"],
                                 environment: environment(server.baseURL))
        XCTAssertEqual(run.status, 0, run.all)
        let stats = try server.stats()
        XCTAssertEqual(stats["chat_rows"] as? Int, 0)
        XCTAssertEqual(stats["completions"] as? Int, 12)
        let output = try export(server.databasePath, to: "t.jsonl")
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("Trace: 12 conversations (0 chats, 12 completions without a chat), 12 requests"),
                      output.stdout)
        let requests = records("t.jsonl").dropFirst()
        XCTAssertEqual(requests.count, 12)
        XCTAssertEqual(Set(requests.compactMap { $0["conversation"] as? String }).count, 12)
        // No text was stored: the prompt's size comes from its token count ("Hello": one token, four characters).
        XCTAssertTrue(requests.allSatisfy { $0["turn"] as? Int == 1 && $0["prompt"] == nil && $0["prompt_chars"] as? Int == 4
                                            && $0["output_tokens"] as? Int == 7 })
    }

    /// lamb-sim's counters once a request still in its hands after the run's Ctrl-C has been written.
    private func settledStats(_ server: LambSimServer) throws -> [String: Any] {
        var previous = try server.stats()
        for _ in 0..<100 {
            usleep(100_000)
            let current = try server.stats()
            if ["received", "requests", "chat_rows"].allSatisfy({ current[$0] as? Int == previous[$0] as? Int }) { return current }
            previous = current
        }
        return previous
    }

    /// Exports read lamb-sim's database (WAL) while a run writes to it, and every one succeeds; after
    /// the run, the export has every chat lamb-sim stored.
    func testExportWhileLambSimWrites() throws {
        let server = try LambSimServer(["--latency-ms", "2-5"])
        var exports: [(output: ProcessOutput, chatsBefore: Int)] = []
        var received: [Int] = []
        let run = try stressTest(["--vus", "8", "--turns", "3", "--duration", "60", "--responses", "r.jsonl"],
                                 environment: environment(server.baseURL), onStart: { process in
            self.wait(for: server, toReceive: 30)
            for round in 0..<3 {
                let before = (try? server.stats()) ?? [:]
                received.append(before["received"] as? Int ?? 0)
                if let output = try? self.export(server.databasePath, to: "during-\(round).jsonl") {
                    exports.append((output, before["chat_rows"] as? Int ?? 0))
                }
            }
            received.append(((try? server.stats()) ?? [:])["received"] as? Int ?? 0)
            kill(process.processIdentifier, SIGINT)
        })
        XCTAssertEqual(run.status, 130, run.all)
        XCTAssertEqual(exports.count, 3)
        XCTAssertGreaterThan(received.last ?? 0, received.first ?? 0, "lamb-sim was written to while the exports read")
        for (round, export) in exports.enumerated() {
            XCTAssertEqual(export.output.status, 0, export.output.all)
            let requests = records("during-\(round).jsonl").first?["requests"] as? Int ?? 0
            XCTAssertGreaterThanOrEqual(requests, export.chatsBefore, "every chat stored before the export, one turn at least")
        }
        let stats = try settledStats(server)
        let byTurns = try XCTUnwrap(stats["chats_by_turns"] as? [String: Int])
        let output = try export(server.databasePath, to: "after.jsonl")
        XCTAssertEqual(output.status, 0, output.all)
        let header = records("after.jsonl").first ?? [:]
        XCTAssertEqual(header["conversations"] as? Int, stats["chat_rows"] as? Int)
        XCTAssertEqual(header["requests"] as? Int, byTurns.reduce(0) { $0 + (Int($1.key) ?? 0) * $1.value },
                       "every user message stored is a request of the trace")
        XCTAssertTrue(output.stdout.contains("0 completions without a chat"), output.stdout)
    }
}
