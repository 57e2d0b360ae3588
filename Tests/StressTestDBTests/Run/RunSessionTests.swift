import Foundation
import XCTest
@testable import stress_test_db

/// Opening a session: a typed refusal thrown before any load (and, for an output, before any request).
final class RunSessionTests: XCTestCase {
    func testAnUnwritableOutputRefusesTheSessionBeforeAnyRequest() throws {
        var configuration = try pipelineConfiguration()
        let folder = "/nonexistent-\(UUID().uuidString)"
        configuration.outputs.responsesPath = folder + "/r.jsonl"
        XCTAssertThrowsError(try RunSession.open(configuration, console: Console(), spool: false)) { error in
            guard case .cannotOpen(let reason) = error as? SessionRefusal else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.hasPrefix("cannot write --responses \(folder)/r.jsonl: "), reason)
        }
    }

    func testRefusalsSayWhatTheConsoleShows() {
        let notReady = SessionRefusal.notReady(reason: "GET http://h:1 -> ConnectionRefused", baseURL: "http://h:1", requestURL: "http://h:1/c")
        XCTAssertEqual("\(notReady)", "Server does not appear to be ready: GET http://h:1 -> ConnectionRefused")
        XCTAssertEqual("\(SessionRefusal.http2("--http2: no"))", "--http2: no")
        XCTAssertEqual("\(RunFailure.runnerStopped("boom"))", "the run was stopped early: boom")
        XCTAssertEqual("\(RunFailure.writing(flag: "--csv", path: "a.csv", reason: "full"))", "writing --csv a.csv failed: full")
        XCTAssertFalse(RunFailure.writing(flag: "--csv", path: "a.csv", reason: "full").shownAtOnce)
    }
}
