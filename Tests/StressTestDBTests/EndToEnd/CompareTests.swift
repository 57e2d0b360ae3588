import Foundation
import TestSupport
import XCTest

/// `compare` on made-up runs with a known shift, on the Python tool's file, and on two real runs;
/// `--no-persist` and LAMB's OpenAI-compatible endpoint, the uses the README shows.
final class CompareTests: BinaryTestCase {
    func write(_ name: String, latencies: [Double]) throws {
        let records = latencies.enumerated().map { index, latency in
            ["status_code": 200, "latency_ms": latency, "success": true, "error": NSNull(), "model": "m", "response_text": NSNull(),
             "response_truncated": false, "timestamp": String(format: "2026-11-29T10:00:%02d.000000+00:00", index % 60)] as [String: Any]
        }
        let document: [String: Any] = ["metadata": [:], "statistics": [:], "raw_results": records]
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path(name)))
    }

    func compare(_ a: String, _ b: String) throws -> (rows: [String: [String: Any]], output: ProcessOutput) {
        let output = try runProcess(binary("stress-test-db"), ["compare", a, b, "--json"], directory: folder)
        let parsed = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let rows = (parsed?["rows"] as? [[String: Any]] ?? []).reduce(into: [String: [String: Any]]()) { $0[$1["metric"] as! String] = $1 }
        return (rows, output)
    }

    func testAKnownShiftAndNoShift() throws {
        let base = (0..<300).map { 50 + Double($0 % 30) }
        try write("a.json", latencies: base)
        try write("slower.json", latencies: base.map { $0 + 8 })
        let (rows, output) = try compare("a.json", "slower.json")
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertEqual(rows["p50 ms"]?["difference"] as? Double, 8)
        XCTAssertEqual(rows["p50 ms"]?["verdict"] as? String, "B slower")
        let interval = try XCTUnwrap(rows["p95 ms"]?["interval_95"] as? [Double])
        XCTAssertGreaterThan(interval[0], 0, "the interval excludes 0")

        let same = try compare("a.json", "a.json")
        XCTAssertEqual(same.rows["p50 ms"]?["verdict"] as? String, "no significant difference")
        let table = try runProcess(binary("stress-test-db"), ["compare", "a.json", "slower.json"], directory: folder)
        XCTAssertTrue(table.stdout.contains("p50 ms") && table.stdout.contains("B slower"), table.stdout)
    }

    func testThePythonToolsFileAndAFileWithoutRecords() throws {
        try FileManager.default.copyItem(atPath: fixture("python-tool-results.json").path, toPath: path("py.json"))
        let (rows, output) = try compare("py.json", "py.json")
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertEqual(rows["requests"]?["a"] as? Double, 20)
        XCTAssertEqual(rows["p95 ms"]?["difference"] as? Double, 0)
        try Data(#"{"metadata": {}}"#.utf8).write(to: URL(fileURLWithPath: path("empty.json")))
        let bad = try runProcess(binary("stress-test-db"), ["compare", "py.json", "empty.json"], directory: folder)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("empty.json has no raw_results"), bad.stderr)
    }

    func testTheDatabasesShareWithAndWithoutPersistence() throws {
        let server = try LambSimServer(["--latency-ms", "2"])
        let with = try stressTest(["--vus", "4", "--requests", "40", "--output", "with.json"], environment: environment(server.baseURL))
        XCTAssertEqual(with.status, 0, with.all)
        XCTAssertEqual(try server.stats()["chat_rows"] as? Int, 40)
        let without = try stressTest(["--vus", "4", "--requests", "40", "--no-persist", "--output", "without.json"],
                                     environment: environment(server.baseURL))
        XCTAssertEqual(without.status, 0, without.all)
        XCTAssertEqual(try server.stats()["chat_rows"] as? Int, 40, "persist_chat: false wrote no chat")
        let (rows, output) = try compare("with.json", "without.json")
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertNotNil(rows["p50 ms"]?["interval_95"], "an interval for the database's share")
    }

    func testLAMBsOpenAICompatibleEndpointNeedsTheModelAndTheAPIKey() throws {
        let server = try LambSimServer(["--no-db", "--api-key", "lamb-api-key-123"])
        let environment = ["API_BASE_URL": server.baseURL]
        let good = try stressTest(["--vus", "1", "--requests", "3", "--endpoint-path", "/v1/chat/completions",
                                   "--model", "lamb_assistant.1", "--auth-token", "lamb-api-key-123"], environment: environment)
        XCTAssertEqual(good.status, 0, good.all)
        let noModel = try stressTest(["--vus", "1", "--requests", "3", "--endpoint-path", "/v1/chat/completions",
                                      "--auth-token", "lamb-api-key-123", "--no-check"], environment: environment)
        XCTAssertEqual(noModel.status, 1)
        XCTAssertTrue(noModel.stdout.contains("400: 3 (100.0%)"), noModel.stdout)
    }

    /// Issue 26: a latency of 1e308 crashed `compare` (signal 4); a negative one went into the table.
    func testImpossibleLatenciesAreRefusedByName() throws {
        try write("a.json", latencies: [50, 60, 70])
        try write("huge.json", latencies: [50, 1e308, 70])
        try write("negative.json", latencies: [50, -60, 70])
        for (name, value) in [("huge.json", "1e+308"), ("negative.json", "-60")] {
            let output = try runProcess(binary("stress-test-db"), ["compare", "a.json", name], directory: folder)
            XCTAssertEqual(output.status, 1, output.all)
            XCTAssertTrue(output.stderr.contains("compare \(name) raw_results[1]: latency_ms is \(value)"), output.stderr)
            XCTAssertEqual(output.stdout, "", "no table")
        }
    }
}
