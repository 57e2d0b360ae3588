import CurlEngine
import Foundation
import TestSupport
import XCTest

/// Issue 29, `--preconnect`: every connection the run will use is opened (one HEAD each) before the clock
/// starts, so every record reuses one; counted against lamb-sim's HEADs and connections. Without the flag
/// each VU's first request still opens its connection and says so.
final class PreconnectEndToEndTests: BinaryTestCase {
    func document(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name)))) as! [String: Any]
    }

    // The runs that count lamb-sim's HEADs take --no-check: the readiness probe may send a HEAD to the chat
    // route too (OPTIONS, HEAD, GET, until one is answered), as it did once under ASan's slower start.
    func testEveryConnectionOpenedBeforeTheClockAndNoneInTheRecords() throws {
        let server = try LambSimServer(["--no-db", "--ttft-ms", "2", "--itl-ms", "1", "--tokens", "3"])
        // The run's connections from an address of their own, apart from /stats'; two
        // loops, so the phase ends when both have reported.
        let output = try stressTest(["--vus", "10", "--requests", "50", "--stream", "--source-address", "127.0.0.2", "--preconnect", "--loops", "2",
                                     "--no-check", "--output", "p.json", "--responses", "p.jsonl", "--verbose"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let stats = try server.stats()
        XCTAssertEqual(stats["head_requests"] as? Int, 10, "one HEAD a VU")
        XCTAssertEqual(stats["received"] as? Int, 50, "the HEADs are not chat requests")
        XCTAssertEqual((stats["connections_by_peer"] as? [String: Int])?["127.0.0.2"], 10, "no connection besides the preconnected")

        let lines = records("p.jsonl")
        XCTAssertEqual(lines.count, 50, "the HEADs are not records")
        XCTAssertTrue(lines.allSatisfy { $0["connection_reused"] as? Bool == true && $0["success"] as? Bool == true },
                      "\(lines.filter { $0["connection_reused"] as? Bool != true }.prefix(3))")
        XCTAssertTrue(output.stdout.contains("\nPreconnect: 10 of 10 connections opened in "), output.stdout)
        XCTAssertTrue(output.stdout.contains(" (connect p50 "), output.stdout)
        XCTAssertFalse(output.stdout.contains("TLS p50"), "plain http: \(output.stdout)")
        XCTAssertFalse(output.stdout.contains("\nConnections: "), "one kind of request only: \(output.stdout)")
        XCTAssertTrue(output.stderr.contains("connections opened: 0"), "the run's own: \(output.stderr)")

        let json = try document("p.json")
        let preconnect = try XCTUnwrap((json["metadata"] as? [String: Any])?["preconnect"] as? [String: Any])
        XCTAssertEqual(preconnect["connections"] as? Int, 10)
        XCTAssertEqual(preconnect["opened"] as? Int, 10)
        XCTAssertNotNil(preconnect["seconds"] as? Double)
        let statistics = try XCTUnwrap(json["statistics"] as? [String: Any])
        XCTAssertEqual(statistics["total_requests"] as? Int, 50)
        XCTAssertNil(statistics["first_connection"])
    }

    func testWithoutTheFlagEachVUsFirstRequestConnects() throws {
        let server = try LambSimServer(["--no-db", "--ttft-ms", "2", "--itl-ms", "1", "--tokens", "3"])
        let output = try stressTest(["--vus", "10", "--requests", "50", "--stream", "--no-check", "--output", "d.json", "--responses", "d.jsonl"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertEqual(try server.stats()["head_requests"] as? Int, 0)
        let lines = records("d.jsonl")
        XCTAssertEqual(lines.count, 50)
        XCTAssertEqual(lines.filter { $0["connection_reused"] as? Bool == false }.count, 10)
        XCTAssertFalse(output.stdout.contains("Preconnect:"), output.stdout)
        XCTAssertTrue(output.stdout.contains("\nConnections: 10 first (p50 "), output.stdout)
        XCTAssertNil((try document("d.json")["metadata"] as? [String: Any])?["preconnect"])
    }

    /// Nobody listens: every preconnect fails and says why, and the run goes on to record its own failures.
    func testAPreconnectNobodyAnswersFailsHonestly() throws {
        let closed = ReservedPort()
        let output = try stressTest(["--vus", "5", "--requests", "20", "--preconnect", "--no-check", "--output", "f.json", "--responses", "f.jsonl"],
                                    environment: environment("http://127.0.0.1:\(closed.port)"))
        XCTAssertEqual(output.status, 1, "the error rate: \(output.all)")
        XCTAssertFalse(output.all.contains("Fatal error"), output.all)
        XCTAssertTrue(output.stdout.contains("\nPreconnect: 0 of 5 connections opened in "), output.stdout)
        // libcurl's own words: "Couldn't" on 7.x, "Could not" on 8.x.
        XCTAssertTrue(["Couldn't", "Could not"].contains { output.stdout.contains(" ms; 5 failed (\($0) connect to server)") }, output.stdout)
        let lines = records("f.jsonl")
        XCTAssertEqual(lines.count, 20)
        XCTAssertTrue(lines.allSatisfy { $0["success"] as? Bool == false })
        let metadata = try XCTUnwrap(try document("f.json")["metadata"] as? [String: Any])
        XCTAssertEqual((metadata["preconnect"] as? [String: Any])?["opened"] as? Int, 0)
    }

    /// A server that accepts and never answers holds the HEADs; Ctrl-C then ends the phase and the run at
    /// once (not after --timeout): no request was sent, so no record, and the line says why none opened.
    func testCtrlCDuringThePreconnectStopsTheRun() throws {
        let listener = try RawListener(.stall)
        let output = try stressTest(["--vus", "3", "--requests", "30", "--preconnect", "--no-check", "--timeout", "300",
                                     "--responses", "s.jsonl"],
                                    environment: environment("http://127.0.0.1:\(listener.port)"), timeout: 120) { process in
            let deadline = Date().addingTimeInterval(60)
            while listener.stalledConnections < 3 && Date() < deadline { usleep(20_000) }
            kill(process.processIdentifier, SIGINT)
        }
        XCTAssertEqual(output.status, 130, output.all)
        XCTAssertTrue(output.stdout.contains("\nPreconnect: 0 of 3 connections opened in "), output.stdout)
        XCTAssertTrue(output.stdout.contains("; 3 failed (stopped before the connection was open)"), output.stdout)
        XCTAssertEqual(records("s.jsonl").count, 0)
    }

    /// `--http2 --connections 4` through nginx, over TLS and over h2c where this libcurl reuses prior-knowledge
    /// connections: four HEADs, four connections, every stream on one of them.
    func testHTTP2OpensEachSharedConnectionOnce() throws {
        guard FrontDoor.available else { throw XCTSkip("nginx and openssl are installed by scripts/test") }
        let server = try LambSimServer(["--no-db", "--latency-ms", "2"])
        let door = try FrontDoor(upstreamPort: server.port)
        var urls = [door.tlsURL]
        if CurlAbilities.priorKnowledgeReuse { urls.append(door.h2cURL) }
        for (run, url) in urls.enumerated() {
            let output = try stressTest(["--vus", "20", "--requests", "200", "--http2", "--connections", "4", "--preconnect", "--no-check",
                                         "--cacert", door.certificatePath, "--responses", "h\(run).jsonl"],
                                        environment: environment(url))
            XCTAssertEqual(output.status, 0, "\(url): \(output.all)")
            let lines = records("h\(run).jsonl")
            XCTAssertEqual(lines.count, 200, url)
            XCTAssertTrue(lines.allSatisfy { $0["connection_reused"] as? Bool == true && $0["http_version"] as? String == "2" }, url)
            XCTAssertTrue(output.stdout.contains("\nPreconnect: 4 of 4 connections opened in "), output.stdout)
            XCTAssertEqual(output.stdout.contains(", TLS p50 "), url.hasPrefix("https:"), output.stdout)
            XCTAssertEqual(try server.stats()["head_requests"] as? Int, 4 * (run + 1), url)
            XCTAssertEqual(try server.stats()["received"] as? Int, 200 * (run + 1), url)
        }
    }

    /// `--replay` runs on the same loops: its VUs' connections are opened before the trace's clock too.
    func testAReplayStartsOnOpenedConnections() throws {
        try ReplayTests.trace().text.write(toFile: path("class.jsonl"), atomically: true, encoding: .utf8)
        let server = try LambSimServer(["--latency-ms", "1"])
        let output = try stressTest(["--replay", "class.jsonl", "--speed", "20", "--preconnect", "--no-check", "--responses", "r.jsonl",
                                     "--output", "r.json"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let metadata = try XCTUnwrap(try document("r.json")["metadata"] as? [String: Any])
        let preconnect = try XCTUnwrap(metadata["preconnect"] as? [String: Any])
        let connections = try XCTUnwrap(preconnect["connections"] as? Int)
        XCTAssertGreaterThan(connections, 0)
        XCTAssertEqual(preconnect["opened"] as? Int, connections)
        XCTAssertTrue(output.stdout.contains("\nPreconnect: \(connections) of \(connections) connections opened in "), output.stdout)
        let stats = try server.stats()
        XCTAssertEqual(stats["head_requests"] as? Int, connections)
        XCTAssertEqual(stats["received"] as? Int, 25, "the trace's requests, once each")
        XCTAssertEqual(stats["chats_by_turns"] as? [String: Int], ["2": 5, "3": 5], "the HEADs wrote no chat")
        let lines = records("r.jsonl")
        XCTAssertEqual(lines.count, 25)
        XCTAssertTrue(lines.allSatisfy { $0["connection_reused"] as? Bool == true && $0["success"] as? Bool == true })
    }

    func testRefusedWithTheURLSessionRunner() throws {
        let output = try stressTest(["--vus", "1", "--requests", "1", "--sync", "--preconnect", "--no-check"],
                                    environment: environment("http://127.0.0.1:9"))
        XCTAssertEqual(output.status, 1, output.all)
        XCTAssertEqual(output.stderr, "Error: --preconnect opens the libcurl engine's connections before the clock starts; it cannot be used with --sync.\n")
    }
}
