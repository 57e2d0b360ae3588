import XCTest
@testable import stress_test_db

/// The --output document, golden.
final class JSONReportTests: XCTestCase {
    func testJSONDocument() {
        let records = [record(latency: 2.5, body: #"{"model":"m"}"#), record(status: 0, latency: 4, failure: .connectionRefused)]
        let document = JSONReport.document(ReportFixtures.summary(records), records: [], writtenAtMicroseconds: 1_795_916_217_286_553)
        XCTAssertEqual(document, """
            {
              "metadata": {
                "timestamp": "2026-11-29T01:36:57.286553+00:00",
                "api_url": "http://127.0.0.1:41721",
                "assistant_id": "ok",
                "vus": 5,
                "total_requests": 20,
                "duration": null,
                "timeout": 120,
                "loops": 1
              },
              "statistics": {
                "total_requests": 2,
                "successful": 1,
                "failed": 1,
                "error_rate_percent": 50.0,
                "status_codes": {
                  "0": 1,
                  "200": 1
                },
                "errors": {
                  "ConnectionRefused": 1
                },
                "latency_ms": {
                  "min": 2.5,
                  "max": 4.0,
                  "mean": 3.25,
                  "median": 3.25,
                  "p95": 4.0,
                  "p99": 4.0,
                  "stdev": 1.0606601717798212
                },
                "outages": [
                  {
                    "start_s": 0.0,
                    "end_s": 0.0,
                    "refused_attempts": 1
                  }
                ]
              },
              "raw_results": []
            }

            """)
    }

    func testJSONDocumentEmbedsRecordsAndDurationMetadata() throws {
        let configuration = ReportFixtures.configuration(requests: nil, duration: 2, timeout: 1.5)
        let records = [record(latency: 1)]
        let text = JSONReport.document(ReportFixtures.summary(records, configuration: configuration), records: records)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let metadata = object["metadata"] as! [String: Any]
        XCTAssertTrue(metadata["total_requests"] is NSNull)
        XCTAssertEqual(metadata["duration"] as? Int, 2)
        XCTAssertEqual(metadata["timeout"] as? Double, 1.5)
        let raw = object["raw_results"] as! [[String: Any]]
        XCTAssertEqual(raw.count, 1)
        XCTAssertEqual(raw[0]["model"] as? String, "m")
        XCTAssertTrue(text.contains("\"raw_results\": [\n    {\n      \"status_code\": 200,"))
    }


    /// Issue 26: an interrupted run's metadata says so and how long it ran; `duration` stays the limit asked for.
    func testAnInterruptedRunsMetadata() throws {
        let configuration = ReportFixtures.configuration(requests: nil, duration: 6)
        let document = JSONReport.document(ReportFixtures.summary([record(latency: 1)], configuration: configuration, interrupted: true), records: [])
        let metadata = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])?["metadata"] as? [String: Any])
        XCTAssertEqual(metadata["duration"] as? Double, 6)
        XCTAssertEqual(metadata["interrupted"] as? Bool, true)
        XCTAssertEqual(metadata["wall_seconds"] as? Double, 0.345)
        let whole = JSONReport.document(ReportFixtures.summary([record(latency: 1)], configuration: configuration), records: [])
        XCTAssertFalse(whole.contains("interrupted"), "a run that ended has no such keys")
    }
}
