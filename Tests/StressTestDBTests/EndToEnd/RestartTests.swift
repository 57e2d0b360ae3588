import Foundation
import TestSupport
import XCTest

/// SPEC 22: the target restarted mid-run on the same port (a LAMB redeploy), on loopback. The run
/// carries on; the requests of the outage fail once each as ConnectionRefused; the outage is reported
/// as one (console and `statistics.outages`); the time series shows the gap and its lines add up.
final class RestartTests: BinaryTestCase {
    func testARestartIsReportedAsAnOutageAndTheVUsComeBack() throws {
        var server: LambSimServer? = try LambSimServer(["--latency-ms", "5", "--no-db"])
        let port = server!.port
        var restarted: LambSimServer?
        let output = try stressTest(["--vus", "10", "--duration", "9", "--timeout", "2", "--no-check", "--output", "o.json",
                                     "--timeseries", "t.jsonl", "--interval", "1"],
                                    environment: environment("http://127.0.0.1:\(port)")) { _ in
            usleep(3_000_000)
            server?.kill()
            server = nil
            usleep(2_000_000)
            restarted = try? LambSimServer(["--latency-ms", "5", "--no-db"], port: port)
        }
        XCTAssertNotNil(restarted, "lamb-sim came back on the same port")
        XCTAssertEqual(output.status, 1, "most of the outage's attempts were refused: \(output.all)")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("o.json")))) as! [String: Any]
        let statistics = document["statistics"] as! [String: Any]
        let outages = try XCTUnwrap(statistics["outages"] as? [[String: Any]], "statistics.outages")
        XCTAssertEqual(outages.count, 1, "\(outages)")
        let outage = outages[0]
        let (start, end) = (outage["start_s"] as! Double, outage["end_s"] as! Double)
        // The kill comes 3 s after the process starts and the restart 2 s later, but a loaded machine can
        // take a second or more to start the run: only the order and the 2 s down are certain.
        XCTAssertTrue(start > 0 && end > start && end < 9, "the outage within the run: \(outage)")
        XCTAssertGreaterThanOrEqual(end - start, 1.0, "the server was down 2 s: \(outage)")
        let refused = (statistics["errors"] as? [String: Int])?["ConnectionRefused"] ?? 0
        XCTAssertEqual(outage["refused_attempts"] as? Int, refused, "every refused attempt is in the outage")
        XCTAssertTrue(output.stdout.contains("Outage: no connection could be made from"), output.stdout)
        print("restart: " + (output.stdout.split(separator: "\n").first { $0.hasPrefix("Outage:") }.map(String.init) ?? ""))
        XCTAssertGreaterThan(try restarted?.stats()["received"] as? Int ?? 0, 0, "the VUs came back")
        let series = records("t.jsonl")
        XCTAssertEqual(series.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) }, statistics["total_requests"] as? Int, "the lines add up")
        XCTAssertTrue(series.contains { ($0["successful"] as? Int) == 0 && ($0["failed"] as? Int ?? 0) > 0 }, "the gap shows")
        XCTAssertGreaterThan(series.last?["successful"] as? Int ?? 0, 0)
        // An outage that ended is not an error trend. (The p95 trend is the machine's: after the restart a
        // loaded machine's new connections can make p95 rise, so it is not asserted here.)
        let drift = try XCTUnwrap(statistics["drift"] as? [String: Any])
        XCTAssertNotEqual(drift["error_trend"] as? String, "rising", "\(drift)")
    }

    func testARefusedPauseSlowsTheAttemptsOfAnOutage() throws {
        let closed = ReservedPort()
        var attempts: [Int] = []
        for pause in [[], ["--refused-pause", "0.2"]] {
            let output = try stressTest(["--vus", "5", "--duration", "2", "--no-check", "--output", "p\(pause.count).json"] + pause,
                                        environment: environment("http://127.0.0.1:\(closed.port)"))
            XCTAssertEqual(output.status, 1, output.all)
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("p\(pause.count).json"))))
            attempts.append(((document as! [String: Any])["statistics"] as! [String: Any])["total_requests"] as! Int)
        }
        XCTAssertGreaterThan(attempts[0], 1000, "without a pause a VU retries at once")
        XCTAssertLessThanOrEqual(attempts[1], 5 * 11, "5 VUs, one attempt per 0.2 s each over 2 s: \(attempts)")
    }
}
