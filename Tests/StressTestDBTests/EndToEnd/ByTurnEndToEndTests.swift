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
}
