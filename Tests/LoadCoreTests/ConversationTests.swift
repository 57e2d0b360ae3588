import XCTest
@testable import LoadCore

/// `--turns`: each turn's body built by appending to the history, from JSON and streamed answers.
final class ConversationTests: XCTestCase {
    let plan = ConversationPlan(turns: 2, userMessages: [Array(#"{"role": "user", "content": "Hi"}"#.utf8)],
                                head: Array(#"{"messages": ["#.utf8), tail: Array(#"], "stream": true"#.utf8))

    func body(_ conversation: Conversation) -> String {
        String(decoding: conversation.body[0..<conversation.bodyCount], as: UTF8.self)
    }

    func stream(_ text: String) -> SSEScanner {
        var scanner = SSEScanner(keepingContent: true)
        Array(text.utf8).withUnsafeBytes { scanner.feed($0, at: 1) }
        return scanner
    }

    func testAStreamedAnswerIsTheNextTurnsHistoryWithTheHeadersChatID() throws {
        let conversation = Conversation()
        conversation.prepare(plan) { 0 }
        XCTAssertEqual(body(conversation), #"{"messages": [{"role": "user", "content": "Hi"}], "stream": true}"#)
        let answer = stream(#"data: {"choices":[{"delta":{"content":"Hel"}}]}\#n\#n"#
            + #"data: {"choices":[{"delta":{"content":"lo \"you\"\n"}}]}\#n\#ndata: [DONE]\#n\#n"#)
        conversation.receive(plan, succeeded: true, stream: answer, chatIDHeader: Array("42".utf8))
        XCTAssertEqual(conversation.turn, 2)
        conversation.prepare(plan) { XCTFail("not a new conversation"); return 0 }
        let second = body(conversation)
        XCTAssertEqual(second, #"{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello \"you\"\n"}, "#
            + #"{"role": "user", "content": "Hi"}], "stream": true, "chat_id": 42}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(second.utf8)) as? [String: Any]
        XCTAssertEqual(((parsed?["messages"] as? [[String: Any]])?[1])?["content"] as? String, "Hello \"you\"\n", "escapes kept, valid JSON")
    }

    func testAStreamThatDidNotEndWellEndsTheConversation() {
        for (text, header) in [("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", "7"),  // no [DONE]
                               ("data: {\"error\":{\"message\":\"x\"}}\n\ndata: [DONE]\n\n", "7"),
                               ("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n", "")] {
            let conversation = Conversation()
            conversation.prepare(plan) { 0 }
            conversation.receive(plan, succeeded: true, stream: stream(text), chatIDHeader: header.isEmpty ? nil : Array(header.utf8))
            XCTAssertEqual(conversation.turn, 1, text)
        }
        XCTAssertEqual(Conversation.jsonValue(Array("abc-1".utf8)).map { String(decoding: $0, as: UTF8.self) }, #""abc-1""#)
        XCTAssertNil(Conversation.jsonValue(Array("a\"b".utf8)))
    }
}
