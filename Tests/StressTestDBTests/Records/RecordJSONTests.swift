import LoadCore
import XCTest
@testable import stress_test_db

/// Golden JSON Lines records.
final class RecordJSONTests: XCTestCase {
    func testJSONLine() {
        let result = RequestResult(
            statusCode: 200, latencyMilliseconds: 4.840850830078125, failure: nil, contentType: "application/json",
            body: Array(#"{"model": "mock-gpt-4o-mini", "é": 1}"#.utf8), completedAtMicroseconds: 1_795_909_817_147_185,
            connectMilliseconds: 0.25, firstByteMilliseconds: 4.5, bytesSent: 210, newConnections: 1, virtualUser: 3)
        let line = ResponseRecord(result, maxCharacters: 10_000, trustStatus: false).jsonLine
        XCTAssertEqual(line, #"""
            {"status_code": 200, "latency_ms": 4.840850830078125, "success": true, "error": null, "model": "mock-gpt-4o-mini", "response_text": "{\"model\": \"mock-gpt-4o-mini\", \"\u00e9\": 1}", "response_truncated": false, "timestamp": "2026-11-28T23:50:17.147185+00:00", "error_detail": null, "connect_ms": 0.25, "ttfb_ms": 4.5, "bytes_received": 38, "bytes_sent": 210, "connection_reused": false, "vu": 3}

            """#)
    }

    func testJSONLineForATimeout() {
        let result = RequestResult(statusCode: 0, latencyMilliseconds: 1002.5, failure: .timeout,
                                   failureDetail: "Operation timed out after 1000 milliseconds",
                                   completedAtMicroseconds: 1_795_909_819_978_006)
        XCTAssertEqual(ResponseRecord(result, maxCharacters: 10_000, trustStatus: false).jsonLine, #"""
            {"status_code": 0, "latency_ms": 1002.5, "success": false, "error": "Timeout", "model": null, "response_text": null, "response_truncated": false, "timestamp": "2026-11-28T23:50:19.978006+00:00", "error_detail": "Operation timed out after 1000 milliseconds", "connect_ms": 0.0, "ttfb_ms": 0.0, "bytes_received": 0, "bytes_sent": 0, "connection_reused": false, "vu": 0}

            """#)
    }

}
