import XCTest
@testable import stress_test_db

/// Records into intervals by completion time, at the boundaries.
final class TimeSeriesTests: XCTestCase {
    let gauges = TimeSeries.Gauges(target: nil, inFlight: 3, connectionsOpened: 10)

    func object(_ line: TimeSeries.Line) -> [String: Any] {
        try! JSONSerialization.jsonObject(with: Data(line.json.compact.utf8)) as! [String: Any]
    }

    func testBoundariesEmptyIntervalsAndThePartialLast() throws {
        var series = TimeSeries(intervalSeconds: 1, streaming: false)
        var lines: [TimeSeries.Line] = []
        series.add(record(latency: 10), at: 0, lines: &lines, gauges: gauges)
        series.add(record(status: 500, latency: 30), at: 0.999, lines: &lines, gauges: gauges)
        XCTAssertTrue(lines.isEmpty, "interval 0 is still open")
        series.add(record(latency: 20), at: 1.0, lines: &lines, gauges: gauges)
        XCTAssertEqual(lines.count, 1, "1.0 s belongs to the second interval")
        series.advance(to: 3.5, lines: &lines, gauges: gauges)
        XCTAssertEqual(lines.count, 3, "the second and an empty third")
        series.add(record(latency: 40), at: 2.9, lines: &lines, gauges: gauges)  // late: counted in the open interval
        lines.append(series.finish(at: 3.7, gauges: gauges))
        let parsed = lines.map(object)
        XCTAssertEqual(parsed.map { $0["requests"] as? Int }, [2, 1, 0, 1])
        XCTAssertEqual(parsed.map { $0["t"] as? Double }, [1, 2, 3, 3.7])
        XCTAssertEqual(parsed[3]["interval_s"] as! Double, 0.7, accuracy: 1e-9)
        XCTAssertEqual(parsed[0]["failed"] as? Int, 1)
        XCTAssertEqual(parsed[0]["status_codes"] as? [String: Int], ["200": 1, "500": 1])
        XCTAssertEqual((parsed[0]["latency_ms"] as? [String: Any])?["p95"] as? Double, 30)
        XCTAssertTrue((parsed[2]["latency_ms"] as? [String: Any])?["p95"] is NSNull, "an empty interval has null percentiles")
        XCTAssertEqual(parsed[0]["connections_opened"] as? Int, 10, "opened during the interval")
        XCTAssertEqual(parsed[1]["connections_opened"] as? Int, 0)
        XCTAssertEqual(parsed[0]["in_flight"] as? Int, 3)
        XCTAssertNil(parsed[0]["ttft_ms"], "streaming only")
        XCTAssertEqual(series.history.count, 4)
    }
}
