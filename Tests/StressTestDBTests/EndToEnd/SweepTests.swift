import Foundation
import TestSupport
import XCTest

/// `stress-test-db sweep` against a server of known capacity: lamb-sim answers 8 at a time in 200 ms,
/// so N VUs see about N/8 × 200 ms, and a p95 limit of 800 ms holds up to about 32 VUs. (At 50 ms and
/// 200 a loaded machine's own delay failed the first level: the times are large so that it cannot.)
final class SweepTests: BinaryTestCase {
    func testFindsTheCapacityOfAServerWithEightWorkers() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "200", "--max-concurrent", "8"])
        let output = try stressTest(["sweep", "--vus", "8..64", "--step-duration", "2", "--max-p95", "800",
                                     "--csv", "sweep.csv", "--output", "sweep.json", "--timeseries", "sweep.jsonl", "--interval", "0.5"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("sweep.json")))) as! [String: Any]
        let steps = document["steps"] as! [[String: Any]]
        let levels = steps.compactMap { $0["vus"] as? Int }
        XCTAssertEqual(Array(levels.prefix(3)), [8, 16, 32], "doubling until 32 fails (p95 just above 800 ms)")
        XCTAssertEqual(steps.count, 3 + 3, "then three bisection steps")
        let capacity = try XCTUnwrap((document["capacity"] as? [String: Any])?["vus"] as? Int)
        XCTAssertTrue((16...32).contains(capacity), "capacity \(capacity): between the last level that held and the first that failed")
        XCTAssertTrue(output.stdout.contains("Max sustainable: \(capacity) VUs ("), output.stdout)
        // One standard CSV row per step, with its VUs.
        let rows = lines("sweep.csv")
        XCTAssertEqual(rows.count, 1 + steps.count)
        XCTAssertEqual(rows.dropFirst().map { $0.split(separator: ",")[5] }.map(String.init), levels.map(String.init))
        // One time series over the whole sweep: its lines add up to every level's requests, in order.
        let series = records("sweep.jsonl")
        let total = steps.map { ($0["statistics"] as! [String: Any])["total_requests"] as! Int }.reduce(0, +)
        XCTAssertEqual(series.map { $0["requests"] as? Int ?? 0 }.reduce(0, +), total)
        let times = series.compactMap { $0["t"] as? Double }
        XCTAssertEqual(times, times.sorted())
        XCTAssertGreaterThan(times.last ?? 0, 10, "six levels of 2 s on one clock")
        XCTAssertEqual(Set(series.compactMap { $0["target"] as? Int }).isSuperset(of: [8, 16, 32]), true)
    }

    func testNoLevelAndAllLevels() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "30"])
        let none = try stressTest(["sweep", "--vus", "2,4", "--step-duration", "1", "--max-p95", "1"],
                                  environment: environment(server.baseURL))
        XCTAssertEqual(none.status, 0, none.all)
        XCTAssertTrue(none.stdout.contains("No level passed"), none.stdout)
        let all = try stressTest(["sweep", "--rate", "5,10", "--step-duration", "1", "--max-p95", "5000"],
                                 environment: environment(server.baseURL))
        XCTAssertEqual(all.status, 0, all.all)
        XCTAssertTrue(all.stdout.contains("All levels passed (capacity above 10 req/s)"), all.stdout)
        let usage = try stressTest(["sweep", "--vus", "1,2", "--rate", "3"], environment: environment(server.baseURL))
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("give --vus LIST or --rate LIST"), usage.stderr)
    }
}
