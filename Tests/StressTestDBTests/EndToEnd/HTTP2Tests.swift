import CurlEngine
import Foundation
import TestSupport
import XCTest

/// SPEC 23 through LAMB's front door: nginx (TLS, HTTP/2) in front of lamb-sim, a certificate the test
/// made. Every request sent once and recorded once over multiplexed streams; streaming, conversations
/// and Ctrl-C hold; a server that will not speak HTTP/2 is one error before any load.
final class HTTP2Tests: BinaryTestCase {
    func frontDoor(_ simArguments: [String] = ["--latency-ms", "5"], keepaliveRequests: Int = 1_000_000) throws
        -> (LambSimServer, FrontDoor) {
        guard FrontDoor.available else { throw XCTSkip("nginx and openssl are installed by scripts/test") }
        let server = try LambSimServer(simArguments)
        return (server, try FrontDoor(upstreamPort: server.port, keepaliveRequests: keepaliveRequests))
    }

    func testRequestsMultiplexOverTheConnectionsAskedForOverTLS() throws {
        let (server, door) = try frontDoor()
        let output = try stressTest(["--vus", "40", "--requests", "800", "--http2", "--connections", "4", "--cacert", door.certificatePath,
                                     "--responses", "r.jsonl", "--output", "o.json", "--verbose"],
                                    environment: environment(door.tlsURL))
        XCTAssertEqual(output.status, 0, output.all)
        let lines = records("r.jsonl")
        XCTAssertEqual(lines.count, 800)
        XCTAssertTrue(lines.allSatisfy { $0["http_version"] as? String == "2" && $0["success"] as? Bool == true })
        XCTAssertEqual(lines.filter { $0["connection_reused"] as? Bool == false }.count, 4, "40 VUs over 4 connections")
        XCTAssertEqual(try server.stats()["received"] as? Int, 800, "each request once")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("o.json")))) as! [String: Any]
        XCTAssertEqual((document["metadata"] as? [String: Any])?["http_version"] as? String, "2")
        XCTAssertTrue(output.stderr.contains("connections opened: 4"), output.stderr)
    }

    /// Issue 26: 100 VUs over 4 connections, each connection's 25 streams starting at once, lost a few
    /// requests in 20,000 ("Stream error in the HTTP/2 framing layer"). Nothing is lost: every request a
    /// record, every record a success, and lamb-sim received each exactly once; over TLS, and over h2c
    /// where this libcurl runs it.
    func testNoRequestIsLostWithManyStreamsPerConnection() throws {
        let (server, door) = try frontDoor(["--no-db"])
        var urls = [door.tlsURL]
        if CurlAbilities.priorKnowledgeReuse { urls.append(door.h2cURL) }
        var sent = 0
        for (run, url) in urls.enumerated() {
            let output = try stressTest(["--vus", "100", "--requests", "4000", "--http2", "--connections", "4", "--cacert", door.certificatePath,
                                         "--responses", "m\(run).jsonl", "--verbose"], environment: environment(url))
            XCTAssertEqual(output.status, 0, output.all)
            let lines = records("m\(run).jsonl")
            XCTAssertEqual(lines.count, 4000, url)
            let failed = lines.filter { $0["success"] as? Bool != true }
            XCTAssertEqual(failed.count, 0, "\(url): \(failed.prefix(3).map { ($0["error"] as? String ?? "", $0["error_detail"] as? String ?? "") })")
            XCTAssertTrue(output.stderr.contains("connections opened: 4"), output.stderr)
            sent += 4000
            XCTAssertEqual(try server.stats()["received"] as? Int, sent, "\(url): each request once")
        }
    }

    /// A server that answers before it has read the body (nginx's `return`): libcurl before 8.3.0 fails a
    /// few such requests, and their records say why and which libcurl keeps the answer; later ones fail none.
    func testAnAnswerBeforeTheBodyIsKeptOrSaidWhy() throws {
        let (_, door) = try frontDoor(["--no-db"])
        let output = try stressTest(["--vus", "100", "--requests", "4000", "--http2", "--connections", "4", "--cacert", door.certificatePath,
                                     "--no-check", "--endpoint-path", "/early/chat", "--responses", "e.jsonl"], environment: environment(door.tlsURL))
        let lines = records("e.jsonl")
        XCTAssertEqual(lines.count, 4000, output.all)
        let failed = lines.filter { $0["success"] as? Bool != true }
        if LibcurlFeatures.current.failsEarlyHTTP2Answers {
            let said = failed.filter { ($0["error_detail"] as? String ?? "").contains("before the request body was sent") }
            XCTAssertEqual(said.count, failed.count, "\(failed.prefix(3))")
        } else {
            XCTAssertEqual(failed.count, 0, "\(failed.prefix(3))")
            XCTAssertEqual(output.status, 0, output.all)
        }
    }

    func testStreamsAndConversationsOverHTTP2() throws {
        let (server, door) = try frontDoor(["--ttft-ms", "10-20", "--itl-ms", "2-4", "--tokens", "6"])
        let output = try stressTest(["--vus", "10", "--requests", "60", "--http2", "--connections", "2", "--stream", "--turns", "3",
                                     "--cacert", door.certificatePath, "--responses", "s.jsonl"], environment: environment(door.tlsURL))
        XCTAssertEqual(output.status, 0, output.all)
        let lines = records("s.jsonl")
        XCTAssertEqual(lines.count, 60)
        XCTAssertTrue(lines.allSatisfy { $0["http_version"] as? String == "2" && ($0["chunks"] as? Int ?? 0) == 6 }, "SSE over HTTP/2 streams")
        XCTAssertEqual(Dictionary(grouping: lines, by: { $0["turn"] as? Int ?? 0 }).mapValues(\.count), [1: 20, 2: 20, 3: 20])
        XCTAssertEqual(try server.stats()["chats_by_turns"] as? [String: Int], ["3": 20], "conversations held over HTTP/2")
    }

    func testAServerThatWillNotSpeakHTTP2IsOneErrorBeforeAnyLoad() throws {
        let (server, door) = try frontDoor()
        let refused = try stressTest(["--vus", "2", "--requests", "5", "--http2", "--no-check", "--cacert", door.certificatePath],
                                     environment: environment(door.tls11URL))
        XCTAssertEqual(refused.status, 1, refused.all)
        XCTAssertTrue(refused.stderr.contains("Error: --http2: \(door.tls11URL) answered HTTP/1.1"), refused.stderr)
        let plain = try stressTest(["--vus", "2", "--requests", "5", "--http2", "--no-check"], environment: environment(server.baseURL))
        XCTAssertEqual(plain.status, 1, plain.all)
        XCTAssertTrue(plain.stderr.contains("Error: --http2"), plain.stderr)
        XCTAssertEqual(try server.stats()["received"] as? Int, 0, "no load was sent")
        let usage = try stressTest(["--vus", "2", "--requests", "5", "--connections", "2"], environment: [:])
        XCTAssertEqual(usage.status, 2, usage.all)
        XCTAssertTrue(usage.stderr.contains("add --http2"), usage.stderr)
    }

    /// libcurl 7.88 breaks HTTP/2 prior knowledge on connection reuse (curl#10634): said before any load,
    /// rather than a run of "framing layer" failures; with a libcurl that has the fix, h2c runs.
    func testPriorKnowledgeOverPlainHTTPRunsOrIsRefusedWithTheReason() throws {
        let (server, door) = try frontDoor()
        let output = try stressTest(["--vus", "4", "--requests", "40", "--http2", "--responses", "h.jsonl"],
                                    environment: environment(door.h2cURL))
        if CurlAbilities.priorKnowledgeReuse {
            XCTAssertEqual(output.status, 0, output.all)
            XCTAssertTrue(records("h.jsonl").allSatisfy { $0["http_version"] as? String == "2" && $0["success"] as? Bool == true })
        } else {
            XCTAssertEqual(output.status, 1, output.all)
            XCTAssertTrue(output.stderr.contains("curl issue 10634"), output.stderr)
            XCTAssertEqual(try server.stats()["received"] as? Int, 0)
        }
    }

    func testCtrlCOverHTTP2RecordsEveryRequestOnce() throws {
        let (server, door) = try frontDoor(["--latency-ms", "200"])
        let output = try stressTest(["--vus", "50", "--duration", "30", "--http2", "--connections", "5", "--cacert", door.certificatePath,
                                     "--responses", "c.jsonl"], environment: environment(door.tlsURL)) { process in
            self.wait(for: server, toReceive: 100)
            kill(process.processIdentifier, SIGINT)
        }
        XCTAssertEqual(output.status, 130, output.all)
        let lines = records("c.jsonl")
        let received = try server.stats()["received"] as? Int ?? -1
        XCTAssertGreaterThanOrEqual(lines.count, received, "every request the server got has its record")
        XCTAssertTrue(lines.contains { $0["error"] as? String == "Aborted" } || lines.count == received)
    }

    /// TLS sessions are resumed across reconnects (a loop's shared cache), and `--verbose` says how
    /// many handshakes were full and how many resumed: nginx closes each connection after 5 requests.
    func testTLSSessionsAreResumedAcrossReconnects() throws {
        let (server, door) = try frontDoor(keepaliveRequests: 5)
        defer { withExtendedLifetime(server) {} }
        let output = try stressTest(["--vus", "4", "--requests", "200", "--loops", "1", "--cacert", door.certificatePath, "--verbose"],
                                    environment: environment(door.tlsURL))
        XCTAssertEqual(output.status, 0, output.all)
        let line = try XCTUnwrap(output.stderr.split(separator: "\n").first { $0.contains("TLS handshakes:") }, output.stderr)
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        XCTAssertEqual(numbers.count, 2, String(line))
        XCTAssertLessThanOrEqual(numbers[0], 4 + 1, "a full handshake per VU at most (the readiness probe's aside): \(line)")
        XCTAssertGreaterThanOrEqual(numbers[1], 30, "about 40 reconnects, each resumed: \(line)")
    }
}
