import XCTest
@testable import stress_test_db

/// What a shard's HDR log line carries for `merge`: moments that combine exactly, and counts whose
/// keys survive the trip through the comment line.
final class ShardTotalsTests: XCTestCase {
    func testMomentsMergedPairwiseEqualOnePass() {
        let values: [Double] = (0..<1000).map { index in
            let spread = Double((index * 7919) % 1013) / 3
            return index % 5 == 0 ? spread + 400 : spread
        }
        var whole = Moments()
        for value in values { whole.add(value) }
        var merged = Moments()
        for part in [values[..<1], values[1..<350], values[350..<350], values[350...]] {
            var moments = Moments()
            for value in part { moments.add(value) }
            merged.merge(moments)
        }
        XCTAssertEqual(merged.count, whole.count)
        XCTAssertEqual(merged.sum, whole.sum, accuracy: 1e-6)
        XCTAssertEqual(merged.min, whole.min)
        XCTAssertEqual(merged.max, whole.max)
        XCTAssertEqual(merged.mean, whole.mean, accuracy: 1e-9)
        XCTAssertEqual(merged.stdev, whole.stdev, accuracy: 1e-9)
    }

    func testTheCommentLinesPairsReadBackAsWritten() throws {
        var totals = ShardTotals()
        totals.shard = "2/3"
        totals.vus = 7
        totals.requests = 120
        totals.successful = 117
        totals.seconds = 3.25
        totals.statusCodes = [("200", 117), ("500", 3)]
        totals.errors = [("Timeout", 2)]
        totals.problems = [("Timeout", 2), ("500", 3)]
        totals.models = [("lamb:gpt-4o, mini 100%", 117)]  // every separator the line uses
        totals.latency = Moments(count: 3, sum: 6.5, min: 1, max: 3.25, mean: 6.5 / 3, squaredDeviations: 1.125)
        totals.ttft = Moments()
        totals.requestLimit = 120
        let metadata = totals.pairs.map { (key: $0.0, value: $0.1) }
        let read = try XCTUnwrap(try ShardTotals(metadata, source: "a.hlog"))
        XCTAssertEqual(read.pairs.map { "\($0.0)=\($0.1)" }, totals.pairs.map { "\($0.0)=\($0.1)" })
        XCTAssertEqual(read.models.map(\.key), ["lamb:gpt-4o, mini 100%"])
        XCTAssertEqual(read.latency, totals.latency)
        XCTAssertNil(try ShardTotals([], source: "other.hlog"), "another tool's log has no totals")
        XCTAssertThrowsError(try ShardTotals([(key: "state", value: "running"), (key: "shard", value: "1/2")], source: "cut.hlog"))
    }
}
