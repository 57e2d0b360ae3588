import Foundation
import TestSupport
import XCTest

/// Every request reaches the server at most once and is recorded once, even when kept-alive
/// connections die under it: the server's own count of requests received equals the records.
final class ExactlyOnceTests: BinaryTestCase {
    /// lamb-sim closes 30% of the requests that arrive on a kept-alive connection without a response
    /// byte: exactly where an HTTP client may silently re-send on a fresh connection.
    static let dropKeptAlive = ["--no-db", "--fault-close-kept-alive-rate", "0.3"]

    func testTheEngineNeverResendsAtOneEightAndFiveHundredVUs() throws {
        for (vus, requests) in [(1, 100), (8, 300), (500, 1500)] {
            let server = try LambSimServer(Self.dropKeptAlive)
            let name = "vus\(vus).jsonl"
            let output = try stressTest(["--vus", String(vus), "--requests", String(requests), "--timeout", "20",
                                         "--responses", name], environment: environment(server.baseURL))
            XCTAssertTrue([0, 1].contains(output.status), output.all)
            let lines = records(name)
            XCTAssertEqual(lines.count, requests, "\(vus) VUs")
            XCTAssertEqual(try server.stats()["received"] as? Int, requests, "\(vus) VUs: the server got each request once")
            let dropped = lines.filter { $0["error"] as? String == "ServerDisconnected" }.count
            XCTAssertGreaterThan(dropped, 0, "\(vus) VUs: the fault hit")
            XCTAssertEqual(dropped + lines.filter { $0["success"] as? Bool == true }.count, requests,
                           "\(vus) VUs: every request either succeeded or is a ServerDisconnected failure")
            server.stop()
        }
    }

    /// URLSession (swift-corelibs-foundation, itself on libcurl with a seek callback) cannot be told not
    /// to: it re-sends the request on a fresh connection, and the re-sent request's body never arrives,
    /// so it ends as a Timeout after --timeout. The records stay exact; the server sees such a request twice.
    func testURLSessionResendsAndTheRecordSaysTimeout() throws {
        let server = try LambSimServer(Self.dropKeptAlive)
        let requests = 20
        let output = try stressTest(["--sync", "--vus", "1", "--requests", String(requests), "--timeout", "1",
                                     "--responses", "s.jsonl"], environment: environment(server.baseURL))
        XCTAssertTrue([0, 1].contains(output.status), output.all)
        let lines = records("s.jsonl")
        XCTAssertEqual(lines.count, requests)
        let failed = lines.filter { $0["success"] as? Bool == false }
        XCTAssertGreaterThan(failed.count, 0, "the fault hit")
        XCTAssertEqual(Set(failed.compactMap { $0["error"] as? String }), ["Timeout"])
        XCTAssertEqual(try server.stats()["received"] as? Int, requests + failed.count)
    }
}
