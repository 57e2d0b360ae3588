import Foundation
import GRDB
@testable import LambTrace
import TestSupport
import XCTest

/// The export of the sample class (`../shared/samples/lamb-class.db`). The expected numbers were
/// computed apart from this code, with python3's sqlite3 and json on the same file: each chat's user
/// messages along the latest child from the root, counted (297 chats, 875 user turns, 1 to 6 a chat;
/// first message 1796267846, last 150 s later; the most turns in a minute: 368, counting from each
/// turn's time the turns before it + 60 s). LAMB_usage_logs has 875 rows, each logged 0 or 1 s
/// before its answer's timestamp, so every completion belongs to a chat and none is left over.
final class TraceSampleTests: XCTestCase {
    private func sample(_ options: TraceOptions = TraceOptions()) throws -> Trace {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: LambFixtures.sample), "no \(LambFixtures.sample)")
        return try TraceExport.export(try LambDatabase(path: LambFixtures.sample), options: options)
    }

    func testTheSampleClassIsItsChatsAndTurns() throws {
        let before = try FileManager.default.attributesOfItem(atPath: LambFixtures.sample)
        let trace = try sample()
        XCTAssertEqual(trace.conversations, 297)
        XCTAssertEqual(trace.chatConversations, 297, "every completion is one of a chat's turns")
        XCTAssertEqual(trace.requests.count, 875)
        XCTAssertEqual(trace.start, 1_796_267_846)
        XCTAssertEqual(trace.requests.last?.offset, 150)
        XCTAssertEqual(trace.requests.filter { $0.outputTokens == 6 }.count, 875, "each turn has its completion's tokens")
        XCTAssertEqual(trace.requests.map(\.offset), trace.requests.map(\.offset).sorted())
        let turns = Dictionary(grouping: trace.requests, by: \.conversation).mapValues { $0.map(\.turn) }
        XCTAssertEqual(turns.count, 297)
        XCTAssertTrue(turns.values.allSatisfy { $0 == Array(1...$0.count) }, "turns in order, 1 to n")
        XCTAssertEqual(Dictionary(grouping: turns.values, by: \.count).mapValues(\.count), [1: 77, 2: 57, 3: 56, 4: 46, 5: 34, 6: 27])
        let after = try FileManager.default.attributesOfItem(atPath: LambFixtures.sample)
        XCTAssertEqual(before[.modificationDate] as? Date, after[.modificationDate] as? Date, "the database is never written")
        XCTAssertEqual(before[.size] as? Int, after[.size] as? Int)
        XCTAssertFalse(FileManager.default.fileExists(atPath: LambFixtures.sample + "-journal"))
    }

    /// Expected by the same python3 reading: first turn in [start + 30, start + 90): 79 chats, 259
    /// turns, the first at start + 32; at or after start + 60: 155 chats, 373 turns; assistant 2 has none.
    func testTheSamplesWindowsAndAssistants() throws {
        let start = 1_796_267_846.0
        let window = try sample(TraceOptions(since: start + 30, until: start + 90))
        XCTAssertEqual(window.conversations, 79)
        XCTAssertEqual(window.requests.count, 259)
        XCTAssertEqual(window.start, start + 32, "the window's first turn")
        let since = try sample(TraceOptions(since: start + 60))
        XCTAssertEqual(since.conversations, 155)
        XCTAssertEqual(since.requests.count, 373)
        XCTAssertEqual(try sample(TraceOptions(assistants: [1])).requests.count, 875)
        XCTAssertEqual(try sample(TraceOptions(assistants: [2])).requests.count, 0)
    }

    /// Ten chats gone from a copy (the first ten by rowid: 36 user turns, by the same python3 reading):
    /// their 36 completions are left without a chat and become 36 one-turn conversations.
    func testCompletionsOfDeletedChatsBecomeOneTurnConversations() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: LambFixtures.sample), "no \(LambFixtures.sample)")
        let folder = makeTemporaryFolder("trace-sample")
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("lamb.db").path
        try FileManager.default.copyItem(atPath: LambFixtures.sample, toPath: copy)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false  // as LAMB's Python sqlite3; the copy lacks LAMB's users table
        try DatabaseQueue(path: copy, configuration: configuration).write { db in
            try db.execute(sql: "DELETE FROM LAMB_lamb_chats WHERE rowid IN (SELECT rowid FROM LAMB_lamb_chats ORDER BY rowid LIMIT 10)")
        }
        let trace = try TraceExport.export(try LambDatabase(path: copy), options: TraceOptions())
        XCTAssertEqual(trace.chatConversations, 287)
        XCTAssertEqual(trace.conversations, 287 + 36)
        XCTAssertEqual(trace.requests.count, 875)
        XCTAssertEqual(trace.requests.filter { $0.prompt == nil }.count, 36)
    }
}
