import XCTest
@testable import stress_test_db

/// SPEC 24's chart: a section of latency by turn (and TTFT by turn) only when the run held conversations.
final class TurnChartsTests: XCTestCase {
    func report(_ records: [ResponseRecord]) -> String {
        var statistics = Statistics()
        for record in records { statistics.add(record) }
        return HTMLReport(title: "t", consoleText: "", keyFigures: [], latency: statistics.latencies, streaming: nil,
                          turns: HTMLReport.turns(statistics)).html
    }

    func testTheSectionIsThereWithConversationsOnly() {
        let html = report((1...8).map { turnRecord($0, latency: Double($0) * 10, ttft: 2) })
        XCTAssertTrue(html.contains("<h2>Latency by turn</h2>") && html.contains("<h2>Time to first token by turn</h2>"), html)
        for label in [">1<", ">6<", ">7+<", ">p50<", ">p95<", ">p99<", ">TTFT p95<"] { XCTAssertTrue(html.contains(label), label) }
        XCTAssertFalse(html.contains(">8<"), "turn 8 is in 7+")
        XCTAssertEqual(html.components(separatedBy: "<circle").count - 1, 2 * 3 * 7, "a dot a turn on each of six lines")

        let plain = report((1...3).map { turnRecord($0, latency: 5) })
        XCTAssertTrue(plain.contains("Latency by turn") && !plain.contains("Time to first token by turn"), "no stream, no TTFT chart")
        XCTAssertFalse(report([turnRecord(1, latency: 5), record(latency: 5)]).contains("by turn"), "no later turn, no section")
    }
}
