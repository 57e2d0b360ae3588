import XCTest
@testable import stress_test_db

/// SPEC section 18's `--shard I/N`: shares that add up, rates that divide, and clear refusals.
final class ShardTests: XCTestCase {
    let environment = ["API_BASE_URL": "http://127.0.0.1:9", "JWT_TOKEN": "t", "ASSISTANT_ID": "1"]

    func resolve(_ arguments: [String]) throws -> Configuration {
        try Configuration.resolve(options: RunOptions.parse(arguments), environment: environment, readFile: { _ in nil })
    }

    func testSharesAddUpAndTheFirstShardsTakeTheRemainder() {
        for count in [1, 2, 3, 7] {
            for total in [0, 1, count - 1, count, count + 1, 2 * count - 1, 100, 10_007] {
                let shares = (0..<count).map { Shard(index: $0, count: count).share(of: total) }
                XCTAssertEqual(shares.reduce(0, +), total, "\(total) over \(count)")
                XCTAssertEqual(shares, shares.sorted(by: >), "the first shards take the extra ones")
                XCTAssertLessThanOrEqual((shares.max() ?? 0) - (shares.min() ?? 0), 1)
                XCTAssertEqual(shares.filter { $0 == total / count + 1 }.count, total % count)
            }
        }
    }

    func testParsing() {
        XCTAssertEqual(Shard(argument: "2/3"), Shard(index: 2, count: 3))
        for bad in ["3/3", "-1/2", "1/0", "1", "a/b", "1/2/3", ""] { XCTAssertNil(Shard(argument: bad), bad) }
    }

    func testAConfigurationTakesItsShare() throws {
        let base = ["--vus", "10", "--requests", "100"]
        let shares = try (0..<3).map { try resolve(base + ["--shard", "\($0)/3"]) }
        XCTAssertEqual(shares.map(\.load.virtualUsers), [4, 3, 3])
        XCTAssertEqual(shares.map(\.load.requestLimit), [34, 33, 33])
        XCTAssertEqual(shares.map { $0.load.shard?.description }, ["0/3", "1/3", "2/3"])
        let rated = try resolve(["--rate", "90", "--vus", "30", "--duration", "5", "--shard", "1/3"])
        XCTAssertEqual(rated.load.plan.offeredRate, 30)
        XCTAssertEqual(rated.engineConfiguration.arrivalPhase, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertThrowsError(try resolve(["--vus", "2", "--requests", "100", "--shard", "2/3"])) {
            XCTAssertTrue("\($0)".contains("2 VUs cannot be split over 3 shards"), "\($0)")
        }
        XCTAssertThrowsError(try resolve(["--vus", "8", "--requests", "2", "--shard", "2/3"])) {
            XCTAssertTrue("\($0)".contains("2 requests cannot be split over 3 shards"), "\($0)")
        }
        XCTAssertEqual(try resolve(base + ["--shard", "0/1"]).load.virtualUsers, 10, "one shard is the whole run")
    }

    /// The seed is stored once: the plan's arrival seed is derived from it (plus the shard's index), the
    /// pauses and conversation lengths take it as given.
    func testThePlanIsThePaceSeededAndNarrowedToTheShard() throws {
        let whole = try resolve(["--rate", "90", "--arrival", "poisson", "--seed", "7", "--duration", "5"])
        XCTAssertEqual(whole.load.plan, .open(rate: .fixed(requestsPerSecond: 90), arrival: .poisson, seed: 7))
        let shard = try resolve(["--rate", "90", "--arrival", "poisson", "--seed", "7", "--duration", "5", "--shard", "1/3"])
        XCTAssertEqual(shard.load.plan, .open(rate: .fixed(requestsPerSecond: 30), arrival: .poisson, seed: 8))
        XCTAssertEqual(shard.engineConfiguration.plan, shard.load.plan)
        let closed = try resolve(["--vus", "4", "--requests", "8", "--think", "1s", "--seed", "9"])
        XCTAssertEqual(closed.load.plan, .closed(stages: nil))
        XCTAssertEqual(closed.engineConfiguration.thinkSeed, 9)
    }

    func testSourceAddressesMustBeLocalAndNumeric() throws {
        XCTAssertEqual(try SourceAddress.parse("127.0.0.2, 127.0.0.3"), ["127.0.0.2", "127.0.0.3"])
        XCTAssertEqual(try SourceAddress.parse("::1"), ["::1"])
        // TEST-NET-1 (RFC 5737) is never a local address; binding to it fails, nothing is sent.
        XCTAssertThrowsError(try SourceAddress.parse("127.0.0.2,192.0.2.1")) {
            XCTAssertTrue("\($0)".contains("192.0.2.1 is not an address of this machine"), "\($0)")
        }
        XCTAssertThrowsError(try SourceAddress.parse("localhost")) { XCTAssertTrue("\($0)".contains("not an IP address"), "\($0)") }
        XCTAssertThrowsError(try SourceAddress.parse(",")) { XCTAssertTrue("\($0)".contains("at least one address"), "\($0)") }
        XCTAssertThrowsError(try RunOptions.parse(["--vus", "1", "--requests", "1", "--sync", "--source-address", "127.0.0.2"]))
    }

    /// `--hdr` alone asks for intervals for its log only: no time series is kept beside it (its cost
    /// would show as the log's); `--timeseries`, `--report` or `--interval` alone keep one.
    func testHDRAloneKeepsNoTimeSeries() throws {
        let base = ["--vus", "1", "--requests", "1"]
        XCTAssertFalse(try resolve(base + ["--hdr", "a.hlog"]).outputs.keepsTimeSeries)
        XCTAssertFalse(try resolve(base + ["--hdr", "a.hlog", "--interval", "1"]).outputs.keepsTimeSeries)
        XCTAssertEqual(try resolve(base + ["--hdr", "a.hlog"]).outputs.intervalSeconds, 10)
        XCTAssertTrue(try resolve(base + ["--hdr", "a.hlog", "--timeseries", "a.jsonl"]).outputs.keepsTimeSeries)
        XCTAssertTrue(try resolve(base + ["--hdr", "a.hlog", "--report", "a.html"]).outputs.keepsTimeSeries)
        XCTAssertTrue(try resolve(base + ["--interval", "1"]).outputs.keepsTimeSeries)
        XCTAssertFalse(try resolve(base).outputs.keepsTimeSeries)
    }
}
