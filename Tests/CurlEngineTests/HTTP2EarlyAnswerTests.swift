import CCurl
import CurlEngine
import XCTest

/// Issue 26: a stream the server closed with its answer before the request body was sent fails on
/// libcurl before 8.3.0 with no message of libcurl's own; the record says what happened and the fix.
final class HTTP2EarlyAnswerTests: XCTestCase {
    let debian12 = LibcurlFeatures(versionNumber: 0x07_58_01, version: "7.88.1", http2: true, tls: "OpenSSL/3.0.15")
    let fixed = LibcurlFeatures(versionNumber: 0x08_03_00, version: "8.3.0", http2: true, tls: "OpenSSL/3.0.15")

    func testOnlyLibcurlBefore830FailsEarlyAnswers() {
        XCTAssertTrue(debian12.failsEarlyHTTP2Answers)
        XCTAssertTrue(LibcurlFeatures(versionNumber: 0x08_02_01, version: "8.2.1", http2: true, tls: nil).failsEarlyHTTP2Answers)
        XCTAssertFalse(fixed.failsEarlyHTTP2Answers)
        XCTAssertFalse(LibcurlFeatures(versionNumber: 0x08_0E_01, version: "8.14.1", http2: true, tls: nil).failsEarlyHTTP2Answers)
    }

    func testTheDetailNamesTheCauseAndTheFixingRelease() {
        let detail = debian12.failureDetail(code: CURLE_HTTP2_STREAM, libcurlMessage: nil, bodyUnsent: true)
        XCTAssertTrue(detail.hasPrefix("Stream error in the HTTP/2 framing layer: the server closed the stream"), detail)
        XCTAssertTrue(detail.contains("7.88.1") && detail.contains("8.3.0") && detail.contains("11756"), detail)
    }

    func testLibcurlsOwnMessageAndOtherCasesAreLeftAsTheyWere() {
        let reset = "HTTP/2 stream 5 was not closed cleanly: INTERNAL_ERROR (err 2)"
        XCTAssertEqual(debian12.failureDetail(code: CURLE_HTTP2_STREAM, libcurlMessage: reset, bodyUnsent: true), reset)
        let plain = String(cString: curl_easy_strerror(CURLE_HTTP2_STREAM))
        XCTAssertEqual(debian12.failureDetail(code: CURLE_HTTP2_STREAM, libcurlMessage: "", bodyUnsent: false), plain, "body was sent")
        XCTAssertEqual(fixed.failureDetail(code: CURLE_HTTP2_STREAM, libcurlMessage: nil, bodyUnsent: true), plain, "8.3.0 has the fix")
        XCTAssertEqual(debian12.failureDetail(code: CURLE_OPERATION_TIMEDOUT, libcurlMessage: nil, bodyUnsent: true),
                       String(cString: curl_easy_strerror(CURLE_OPERATION_TIMEDOUT)))
    }
}
