import CurlEngine
import Foundation
import TestSupport
import XCTest

/// The tool keeps counting honestly while the target misbehaves, and stops cleanly when told to.
final class ReliabilityTests: BinaryTestCase {
    func csvRow(_ name: String) -> [String] {
        let text = (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
        return text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.last?.components(separatedBy: ",") ?? []
    }

    /// N requests, N records; statistics, CSV and JSONL agree, whatever the server does.
    func assertAccounting(_ name: String, server arguments: [String], requests: Int = 120, vus: Int = 8,
                          timeout: String = "2", file: StaticString = #filePath, line: UInt = #line) throws {
        let server = try LambSimServer(["--no-db", "--stall-seconds", "20"] + arguments)
        let output = try stressTest(["--vus", String(vus), "--requests", String(requests), "--timeout", timeout,
                                     "--responses", "\(name).jsonl", "--csv", "\(name).csv", "--output", "\(name).json"],
                                    environment: environment(server.baseURL))
        XCTAssertTrue([0, 1].contains(output.status), "\(name): \(output.all)", file: file, line: line)
        XCTAssertFalse(output.stderr.contains("Fatal error"), file: file, line: line)
        let lines = records("\(name).jsonl", file: file, line: line)
        XCTAssertEqual(lines.count, requests, name, file: file, line: line)
        let successes = lines.filter { $0["success"] as? Bool == true }.count
        XCTAssertTrue(output.stdout.contains("Requests:     \(requests) total"), name, file: file, line: line)
        XCTAssertTrue(output.stdout.contains("Successful:   \(successes) ("), "\(name): \(output.stdout)", file: file, line: line)
        let row = csvRow("\(name).csv")
        XCTAssertEqual(row[8], String(format: "%.2f", Double(successes) / Double(requests) * 100), name, file: file, line: line)
        // The CSV error column counts exactly the records that are not clean 2xx answers.
        let problems = lines.filter { ($0["error"] as? String) != nil || !((200..<300).contains($0["status_code"] as? Int ?? 0)) }.count
        let counted = row[9].split(separator: ";").map { part -> Int in
            Int(part.split(separator: "(").last!.dropLast()) ?? -1
        }.reduce(0, +)
        XCTAssertEqual(counted, problems, "\(name): \(row[9])", file: file, line: line)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("\(name).json")))) as! [String: Any]
        let statistics = document["statistics"] as! [String: Any]
        XCTAssertEqual(statistics["total_requests"] as? Int, requests, file: file, line: line)
        XCTAssertEqual(statistics["successful"] as? Int, successes, file: file, line: line)
    }

    func testAccountingUnderEveryFault() throws {
        try assertAccounting("status", server: ["--fault-status-rate", "0.3"])
        try assertAccounting("reset", server: ["--fault-close-rate", "0.3"])
        try assertAccounting("midbody", server: ["--fault-mid-body-rate", "0.3"])
        try assertAccounting("stall", server: ["--fault-stall-rate", "0.1"], requests: 40, timeout: "0.5")
        try assertAccounting("notjson", server: ["--fault-not-json-rate", "0.3"])
        try assertAccounting("hidden", server: ["--fault-error-rate", "0.3"])
        try assertAccounting("oversized", server: ["--fault-oversized-rate", "0.3", "--oversized-bytes", "2000000"], requests: 40)
        try assertAccounting("mixed", server: ["--fault-status-rate", "0.1", "--fault-close-rate", "0.1", "--fault-mid-body-rate", "0.1",
                                               "--fault-not-json-rate", "0.1", "--fault-error-rate", "0.1", "--fault-stall-rate", "0.05"],
                             requests: 200, vus: 20, timeout: "0.5")
    }

    func testRefusedEverywhere() throws {
        let port = closedPort()
        let output = try stressTest(["--vus", "5", "--requests", "50", "--no-check", "--responses", "r.jsonl"],
                                    environment: environment("http://127.0.0.1:\(port)"))
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(records("r.jsonl").filter { $0["error"] as? String == "ConnectionRefused" }.count, 50)
    }

    func testServerKilledAndRestartedMidRun() throws {
        var server = try LambSimServer(["--no-db", "--latency-ms", "5"])
        let port = server.port
        let requests = 3000
        var restarted: LambSimServer?
        let output = try stressTest(["--vus", "10", "--requests", String(requests), "--timeout", "2", "--responses", "k.jsonl",
                                     "--csv", "k.csv"],
                                    environment: environment(server.baseURL), onStart: { _ in
            Thread.sleep(forTimeInterval: 0.8)
            server.kill()
            Thread.sleep(forTimeInterval: 0.3)
            restarted = try? LambSimServer(["--no-db", "--latency-ms", "5"], port: port)
        })
        XCTAssertNotNil(restarted, "lamb-sim came back on port \(port)")
        let lines = records("k.jsonl")
        XCTAssertEqual(lines.count, requests, output.all)
        XCTAssertGreaterThan(lines.filter { $0["success"] as? Bool == true }.count, 0)
        XCTAssertTrue(output.stdout.contains("Requests:     \(requests) total"))
        server = restarted ?? server
    }

    func testSIGINTAtAThousandVUsStopsQuicklyAndWritesEverything() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "200-400"])
        var signalled = Date()
        let output = try stressTest(["--vus", "1000", "--duration", "60", "--responses", "i.jsonl", "--csv", "i.csv",
                                     "--output", "i.json"],
                                    environment: environment(server.baseURL), onStart: { process in
            self.wait(for: server, toReceive: 1500)
            signalled = Date()
            kill(process.processIdentifier, SIGINT)
        })
        let stopTime = Date().timeIntervalSince(signalled)
        XCTAssertLessThan(stopTime, 30, "ended \(stopTime)s after SIGINT, long before the 60 s duration")
        XCTAssertEqual(output.status, 130, output.all)
        XCTAssertTrue(output.stdout.contains("RESULTS"))
        let lines = records("i.jsonl")
        XCTAssertGreaterThan(lines.count, 1000)
        XCTAssertTrue(output.stdout.contains("Requests:     \(lines.count) total"), output.stdout)
        XCTAssertEqual(csvRow("i.csv").first, "1")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("i.json")))) as! [String: Any]
        XCTAssertEqual((document["raw_results"] as! [Any]).count, lines.count)
    }

    func testSIGTERMAndASecondSignalExitsAtOnce() throws {
        let server = try LambSimServer(["--no-db", "--fault-stall-rate", "1", "--stall-seconds", "30"])
        let output = try stressTest(["--vus", "5", "--requests", "5", "--responses", "t.jsonl"],
                                    environment: environment(server.baseURL), onStart: { process in
            self.wait(for: server, toReceive: 5)
            kill(process.processIdentifier, SIGTERM)
        })
        XCTAssertEqual(output.status, 143, output.all)
        XCTAssertEqual(records("t.jsonl").filter { $0["error"] as? String == "Aborted" }.count, 5)

        let twice = try stressTest(["--vus", "5", "--requests", "5"], environment: environment(server.baseURL), onStart: { process in
            self.wait(for: server, toReceive: 10)
            kill(process.processIdentifier, SIGINT)
            usleep(50_000)
            kill(process.processIdentifier, SIGINT)
        })
        // A graceful stop always prints RESULTS after the grace; leaving at once prints none.
        XCTAssertEqual(twice.status, 130)
        XCTAssertFalse(twice.stdout.contains("RESULTS"))
        XCTAssertTrue(twice.stderr.contains("Stopped at once: results not written"), twice.stderr)
    }

    func testOutputProblemsAreCaughtBeforeTheRun() throws {
        let server = try LambSimServer(["--no-db"])
        for (flag, target) in [("--responses", "missing/r.jsonl"), ("--csv", "missing/r.csv"), ("--output", "missing/r.json"),
                               ("--csv", "."), ("--output", "/dev/null/r.json")] {
            let output = try stressTest(["--vus", "1", "--requests", "3", flag, target], environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 1, "\(flag) \(target)")
            XCTAssertTrue(output.stderr.hasPrefix("Error: cannot write \(flag) \(target)"), output.stderr)
            XCTAssertFalse(output.stdout.contains("RESULTS"), "no load was sent")
        }
        let stats = Probe.perform(method: "GET", url: server.baseURL + "/stats", timeoutSeconds: 5)
        XCTAssertTrue(String(decoding: stats.body, as: UTF8.self).contains("\"requests\":0"))
    }

    func testFullDiskIsReportedNotIgnored() throws {
        let server = try LambSimServer(["--no-db"])
        let json = try stressTest(["--vus", "2", "--requests", "10", "--output", "/dev/full", "--csv", "ok.csv"],
                                  environment: environment(server.baseURL))
        XCTAssertEqual(json.status, 1)
        XCTAssertTrue(json.stderr.contains("writing --output /dev/full failed: No space left on device"), json.stderr)
        XCTAssertEqual(csvRow("ok.csv").first, "1", "the other outputs are still written")

        let jsonl = try stressTest(["--vus", "2", "--requests", "100000", "--responses", "/dev/full"],
                                   environment: environment(server.baseURL), timeout: 30)
        XCTAssertEqual(jsonl.status, 1)
        XCTAssertTrue(jsonl.stderr.contains("writing --responses /dev/full failed: No space left on device; the run was stopped"), jsonl.stderr)
    }

    func testFiveThousandVUsAgainstAServerThatDoesNotAccept() throws {
        let listener = try RawListener(.neverAccept, backlog: 16)
        let output = try stressTest(["--vus", "5000", "--requests", "5000", "--timeout", "2", "--no-check",
                                     "--responses", "o.jsonl"],
                                    environment: environment("http://127.0.0.1:\(listener.port)"), timeout: 60)
        XCTAssertEqual(output.status, 1, output.all)
        let lines = records("o.jsonl")
        XCTAssertEqual(lines.count, 5000)
        XCTAssertTrue(lines.allSatisfy { $0["status_code"] as? Int == 0 && $0["error"] as? String != nil })
        XCTAssertTrue(output.stdout.contains("Timeout: "), output.stdout)
        listener.stop()
    }
}

