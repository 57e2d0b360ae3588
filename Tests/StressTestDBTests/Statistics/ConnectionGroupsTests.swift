import LoadCore
import XCTest
@testable import stress_test_db

/// A request on a new connection (`opened`, taking `connect` ms to connect) or a kept-alive one: a JSON
/// answer, or with `ttft` a stream; with `failure` a transport failure, with `status` a non-2xx.
func connectionRecord(latency: Double, opened: Bool, connect: Double = 0, ttft: Double? = nil,
                      failure: FailureKind? = nil, status: Int = 200) -> ResponseRecord {
    let stream = ttft.map { StreamSummary(events: 3, contentChunks: 2, timeToFirstTokenMilliseconds: $0, sawDone: true) }
    return ResponseRecord(
        RequestResult(statusCode: failure == nil ? status : 0, latencyMilliseconds: latency, failure: failure,
                      contentType: stream == nil ? "application/json" : "text/event-stream",
                      body: stream == nil && failure == nil ? Array(#"{"model":"m"}"#.utf8) : [],
                      completedAtMicroseconds: 1_795_900_000_123_456, connectMilliseconds: opened ? connect : 0,
                      newConnections: opened ? 1 : 0, stream: stream),
        maxCharacters: 10_000, trustStatus: false)
}

/// Issue 29: the successful requests that opened their connection apart from those that reused one,
/// each with its own percentiles; failures in neither.
final class ConnectionGroupsTests: XCTestCase {
    func statistics(_ records: [ResponseRecord]) -> Statistics {
        var statistics = Statistics()
        for record in records { statistics.add(record) }
        return statistics
    }

    func testEachKindHasItsOwnPercentiles() throws {
        // 20 first connections at 101…120 ms (connects 1…20 ms), 180 reused at 1…180 ms / 10.
        let first: [ResponseRecord] = (1...20).map { (n: Int) in
            let value = Double(n)
            return connectionRecord(latency: 100 + value, opened: true, connect: value, ttft: 50 + value)
        }
        let reused: [ResponseRecord] = (1...180).map { (n: Int) in connectionRecord(latency: Double(n) / 10, opened: false, ttft: Double(n) / 100) }
        let connections = statistics(first + reused).connections
        XCTAssertEqual([connections.first.requests, connections.reused.requests], [20, 180])
        XCTAssertTrue(connections.hasBothKinds)
        let latency = try XCTUnwrap(connections.first.latencies.summary())
        XCTAssertEqual([latency.median, latency.p95, latency.p99], [110.5, 120, 120])
        let connect = try XCTUnwrap(connections.first.connects.summary())
        XCTAssertEqual([connect.median, connect.p99], [10.5, 20])
        XCTAssertEqual(connections.first.timesToFirstToken.summary()?.median, 60.5)
        let reusedLatency = try XCTUnwrap(connections.reused.latencies.summary())
        XCTAssertEqual(reusedLatency.median, 9.05, accuracy: 1e-9)
        XCTAssertEqual(reusedLatency.p95, 17.2, accuracy: 1e-9, "sorted[171]")
        XCTAssertEqual(reusedLatency.p99, 17.9, accuracy: 1e-9, "sorted[178]")
        XCTAssertEqual(connections.reused.timesToFirstToken.count, 180)
        XCTAssertEqual(connections.reused.connects.count, 0, "a reused connection's connect_ms (0) is not a connect")
    }

    /// A failed record says `connection_reused: false` whatever its connection did: it counts in neither group.
    func testFailuresCountInNeitherKind() {
        let records = [connectionRecord(latency: 5, opened: true, connect: 2), connectionRecord(latency: 1, opened: false),
                       connectionRecord(latency: 3000, opened: false, failure: .timeout),
                       connectionRecord(latency: 1, opened: true, failure: .connectionRefused),
                       connectionRecord(latency: 2, opened: false, status: 500)]
        XCTAssertFalse(records[2].connectionReused, "the record builder's rule: a failure is never on a reused connection")
        let statistics = statistics(records)
        XCTAssertEqual([statistics.connections.first.requests, statistics.connections.reused.requests], [1, 1])
        XCTAssertEqual(statistics.connections.first.latencies.summary()?.max, 5, "the timeout is not a first connection")
        XCTAssertEqual(statistics.total, 5, "the run's own counts keep every record")
    }

    func testOneKindAloneIsNotASplit() {
        XCTAssertFalse(statistics((1...5).map { connectionRecord(latency: Double($0), opened: true, connect: 1) }).connections.hasBothKinds)
        XCTAssertFalse(statistics((1...5).map { connectionRecord(latency: Double($0), opened: false) }).connections.hasBothKinds)
        XCTAssertFalse(statistics([]).connections.hasBothKinds)
        // One success of each kind beside failures still is.
        XCTAssertTrue(statistics([connectionRecord(latency: 1, opened: true), connectionRecord(latency: 1, opened: false),
                                  connectionRecord(latency: 1, opened: false, failure: .connectionReset)]).connections.hasBothKinds)
    }
}
