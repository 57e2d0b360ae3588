import XCTest
@testable import LoadCore

/// The one record builder both transports use: what it makes of a transfer's facts, the clocks, a
/// stream and a conversation. The engine and the URLSession runner feed it (their end-to-end tests in
/// `StressTestDBTests` check they produce the same records).
final class RecordBuilderTests: XCTestCase {
    let plan = ConversationPlan(turns: 2, userMessages: [Array(#"{"role": "user", "content": "Hi"}"#.utf8)],
                                head: Array(#"{"messages": ["#.utf8), tail: Array(#"], "stream": false"#.utf8))

    func builder(open: Bool = false, turns: Bool = false) -> RecordBuilder {
        RecordBuilder(EngineConfiguration(
            url: "http://127.0.0.1:1/", virtualUsers: 1,
            plan: open ? .open(rate: .fixed(requestsPerSecond: 10), arrival: .constant, seed: 1) : .closed(stages: nil),
            conversations: turns ? plan : nil))
    }

    let place = RecordBuilder.Request(virtualUser: 3, requestIndex: 5, scheduledAt: 1_000_000_000, sentAt: 1_004_000_000)

    func testLatencyRunsFromTheScheduledTimeAndTheLagIsTheOpenModelsOnly() {
        let ok = TransferFacts(statusCode: 200, failure: nil, contentType: "application/json", body: Array("{}".utf8),
                               bodyBytesReceived: 2, bytesSent: 10)
        let open = builder(open: true).record(place, ok, stream: nil, endedAt: 1_054_000_000)
        XCTAssertEqual(open.latencyMilliseconds, 54, accuracy: 1e-9)
        XCTAssertEqual(open.startLagMilliseconds ?? -1, 4, accuracy: 1e-9)
        XCTAssertEqual([open.virtualUser, open.requestIndex, open.statusCode, open.bytesSent], [3, 5, 200, 10])
        let closed = builder().record(place, ok, stream: nil, endedAt: 1_054_000_000)
        XCTAssertNil(closed.startLagMilliseconds)
        XCTAssertNil(closed.turn)
    }

    /// SPEC 20: the status that arrived stays (a 200 whose body was then cut); the body does not.
    func testAFailureKeepsItsStatusButNoBodyOrContentType() {
        let facts = TransferFacts(statusCode: 200, failure: .timeout, failureDetail: "Operation timed out",
                                  contentType: "text/plain", body: Array("part".utf8), bodyBytesReceived: 4)
        let result = builder().record(place, facts, stream: nil, endedAt: 2_000_000_000)
        XCTAssertEqual(result.statusCode, 200)
        XCTAssertEqual(result.failure, .timeout)
        XCTAssertEqual(result.failureDetail, "Operation timed out")
        XCTAssertNil(result.contentType)
        XCTAssertEqual(result.body, [])
        XCTAssertEqual(result.bodyBytesReceived, 0)
    }

    func testAStreamIsSummarisedFromTheScheduledTime() {
        var scanner = SSEScanner()
        Array("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n".utf8)
            .withUnsafeBytes { scanner.feed($0, at: 1_150_000_000) }
        let result = builder().record(place, TransferFacts(statusCode: 200, failure: nil), stream: scanner, endedAt: 1_200_000_000)
        XCTAssertEqual(result.stream?.timeToFirstTokenMilliseconds ?? -1, 150, accuracy: 1e-9)
        XCTAssertEqual(result.stream?.sawDone, true)
    }

    func testAConversationIsCarriedOnByAGoodAnswerAndEndedByAFailure() {
        let builder = builder(turns: true)
        let conversation = Conversation()
        conversation.prepare(plan) { 0 }
        let answer = Array(#"{"chat_id": 42, "choices": [{"message": {"content": "Hello"}}]}"#.utf8)
        let first = builder.record(place, TransferFacts(statusCode: 200, failure: nil, body: answer, bodyBytesReceived: answer.count),
                                   stream: nil, conversation: conversation, endedAt: 1_100_000_000)
        XCTAssertEqual(first.turn, 1)
        XCTAssertEqual(first.chatID, "42")
        XCTAssertEqual(conversation.turn, 2)
        conversation.prepare(plan) { 1 }
        let second = builder.record(place, TransferFacts(statusCode: 0, failure: .serverDisconnected), stream: nil,
                                    conversation: conversation, endedAt: 1_100_000_000)
        XCTAssertEqual(second.turn, 2)
        XCTAssertEqual(conversation.answered, 0, "a failed turn ends the conversation")
    }

    func testTheRecordsChatIDIsTheStringItselfAndAFailedTurnKeepsTheOneLAMBNamed() {
        let builder = builder(turns: true)
        let conversation = Conversation()
        conversation.prepare(plan) { 0 }
        let answer = Array(#"{"chat_id": "5c5e-a\/b", "choices": [{"message": {"content": "Hello"}}]}"#.utf8)
        let first = builder.record(place, TransferFacts(statusCode: 200, failure: nil, body: answer, bodyBytesReceived: answer.count),
                                   stream: nil, conversation: conversation, endedAt: 1_100_000_000)
        XCTAssertEqual(first.chatID, "5c5e-a/b", "unquoted, unescaped")
        let fresh = Conversation()
        fresh.prepare(plan) { 1 }
        let error = Array(#"{"error": "LLM down", "chat_id": "7f00"}"#.utf8)
        let failed = builder.record(place, TransferFacts(statusCode: 200, failure: nil, body: error, bodyBytesReceived: error.count),
                                    stream: nil, conversation: fresh, endedAt: 1_100_000_000)
        XCTAssertEqual(failed.chatID, "7f00", "the chat LAMB opened for the failed turn")
        XCTAssertEqual(fresh.answered, 0)
    }

    func testWithoutPersistenceAConversationGoesOnWithoutAChatID() {
        var noPersist = plan
        noPersist.needsChatID = false
        let builder = RecordBuilder(EngineConfiguration(url: "http://127.0.0.1:1/", virtualUsers: 1, conversations: noPersist))
        let conversation = Conversation()
        conversation.prepare(noPersist) { 0 }
        let answer = Array(#"{"choices": [{"message": {"content": "Hello"}}]}"#.utf8)
        let first = builder.record(place, TransferFacts(statusCode: 200, failure: nil, body: answer, bodyBytesReceived: answer.count),
                                   stream: nil, conversation: conversation, endedAt: 1_100_000_000)
        XCTAssertNil(first.chatID)
        XCTAssertEqual(conversation.turn, 2, "carried on")
        conversation.prepare(noPersist) { XCTFail("not a new conversation"); return 0 }
        let body = String(decoding: conversation.bodyBytes, as: UTF8.self)
        XCTAssertFalse(body.contains("chat_id"), body)
        XCTAssertTrue(body.contains(#"{"role": "assistant", "content": "Hello"}"#), body)
    }

    func testAbortedAndUnsentRequestsAreRecordedNotDropped() {
        let aborted = builder(open: true).aborted(place, stream: nil, detail: "stopped")
        XCTAssertEqual(aborted.failure, .aborted)
        XCTAssertEqual(aborted.startLagMilliseconds ?? -1, 4, accuracy: 1e-9)
        let unsent = builder().unsent(virtualUser: 3, detail: "refused")
        XCTAssertEqual(unsent.failure, .transportError)
        XCTAssertEqual(unsent.failureDetail, "refused")
    }
}
