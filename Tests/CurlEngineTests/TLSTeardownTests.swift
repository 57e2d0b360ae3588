import CurlEngine
import Foundation
import LoadCore
import TestSupport
import XCTest

/// The engine's end over TLS: when a run ends, `curl_multi_cleanup` shuts down the connections left in
/// each multi's pool, and libcurl 8 does that gracefully for TLS, calling the socket and close-socket
/// callbacks into the event loop (curl_multi_cleanup(3)). The loop must still be whole then: on libcurl
/// 8.14 a run used to die at its end ("Attempted to read an unowned reference but object ... was already
/// destroyed", from the socket callback inside `EventLoop.deinit`). In-process, so such a crash ends the
/// test run; `scripts/test --libcurl8` runs it on libcurl 8, where the pool's TLS connections take that path.
final class TLSTeardownTests: XCTestCase {
    func testRunsOverTLSEndWithEveryRecordOnHTTP1AndHTTP2() throws {
        guard FrontDoor.available else { throw XCTSkip("nginx and openssl are installed by scripts/test") }
        let server = try LambSimServer(["--no-db", "--latency-ms", "1"])
        let door = try FrontDoor(upstreamPort: server.port)
        var received = try XCTUnwrap(server.stats()["received"] as? Int)
        for http2 in [false, true] {
            var configuration = chatConfiguration(door.tlsURL + "/creator/assistant/1/chat/completions", vus: 12, requests: 120)
            configuration.tls = TLSOptions(caCertificatePath: door.certificatePath)
            configuration.loops = 2
            configuration.http2 = http2
            configuration.connections = http2 ? 2 : nil
            let before = TLSHandshakes.now
            let (records, engine) = try runEngine(configuration)
            let label = http2 ? "HTTP/2" : "HTTP/1.1"
            XCTAssertEqual(records.count, 120, label)
            XCTAssertEqual(records.filter { $0.statusCode == 200 && $0.failure == nil }.count, 120, label)
            // The engine records the version only under `--http2`.
            XCTAssertEqual(Set(records.map(\.httpVersion)), [http2 ? "2" : nil], label)
            // Connections were left open in the pools for the teardown to close.
            XCTAssertEqual(engine.counters.connectionsOpened, http2 ? 2 : 12, label)
            // Every connection shook hands; whether fully or by resuming a session another VU of the loop
            // already stored depends on who connects first (a slow, sanitized run resumes more).
            let handshakes = TLSHandshakes.now
            XCTAssertGreaterThanOrEqual(handshakes.full + handshakes.resumed - before.full - before.resumed, http2 ? 2 : 12, label)
            XCTAssertGreaterThanOrEqual(handshakes.full - before.full, 1, label)
            let now = try XCTUnwrap(server.stats()["received"] as? Int)
            XCTAssertEqual(now - received, 120, "\(label): each request reached lamb-sim once")
            received = now
        }
    }
}
