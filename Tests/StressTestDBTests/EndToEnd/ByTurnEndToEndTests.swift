import Foundation
import TestSupport
import XCTest

/// SPEC 24's `statistics.by_turn` of a real `--turns` run against lamb-sim: its counts add up to what
/// the server counted, failures included; the console and the HTML report show them.
final class ByTurnEndToEndTests: BinaryTestCase {
    func testByTurnCountsAddUpToTheServersRequests() throws {
        let server = try LambSimServer(["--latency-ms", "1", "--fault-status-rate", "0.1"])
        let output = try stressTest(["--vus", "4", "--requests", "60", "--turns", "3", "--output", "t.json", "--report", "t.html"],
                                    environment: environment(server.baseURL))
        XCTAssertTrue([0, 1].contains(output.status), output.all)
        let stats = try server.stats()
        let byStatus = try XCTUnwrap(stats["requests_by_status"] as? [String: Int])
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("t.json")))) as! [String: Any]
        let byTurn = try XCTUnwrap((document["statistics"] as? [String: Any])?["by_turn"] as? [String: [String: Any]])
        XCTAssertEqual(Set(byTurn.keys), ["1", "2", "3"])
        XCTAssertEqual(byTurn.values.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) }, stats["requests"] as? Int)
        XCTAssertEqual(byTurn.values.reduce(0) { $0 + ($1["failed"] as? Int ?? 0) }, byStatus.filter { $0.key != "200" }.values.reduce(0, +),
                       "every refused turn counted in its turn")
        let first = try XCTUnwrap(byTurn["1"]), third = try XCTUnwrap(byTurn["3"])
        XCTAssertGreaterThanOrEqual(first["requests"] as? Int ?? 0, third["requests"] as? Int ?? .max, "a failed turn ends its conversation")
        let latency = try XCTUnwrap(third["latency_ms"] as? [String: Double])
        XCTAssertLessThanOrEqual(latency["p50"] ?? .nan, latency["p95"] ?? .nan)
        XCTAssertEqual(third["total_requests"] as? Int, third["requests"] as? Int, "SPEC 16's key stays")
        let block = output.stdout.split(separator: "\n").drop { !$0.hasPrefix("By turn:") }.prefix(4).map(String.init)
        XCTAssertEqual(block.map { $0.prefix(4) }, ["By t", "  1 ", "  2 ", "  3 "], output.stdout)
        let html = try String(contentsOfFile: path("t.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<h2>Latency by turn</h2>") && html.contains("By turn:"), "the chart and the block in the report")
        XCTAssertTrue(block[1].hasPrefix("  1" + String(repeating: " ", count: 7)) && block[1].contains(" \(first["requests"]!) "), block[1])
    }

    /// Two shards of a `--turns` run and their `merge`: the merged `by_turn` is the union's, counts exact.
    func testMergedShardsKeepTheirTurns() throws {
        let server = try LambSimServer(["--latency-ms", "1", "--ttft-ms", "2", "--tokens", "3"])
        for index in 0..<2 {
            let shard = try stressTest(["--vus", "4", "--requests", "48", "--turns", "1..4", "--stream", "--shard", "\(index)/2",
                                        "--hdr", "s\(index).hlog", "--output", "s\(index).json"], environment: environment(server.baseURL))
            XCTAssertEqual(shard.status, 0, shard.all)
        }
        let merged = try runProcess(binary("stress-test-db"), ["merge", "s0.hlog", "s1.hlog", "--output", "m.json"], directory: folder)
        XCTAssertEqual(merged.status, 0, merged.all)
        XCTAssertTrue(merged.stdout.contains("By turn:"), merged.stdout)
        func byTurn(_ name: String) throws -> [String: [String: Any]] {
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name)))) as! [String: Any]
            return try XCTUnwrap((document["statistics"] as? [String: Any])?["by_turn"] as? [String: [String: Any]], name)
        }
        let union = try byTurn("m.json"), shards = try [byTurn("s0.json"), byTurn("s1.json")]
        for turn in ["1", "2", "3", "4"] {
            XCTAssertEqual(union[turn]?["requests"] as? Int, shards.reduce(0) { $0 + ($1[turn]?["requests"] as? Int ?? 0) }, "turn \(turn)")
            XCTAssertNotNil((union[turn]?["ttft_ms"] as? [String: Double])?["p95"], "turn \(turn)'s TTFT from its histograms")
        }
        XCTAssertEqual(union.values.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) }, try server.stats()["requests"] as? Int)
        XCTAssertEqual(union.values.reduce(0) { $0 + ($1["failed"] as? Int ?? 0) }, 0)
    }
}
