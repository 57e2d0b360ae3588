import Foundation
import TestSupport
import XCTest

/// `--login EMAIL` against lamb-sim's `POST /creator/login`: the token it returns is used, a refusal
/// is one error line, and the password appears in no output.
final class LoginTests: BinaryTestCase {
    static let password = "correct-horse-battery"

    func testLoginFromTheEnvironmentAndFromADotEnvFile() throws {
        let server = try LambSimServer(["--no-db", "--email", "teacher@example.org", "--password", Self.password])
        let base = ["API_BASE_URL": server.baseURL, "ASSISTANT_ID": "1"]
        let output = try stressTest(["--vus", "2", "--requests", "4", "--login", "teacher@example.org", "--responses", "r.jsonl",
                                     "--csv", "r.csv", "--output", "r.json"],
                                    environment: base.merging(["LAMB_PASSWORD": Self.password]) { $1 })
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertEqual(records("r.jsonl").filter { $0["status_code"] as? Int == 200 }.count, 4, "the login's token was accepted")
        for name in ["r.jsonl", "r.csv", "r.json"] {
            let text = try String(contentsOfFile: path(name), encoding: .utf8)
            XCTAssertFalse(text.contains(Self.password) || text.contains(LambSimServer.token), name)
        }
        XCTAssertFalse(output.all.contains(Self.password))

        try "LAMB_PASSWORD=\(Self.password)\n".write(toFile: path(".env"), atomically: true, encoding: .utf8)
        let fromFile = try stressTest(["--vus", "1", "--requests", "2", "--login", "teacher@example.org"], environment: base)
        XCTAssertEqual(fromFile.status, 0, fromFile.all)
    }

    func testARefusedLoginIsOneErrorAndThePasswordIsNowhere() throws {
        let server = try LambSimServer(["--no-db", "--email", "teacher@example.org", "--password", Self.password])
        let wrong = "wrong-password-42"
        let output = try stressTest(["--vus", "1", "--requests", "2", "--login", "teacher@example.org", "--csv", "x.csv"],
                                    environment: ["API_BASE_URL": server.baseURL, "ASSISTANT_ID": "1", "LAMB_PASSWORD": wrong])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.hasPrefix("Error: --login teacher@example.org was refused by"), output.stderr)
        XCTAssertTrue(output.stderr.contains("HTTP 401"), output.stderr)
        XCTAssertFalse(output.all.contains(wrong))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.csv")), "no load was sent")
        XCTAssertEqual(try server.stats()["received"] as? Int, 0)

        let noPassword = try stressTest(["--vus", "1", "--requests", "1", "--login", "a@b.c"],
                                        environment: ["API_BASE_URL": server.baseURL, "ASSISTANT_ID": "1"])
        XCTAssertEqual(noPassword.status, 1)
        XCTAssertTrue(noPassword.stderr.contains("set LAMB_PASSWORD"), noPassword.stderr)
        let both = try stressTest(["--vus", "1", "--requests", "1", "--login", "a@b.c", "--no-auth"],
                                  environment: ["API_BASE_URL": server.baseURL])
        XCTAssertEqual(both.status, 2)
    }
}
