import LoadCore
import XCTest
@testable import stress_test_db

/// A record of a conversation's turn: a JSON answer, or a stream with its time to first token; a
/// failure with a status of 500.
func turnRecord(_ turn: Int, latency: Double, ttft: Double? = nil, failed: Bool = false) -> ResponseRecord {
    let stream = ttft.map { StreamSummary(events: 3, contentChunks: 2, timeToFirstTokenMilliseconds: $0, sawDone: true) }
    return ResponseRecord(
        RequestResult(statusCode: failed ? 500 : 200, latencyMilliseconds: latency, failure: nil,
                      contentType: stream == nil ? "application/json" : "text/event-stream",
                      body: stream == nil ? Array(#"{"model":"m"}"#.utf8) : [], completedAtMicroseconds: 1_795_900_000_123_456,
                      stream: stream, turn: turn, chatID: "c"),
        maxCharacters: 10_000, trustStatus: false)
}

/// SPEC 24's by-turn statistics: turns 1 to 6 on their own, 7 and over in `7+`, each with its counts
/// and percentiles.
final class ByTurnTests: XCTestCase {
    func testTurnsFromSevenOnShareOneBucket() {
        XCTAssertEqual((1...9).map(Statistics.turnBucket), [1, 2, 3, 4, 5, 6, 7, 7, 7])
        XCTAssertEqual([1, 6, 7].map(Statistics.turnLabel), ["1", "6", "7+"])
        var statistics = Statistics()
        for turn in [1, 2, 7, 8, 12, 2] { statistics.add(turnRecord(turn, latency: Double(turn))) }
        XCTAssertEqual(statistics.turns.map(\.label), ["1", "2", "7+"])
        XCTAssertEqual(statistics.turns.map(\.part.total), [1, 2, 3])
        XCTAssertEqual(statistics.byTurn[7]?.latencies.summary()?.max, 12, "turn 12 counts in 7+")
    }

    func testPercentilesAndFailuresPerTurnFromKnownRecords() throws {
        var statistics = Statistics()
        // Turn 1: 1…20 ms; turn 2: 101…120 ms, of which two failed.
        for value in (1...20).reversed() { statistics.add(turnRecord(1, latency: Double(value), ttft: Double(value) / 10)) }
        for value in 1...20 { statistics.add(turnRecord(2, latency: Double(100 + value), failed: value > 18)) }
        let first = try XCTUnwrap(statistics.byTurn[1]), second = try XCTUnwrap(statistics.byTurn[2])
        XCTAssertEqual([first.total, first.failed, second.total, second.failed], [20, 0, 20, 2])
        let latency = try XCTUnwrap(second.latencies.summary())
        XCTAssertEqual([latency.median, latency.p95, latency.p99], [110.5, 120, 120], "failures count in the latencies, as in the run's")
        let ttft = try XCTUnwrap(first.timesToFirstToken.summary())
        XCTAssertEqual(ttft.median, 1.05, accuracy: 1e-9)
        XCTAssertEqual(ttft.p95, 2)
        XCTAssertEqual(second.timesToFirstToken.count, 0, "no stream, no TTFT")
        XCTAssertTrue(statistics.hasLaterTurns)
    }

    func testRecordsWithoutATurnOrOnlyFirstTurnsHoldNoConversation() {
        var statistics = Statistics()
        statistics.add(record(latency: 5))
        XCTAssertTrue(statistics.byTurn.isEmpty)
        statistics.add(turnRecord(1, latency: 5))
        XCTAssertFalse(statistics.hasLaterTurns, "turn 1 alone: no conversation went on")
        XCTAssertTrue(HTMLReport.turns(statistics).isEmpty)
    }
}
