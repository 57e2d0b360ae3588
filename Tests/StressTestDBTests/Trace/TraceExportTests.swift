import Foundation
import GRDB
@testable import LambTrace
import TestSupport
import XCTest

/// The export's rules on small databases made here: the branch rule, matching completions to chats,
/// gaps, the answers' lengths, the filters.
final class TraceExportTests: XCTestCase {
    private var folder: URL!

    override func setUp() { folder = makeTemporaryFolder("trace-export") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private typealias Message = LambFixtures.Message

    /// A regenerated answer (later) wins over the first; of two children of one second, the last listed.
    func testTheLatestBranchIsFollowedFromTheRoot() throws {
        let (path, queue) = try LambFixtures.makeDatabase(in: folder)
        try queue.write { db in
            try LambFixtures.insertChat(db, id: "branched", assistant: 1, messages: [
                Message(id: "u1", parent: nil, children: ["a1", "a1b"], role: "user", content: "first question", time: 100),
                Message(id: "a1", parent: "u1", children: ["u2old"], role: "assistant", content: "old", time: 101),
                Message(id: "u2old", parent: "a1", children: [], role: "user", content: "old branch question", time: 110),
                Message(id: "a1b", parent: "u1", children: ["u2"], role: "assistant", content: "regenerated", time: 150),
                Message(id: "u2", parent: "a1b", children: ["a2"], role: "user", content: "new branch question", time: 160),
                Message(id: "a2", parent: "u2", children: [], role: "assistant", content: "fine", time: 161),
            ])
            try LambFixtures.insertChat(db, id: "tie", assistant: 1, messages: [
                Message(id: "r", parent: nil, children: ["x", "y"], role: "user", content: "tie root", time: 200),
                Message(id: "x", parent: "r", children: ["fx"], role: "assistant", content: "x", time: 201),
                Message(id: "y", parent: "r", children: ["fy"], role: "assistant", content: "y answer", time: 201),
                Message(id: "fx", parent: "x", children: [], role: "user", content: "from x", time: 210),
                Message(id: "fy", parent: "y", children: [], role: "user", content: "from y", time: 210),
            ])
        }
        let trace = try TraceExport.export(try LambDatabase(path: path), options: TraceOptions())
        XCTAssertEqual(trace.conversations, 2)
        XCTAssertEqual(trace.requests.map(\.prompt), ["first question", "new branch question", "tie root", "from y"])
        XCTAssertEqual(trace.requests.map(\.offset), [0, 60, 100, 110])
        XCTAssertEqual(trace.requests.map(\.gap), [0, 60, 0, 10])
        XCTAssertEqual(trace.requests.map(\.turn), [1, 2, 1, 2])
        XCTAssertEqual(trace.requests.map(\.historyAnswerChars), [[], ["regenerated".count], [], ["y answer".count]])
        XCTAssertEqual(trace.start, 100)
        XCTAssertNotEqual(trace.requests[0].conversation, trace.requests[2].conversation)
        XCTAssertEqual(trace.requests[0].conversation, trace.requests[1].conversation)
    }

    /// Completions are matched to a chat's turns by assistant and time; the others are one-turn conversations.
    func testCompletionsWithoutAChatAreOneTurnConversations() throws {
        let (path, queue) = try LambFixtures.makeDatabase(in: folder)
        try queue.write { db in
            try LambFixtures.insertChat(db, id: "chat-1", assistant: 1,
                                        messages: LambFixtures.linearChat([("What is osmosis?", 1000), ("And diffusion?", 1030)]))
            try LambFixtures.insertUsage(db, assistant: 1, at: 1001, completionTokens: 7)
            try LambFixtures.insertUsage(db, assistant: 1, at: 1031, completionTokens: 8)
            try LambFixtures.insertUsage(db, assistant: 1, at: 1500, promptTokens: 25, completionTokens: 9)
            try LambFixtures.insertUsage(db, assistant: 1, at: 5000, completionTokens: 10)
            try LambFixtures.insertUsage(db, assistant: 2, at: 1001, completionTokens: 11)
        }
        let trace = try TraceExport.export(try LambDatabase(path: path), options: TraceOptions())
        XCTAssertEqual(trace.conversations, 4)
        XCTAssertEqual(trace.chatConversations, 1)
        XCTAssertEqual(trace.requests.map(\.offset), [0, 1, 30, 500, 4000])
        XCTAssertEqual(trace.requests.map(\.outputTokens), [7, 11, 8, 9, 10])
        XCTAssertEqual(trace.requests.map(\.assistantID), [1, 2, 1, 1, 1])
        XCTAssertEqual(trace.requests.map(\.prompt), ["What is osmosis?", nil, "And diffusion?", nil, nil])
        XCTAssertEqual(trace.requests[3].promptChars, 100, "4 characters a prompt token")
        XCTAssertEqual(trace.requests[2].historyAnswerChars, ["Answer 1.".count])
        XCTAssertEqual(Set(trace.requests.map(\.conversation)).count, 4)
    }

    /// `--since` / `--until` keep whole conversations whose first turn is in the window; `--assistant` filters both tables.
    func testFiltersKeepWholeConversations() throws {
        let (path, queue) = try LambFixtures.makeDatabase(in: folder)
        try queue.write { db in
            try LambFixtures.insertChat(db, id: "early", assistant: 1, messages: LambFixtures.linearChat([("a", 100), ("b", 400)]))
            try LambFixtures.insertChat(db, id: "middle", assistant: 2, messages: LambFixtures.linearChat([("c", 200), ("d", 900)]))
            try LambFixtures.insertChat(db, id: "late", assistant: 3, messages: LambFixtures.linearChat([("e", 300)]))
            try LambFixtures.insertUsage(db, assistant: 3, at: 250)
        }
        let database = try LambDatabase(path: path)
        let window = try TraceExport.export(database, options: TraceOptions(since: 200, until: 300))
        XCTAssertEqual(window.requests.map(\.prompt), ["c", nil, "d"], "the completion at 250 has no chat of its assistant")
        XCTAssertEqual(window.start, 200)
        XCTAssertEqual(window.requests.map(\.offset), [0, 50, 700])
        let since = try TraceExport.export(database, options: TraceOptions(since: 250))
        XCTAssertEqual(since.requests.map(\.prompt), [nil, "e"], "the completion of assistant 3 without a chat, then its chat")
        let assistants = try TraceExport.export(database, options: TraceOptions(assistants: [1, 3]))
        XCTAssertEqual(assistants.requests.map(\.prompt), ["a", nil, "e", "b"])
        XCTAssertEqual(assistants.conversations, 3)
        let anonymous = try TraceExport.export(database, options: TraceOptions(anonymize: true))
        XCTAssertEqual(anonymous.requests.compactMap(\.prompt), [])
        XCTAssertEqual(anonymous.requests.map(\.promptChars), [1, 1, 40, 1, 1, 1])
    }

    /// The names differ between exports (a new salt each) and never contain LAMB's id.
    func testConversationNamesAreSaltedPerExport() {
        let first = ConversationHash(), second = ConversationHash()
        XCTAssertEqual(first.name("chat:abc"), first.name("chat:abc"))
        XCTAssertNotEqual(first.name("chat:abc"), second.name("chat:abc"))
        XCTAssertNotEqual(first.name("chat:abc"), first.name("chat:abd"))
        XCTAssertEqual(first.name("chat:abc").count, 16)
    }
}
