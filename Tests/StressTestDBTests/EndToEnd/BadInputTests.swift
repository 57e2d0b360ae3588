import Foundation
import TestSupport
import XCTest

/// Malformed invocations and environments: one clear line, the right exit status, never a crash.
final class BadInputTests: XCTestCase {
    struct Case {
        var arguments: [String]
        var environment: [String: String] = BadInputTests.valid
        var status: Int32
        var says: String
    }

    static let valid = ["API_BASE_URL": "http://127.0.0.1:9", "JWT_TOKEN": "secret-token-xyz", "ASSISTANT_ID": "1"]
    static let load = ["--vus", "1", "--requests", "1"]

    func testTable() throws {
        let folder = makeTemporaryFolder("bad-input")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }).write(to: folder.appendingPathComponent("junk.env"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("adir"), withIntermediateDirectories: true)

        let cases: [Case] = [
            Case(arguments: [], status: 2, says: "Missing expected argument '--vus"),
            Case(arguments: ["--vus", "0", "--requests", "1"], status: 2, says: "--vus takes a whole number of VUs at least 1 and at most 100000"),
            Case(arguments: ["--vus", "-3", "--requests", "1"], status: 2, says: "--vus"),
            Case(arguments: ["--vus", "abc", "--requests", "1"], status: 2, says: "abc"),
            Case(arguments: ["--vus", "10"], status: 2, says: "give --requests N or --duration SECONDS"),
            Case(arguments: ["--vus", "1", "--requests", "0"], status: 2, says: "--requests takes a whole number of requests at least 1"),
            Case(arguments: ["--vus", "1", "--requests", "-5"], status: 2, says: "--requests"),
            Case(arguments: ["--vus", "1", "--requests", "1.5"], status: 2, says: "1.5"),
            Case(arguments: ["--vus", "1", "--duration", "-1"], status: 2, says: "--duration"),
            Case(arguments: ["--vus", "1", "--duration", "0"], status: 2, says: "--duration takes seconds above 0 and at most 31536000 (a year)"),
            Case(arguments: ["--vus", "1", "--duration", "abc"], status: 2, says: "abc"),
            Case(arguments: ["--vus", "1", "--duration", "inf"], status: 2, says: "--duration takes seconds above 0"),
            Case(arguments: Self.load + ["--timeout", "0"], status: 2, says: "--timeout takes seconds above 0 and at most 86400 (a day)"),
            Case(arguments: Self.load + ["--timeout", "-2"], status: 2, says: "--timeout"),
            Case(arguments: Self.load + ["--timeout", "nan"], status: 2, says: "--timeout takes seconds above 0"),
            Case(arguments: Self.load + ["--response-max-chars", "-1"], status: 2, says: "--response-max-chars"),
            Case(arguments: Self.load + ["--bogus"], status: 2, says: "Unknown option '--bogus'"),
            Case(arguments: Self.load + ["--sync", "--async"], status: 2, says: "--sync and --async"),
            Case(arguments: Self.load + ["--no-auth", "--auth-token", "x"], status: 2, says: "--no-auth and --auth-token"),
            Case(arguments: ["--vus", "99999999999999999999", "--requests", "1"], status: 2, says: "99999999999999999999"),
            Case(arguments: ["--vus", "200000", "--requests", "1"], status: 2, says: "at most 100000"),
            Case(arguments: ["--requests", "1", "--vus"], status: 2, says: "--vus"),
            // Issue 26: crashes and hangs before, usage errors now.
            Case(arguments: ["--vus", "1", "--duration", "1e308"], status: 2, says: "--duration takes seconds"),
            Case(arguments: Self.load + ["--think", "1e308s"], status: 2, says: "--think takes seconds"),
            Case(arguments: Self.load + ["--timeout", "1e16"], status: 2, says: "--timeout takes seconds"),
            Case(arguments: Self.load + ["--timeout", "1e16", "--sync"], status: 2, says: "--timeout takes seconds"),
            Case(arguments: Self.load + ["--rate", "1e-300"], status: 2, says: "--rate takes requests/s at least 0.001"),
            Case(arguments: Self.load + ["--interval", "1e-6", "--timeseries", "t.jsonl"], status: 2, says: "--interval takes seconds at least 0.1"),
            Case(arguments: ["sweep", "--vus", "1", "--interval", "0"], status: 2, says: "--interval takes seconds at least 0.1"),
            Case(arguments: ["sweep", "--vus", "1", "--interval", "-1"], status: 2, says: "--interval takes seconds at least 0.1"),
            Case(arguments: ["sweep", "--vus", "1e308"], status: 2, says: "--vus takes a whole number of VUs a level"),
            Case(arguments: ["sweep", "--vus", "1", "--max-error-rate", "-1"], status: 2, says: "--max-error-rate takes percent at least 0"),
            Case(arguments: ["frobnicate"], status: 2, says: "'frobnicate' is not a stress-test-db command. The commands: run, sweep, report, compare, merge"),
            Case(arguments: Self.load + ["--auth-token", "x\nX-Evil: 1"], status: 1, says: "contains a line feed"),
            Case(arguments: Self.load, environment: Self.valid.merging(["JWT_TOKEN": "abc\r\nX-Evil: 1"]) { $1 }, status: 1, says: "contains a carriage return"),
            Case(arguments: Self.load + ["--output", "x.json", "--csv", "./x.json"], status: 1, says: "--output x.json and --csv ./x.json are the same file"),
            Case(arguments: Self.load + ["--responses", "r", "--timeseries", "adir/../r"], status: 1, says: "are the same file"),
            Case(arguments: Self.load + ["--output", "p.txt", "--prompts", "p.txt"], status: 1, says: "is the file --prompts p.txt reads"),
            Case(arguments: Self.load + ["--report", "e.env", "--env-file", "e.env"], environment: [:], status: 1, says: "is the file --env-file e.env reads"),
            Case(arguments: Self.load + ["--api-base-url", "http://127.0.0.1:9?x=1"], status: 1, says: "has a query"),
            Case(arguments: Self.load + ["--api-base-url", "http://127.0.0.1:9/#top"], status: 1, says: "has a fragment"),
            Case(arguments: Self.load + ["--assistant-id", "../x"], status: 1, says: "is not one path segment"),
            Case(arguments: Self.load + ["--api-base-url", "http://127.0.0.1:9/a b"], status: 1, says: "has a space in it"),
            Case(arguments: Self.load, environment: Self.valid.merging(["ASSISTANT_ID": "a/b"]) { $1 }, status: 1, says: "is not one path segment"),
            Case(arguments: Self.load, environment: [:], status: 1, says: "missing required configuration: API_BASE_URL, JWT_TOKEN, ASSISTANT_ID"),
            Case(arguments: Self.load, environment: ["API_BASE_URL": "", "JWT_TOKEN": "t", "ASSISTANT_ID": "1"], status: 1, says: "missing required configuration: API_BASE_URL;"),
            Case(arguments: Self.load, environment: ["API_BASE_URL": "http://127.0.0.1:9", "JWT_TOKEN": "t"], status: 1, says: "missing required configuration: ASSISTANT_ID;"),
            Case(arguments: Self.load, environment: ["API_BASE_URL": "localhost:9099", "JWT_TOKEN": "t", "ASSISTANT_ID": "1"], status: 1, says: "is not an http(s) URL with a host"),
            Case(arguments: Self.load, environment: ["API_BASE_URL": "ftp://127.0.0.1/", "JWT_TOKEN": "t", "ASSISTANT_ID": "1"], status: 1, says: "is not an http(s) URL"),
            Case(arguments: Self.load + ["--api-base-url", ""], status: 1, says: "is not an http(s) URL"),
            Case(arguments: Self.load + ["--api-base-url", "http://bad host:1"], status: 1, says: "is not an http(s) URL"),
            Case(arguments: Self.load + ["--env-file", "missing.env"], status: 1, says: "--env-file missing.env does not exist"),
            Case(arguments: Self.load + ["--env-file", "adir"], status: 1, says: "--env-file: adir is a folder"),
            Case(arguments: Self.load + ["--env-file", "junk.env"], environment: [:], status: 1, says: "junk.env is not a text file"),
            Case(arguments: Self.load + ["--endpoint-path", "/a/{assistant_id"], status: 1, says: "has a character a URL cannot carry"),
            Case(arguments: Self.load + ["--endpoint-path", "/a/{x}/{assistant_id}"], status: 1, says: "only {assistant_id} is filled in"),
            Case(arguments: Self.load + ["--cacert", "missing.pem"], status: 1, says: "--cacert missing.pem cannot be read"),
            Case(arguments: Self.load + ["--sync", "--insecure"], status: 1, says: "work with the libcurl engine only"),
            Case(arguments: Self.load + ["--output", "nofolder/x.json"], status: 1, says: "cannot write --output nofolder/x.json"),
        ]
        XCTAssertGreaterThanOrEqual(cases.count, 55)
        try Data("Hello\n".utf8).write(to: folder.appendingPathComponent("p.txt"))
        try Data("API_BASE_URL=http://127.0.0.1:9\nJWT_TOKEN=t\nASSISTANT_ID=1\n".utf8).write(to: folder.appendingPathComponent("e.env"))
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let inputs = try ["p.txt", "e.env"].map { try Data(contentsOf: folder.appendingPathComponent($0)) }
        for item in cases {
            let output = try runProcess(binary("stress-test-db"), item.arguments + ["--no-check", "--no-progress"],
                                        environment: item.environment, directory: folder, timeout: 30)
            let label = item.arguments.joined(separator: " ")
            XCTAssertEqual(output.status, item.status, "\(label): \(output.all)")
            XCTAssertTrue(output.stderr.contains(item.says), "\(label): \(output.stderr)")
            XCTAssertTrue(output.stderr.hasPrefix("Error: "), "\(label): \(output.stderr)")
            XCTAssertFalse(output.all.contains("Fatal error") || output.all.contains("Stack dump"), label)
            XCTAssertFalse(output.all.contains("secret-token-xyz"), label)
            if item.status == 1 {
                XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, "one line: \(output.stderr)")
            }
            // Refused before anything is written: no new file, the inputs as they were.
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), before, label)
            XCTAssertEqual(try ["p.txt", "e.env"].map { try Data(contentsOf: folder.appendingPathComponent($0)) }, inputs, label)
        }
    }

    func testHugePromptAndNonUTF8Arguments() throws {
        let port = closedPort()
        let huge = String(repeating: "ñ", count: 60_000)
        let output = try runProcess(binary("stress-test-db"), Self.load + ["--prompt", huge, "--no-check", "--no-progress"],
                                    environment: ["API_BASE_URL": "http://127.0.0.1:\(port)", "JWT_TOKEN": "t", "ASSISTANT_ID": "1"])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stdout.contains("ConnectionRefused: 1 (100.0%)"), output.all)

        // Bytes that are not UTF-8, passed straight through a shell.
        let script = #"exec "$0" --vus 1 --requests 1 --no-check --no-progress --prompt "$(printf '\377\376bad')" --assistant-id "$(printf '\377')""#
        let shell = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", script, binary("stress-test-db").path],
                                   environment: ["API_BASE_URL": "http://127.0.0.1:\(port)", "JWT_TOKEN": "t"])
        XCTAssertTrue([1, 2].contains(shell.status), shell.all)
        XCTAssertFalse(shell.all.contains("Fatal error"))
    }

    func testHelpListsTheGuidesFlagsAndExamples() throws {
        let output = try runProcess(binary("stress-test-db"), ["--help"])
        XCTAssertEqual(output.status, 0)
        for flag in ["--vus", "--requests", "--duration", "--timeout", "--output", "--responses", "--csv", "--response-max-chars",
                     "--env-file", "--api-base-url", "--endpoint-path", "--auth-token", "--no-auth", "--no-check", "--prompt",
                     "--async", "--sync", "--verbose", "LOAD:", "TARGET:", "OUTPUT:", "Examples:"] {
            XCTAssertTrue(output.stdout.contains(flag), flag)
        }
    }
}
