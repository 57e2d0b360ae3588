import TestSupport
import XCTest

/// `--max-concurrent` and `--latency-growth-ms-per-s`: the server's known capacity and decay.
final class ConcurrencyLimitTests: XCTestCase {
    func testRequestsBeyondTheLimitWaitTheirTurn() throws {
        // 8 clients, 2 at a time, 100 ms each: the requests go through in four waves.
        let server = try LambSimServer(["--no-db", "--latency-ms", "100", "--max-concurrent", "2"])
        let (records, _) = try runEngine(chatConfiguration(server.chatURL, vus: 8, requests: 8))
        XCTAssertEqual(records.count, 8)
        XCTAssertTrue(records.allSatisfy { $0.statusCode == 200 })
        let latencies = records.map(\.latencyMilliseconds).sorted()
        XCTAssertGreaterThanOrEqual(latencies[7], 395, "the last wave waited for three before it")
        XCTAssertGreaterThanOrEqual(latencies[4], 295)
    }

    func testLatencyGrowsWithTheServersAge() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "1", "--latency-growth-ms-per-s", "200"])
        Thread.sleep(forTimeInterval: 1)
        let (records, _) = try runEngine(chatConfiguration(server.chatURL, vus: 1, requests: 2))
        XCTAssertTrue(records.allSatisfy { $0.latencyMilliseconds >= 200 }, "\(records.map(\.latencyMilliseconds))")
    }
}
