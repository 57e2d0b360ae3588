import Foundation
import TestSupport
import XCTest

/// `--stream` against lamb-sim's paced Server-Sent Events: timings, tokens, broken streams, goodput.
final class StreamingTests: BinaryTestCase {
    func statistics(_ name: String) throws -> [String: Any] {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name)))) as! [String: Any]
        return document["statistics"] as! [String: Any]
    }

    func median(_ statistics: [String: Any], _ key: String) throws -> Double {
        try XCTUnwrap(((statistics["streaming"] as? [String: Any])?[key] as? [String: Any])?["median"] as? Double)
    }

    func testTimingsFollowThePacingAndTokensComeFromUsage() throws {
        for runner in [[], ["--sync"]] {
            let server = try LambSimServer(["--no-db", "--ttft-ms", "150", "--itl-ms", "20", "--tokens", "10"])
            let name = runner.isEmpty ? "curl" : "sync"
            let output = try stressTest(runner + ["--stream", "--vus", "4", "--requests", "20", "--output", "\(name).json",
                                                  "--responses", "\(name).jsonl"], environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            let lines = records("\(name).jsonl")
            XCTAssertEqual(lines.count, 20)
            for line in lines {
                XCTAssertEqual(line["success"] as? Bool, true, "\(runner) \(line)")
                XCTAssertGreaterThanOrEqual(line["ttft_ms"] as? Double ?? 0, 149, "\(runner): not before the server's 150 ms")
                XCTAssertGreaterThanOrEqual(line["itl_ms"] as? Double ?? 0, 19, "\(runner)")
                XCTAssertEqual(line["chunks"] as? Int, 10)
                XCTAssertEqual(line["output_tokens"] as? Int, 10)
                XCTAssertEqual(line["tokens_source"] as? String, "usage")
                XCTAssertNotNil(line["tpot_ms"] as? Double)
            }
            let statistics = try statistics("\(name).json")
            XCTAssertLessThan(try median(statistics, "ttft_ms"), 400, "\(runner): near the configured 150 ms")
            XCTAssertLessThan(try median(statistics, "itl_ms"), 60, "\(runner): near the configured 20 ms")
            XCTAssertEqual((statistics["streaming"] as? [String: Any])?["output_tokens"] as? Int, 200)
            XCTAssertTrue(output.stdout.contains("Streaming (milliseconds):"), output.stdout)
            XCTAssertTrue(output.stdout.contains("Output tokens: 200 ("), output.stdout)
        }
    }

    func testWithoutUsageTheTokensAreTheChunks() throws {
        let server = try LambSimServer(["--no-db", "--tokens", "7", "--no-usage"])
        let output = try stressTest(["--stream", "--vus", "2", "--requests", "6", "--responses", "c.jsonl"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        for line in records("c.jsonl") {
            XCTAssertEqual(line["tokens_source"] as? String, "chunks")
            XCTAssertEqual(line["output_tokens"] as? Int, 7)
        }
    }

    /// Each broken-stream kind the server injects is one record of the matching kind, exactly.
    func testEveryBrokenStreamIsCountedByKind() throws {
        let server = try LambSimServer(["--no-db", "--tokens", "6", "--fault-stream-error-rate", "0.15",
                                        "--fault-stream-cut-rate", "0.15", "--fault-stream-empty-rate", "0.15"])
        let requests = 200
        let output = try stressTest(["--stream", "--vus", "8", "--requests", String(requests), "--responses", "b.jsonl"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 1, "far above 5% errors: \(output.all)")
        let lines = records("b.jsonl")
        XCTAssertEqual(lines.count, requests)
        func count(_ kind: String) -> Int { lines.filter { $0["error"] as? String == kind }.count }
        let faults = try XCTUnwrap(try server.stats()["faults"] as? [String: Int])
        XCTAssertEqual(count("StreamError"), faults["stream_error"] ?? 0)
        XCTAssertEqual(count("IncompleteStream"), faults["stream_cut"] ?? 0)
        XCTAssertEqual(count("EmptyResponse"), faults["stream_empty"] ?? 0)
        XCTAssertGreaterThan(count("StreamError") * count("IncompleteStream") * count("EmptyResponse"), 0, "every kind hit")
        XCTAssertEqual(lines.filter { $0["success"] as? Bool == true }.count, requests - faults.values.reduce(0, +))
        XCTAssertTrue(lines.allSatisfy { $0["status_code"] as? Int == 200 }, "all of them were 200s")
        let errorDetail = lines.first { $0["error"] as? String == "StreamError" }?["error_detail"] as? String
        XCTAssertEqual(errorDetail, "Internal server error: the LLM stream failed (injected)")
    }

    func testGoodputWhenAllNoneOrSomeMeetTheSLO() throws {
        let server = try LambSimServer(["--no-db", "--ttft-ms", "5-150", "--tokens", "3"])
        for (slo, check) in [("ttft=10s", { (p: Double) in p == 100 }), ("ttft=1ms", { (p: Double) in p == 0 }),
                             ("ttft=75ms,e2e=10s", { (p: Double) in p > 0 && p < 100 })] {
            let output = try stressTest(["--stream", "--vus", "4", "--requests", "40", "--slo", slo, "--output", "g.json"],
                                        environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            let goodput = try XCTUnwrap(try statistics("g.json")["goodput"] as? [String: Any])
            let percent = try XCTUnwrap(goodput["good_percent"] as? Double)
            XCTAssertTrue(check(percent), "\(slo): \(percent)%")
            let good = try XCTUnwrap(goodput["good_requests"] as? Int)
            XCTAssertTrue(output.stdout.contains("Goodput: \(good) of 40 requests ("), output.stdout)
        }
        let usage = try stressTest(["--vus", "1", "--requests", "1", "--slo", "ttft=1s"], environment: environment(server.baseURL))
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("add --stream"), usage.stderr)
    }
}
