import Foundation
import LoadCore
import TestSupport
import XCTest
@testable import stress_test_db

/// The live progress line: in place on a terminal, plain lines every 5 s otherwise, silent with --no-progress.
final class ProgressTests: XCTestCase {
    func testInPlaceOnATerminal() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "20"])
        let script = URL(fileURLWithPath: "/usr/bin/script")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: script.path), "script (util-linux) not installed")
        // `script` gives the program a terminal; stdout goes to /dev/null, so the terminal shows stderr only.
        let command = "env API_BASE_URL=\(server.baseURL) JWT_TOKEN=\(LambSimServer.token) ASSISTANT_ID=1 "
            + "\(binary("stress-test-db").path) --vus 5 --duration 1.2 --no-check 2>&1 >/dev/null"
        let output = try runProcess(script, ["-qec", command, "/dev/null"])
        XCTAssertEqual(output.status, 0, output.all)
        let screen = output.stdout
        XCTAssertTrue(screen.hasPrefix("\r\u{1B}[2K[   0.") || screen.hasPrefix("\r\u{1B}[2K[   1."), screen)
        XCTAssertTrue(screen.contains(" done, ") && screen.contains("s left | "), screen)
        XCTAssertTrue(screen.hasSuffix("\r\u{1B}[2K"), "the line is cleared before the results: \(screen)")
        XCTAssertFalse(screen.contains("\n"), screen)
        XCTAssertFalse(screen.contains(LambSimServer.token))
    }

    func testPlainLinesWhenNotATerminal() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "20"])
        let environment = ["API_BASE_URL": server.baseURL, "JWT_TOKEN": LambSimServer.token, "ASSISTANT_ID": "1"]
        let shown = try runProcess(binary("stress-test-db"), ["--vus", "2", "--duration", "5.5", "--no-check"], environment: environment)
        let lines = shown.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, shown.stderr)
        XCTAssertTrue(lines.first?.hasPrefix("[   5.") == true, shown.stderr)
        XCTAssertTrue(lines.first?.contains("s left | ") == true, shown.stderr)
        let hidden = try runProcess(binary("stress-test-db"), ["--vus", "2", "--duration", "0.5", "--no-check", "--no-progress"],
                                    environment: environment)
        XCTAssertEqual(hidden.stderr, "")
    }

    func testProgressLine() {
        XCTAssertEqual(ProgressLine.render(elapsed: 12.34, completed: 1234, requestLimit: 5000, durationSeconds: nil,
                                           rate: 812.25, errors: 3, p95: "45.2 ms"),
                       "[  12.3s] 1234/5000 done | 812.2 req/s | errors 3 | p95 45.2 ms")
        XCTAssertEqual(ProgressLine.render(elapsed: 10, completed: 7, requestLimit: nil, durationSeconds: 60,
                                           rate: 0.7, errors: 0, p95: "-"),
                       "[  10.0s] 7 done, 50s left | 0.7 req/s | errors 0 | p95 -")
        XCTAssertEqual(ProgressLine.render(elapsed: 3, completed: 600, requestLimit: nil, durationSeconds: 60,
                                           rate: 199.6, errors: 0, p95: "4.1 ms", target: "200.0 req/s"),
                       "[   3.0s] 600 done, 57s left | 199.6 req/s (target 200.0 req/s) | errors 0 | p95 4.1 ms")
        let ramp = LoadPlan.closed(stages: StageProfile([Stage(durationSeconds: 10, target: 50)]))
        XCTAssertEqual(ramp.targetDescription(at: 5), "25 VUs")
        XCTAssertNil(LoadPlan.closed(stages: nil).targetDescription(at: 5))
        var progress = ProgressLine(requestLimit: 10, durationSeconds: nil, isTerminal: false)
        XCTAssertNil(progress.update(elapsed: 1, completed: 1, errors: 0))
        XCTAssertNotNil(progress.update(elapsed: 5.1, completed: 5, errors: 0))
        XCTAssertNil(progress.update(elapsed: 6, completed: 6, errors: 0))
    }
}
