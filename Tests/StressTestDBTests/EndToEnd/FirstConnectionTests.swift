import Foundation
import TestSupport
import XCTest

/// Issue 29: the requests that opened their connection are reported apart from those that reused
/// one, counted against the engine's own connection counter and lamb-sim's.
final class FirstConnectionTests: BinaryTestCase {
    func testOneFirstConnectionPerVUTheRestReused() throws {
        let server = try LambSimServer(["--no-db", "--ttft-ms", "2", "--itl-ms", "1", "--tokens", "3"])
        // The run's connections from an address of their own: lamb-sim counts them apart from the
        // readiness probe's and the test's own /stats requests.
        let output = try stressTest(["--vus", "20", "--requests", "200", "--stream", "--source-address", "127.0.0.2",
                                     "--output", "c.json", "--responses", "c.jsonl", "--verbose"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stderr.contains("connections opened: 20"), output.stderr)
        let peers = try XCTUnwrap(try server.stats()["connections_by_peer"] as? [String: Int])
        XCTAssertEqual(peers["127.0.0.2"], 20)

        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("c.json")))) as! [String: Any]
        let statistics = try XCTUnwrap(document["statistics"] as? [String: Any])
        let first = try XCTUnwrap(statistics["first_connection"] as? [String: Any])
        let reused = try XCTUnwrap(statistics["reused_connection"] as? [String: Any])
        XCTAssertEqual(first["requests"] as? Int, 20)
        XCTAssertEqual(reused["requests"] as? Int, 180)
        for (name, group) in [("first", first), ("reused", reused)] {
            for key in ["latency_ms", "ttft_ms"] {
                let percentiles = try XCTUnwrap(group[key] as? [String: Double], "\(name) \(key)")
                XCTAssertEqual(Set(percentiles.keys), ["p50", "p95", "p99"], "\(name) \(key)")
            }
        }
        XCTAssertEqual(Set(try XCTUnwrap(first["connect_ms"] as? [String: Double]).keys), ["p50", "p99"])
        XCTAssertNil(reused["connect_ms"])

        let lines = records("c.jsonl")
        let opened = lines.filter { $0["connection_reused"] as? Bool == false }
        XCTAssertEqual(lines.count, 200)
        XCTAssertEqual(Set(opened.compactMap { $0["vu"] as? Int }), Set(0..<20), "each VU's first request opened its connection")
        XCTAssertTrue(opened.allSatisfy { ($0["connect_ms"] as? Double ?? 0) > 0 }, "a first connection took time to connect")
        XCTAssertTrue(output.stdout.contains("\nConnections: 20 first (p50 "), output.stdout)
        XCTAssertTrue(output.stdout.contains(" ms), 180 reused (p50 "), output.stdout)
        XCTAssertEqual(output.stdout.components(separatedBy: "TTFT p50 ").count - 1, 2, "each kind's TTFT: \(output.stdout)")
    }
}
