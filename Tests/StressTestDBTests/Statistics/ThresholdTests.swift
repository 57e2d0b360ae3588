import XCTest
@testable import stress_test_db

final class ThresholdTests: XCTestCase {
    func testParsingUnitsAndOperators() throws {
        let rows: [(String, Threshold.Metric, Threshold.Operator, Double)] = [
            ("p95<2000", .p95, .less, 2000), ("p95 < 2s", .p95, .less, 2000), ("p99<=1500ms", .p99, .lessOrEqual, 1500),
            ("mean>=0.5", .mean, .greaterOrEqual, 0.5), ("max>10", .max, .greater, 10), ("p50<1s", .p50, .less, 1000),
            ("error_rate<1%", .errorRate, .less, 1), ("error_rate<=0.5", .errorRate, .lessOrEqual, 0.5),
            ("rps>=100", .rps, .greaterOrEqual, 100), ("RPS>5", .rps, .greater, 5),
        ]
        for (text, metric, comparison, limit) in rows {
            let threshold = try Threshold.parse(text)
            XCTAssertEqual(threshold.metric, metric, text)
            XCTAssertEqual(threshold.comparison, comparison, text)
            XCTAssertEqual(threshold.limit, limit, text)
        }
        XCTAssertEqual(try Threshold.parse("p95 < 2s").expression, "p95<2s")
    }

    func testMalformedExpressionsSayWhatIsWrong() {
        let rows: [(String, String)] = [
            ("p95 2000", "no comparison"), ("p90<5", "unknown metric 'p90'"), ("p95<fast", "'fast' is not a number"),
            ("rps<5ms", "'ms' does not fit rps"), ("p95<5%", "'%' does not fit p95"), ("error_rate<1s", "'s' does not fit error_rate"),
            ("<5", "unknown metric ''"),
        ]
        for (text, says) in rows {
            XCTAssertThrowsError(try Threshold.parse(text), text) { error in
                XCTAssertTrue("\(error)".contains(says), "\(text): \(error)")
                XCTAssertTrue("\(error)".contains(text), "the message quotes the expression")
            }
        }
    }

    func testStreamingAndGoodputMetricsNeedTheirFlags() throws {
        XCTAssertThrowsError(try Threshold.parse("ttft_p95<500").checkMeasured(streaming: false, serviceLevel: false)) {
            XCTAssertTrue("\($0)".contains("add --stream"), "\($0)")
        }
        XCTAssertNoThrow(try Threshold.parse("ttft_p99<1s").checkMeasured(streaming: true, serviceLevel: false))
        XCTAssertThrowsError(try Threshold.parse("goodput>90%").checkMeasured(streaming: true, serviceLevel: false)) {
            XCTAssertTrue("\($0)".contains("add --slo"), "\($0)")
        }
        XCTAssertEqual(try Threshold.parse("goodput>=90%").limit, 90)
    }

    func testEvaluationAgainstStatistics() throws {
        var statistics = Statistics()
        for latency in 1...100 { statistics.add(record(latency: Double(latency))) }
        statistics.add(record(status: 500, latency: 1))
        func result(_ text: String) throws -> Threshold.Result {
            try Threshold.parse(text).evaluate(statistics, wallSeconds: 2)
        }
        // 101 values 1, 1, 2, ..., 100: p95 = sorted[⌊101 × 0.95⌋] = sorted[95] = 95.
        XCTAssertEqual(try result("p95<2000").line, "✓ p95<2000: 95.00")
        XCTAssertEqual(try result("p95<=95").line, "✓ p95<=95: 95.00")
        XCTAssertEqual(try result("p95<95").line, "✗ p95<95: 95.00")
        XCTAssertTrue(try result("error_rate<1%").passed, "1 of 101 failed: 0.99%")
        XCTAssertFalse(try result("error_rate<0.5%").passed)
        XCTAssertEqual(try XCTUnwrap(try result("rps>=50").value), 50.5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(try result("max>100").value), 100)
        XCTAssertFalse(try result("max>100").passed)
        let empty = try Threshold.parse("p95<1").evaluate(Statistics(), wallSeconds: 0)
        XCTAssertFalse(empty.passed, "no data passes nothing")
        XCTAssertEqual(empty.line, "✗ p95<1: no data")
    }
}
