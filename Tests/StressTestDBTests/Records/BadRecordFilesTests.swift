import Foundation
import XCTest
@testable import stress_test_db

/// Issue 26: every file `report` and `compare` read gives a clear error naming it, never a crash
/// or a silent wrong figure. Each case calls what the commands call (`CompareRun`, `ReportInput`).
final class BadRecordFilesTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "bad-records-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func file(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func document(latency: Any) -> String {
        let record: [String: Any] = ["status_code": 200, "latency_ms": latency, "success": true, "error": NSNull(),
                                     "timestamp": "2026-11-29T10:00:00.000000+00:00"]
        let good: [String: Any] = ["status_code": 200, "latency_ms": 12.5, "success": true]
        let data = try! JSONSerialization.data(withJSONObject: ["metadata": [:], "raw_results": [good, record]] as [String: Any])
        return String(decoding: data, as: UTF8.self)
    }

    func assertError(_ body: @autoclosure () throws -> Any, _ expected: String..., file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertTrue(error is FileError, "\(error)", file: file, line: line)
            for part in expected { XCTAssertTrue("\(error)".contains(part), "\(error) lacks \(part)", file: file, line: line) }
        }
    }

    func testCompareRefusesALatencyOf1e308AndANegativeOne() throws {
        // Before: 1e308 crashed (Int64 of an infinite microsecond count), -50 went into the percentiles.
        assertError(try CompareRun(path: try file("huge.json", document(latency: 1e308))), "huge.json raw_results[1]", "latency_ms is 1e+308")
        assertError(try CompareRun(path: try file("negative.json", document(latency: -50))), "negative.json raw_results[1]", "latency_ms is -50")
        assertError(try CompareRun(path: try file("text.json", document(latency: "12"))), "latency_ms is the string")
        XCTAssertEqual(try CompareRun(path: try file("good.json", document(latency: 30))).latencies, [12.5, 30])
    }

    func testCompareRefusesARunWithoutRecords() throws {
        assertError(try CompareRun(path: try file("none.json", #"{"metadata": {}, "raw_results": []}"#)), "none.json has no records")
    }

    func testWholeFileProblemsNameTheFile() throws {
        let whole = document(latency: 30)
        assertError(try CompareRun(path: try file("cut.json", String(whole.prefix(whole.count / 2)))), "cut.json is not JSON (cut short or damaged?)")
        assertError(try CompareRun(path: try file("empty.json", "")), "empty.json is empty")
        assertError(try CompareRun(path: try file("blank.json", "  \n\n")), "blank.json is empty")
        assertError(try CompareRun(path: try file("array.json", "[1, 2]")), "array.json is JSON but not an object")
        assertError(try CompareRun(path: try file("shape.json", #"{"raw_results": [1]}"#)), "shape.json raw_results[0] is not a JSON object")
        assertError(try CompareRun(path: folder), "is a folder")
        assertError(try CompareRun(path: folder + "/nothing.json"), "nothing.json does not exist")
        let binary = folder + "/binary.json"
        try Data((0..<256).map { UInt8($0) }).write(to: URL(fileURLWithPath: binary))
        assertError(try CompareRun(path: binary), "binary.json is not a text file")
        let latin1 = folder + "/latin1.json"
        try Data([0x7b, 0x0a, 0xe9, 0x7d]).write(to: URL(fileURLWithPath: latin1))
        assertError(try CompareRun(path: latin1), "latin1.json is not UTF-8 text (line 2)")
    }

    func testReportRefusesDamagedLinesWithTheirNumbers() throws {
        let good = #"{"status_code": 200, "latency_ms": 12.5, "success": true}"#
        let responses = try file("r.jsonl", good + "\n" + good + "\n" + #"{"status_code": 200, "latency_ms": 1"# + "\n")
        assertError(try ReportInput(responses: responses).report(), "--responses \(responses) line 3 is not JSON")
        let negative = try file("n.jsonl", good + "\n" + #"{"status_code": 200, "latency_ms": 12.5, "success": true, "ttfb_ms": -1}"#)
        assertError(try ReportInput(responses: negative).report(), "line 2: ttfb_ms is -1")
        let long = try file("long.jsonl", good + "\n" + #"{"pad": ""# + String(repeating: "x", count: InputFile.maximumLineBytes) + "\"}\n")
        assertError(try ReportInput(responses: long).report(), "long.jsonl line 2 is 16 MB long")
        let series = try file("t.jsonl", #"{"t": 1, "rps": 5, "latency_ms": {"p50": 3}}"# + "\n" + #"{"t": 2, "rps": -5}"#)
        assertError(try ReportInput(timeseries: series).report(), "t.jsonl line 2: rps is -5")
        let nested = try file("t2.jsonl", #"{"t": 1, "rps": 5, "latency_ms": {"p95": 1e308}}"#)
        assertError(try ReportInput(timeseries: nested).report(), "t2.jsonl line 1 latency_ms: p95 is 1e+308")
        let none = try file("o.json", #"{"raw_results": []}"#)
        assertError(try ReportInput(output: none).report(), "nothing to report")
        XCTAssertNoThrow(try ReportInput(responses: try file("ok.jsonl", good + "\n\n" + good + "\n")).report())
    }
}
