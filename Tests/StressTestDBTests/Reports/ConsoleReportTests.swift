import XCTest
@testable import stress_test_db

/// The RESULTS block, golden.
final class ConsoleReportTests: XCTestCase {
    func testConsoleBlockMatchesThePythonToolsShape() {
        let records = [0.5, 1.57, 6.53, 2.0].map { record(latency: $0) }
            + [record(status: 500, latency: 1.0, body: #"{"error":"database is locked"}"#)]
            + [record(status: 0, latency: 1001.86, failure: .timeout)]
        let summary = ReportFixtures.summary(records)
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
        let summary = ReportFixtures.summary([record(latency: 1)])
        XCTAssertEqual(ConsoleReport.closing(summary, savedFiles: ["Results saved to: results.json"]),
                       "\nResults saved to: results.json\n✓ Test completed\n")
    }

    func testConsoleWithNoRecords() {
        let text = ConsoleReport.results(ReportFixtures.summary([]))
        XCTAssertTrue(text.contains("Requests:     0 total\nSuccessful:   0 (0.0%)\nFailed:       0 (0.0%)\n"))
        XCTAssertTrue(text.contains("No requests completed: there is no latency to report."))
    }

    /// A measure with no value (a merge has no ITL) is a dash in each column, aligned like the numbers.
    func testStreamingRowsWithoutValuesAreAlignedDashes() {
        var configuration = ReportFixtures.configuration()
        configuration.workload.streaming = true
        let lines = ConsoleReport.streaming(ReportFixtures.summary([], configuration: configuration))
        XCTAssertEqual(lines[0], "Streaming (milliseconds):    Median       P95       P99")
        XCTAssertEqual(lines[2], "  ITL:                             -         -         -", "2 + 24 + 3 × 10 columns, as a row of numbers")
    }

}
