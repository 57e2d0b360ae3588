import Foundation
import XCTest
@testable import stress_test_db

/// SPEC 24's by-turn outputs: the console block, `statistics.by_turn` and `compare`'s breakdown, golden.
final class ByTurnReportTests: XCTestCase {
    /// Turn 1 at 10 ms, turn 2 at 20 ms (one of its two failed), turns 7 and 9 at 70 and 90 ms.
    static let records = [turnRecord(1, latency: 10, ttft: 4), turnRecord(1, latency: 10, ttft: 4),
                          turnRecord(2, latency: 20, ttft: 6), turnRecord(2, latency: 20, failed: true),
                          turnRecord(7, latency: 70, ttft: 8), turnRecord(9, latency: 90, ttft: 8)]

    func statistics(_ records: [ResponseRecord] = records) -> Statistics {
        var statistics = Statistics()
        for record in records { statistics.add(record) }
        return statistics
    }

    func testTheConsoleBlockHasALineATurn() {
        XCTAssertEqual(ByTurnReport.lines(statistics(), streaming: true), [
            "By turn:    Requests  Failed     P50 ms     P95 ms     P99 ms  TTFT P50 ms",
            "  1                2       0      10.00      10.00      10.00         4.00",
            "  2                2       1      20.00      20.00      20.00         6.00",
            "  7+               2       0      80.00      90.00      90.00         8.00",
        ])
        XCTAssertEqual(ByTurnReport.lines(statistics(), streaming: false).first,
                       "By turn:    Requests  Failed     P50 ms     P95 ms     P99 ms")
        XCTAssertEqual(ByTurnReport.lines(statistics([turnRecord(1, latency: 3)]), streaming: false), [], "one turn: no block")
        XCTAssertEqual(ByTurnReport.lines(statistics([record(latency: 3)]), streaming: false), [], "no turns: no block")
    }

    func testTheBlockFollowsTheResultsBlock() {
        let text = ConsoleReport.afterBlock(ReportFixtures.summary(Self.records))
        XCTAssertTrue(text.hasPrefix("\nBy turn:    Requests  Failed     P50 ms     P95 ms     P99 ms\n  1  "), text)
        XCTAssertEqual(ConsoleReport.afterBlock(ReportFixtures.summary([record(latency: 3)])), "", "a run without turns prints as before")
    }

    func testTheJSONShapeKeepsSection16sKeys() {
        let json = JSONValue.object(JSONReport.byTurn(statistics(), streaming: true))
        XCTAssertEqual(json.compact, """
            {"by_turn": {"1": {"requests": 2, "failed": 0, "latency_ms": {"p50": 10.0, "p95": 10.0, "p99": 10.0, "min": 10.0, "max": 10.0, \
            "mean": 10.0, "median": 10.0, "stdev": 0.0}, "ttft_ms": {"p50": 4.0, "p95": 4.0, "p99": 4.0}, "total_requests": 2, "successful": 2}, \
            "2": {"requests": 2, "failed": 1, "latency_ms": {"p50": 20.0, "p95": 20.0, "p99": 20.0, "min": 20.0, "max": 20.0, "mean": 20.0, \
            "median": 20.0, "stdev": 0.0}, "ttft_ms": {"p50": 6.0, "p95": 6.0, "p99": 6.0}, "total_requests": 2, "successful": 1}, \
            "7+": {"requests": 2, "failed": 0, "latency_ms": {"p50": 80.0, "p95": 90.0, "p99": 90.0, "min": 70.0, "max": 90.0, "mean": 80.0, \
            "median": 80.0, "stdev": 14.142135623730951}, "ttft_ms": {"p50": 8.0, "p95": 8.0, "p99": 8.0}, "total_requests": 2, "successful": 2}}}
            """)
        let plain = JSONValue.object(JSONReport.byTurn(statistics(Self.records.map { turnRecord($0.turn!, latency: $0.latencyMilliseconds) }),
                                                       streaming: false))
        XCTAssertFalse(plain.compact.contains("ttft_ms"), "no stream, no ttft_ms")
        XCTAssertTrue(JSONReport.byTurn(statistics([record(latency: 1)]), streaming: false).isEmpty, "records without a turn: no by_turn")
    }

    func testCompareBreaksDownByTurn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("byturn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ records: [ResponseRecord]) throws -> CompareRun {
            let path = folder.appendingPathComponent(name).path
            try JSONReport.document(ReportFixtures.summary(records), records: records).write(toFile: path, atomically: true, encoding: .utf8)
            return try CompareRun(path: path)
        }
        // A: every turn 20…49 ms. B: turn 1 the same, turn 2 40 ms slower and a tenth failed.
        let base = (0..<30).map { 20 + Double($0) }
        let a = try write("a.json", base.map { turnRecord(1, latency: $0) } + base.map { turnRecord(2, latency: $0) })
        let b = try write("b.json", base.map { turnRecord(1, latency: $0) }
                          + base.enumerated().map { turnRecord(2, latency: $1 + 40, failed: $0 % 10 == 0) })
        let comparison = try Comparison(a: a, b: b)
        XCTAssertEqual(comparison.byTurn.map(\.label), ["1", "2"])
        let second = try XCTUnwrap(comparison.byTurn.last?.rows)
        XCTAssertEqual(second.map(\.name), ["p95 ms", "error %"])
        XCTAssertEqual(second[0].a, 48)
        XCTAssertEqual(second[0].b, 88, "p95 of B's 27 successes: sorted[25]")
        XCTAssertEqual(second[0].interval?.verdict, "B slower")
        XCTAssertEqual(comparison.byTurn.first?.rows[0].interval?.verdict, "no significant difference")
        XCTAssertEqual(second[1].a, 0)
        XCTAssertEqual(try XCTUnwrap(second[1].b), 10, accuracy: 1e-9)
        XCTAssertTrue(comparison.table.contains("\nBy turn:\n  1 p95 ms"), comparison.table)
        XCTAssertTrue(comparison.table.contains("  2 error %          0.00       10.00      +10.00"), comparison.table)
        XCTAssertTrue(comparison.json.compact.contains(#""by_turn": {"1": [{"metric": "p95 ms""#), comparison.json.compact)
        let plain = try write("plain.json", base.map { record(latency: $0) })
        XCTAssertTrue(try Comparison(a: plain, b: plain).byTurn.isEmpty, "runs without conversations: no breakdown")
    }

    func testShardTotalsCarryTheTurnsForMerge() throws {
        let totals = ShardTotals(ReportFixtures.summary(Self.records))
        let pairs = Dictionary(totals.pairs, uniquingKeysWith: { _, last in last })
        XCTAssertEqual(pairs["turn_requests"], "1:2,2:2,7%2B:2")
        XCTAssertEqual(pairs["turn_successful"], "1:2,2:1,7%2B:2")
        let read = try XCTUnwrap(try ShardTotals(totals.pairs.map { (key: $0.0, value: $0.1) }, source: "a.hlog"))
        XCTAssertEqual(read.turnSuccessful.map(\.key), ["1", "2", "7+"])
        XCTAssertEqual(["1", "7+", "8", "0", "x"].map(Statistics.turnBucket(label:)), [1, 7, nil, nil, nil])
        var damaged = totals.pairs.map { (key: $0.0, value: $0.1) }
        damaged[damaged.firstIndex { $0.key == "turn_successful" }!].value = "1:3"
        XCTAssertThrowsError(try ShardTotals(damaged, source: "b.hlog"), "more successful than requests in turn 1")
    }
}
