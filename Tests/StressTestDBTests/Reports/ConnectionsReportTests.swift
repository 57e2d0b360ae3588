import Foundation
import XCTest
@testable import stress_test_db

/// Issue 29's split in the reports: `statistics.first_connection` / `reused_connection` and the
/// console's `Connections:` line, golden, and nothing of either when the run had one kind only.
final class ConnectionsReportTests: XCTestCase {
    /// Two first connections (10 and 30 ms, connects 2 and 4 ms, TTFT 8 and 12 ms), three reused
    /// (4, 5, 6 ms, TTFT 2, 3, 4 ms), and a timeout and a 500 that count in neither.
    static let records = [connectionRecord(latency: 10, opened: true, connect: 2, ttft: 8),
                          connectionRecord(latency: 30, opened: true, connect: 4, ttft: 12),
                          connectionRecord(latency: 4, opened: false, ttft: 2), connectionRecord(latency: 5, opened: false, ttft: 3),
                          connectionRecord(latency: 6, opened: false, ttft: 4),
                          connectionRecord(latency: 900, opened: false, failure: .timeout),
                          connectionRecord(latency: 1, opened: false, status: 500)]

    func summary(_ records: [ResponseRecord] = records, streaming: Bool) -> RunSummary {
        var summary = ReportFixtures.summary(records)
        summary.run.streaming = streaming
        return summary
    }

    func testTheJSONShape() {
        let json = JSONValue.object(ConnectionsReport.statistics(summary(streaming: true).statistics, streaming: true))
        XCTAssertEqual(json.compact, """
            {"first_connection": {"requests": 2, "latency_ms": {"p50": 20.0, "p95": 30.0, "p99": 30.0}, \
            "connect_ms": {"p50": 3.0, "p99": 4.0}, "ttft_ms": {"p50": 10.0, "p95": 12.0, "p99": 12.0}}, \
            "reused_connection": {"requests": 3, "latency_ms": {"p50": 5.0, "p95": 6.0, "p99": 6.0}, \
            "ttft_ms": {"p50": 3.0, "p95": 4.0, "p99": 4.0}}}
            """)
        let plain = Self.records.map { connectionRecord(latency: $0.latencyMilliseconds, opened: !$0.connectionReused, connect: 1) }
        let withoutStreams = JSONValue.object(ConnectionsReport.statistics(summary(plain, streaming: false).statistics, streaming: false))
        XCTAssertFalse(withoutStreams.compact.contains("ttft_ms"), "no stream, no ttft_ms")
        XCTAssertTrue(withoutStreams.compact.contains(#""connect_ms": {"p50": 1.0, "p99": 1.0}"#), withoutStreams.compact)
    }

    func testTheStatisticsObjectHasBothKeysAfterStreaming() throws {
        let statistics = JSONReport.statistics(summary(streaming: true))
        guard case .object(let members) = statistics else { return XCTFail("not an object") }
        let keys = members.map(\.0)
        let streaming = try XCTUnwrap(keys.firstIndex(of: "streaming"))
        XCTAssertEqual(Array(keys[(streaming + 1)...].prefix(2)), ["first_connection", "reused_connection"])
    }

    func testOneKindAloneAddsNothing() {
        for opened in [true, false] {
            let records = (1...4).map { connectionRecord(latency: Double($0), opened: opened, connect: 1) }
                + [connectionRecord(latency: 9, opened: !opened, failure: .connectionReset)]
            let summary = summary(records, streaming: false)
            XCTAssertTrue(ConnectionsReport.statistics(summary.statistics, streaming: false).isEmpty, "opened: \(opened)")
            XCTAssertFalse(JSONReport.statistics(summary).compact.contains("_connection"), "opened: \(opened)")
            XCTAssertNil(ConnectionsReport.consoleLine(summary.statistics, streaming: false))
            XCTAssertEqual(ConsoleReport.afterBlock(summary), "", "a run of one kind prints as before")
        }
    }

    func testTheConsoleLine() {
        XCTAssertEqual(ConnectionsReport.consoleLine(summary(streaming: false).statistics, streaming: false),
                       "Connections: 2 first (p50 20.00 ms, connect p50 3.00 ms), 3 reused (p50 5.00 ms)")
        XCTAssertEqual(ConnectionsReport.consoleLine(summary(streaming: true).statistics, streaming: true),
                       "Connections: 2 first (p50 20.00 ms, TTFT p50 10.00 ms, connect p50 3.00 ms), 3 reused (p50 5.00 ms, TTFT p50 3.00 ms)")
    }

    /// After the streaming rows, before goodput and the rest.
    func testTheLineFollowsTheStreamingRows() throws {
        let lines = ConsoleReport.afterBlock(summary(streaming: true)).split(separator: "\n")
        let tokens = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Output tokens: ") })
        XCTAssertEqual(lines[tokens + 1], "Connections: 2 first (p50 20.00 ms, TTFT p50 10.00 ms, connect p50 3.00 ms), "
                       + "3 reused (p50 5.00 ms, TTFT p50 3.00 ms)")
        XCTAssertTrue(ConsoleReport.afterBlock(summary(streaming: false)).hasPrefix("\nConnections: 2 first"))
    }

    /// `report` rebuilds the line from the records' `connection_reused` and `connect_ms`.
    func testTheHTMLReportFromRecordsHasTheLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("connections-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("r.jsonl").path
        try Self.records.map(\.jsonLine).joined().write(toFile: path, atomically: true, encoding: .utf8)
        let report = try ReportInput(responses: path).report()
        XCTAssertTrue(report.consoleText.contains("\n\nConnections: 2 first (p50 20.00 ms, TTFT p50 10.00 ms, connect p50 3.00 ms), "
                                                  + "3 reused (p50 5.00 ms, TTFT p50 3.00 ms)\n"), report.consoleText)
    }
}
