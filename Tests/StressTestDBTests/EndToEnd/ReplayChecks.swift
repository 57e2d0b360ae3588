import Foundation
import GRDB
@testable import LambTrace
import XCTest

/// What the `--replay` tests check, shared: a trace file's conversations, a replay's records against
/// them (turns in order, none before its previous answer, the gaps ÷ speed), and the chats lamb-sim stored.
enum ReplayChecks {
    /// A trace's conversation: its turns' prompts and `gap_s`, in turn order.
    struct Conversation: Equatable {
        var prompts: [String] = []
        var gaps: [Double] = []
    }

    /// A trace file's conversations by key (its lines as `records` reads them, the header first).
    static func conversations(_ trace: [[String: Any]]) -> [String: Conversation] {
        let requests = trace.dropFirst().sorted { ($0["turn"] as? Int ?? 0) < ($1["turn"] as? Int ?? 0) }
        var conversations: [String: Conversation] = [:]
        for request in requests {
            let key = request["conversation"] as? String ?? "?"
            conversations[key, default: Conversation()].prompts.append(request["prompt"] as? String ?? "")
            conversations[key, default: Conversation()].gaps.append(request["gap_s"] as? Double ?? -1)
        }
        return conversations
    }

    /// Prompt sequences in one order, to compare two multisets of conversations.
    static func sorted(_ sequences: [[String]]) -> [[String]] {
        sequences.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// How many conversations have each number of turns, as lamb-sim's `chats_by_turns` counts them.
    static func byTurns(_ sequences: [[String]]) -> [String: Int] {
        Dictionary(grouping: sequences, by: { String($0.count) }).mapValues(\.count)
    }

    /// Each conversation's records against the trace's `gaps` (by conversation key): turns 1…n, each
    /// answered, one chat carried through; turn k sent no earlier than turn k − 1's answer, and the trace's
    /// gap ÷ `speed` after turn k − 1 was sent, within 10% + 50 ms. Returns the largest deviation (seconds).
    @discardableResult
    static func checkTurns(_ records: [[String: Any]], gaps: [String: [Double]], speed: Double,
                           file: StaticString = #filePath, line: UInt = #line) -> Double {
        var deviation = 0.0
        for (key, turns) in Dictionary(grouping: records, by: { $0["conversation"] as? String ?? "?" }) {
            let ordered = turns.sorted { ($0["turn"] as? Int ?? 0) < ($1["turn"] as? Int ?? 0) }
            let expected = gaps[key] ?? []
            XCTAssertEqual(ordered.map { $0["turn"] as? Int ?? 0 }, expected.indices.map { $0 + 1 }, key, file: file, line: line)
            XCTAssertEqual(Set(ordered.compactMap { $0["chat_id"] as? String }).count, 1, "\(key): one chat carried through",
                           file: file, line: line)
            XCTAssertTrue(ordered.allSatisfy { $0["success"] as? Bool == true && $0["trace_line"] is Int }, key, file: file, line: line)
            for (previous, next) in zip(ordered, ordered.dropFirst()) {
                let (sent, answered) = (sentSeconds(next), completedSeconds(previous))
                XCTAssertGreaterThanOrEqual(sent, answered - 0.002, "\(key): never before the previous answer", file: file, line: line)
                let turn = next["turn"] as? Int ?? 0
                guard expected.indices.contains(turn - 1) else { continue }
                let gap = expected[turn - 1] / speed, measured = sent - sentSeconds(previous)
                XCTAssertEqual(measured, gap, accuracy: gap * 0.1 + 0.05, "\(key): the gap ÷ \(speed)", file: file, line: line)
                deviation = max(deviation, abs(measured - gap))
            }
        }
        return deviation
    }

    /// Each record names (`trace_line`, the header being line 1) the trace line of its conversation and turn.
    static func checkTraceLines(_ records: [[String: Any]], trace: [[String: Any]], file: StaticString = #filePath, line: UInt = #line) {
        for record in records {
            let index = (record["trace_line"] as? Int ?? 0) - 1
            let request = trace.indices.contains(index) && index > 0 ? trace[index] : [:]
            XCTAssertEqual(request["conversation"] as? String, record["conversation"] as? String, "\(record)", file: file, line: line)
            XCTAssertEqual(request["turn"] as? Int, record["turn"] as? Int, "\(record)", file: file, line: line)
        }
    }

    /// The conversations lamb-sim stored: each `LAMB_lamb_chats` row's user messages along its message tree.
    static func storedConversations(_ database: String) throws -> [[String]] {
        var configuration = Configuration()
        configuration.readonly = true
        let chats = try DatabaseQueue(path: database, configuration: configuration).read { db in
            try String.fetchAll(db, sql: "SELECT chat FROM LAMB_lamb_chats")
        }
        return chats.map { (LambChatTree.turns(json: $0) ?? []).map(\.prompt) }
    }

    /// When the request went: its completion minus its service time (the records' clock, seconds).
    static func sentSeconds(_ record: [String: Any]) -> Double {
        completedSeconds(record) - (record["service_ms"] as? Double ?? 0) / 1000
    }

    static func completedSeconds(_ record: [String: Any]) -> Double {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let text = record["timestamp"] as? String ?? ""
        // Microseconds: ISO8601DateFormatter keeps milliseconds only, so the last three digits are added back.
        let base = formatter.date(from: text)?.timeIntervalSince1970 ?? 0
        let fraction = text.split(separator: ".").last.map { String($0.prefix(6)) } ?? ""
        let micro = Double(fraction.count == 6 ? fraction : "0") ?? 0
        return (base.rounded(.down)) + micro / 1e6
    }
}
