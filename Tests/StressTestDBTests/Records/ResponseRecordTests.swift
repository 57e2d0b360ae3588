import LoadCore
import XCTest
@testable import stress_test_db

final class ResponseRecordTests: XCTestCase {
    func testPlainSuccess() {
        let r = record(latency: 1, body: #"{"id":"x","model":"gpt-4o-mini","choices":[]}"#)
        XCTAssertTrue(r.success)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.model, "gpt-4o-mini")
        XCTAssertEqual(r.responseText, #"{"id":"x","model":"gpt-4o-mini","choices":[]}"#)
        XCTAssertFalse(r.responseTruncated)
        XCTAssertEqual(r.outcome, .success)
        XCTAssertEqual(r.bytesReceived, 45)
    }

    func testErrorHiddenInA200IsAFailure() {
        let body = #"{"error": {"message": "Internal server error: OpenAI API failure"}, "chat_id": 7}"#
        let r = record(latency: 1, body: body)
        XCTAssertFalse(r.success)
        XCTAssertEqual(r.statusCode, 200)
        XCTAssertEqual(r.error, "ErrorInResponse")
        XCTAssertEqual(r.errorDetail, "Internal server error: OpenAI API failure")
        XCTAssertEqual(r.outcome.problemKey, "ErrorInResponse")
    }

    func testNullErrorIsNotAFailure() {
        XCTAssertTrue(record(latency: 1, body: #"{"error": null, "model": "m"}"#).success)
    }

    func testEmptyBodyIsAFailure() {
        let r = record(latency: 1, body: "", contentType: "text/event-stream")
        XCTAssertFalse(r.success)
        XCTAssertEqual(r.error, "EmptyResponse")
    }

    func testTrustStatusRestoresTheOldRule() {
        XCTAssertTrue(record(latency: 1, body: #"{"error":"boom"}"#, trustStatus: true).success)
        XCTAssertTrue(record(latency: 1, body: "", trustStatus: true).success)
    }

    func testNon2xxHasNullErrorAndCountsByStatus() {
        let r = record(status: 503, latency: 1, body: #"{"error":"database is locked"}"#)
        XCTAssertFalse(r.success)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.outcome.problemKey, "503")
        XCTAssertNil(r.model)
    }

    func testTransportFailure() {
        let r = record(status: 0, latency: 1000, failure: .timeout)
        XCTAssertEqual(r.error, "Timeout")
        XCTAssertNil(r.responseText)
        XCTAssertNil(r.model)
    }

    func testModelOnlyFromJSONContentType() {
        let r = record(latency: 1, body: #"{"model":"m"}"#, contentType: "text/plain; charset=utf-8")
        XCTAssertNil(r.model)
        XCTAssertEqual(r.responseText, #"{"model":"m"}"#)
    }

    func testNoTextForOtherContentTypes() {
        let r = record(latency: 1, body: "\u{0}\u{1}binary", contentType: "application/octet-stream")
        XCTAssertNil(r.responseText)
        XCTAssertTrue(r.success)
    }

    func testTruncationCountsUnicodeScalars() {
        let text = "héllo🙂wörld"  // 11 scalars, 16 bytes
        let result = RequestResult(statusCode: 200, latencyMilliseconds: 1, failure: nil, contentType: "text/plain",
                                   body: Array(text.utf8), completedAtMicroseconds: 0)
        let cut = ResponseRecord(result, maxCharacters: 6, trustStatus: false)
        XCTAssertEqual(cut.responseText, "héllo🙂")
        XCTAssertTrue(cut.responseTruncated)
        let whole = ResponseRecord(result, maxCharacters: 11, trustStatus: false)
        XCTAssertEqual(whole.responseText, text)
        XCTAssertFalse(whole.responseTruncated)
        let unlimited = ResponseRecord(result, maxCharacters: 0, trustStatus: false)
        XCTAssertEqual(unlimited.responseText, text)
    }

    func testBodyLongerThanCaptureIsTruncated() {
        let result = RequestResult(statusCode: 200, latencyMilliseconds: 1, failure: nil, contentType: "text/plain",
                                   body: Array("abc".utf8), bodyBytesReceived: 10, completedAtMicroseconds: 0)
        XCTAssertTrue(ResponseRecord(result, maxCharacters: 0, trustStatus: false).responseTruncated)
    }
}
