import Foundation
import TestSupport
import XCTest

/// `--timeseries` against lamb-sim: lines that add up to the run, and the soak verdict.
final class TimeSeriesEndToEndTests: BinaryTestCase {
    func run(_ server: LambSimServer, _ name: String, vus: Int = 4) throws -> (lines: [[String: Any]], statistics: [String: Any], stdout: String) {
        let output = try stressTest(["--vus", String(vus), "--duration", "3.2", "--timeseries", "\(name).jsonl", "--interval", "0.4",
                                     "--output", "\(name).json"], environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("\(name).json")))) as! [String: Any]
        return (records("\(name).jsonl"), document["statistics"] as! [String: Any], output.stdout)
    }

    /// A steady server is `stable`. At 300 ms a request the verdict needs a 15 ms trend over the run
    /// (5% of the median p95) before it says anything else: far beyond what a busy machine's
    /// scheduling adds to a few intervals (a 20 ms server was once called "improving" on a loaded
    /// CI machine, its first intervals 2 ms slower).
    func testLinesAddUpToTheRunAndASteadyServerIsStable() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "300"])
        let (lines, statistics, stdout) = try run(server, "steady", vus: 8)
        XCTAssertGreaterThanOrEqual(lines.count, 8, "3.2 s in 0.4 s intervals")
        XCTAssertEqual(lines.map { $0["requests"] as? Int ?? 0 }.reduce(0, +), statistics["total_requests"] as? Int)
        XCTAssertEqual(lines.map { $0["failed"] as? Int ?? 0 }.reduce(0, +), statistics["failed"] as? Int)
        let times = lines.compactMap { $0["t"] as? Double }
        XCTAssertEqual(times, times.sorted(), "in order")
        XCTAssertTrue(lines.dropLast().allSatisfy { ($0["interval_s"] as? Double) == 0.4 })
        let drift = try XCTUnwrap(statistics["drift"] as? [String: Any])
        XCTAssertEqual(drift["verdict"] as? String, "stable", "\(drift)")
        XCTAssertTrue(stdout.contains("Soak: stable — p95 "), stdout)
    }

    func testAServerThatSlowsDownIsDegrading() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "5", "--latency-growth-ms-per-s", "40"])
        let (_, statistics, stdout) = try run(server, "growing")
        let drift = try XCTUnwrap(statistics["drift"] as? [String: Any])
        XCTAssertEqual(drift["verdict"] as? String, "degrading", "\(drift)")
        XCTAssertEqual(drift["p95_trend"] as? String, "rising")
        XCTAssertGreaterThan(drift["p95_slope_ms_per_min"] as? Double ?? 0, 600, "about 2,400 ms/min")
        XCTAssertTrue(stdout.contains("Soak: degrading — p95 rising"), stdout)
    }
}
