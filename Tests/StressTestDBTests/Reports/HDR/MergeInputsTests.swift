import Foundation
import HdrLog
import Histogram
import XCTest
@testable import stress_test_db

/// Issue 26: `merge` takes whole logs of one run and one shard set, or refuses them with the reason.
final class MergeInputsTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "merge-inputs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    /// A log as a run writes it: `requests` latencies of 10–29 ms and the totals line (`pairs` override keys).
    static func log(shard: String = "0/2", requests: Int = 20, run: String? = "abc", _ pairs: [(String, String)] = []) throws -> String {
        var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        var moments = Moments()
        for index in 0..<requests {
            histogram.record(UInt64(10_000 + 1000 * (index % 20)))
            moments.add(Double(10 + index % 20))
        }
        var totals = ShardTotals()
        (totals.shard, totals.run, totals.vus, totals.requests, totals.successful) = (shard, run, 2, requests, requests)
        (totals.seconds, totals.startedAtMicroseconds, totals.latency) = (1.5, 1_795_916_217_000_000, moments)
        var metadata = totals.pairs
        for (key, value) in pairs { metadata = metadata.filter { $0.0 != key } + [(key, value)] }
        return HdrLogFormat.header(startTime: 1_795_916_217, metadata: metadata)
            + (try HdrLogFormat.line(tag: "latency", start: 0, length: 1.5, histogram: HdrCodec.decoded(histogram)))
    }

    func file(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func assertRefused(_ logs: [(String, String)], _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let paths = try logs.map { try self.file($0.0, $0.1) }
        XCTAssertThrowsError(try Merge(paths: paths).summary(), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(expected), "\(error) lacks \(expected)", file: file, line: line)
        }
    }

    func testTotalsThatCannotBe() throws {
        // Before: nan crashed (Int of a non-finite count); -5 printed "Failed: -5 (-33.3%)".
        try assertRefused([("nan.hlog", try Self.log([("latency", "nan:200:5:15:10:50")]))], "nan.hlog: latency=nan")
        try assertRefused([("minus.hlog", try Self.log([("requests", "-5")]))], "minus.hlog: requests=-5 is not a count")
        try assertRefused([("inf.hlog", try Self.log([("seconds", "inf")]))], "inf.hlog: seconds=inf is not a finite number")
        try assertRefused([("huge.hlog", try Self.log([("seconds", "1e308")]))], "huge.hlog: seconds=1e308")
        try assertRefused([("more.hlog", try Self.log([("successful", "21")]))], "successful=21 is more than requests=20")
        try assertRefused([("status.hlog", try Self.log([("status", "200:-3")]))], "status.hlog: status=-3 is not a count")
        try assertRefused([("cut.hlog", try Self.log(requests: 20, [("requests", "25")]))], "holds 20 latencies but its totals say 25")
    }

    func testShardsOfOneSet() throws {
        try assertRefused([("a.hlog", try Self.log(shard: "5/2"))], "shard 5/2 is not I/N with 0 ≤ I < N")
        try assertRefused([("a.hlog", try Self.log(shard: "0/2")), ("b.hlog", try Self.log(shard: "1/3"))],
                          "is 1/3: the logs are of different shard sets")
        try assertRefused([("a.hlog", try Self.log(shard: "0/1")), ("b.hlog", try Self.log(shard: "0/1"))], "shard 0/1 is given twice")
        try assertRefused([("a.hlog", try Self.log(shard: "0/2", run: "abc")), ("b.hlog", try Self.log(shard: "1/2", run: "def"))],
                          "are logs of different runs")
        let merge = try Merge(paths: [try file("a.hlog", try Self.log(shard: "0/3")), try file("c.hlog", try Self.log(shard: "2/3"))])
        XCTAssertEqual(merge.warnings, ["Warning: shard 1/3 missing: the merged results are those of 2 of 3 shards."])
        XCTAssertEqual(try merge.summary().statistics.total, 40)
        let whole = try Merge(paths: [try file("a.hlog", try Self.log(shard: "0/2")), try file("b.hlog", try Self.log(shard: "1/2"))])
        XCTAssertEqual(whole.warnings, [])
    }

    func testEmptyTruncatedAndDamagedLogs() throws {
        let good = try Self.log()
        try assertRefused([("empty.hlog", "")], "empty.hlog is empty")
        try assertRefused([("header.hlog", "#[Histogram log format version 1.3]\n")], "header.hlog has neither a #[stress-test-db ...] line nor a histogram")
        let comment = good.range(of: "#[stress-test-db ")!.upperBound
        try assertRefused([("cut1.hlog", String(good[..<good.index(comment, offsetBy: 20)]))], "the stress-test-db line, is cut short")
        try assertRefused([("cut2.hlog", String(good.dropLast(12)))], "cut2.hlog is not an HdrHistogram log")
        try assertRefused([("garbage.hlog", good + "not a line\n")], "garbage.hlog is not an HdrHistogram log: line 6")
        try assertRefused([("nan.hlog", good + "Tag=latency,nan,1,1,HISTFAAAAA==\n")], "is not an interval line")
        XCTAssertEqual(try Merge(paths: [try file("ok.hlog", good)]).summary().statistics.total, 20)
    }

    func testTheRunIDIsOnTheLineAndTheReferenceReaderSkipsIt() throws {
        var run = ReportFixtures.summary([]).run
        run.shard = "1/4"
        var other = run
        other.shard = "3/4"
        XCTAssertEqual(ShardTotals.runID(run), ShardTotals.runID(other), "one run's shards share the id")
        other.apiURL = "http://127.0.0.1:1"
        XCTAssertNotEqual(ShardTotals.runID(run), ShardTotals.runID(other))
        XCTAssertTrue(HdrLogFormat.commentLine(ShardTotals(ReportFixtures.summary([])).pairs).contains(" run=\(ShardTotals.runID(ReportFixtures.summary([]).run)) "))
    }
}
