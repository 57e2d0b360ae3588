import Foundation
import XCTest
@testable import lamb_sim

final class CompletionTests: XCTestCase {
    func testParseRequest() throws {
        let request = try ChatRequest.parse(Data(#"{"messages":[{"role":"user","content":"Kaixo"}],"stream":true}"#.utf8))
        XCTAssertEqual(request.prompt, "Kaixo")
        XCTAssertTrue(request.stream)
        XCTAssertFalse(try ChatRequest.parse(Data(#"{"messages":[{"role":"user","content":"x"}]}"#.utf8)).stream)
        XCTAssertThrowsError(try ChatRequest.parse(Data("not json".utf8))) { XCTAssertEqual($0 as? ChatRequest.ParseError, .notJSON) }
        XCTAssertThrowsError(try ChatRequest.parse(Data("[1]".utf8))) { XCTAssertEqual($0 as? ChatRequest.ParseError, .notJSON) }
        XCTAssertThrowsError(try ChatRequest.parse(Data(#"{"stream":false}"#.utf8))) { XCTAssertEqual($0 as? ChatRequest.ParseError, .noMessages) }
        XCTAssertThrowsError(try ChatRequest.parse(Data(#"{"messages":[]}"#.utf8))) { XCTAssertEqual($0 as? ChatRequest.ParseError, .noMessages) }
        XCTAssertThrowsError(try ChatRequest.parse(Data(#"{"messages":["x"]}"#.utf8))) { XCTAssertEqual($0 as? ChatRequest.ParseError, .noMessages) }
    }

    let completion = Completion(id: "chatcmpl-1", created: 1, model: "m", content: "Hi there \"you\"", promptTokens: 2)

    func testCompletionJSON() throws {
        XCTAssertEqual(completion.json(), #"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi there \"you\""},"finish_reason":"stop"}],"usage":{"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}}"#)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(completion.json().utf8)))
    }

    func testSSEFraming() {
        XCTAssertEqual(completion.deltas, ["Hi ", "there ", "\"you\""])
        let events = completion.sseEvents
        XCTAssertEqual(events.count, 5)
        XCTAssertEqual(events[0], #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi "},"finish_reason":null}]}"# + "\n\n")
        XCTAssertTrue(events[3].contains(#""usage":{"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}"#))
        XCTAssertEqual(events[4], "data: [DONE]\n\n")
        XCTAssertEqual(SSE.event("a\nb"), "data: a\ndata: b\n\n")
    }

    func testFormAndLatencyParsing() {
        XCTAssertEqual(parseForm("email=a%40b.c&password=p+w"), ["email": "a@b.c", "password": "p w"])
        XCTAssertEqual(parseLatency("50"), 50...50)
        XCTAssertEqual(parseLatency("20-80"), 20...80)
        XCTAssertNil(parseLatency("80-20"))
        XCTAssertNil(parseLatency("fast"))
        XCTAssertNil(parseLatency("-5"))
    }
}
