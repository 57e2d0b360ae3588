import XCTest
@testable import CurlEngine
@testable import LoadCore

/// `X-Chat-Id` from the header lines libcurl hands over one at a time, whatever their case.
final class HeaderSinkTests: XCTestCase {
    func chatID(after lines: [String]) -> String? {
        let sink = HeaderSink()
        let pointer = Unmanaged.passUnretained(sink).toOpaque()
        for line in lines {
            var bytes = Array(line.utf8).map { CChar(bitPattern: $0) }
            let handled = bytes.withUnsafeMutableBufferPointer { HeaderSink.headerFunction($0.baseAddress, 1, $0.count, pointer) }
            XCTAssertEqual(handled, line.utf8.count, "every byte taken: \(line)")
        }
        return sink.chatID.map { String(decoding: $0, as: UTF8.self) }
    }

    func testTheChatIDHeaderInAnyCase() {
        XCTAssertEqual(chatID(after: ["HTTP/1.1 200 OK\r\n", "content-type: text/event-stream\r\n", "X-Chat-Id: 42\r\n", "\r\n"]), "42")
        XCTAssertEqual(chatID(after: ["x-chat-id:\t7 \r\n"]), "7")
        XCTAssertEqual(chatID(after: ["X-CHAT-ID: abc\n"]), "abc")
        XCTAssertNil(chatID(after: ["X-Chat-Identity: 1\r\n", "X-Chat: 2\r\n", "\r\n"]))
    }
}