extension ReliabilityTests {
    func testURLSessionRunnerAt500VUsEndsCleanlyOnSIGINT() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "100-300"])
        var signalled = Date()
        let output = try stressTest(["--vus", "500", "--duration", "60", "--sync", "--responses", "s.jsonl"],
                                    environment: environment(server.baseURL), timeout: 60, onStart: { process in
            self.wait(for: server, toReceive: 800)
            signalled = Date()
            kill(process.processIdentifier, SIGINT)
        })
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 30, "long before the 60 s duration")
        XCTAssertEqual(output.status, 130, output.all)
        let lines = records("s.jsonl")
        XCTAssertGreaterThan(lines.count, 500)
        XCTAssertTrue(output.stdout.contains("Requests:     \(lines.count) total"), output.stdout)
    }

    func testOpenFileLimitThatCannotBeRaisedIsAClearError() throws {
        let capsh = URL(fileURLWithPath: "/usr/sbin/capsh")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: capsh.path), "capsh (libcap2-bin) not installed")
        // Without CAP_SYS_RESOURCE the hard limit of 256 cannot be lifted, even by root.
        let script = "ulimit -Sn 256; ulimit -Hn 256; exec \"$0\" --vus 1000 --loops 1 --requests 10 --no-check --no-progress"
        let output = try runProcess(capsh, ["--drop=cap_sys_resource", "--", "-c", script, binary("stress-test-db").path],
                                    environment: ["API_BASE_URL": "http://127.0.0.1:\(closedPort())", "JWT_TOKEN": "tokentoken",
                                                  "ASSISTANT_ID": "1"])
        XCTAssertEqual(output.status, 1, output.all)
        XCTAssertEqual(output.stderr, "Error: the open-file limit is 256, too low for 1000 virtual users (needs 1066); raise it with `ulimit -n 1066` or use fewer --vus\n")
    }
}
