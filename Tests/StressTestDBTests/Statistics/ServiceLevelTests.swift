import XCTest
@testable import stress_test_db

final class ServiceLevelTests: XCTestCase {
    func testParsing() throws {
        let level = try ServiceLevel.parse("e2e=10s,ttft=500ms,tpot=50,itl=0.1s", streaming: true)
        XCTAssertEqual(level.limit(.e2e), 10_000)
        XCTAssertEqual(level.limit(.ttft), 500)
        XCTAssertEqual(level.limit(.tpot), 50)
        XCTAssertEqual(level.limit(.itl), 100)
        XCTAssertEqual(level.description, "e2e<=10000 ms, ttft<=500 ms, tpot<=50 ms, itl<=100 ms")
        XCTAssertThrowsError(try ServiceLevel.parse("ttft=500", streaming: false)) { XCTAssertTrue("\($0)".contains("--stream")) }
        XCTAssertThrowsError(try ServiceLevel.parse("p95=5", streaming: true))
        XCTAssertThrowsError(try ServiceLevel.parse("e2e=fast", streaming: true))
        XCTAssertThrowsError(try ServiceLevel.parse("e2e=0", streaming: true))
    }

    func testAGoodRequestSucceededAndMeetsEveryLimit() throws {
        let level = try ServiceLevel.parse("e2e=100", streaming: false)
        XCTAssertTrue(level.isMet(by: record(latency: 100)))
        XCTAssertFalse(level.isMet(by: record(latency: 100.5)))
        XCTAssertFalse(level.isMet(by: record(status: 500, latency: 1)), "a failure is never good")
        var statistics = Statistics(serviceLevel: level)
        for latency in [10.0, 50, 150, 90] { statistics.add(record(latency: latency)) }
        XCTAssertEqual(statistics.good, 3)
        XCTAssertEqual(statistics.goodPercent, 75)
    }
}
