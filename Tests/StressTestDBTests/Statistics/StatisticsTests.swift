import LoadCore
import XCTest
@testable import stress_test_db

func record(status: Int = 200, latency: Double, failure: FailureKind? = nil, body: String = #"{"model":"m"}"#,
            contentType: String? = "application/json", trustStatus: Bool = false) -> ResponseRecord {
    ResponseRecord(
        RequestResult(statusCode: status, latencyMilliseconds: latency, failure: failure,
                      contentType: failure == nil ? contentType : nil, body: failure == nil ? Array(body.utf8) : [],
                      completedAtMicroseconds: 1_795_900_000_123_456),
        maxCharacters: 10_000, trustStatus: trustStatus)
}

final class StatisticsTests: XCTestCase {
    func summary(_ values: [Double]) -> LatencySummary {
        var statistics = Statistics()
        for value in values { statistics.add(record(latency: value)) }
        return statistics.latencySummary()!
    }

    func testOneRecord() {
        let s = summary([7.5])
        XCTAssertEqual(s, LatencySummary([7.5]))
        XCTAssertEqual([s.min, s.max, s.mean, s.median, s.p95, s.p99, s.stdev], [7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 0])
    }

    func testTwoRecordsMedianIsMeanOfMiddles() {
        let s = summary([10, 4])
        XCTAssertEqual(s.median, 7)
        XCTAssertEqual(s.mean, 7)
        // floor(2 * 0.95) = 1 and floor(2 * 0.99) = 1: the larger value.
        XCTAssertEqual(s.p95, 10)
        XCTAssertEqual(s.p99, 10)
        XCTAssertEqual(s.stdev, (18.0).squareRoot(), accuracy: 1e-12)  // ((3² + 3²) / 1)
    }

    func testTwentyRecords() {
        let s = summary((1...20).map(Double.init).reversed())
        XCTAssertEqual(s.min, 1)
        XCTAssertEqual(s.max, 20)
        XCTAssertEqual(s.median, 10.5)
        XCTAssertEqual(s.p95, 20)   // sorted[19]
        XCTAssertEqual(s.p99, 20)   // sorted[19]
        XCTAssertEqual(s.mean, 10.5)
        XCTAssertEqual(s.stdev, (35.0).squareRoot(), accuracy: 1e-12)  // n(n+1)/12 for 1...n
    }

    func testTwentyOneRecords() {
        let s = summary((1...21).map(Double.init).shuffled())
        XCTAssertEqual(s.median, 11)
        XCTAssertEqual(s.p95, 20)   // floor(19.95) = 19 → 20
        XCTAssertEqual(s.p99, 21)   // floor(20.79) = 20 → 21
        XCTAssertEqual(s.stdev, (38.5).squareRoot(), accuracy: 1e-12)
    }

    func testHundredRecords() {
        let s = summary((1...100).map(Double.init).shuffled())
        XCTAssertEqual(s.median, 50.5)
        XCTAssertEqual(s.p95, 96)   // sorted[95]
        XCTAssertEqual(s.p99, 100)  // sorted[99]
        XCTAssertEqual(s.mean, 50.5)
    }

    func testHundredAndOneRecords() {
        let s = summary((1...101).map(Double.init).shuffled())
        XCTAssertEqual(s.median, 51)
        XCTAssertEqual(s.p95, 96)   // floor(95.95) = 95 → 96
        XCTAssertEqual(s.p99, 100)  // floor(99.99) = 99 → 100
        XCTAssertEqual(s.stdev, (858.5).squareRoot(), accuracy: 1e-9)
    }

    func testPastTheExactLimitPercentilesAreExactToTheHundredthOfAMillisecond() {
        var distribution = LatencyDistribution()
        let n = LatencyDistribution.exactLimit + 20_001
        // Values k + 0.004 ms: bucketing rounds them to k.00 ms. Some above the dense array's 10 s.
        let values: [Double] = (0..<n).map { index in
            let milliseconds = Double(index % 1000)
            return (index % 7 == 0 ? 20 * milliseconds : milliseconds) + 0.004
        }
        for value in values.shuffled() { distribution.add(value) }
        XCTAssertTrue(distribution.isBucketed)
        XCTAssertEqual(distribution.exact.count, 0)
        let bucketed = distribution.summary()!
        let exact = LatencySummary(values)!
        XCTAssertEqual(bucketed.min, exact.min)
        XCTAssertEqual(bucketed.max, exact.max)
        XCTAssertEqual(bucketed.mean, exact.mean, accuracy: 1e-6)
        XCTAssertEqual(bucketed.stdev, exact.stdev, accuracy: 1e-6)
        XCTAssertEqual(bucketed.median, exact.median, accuracy: 0.005)
        XCTAssertEqual(bucketed.p95, exact.p95, accuracy: 0.005)
        XCTAssertEqual(bucketed.p99, exact.p99, accuracy: 0.005)
        XCTAssertEqual(bucketed.p99, (exact.p99 * 100).rounded(.down) / 100, "beyond 10 s, in the dictionary")
        XCTAssertGreaterThan(exact.p99, 10_000)
    }

    func testUpToTheLimitEverythingIsKept() {
        var distribution = LatencyDistribution()
        for value in 0..<LatencyDistribution.exactLimit { distribution.add(Double(value)) }
        XCTAssertFalse(distribution.isBucketed)
        XCTAssertEqual(distribution.summary(), LatencySummary((0..<LatencyDistribution.exactLimit).map(Double.init)))
    }

    func testNoRecords() {
        let statistics = Statistics()
        XCTAssertNil(statistics.latencySummary())
        XCTAssertEqual(statistics.errorRatePercent, 0)
        XCTAssertEqual(statistics.successPercent, 0)
    }

    func testCountsErrorsStatusesAndModels() {
        var statistics = Statistics()
        statistics.add(record(latency: 1, body: #"{"model":"b"}"#))
        statistics.add(record(status: 0, latency: 2, failure: .timeout))
        statistics.add(record(status: 500, latency: 3, body: #"{"detail":"x"}"#))
        statistics.add(record(latency: 4, body: #"{"model":"a"}"#))
        statistics.add(record(status: 0, latency: 5, failure: .timeout))
        statistics.add(record(latency: 6, body: #"{"model":"a"}"#))
        statistics.add(record(latency: 7, body: #"{"model":"b"}"#))
        XCTAssertEqual(statistics.total, 7)
        XCTAssertEqual(statistics.successful, 4)
        XCTAssertEqual(statistics.failed, 3)
        XCTAssertEqual(statistics.errorRatePercent, 3.0 / 7.0 * 100)
        XCTAssertEqual(statistics.statusCodes[200], 4)
        XCTAssertEqual(statistics.statusCodes[0], 2)
        XCTAssertEqual(statistics.errors.entries.map(\.key), ["Timeout"])
        XCTAssertEqual(statistics.problems.entries.map { "\($0.key)(\($0.count))" }, ["Timeout(2)", "500(1)"])
        // a and b tie at 2: the first seen (b) wins.
        XCTAssertEqual(statistics.mostCommonModel, "b")
    }

    func testByCountDescendingBreaksTiesByFirstSeen() {
        var keys = CountedKeys<String>()
        for key in ["x", "y", "y", "z", "z", "x", "w"] { keys.add(key) }
        XCTAssertEqual(keys.byCountDescending.map(\.key), ["x", "y", "z", "w"])
    }
}
