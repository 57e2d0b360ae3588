import XCTest
@testable import LoadCore

/// Server-Sent Events fed in every split a socket could deliver.
final class SSEScannerTests: XCTestCase {
    static func chunk(_ content: String) -> String {
        #"data: {"id":"c","choices":[{"index":0,"delta":{"content":"\#(content)"},"finish_reason":null}]}"# + "\n\n"
    }

    static let stream = chunk("Hello") + ": ping\n\n" + chunk("") + chunk(" world")
        + #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}"#
        + "\n\n" + "data: [DONE]\n\n"

    /// Feeds `text` in pieces of `size` bytes, the i-th piece arriving at time i.
    func scan(_ text: String, pieces size: Int) -> SSEScanner {
        var scanner = SSEScanner()
        let bytes = Array(text.utf8)
        var time: UInt64 = 0
        for start in stride(from: 0, to: bytes.count, by: size) {
            time += 1
            bytes[start..<min(bytes.count, start + size)].withUnsafeBytes { scanner.feed($0, at: time) }
        }
        return scanner
    }

    func testEverySplitGivesTheSameCounts() {
        for size in [1, 2, 3, 7, 64, 100_000] {
            let summary = scan(Self.stream, pieces: size).summary(from: 0)
            XCTAssertEqual(summary.events, 5, "size \(size): the comment is not an event")
            XCTAssertEqual(summary.contentChunks, 2, "size \(size): an empty content is not a chunk")
            XCTAssertEqual(summary.usageCompletionTokens, 2)
            XCTAssertTrue(summary.sawDone)
            XCTAssertNil(summary.errorMessage)
            XCTAssertEqual(summary.gapsMilliseconds.count, 1)
        }
    }

    func testByteByByteTimestampsTheByteThatCompletesEachEvent() throws {
        let first = Self.chunk("a"), second = Self.chunk("b")
        let summary = scan(first + second, pieces: 1).summary(from: 0)
        // Byte i arrives at time i + 1 ns; an event counts when its blank line's LF arrives.
        XCTAssertEqual(try XCTUnwrap(summary.timeToFirstTokenMilliseconds), Double(first.utf8.count) / 1e6, accuracy: 1e-12)
        XCTAssertEqual(Double(try XCTUnwrap(summary.gapsMilliseconds.first)), Double(second.utf8.count) / 1e6, accuracy: 1e-9)
    }

    func testCRLFAndCRLineEndsAndMultiLineData() {
        let crlf = Self.stream.replacingOccurrences(of: "\n", with: "\r\n")
        let cr = Self.stream.replacingOccurrences(of: "\n", with: "\r")
        for (name, text) in [("CRLF", crlf), ("CR", cr)] {
            for size in [1, 5, 4096] {
                let summary = scan(text, pieces: size).summary(from: 0)
                XCTAssertEqual(summary.events, 5, "\(name) \(size)")
                XCTAssertEqual(summary.contentChunks, 2, "\(name) \(size)")
                XCTAssertTrue(summary.sawDone, "\(name) \(size)")
            }
        }
        // One event's JSON over several data: lines is joined with newlines before it is read.
        let multiLine = "data: {\"choices\":[{\"delta\":\ndata: {\"content\":\"x\"}}]}\n\n"
        XCTAssertEqual(scan(multiLine, pieces: 3).contentChunks, 1)
        XCTAssertEqual(scan("data:{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n", pieces: 1).contentChunks, 1, "no space after data:")
    }

    func testAnErrorEventAndAStreamWithoutDone() {
        let error = Self.chunk("a") + #"data: {"error": {"message": "upstream LLM failed", "code": 502}}"# + "\n\n"
        let summary = scan(error, pieces: 4).summary(from: 0)
        XCTAssertEqual(summary.errorMessage, "upstream LLM failed")
        XCTAssertFalse(summary.sawDone)
        XCTAssertEqual(scan(#"data: {"error": "plain"}"# + "\n\n", pieces: 9).errorMessage, "plain")
        XCTAssertNil(scan(#"data: {"error": null, "choices": []}"# + "\n\n", pieces: 9).errorMessage)
        // An event without its blank line is not an event.
        XCTAssertEqual(scan(Self.chunk("a") + "data: [DONE]\n", pieces: 2).summary(from: 0).sawDone, false)
    }

    func testUsageWithoutContentAndInvalidUTF8InsideContent() {
        let usageOnly = #"data: {"choices":[],"usage":{"completion_tokens":42}}"# + "\n\n"
        let summary = scan(usageOnly, pieces: 2).summary(from: 0)
        XCTAssertEqual(summary.usageCompletionTokens, 42)
        XCTAssertEqual(summary.contentChunks, 0)
        var bytes = Array(Self.chunk("XY").utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "X"))!
        bytes[at] = 0xFF
        bytes[at + 1] = 0xC3
        var scanner = SSEScanner()
        bytes.withUnsafeBytes { scanner.feed($0, at: 1) }
        XCTAssertEqual(scanner.contentChunks, 1, "content is counted without being decoded")
    }

    func testAOneMebibyteEvent() {
        let big = String(repeating: "z", count: 1 << 20)
        let text = Self.chunk(big) + Self.chunk("small") + "data: [DONE]\n\n"
        let summary = scan(text, pieces: 16_384).summary(from: 0)
        XCTAssertEqual(summary.contentChunks, 2)
        XCTAssertTrue(summary.sawDone)
    }
}
