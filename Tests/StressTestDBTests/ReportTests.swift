import CurlEngine
import XCTest
@testable import stress_test_db

/// Golden strings for every output format.
final class ReportTests: XCTestCase {
    static func configuration(requests: Int? = 20, duration: Double? = nil, timeout: Double = 120) -> Configuration {
        try! Configuration.resolve(
            flags: Flags(virtualUsers: 5, requests: requests, duration: duration, timeout: timeout),
            environment: ["API_BASE_URL": "http://127.0.0.1:41721", "JWT_TOKEN": "t", "ASSISTANT_ID": "ok"],
            readFile: { _ in nil })
    }

    static func summary(_ records: [ResponseRecord], configuration: Configuration = configuration(),
                        interrupted: Bool = false) -> RunSummary {
        var statistics = Statistics()
        for record in records { statistics.add(record) }
        return RunSummary(configuration: configuration, statistics: statistics,
                          startedAtMicroseconds: 1_795_916_217_286_553, wallSeconds: 0.3449,
                          embeddingModel: "nomic-embed-text-v1.5", interrupted: interrupted)
    }

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

    func testConsoleBlockMatchesThePythonToolsShape() {
        let records = [0.5, 1.57, 6.53, 2.0].map { record(latency: $0) }
            + [record(status: 500, latency: 1.0, body: #"{"error":"database is locked"}"#)]
            + [record(status: 0, latency: 1001.86, failure: .timeout)]
        let summary = Self.summary(records)
        XCTAssertEqual(ConsoleReport.results(summary), """

            ======================================================================
            RESULTS
            ======================================================================

            Requests:     6 total
            Successful:   4 (66.7%)
            Failed:       2 (33.3%)

            Status Codes:
              0: 1 (16.7%)
              200: 4 (66.7%)
              500: 1 (16.7%)

            Errors Observed:
              Timeout: 1 (16.7%)

            Latency (milliseconds):
              Min:              0.50
              Mean:           168.91
              Median:           1.79
              P95:           1001.86
              P99:           1001.86
              Max:           1001.86
              Std Dev:        408.07

            ======================================================================

            """)
        XCTAssertEqual(ConsoleReport.closing(summary, savedFiles: []), "\n\n⚠️  Warning: High error rate (33.3%)\n")
    }

    func testConsoleClosingForACleanRun() {
        let summary = Self.summary([record(latency: 1)])
        XCTAssertEqual(ConsoleReport.closing(summary, savedFiles: ["Results saved to: results.json"]),
                       "\nResults saved to: results.json\n✓ Test completed\n")
    }

    func testConsoleWithNoRecords() {
        let text = ConsoleReport.results(Self.summary([]))
        XCTAssertTrue(text.contains("Requests:     0 total\nSuccessful:   0 (0.0%)\nFailed:       0 (0.0%)\n"))
        XCTAssertTrue(text.contains("No requests completed: there is no latency to report."))
    }

    func testJSONDocument() {
        let records = [record(latency: 2.5, body: #"{"model":"m"}"#), record(status: 0, latency: 4, failure: .connectionRefused)]
        let document = JSONReport.document(Self.summary(records), records: [])
        XCTAssertEqual(document, """
            {
              "metadata": {
                "timestamp": "2026-11-29T01:36:57.286553+00:00",
                "api_url": "http://127.0.0.1:41721",
                "assistant_id": "ok",
                "vus": 5,
                "total_requests": 20,
                "duration": null,
                "timeout": 120
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
                }
              },
              "raw_results": []
            }

            """)
    }

    func testJSONDocumentEmbedsRecordsAndDurationMetadata() throws {
        let configuration = Self.configuration(requests: nil, duration: 2, timeout: 1.5)
        let records = [record(latency: 1)]
        let text = JSONReport.document(Self.summary(records, configuration: configuration), records: records)
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

    func testCSVNewFile() {
        let summary = Self.summary([record(latency: 1), record(status: 0, latency: 2, failure: .timeout),
                                    record(status: 500, latency: 3, body: "{}"), record(status: 0, latency: 2, failure: .timeout)],
                                   configuration: Self.configuration(requests: 4, timeout: 1))
        XCTAssertEqual(CSVReport.append(summary, existing: nil),
                       "index,assistant_id,model,embedding_model,total_requests,vus,max_time,total_time,success_pct,error\r\n"
                       + "1,ok,m,nomic-embed-text-v1.5,4,5,1,0.34,25.00,Timeout(2); 500(1)\r\n")
    }

    func testCSVEmptyFileGetsHeaderAndIndexOne() {
        let summary = Self.summary([record(latency: 1)])
        XCTAssertEqual(CSVReport.append(summary, existing: []), CSVReport.append(summary, existing: nil))
    }

    func testCSVAppendCountsLinesIncludingHeader() {
        let existing = Array("index,assistant_id\r\n1,ok,x\r\n2,mix,y\r\n3,slow,z\r\n".utf8)
        let summary = Self.summary([record(latency: 1)], configuration: Self.configuration(requests: nil, duration: 2))
        XCTAssertEqual(CSVReport.append(summary, existing: existing),
                       "4,ok,m,nomic-embed-text-v1.5,duration:2,5,120,0.34,100.00,\r\n")
    }

    func testCSVAppendAfterALineWithoutBreak() {
        let summary = Self.summary([record(latency: 1)])
        XCTAssertEqual(CSVReport.append(summary, existing: Array("header\r\n1,row".utf8)),
                       "\r\n2,ok,m,nomic-embed-text-v1.5,20,5,120,0.34,100.00,\r\n")
    }

    func testCSVQuoting() {
        XCTAssertEqual(CSVReport.line(["plain", "a,b", "say \"hi\"", "two\nlines", ""]),
                       "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n")
    }

    func testPythonFloatAndStringForms() {
        XCTAssertEqual(JSONText.number(120), "120.0")
        XCTAssertEqual(JSONText.number(0.1), "0.1")
        XCTAssertEqual(JSONText.number(1e16), "1e+16")
        XCTAssertEqual(JSONText.integerOrNumber(120), "120")
        XCTAssertEqual(JSONText.integerOrNumber(1.5), "1.5")
        XCTAssertEqual(JSONText.string("a\"b\\c\n\u{1}\u{7f}é😀"), #""a\"b\\c\n\u0001\u007f\u00e9\ud83d\ude00""#)
        XCTAssertEqual(isoTimestamp(microseconds: 0), "1970-01-01T00:00:00.000000+00:00")
    }

    func testProgressLine() {
        XCTAssertEqual(ProgressLine.render(elapsed: 12.34, completed: 1234, requestLimit: 5000, durationSeconds: nil,
                                           rate: 812.25, errors: 3, p95: "45.2 ms"),
                       "[  12.3s] 1234/5000 done | 812.2 req/s | errors 3 | p95 45.2 ms")
        XCTAssertEqual(ProgressLine.render(elapsed: 10, completed: 7, requestLimit: nil, durationSeconds: 60,
                                           rate: 0.7, errors: 0, p95: "-"),
                       "[  10.0s] 7 done, 50s left | 0.7 req/s | errors 0 | p95 -")
        var progress = ProgressLine(requestLimit: 10, durationSeconds: nil, isTerminal: false)
        XCTAssertNil(progress.update(elapsed: 1, completed: 1, errors: 0))
        XCTAssertNotNil(progress.update(elapsed: 5.1, completed: 5, errors: 0))
        XCTAssertNil(progress.update(elapsed: 6, completed: 6, errors: 0))
    }
}
