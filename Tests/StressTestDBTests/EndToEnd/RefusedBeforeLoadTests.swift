import Foundation
import TestSupport
import XCTest

/// Issue 26 against a live server: what is refused reaches it with nothing, and a sweep level that
/// cannot run is an error, not a capacity.
final class RefusedBeforeLoadTests: BinaryTestCase {
    func testRefusedInputsSendNothing() throws {
        let server = try LambSimServer(["--no-db"])
        let cases: [(arguments: [String], environment: [String: String], says: String)] = [
            (["--auth-token", "\(LambSimServer.token)\nX-Evil: 1"], [:], "contains a line feed"),
            ([], ["JWT_TOKEN": LambSimServer.token + "\r"], "contains a carriage return"),
            (["--output", "same.json", "--responses", "./same.json"], [:], "are the same file"),
            (["--assistant-id", "../x"], [:], "is not one path segment"),
            ([], ["API_BASE_URL": server.baseURL + "/?x=1"], "has a query"),
            (["--duration", "1e308"], [:], "--duration takes seconds"),
        ]
        for item in cases {
            let output = try stressTest(["--vus", "1", "--requests", "3"] + item.arguments,
                                        environment: environment(server.baseURL).merging(item.environment) { $1 })
            XCTAssertTrue([1, 2].contains(output.status), "\(item.arguments): \(output.all)")
            XCTAssertTrue(output.stderr.contains(item.says), "\(item.arguments): \(output.stderr)")
            XCTAssertFalse(output.all.contains(LambSimServer.token), "the token is never shown")
        }
        XCTAssertEqual(try server.stats()["received"] as? Int, 0, "no request reached the server")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no file written")
    }

    /// `sweep --vus 2,1000` under an open-file limit too low for 1000 VUs: the level's error, then no
    /// verdict and exit 1 (it printed "Max sustainable: 2 VUs" and exited 0).
    func testASweepLevelThatCannotRunIsAnError() throws {
        let server = try LambSimServer(["--no-db"])
        let script = #"ulimit -n 200 && exec "$0" sweep --vus 2,1000 --step-duration 0.5 --no-progress"#
        let output = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", script, binary("stress-test-db").path],
                                    environment: environment(server.baseURL), directory: folder, timeout: 120)
        XCTAssertEqual(output.status, 1, output.all)
        XCTAssertTrue(output.stderr.contains("too low for 1000 virtual users"), output.stderr)
        XCTAssertTrue(output.stdout.contains("No verdict: the level of 1000 VUs could not run"), output.stdout)
        XCTAssertFalse(output.stdout.contains("Max sustainable"), output.stdout)
    }
}
