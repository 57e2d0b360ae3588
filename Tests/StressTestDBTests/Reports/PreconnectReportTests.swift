import LoadCore
import XCTest
@testable import stress_test_db

/// `--preconnect`'s console line and `metadata.preconnect`, golden; neither without the flag.
final class PreconnectReportTests: XCTestCase {
    func phase(opened: Int, failed: Int, tls: Bool) -> Preconnect {
        var phase = Preconnect()
        for index in 0..<opened {
            phase.add(failure: nil, connectedAtMilliseconds: 0.3 + Double(index) * 0.1, tlsDoneAtMilliseconds: tls ? 3.0 + Double(index) * 0.2 : 0)
        }
        for _ in 0..<failed { phase.add(failure: "Couldn't connect to server", connectedAtMilliseconds: 0, tlsDoneAtMilliseconds: 0) }
        phase.seconds = 0.0842
        return phase
    }

    func testTheLine() {
        XCTAssertEqual(PreconnectReport.consoleLine(phase(opened: 3, failed: 0, tls: true)),
                       "Preconnect: 3 of 3 connections opened in 84.2 ms (connect p50 0.40 ms, TLS p50 2.80 ms)")
        XCTAssertEqual(PreconnectReport.consoleLine(phase(opened: 2, failed: 0, tls: false)),
                       "Preconnect: 2 of 2 connections opened in 84.2 ms (connect p50 0.35 ms)")
        XCTAssertEqual(PreconnectReport.consoleLine(phase(opened: 1, failed: 2, tls: false)),
                       "Preconnect: 1 of 3 connections opened in 84.2 ms (connect p50 0.30 ms); 2 failed (Couldn't connect to server)")
        XCTAssertEqual(PreconnectReport.consoleLine(phase(opened: 0, failed: 2, tls: false)),
                       "Preconnect: 0 of 2 connections opened in 84.2 ms; 2 failed (Couldn't connect to server)")
    }

    func testTheMetadataAndTheLineComeOnlyWithTheFlag() throws {
        var summary = ReportFixtures.summary([])
        XCTAssertEqual(PreconnectReport.console(summary), "")
        XCTAssertFalse(JSONReport.head(summary).contains("preconnect"))
        summary.preconnect = phase(opened: 4, failed: 1, tls: false)
        XCTAssertTrue(PreconnectReport.console(summary).hasPrefix("\nPreconnect: 4 of 5 connections opened in 84.2 ms"))
        let document = try JSONSerialization.jsonObject(with: Data((JSONReport.head(summary) + JSONReport.tail(count: 0)).utf8)) as! [String: Any]
        let metadata = try XCTUnwrap(document["metadata"] as? [String: Any])
        let preconnect = try XCTUnwrap(metadata["preconnect"] as? [String: Any])
        XCTAssertEqual(preconnect["connections"] as? Int, 5)
        XCTAssertEqual(preconnect["opened"] as? Int, 4)
        XCTAssertEqual(preconnect["seconds"] as? Double, 0.084)
        XCTAssertEqual(Set(preconnect.keys), ["connections", "opened", "seconds"])
    }
}
