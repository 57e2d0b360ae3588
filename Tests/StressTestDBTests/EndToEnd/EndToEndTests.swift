import CurlEngine
import Foundation
import TestSupport
import XCTest

/// The real stress-test-db binary against a real lamb-sim on a fresh loopback port.
final class EndToEndTests: BinaryTestCase {
    func testAllOutputsAgreeAndCountEveryRequest() throws {
        let server = try LambSimServer(["--latency-ms", "2"])
        let output = try stressTest(["--vus", "20", "--requests", "300", "--responses", "r.jsonl", "--csv", "r.csv",
                                     "--output", "r.json"], environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("Checking server readiness before starting test..."))
        XCTAssertTrue(output.stdout.contains("Requests:     300 total"))
        XCTAssertTrue(output.stdout.contains("✓ Test completed"))

        let records = records("r.jsonl")
        XCTAssertEqual(records.count, 300)
        XCTAssertEqual(records.filter { $0["success"] as? Bool == true }.count, 300)
        // SPEC's eight keys lead, in order (inside response_text quotes are escaped, so no false match).
        let line = lines("r.jsonl")[0]
        let positions = ["status_code", "latency_ms", "success", "error", "model", "response_text", "response_truncated", "timestamp"]
            .map { line.range(of: "\"\($0)\": ")?.lowerBound }
        XCTAssertTrue(line.hasPrefix("{\"status_code\": 200, "), line)
        XCTAssertFalse(positions.contains(nil), line)
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted())

        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("r.json")))) as! [String: Any]
        XCTAssertEqual((document["raw_results"] as! [Any]).count, 300)
        XCTAssertEqual((document["statistics"] as! [String: Any])["successful"] as? Int, 300)

        let csv = lines("r.csv")
        XCTAssertEqual(csv.count, 2)
        XCTAssertTrue(csv[1].hasPrefix("1,1,lamb-sim-gpt-4o-mini,nomic-embed-text-v1.5,300,20,120,"), csv[1])
        XCTAssertTrue(csv[1].hasSuffix(",100.00,\r"), csv[1])

        // Nothing lost on the server side either: one chat row per successful answer.
        let stats = Probe.perform(method: "GET", url: server.baseURL + "/stats", timeoutSeconds: 5)
        let counters = try JSONSerialization.jsonObject(with: Data(stats.body)) as! [String: Any]
        XCTAssertEqual(counters["chat_rows"] as? Int, 300)
        XCTAssertEqual(counters["completions"] as? Int, 300)
    }

    func testResponsesAreWrittenWhileTheRunGoes() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "10"])
        var midRun = 0
        let output = try stressTest(["--vus", "4", "--duration", "4", "--responses", "live.jsonl"],
                                    environment: environment(server.baseURL), onStart: { process in
            // Wait (however slow the machine) for lines to appear, and note whether the run was still going.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline && process.isRunning {
                let count = self.lines("live.jsonl").count
                if count >= 10 { midRun = process.isRunning ? count : 0; break }
                usleep(20_000)
            }
        })
        XCTAssertEqual(output.status, 0, output.all)
        let total = lines("live.jsonl").count
        XCTAssertGreaterThanOrEqual(midRun, 10, "lines are on disk before the run ends")
        XCTAssertLessThan(midRun, total)
    }

    func testCSVIndexAcrossThreeAppendedRuns() throws {
        let server = try LambSimServer(["--no-db"])
        try stressTest(["--vus", "2", "--requests", "5", "--csv", "runs.csv"], environment: environment(server.baseURL))
        try stressTest(["--vus", "2", "--duration", "0.5", "--csv", "runs.csv"], environment: environment(server.baseURL))
        try stressTest(["--vus", "3", "--requests", "7", "--csv", "runs.csv", "--timeout", "9"], environment: environment(server.baseURL))
        let rows = lines("runs.csv")
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows[0], "index,assistant_id,model,embedding_model,total_requests,vus,max_time,total_time,success_pct,error\r")
        XCTAssertEqual(rows[1].split(separator: ",").prefix(7), ["1", "1", "lamb-sim-gpt-4o-mini", "nomic-embed-text-v1.5", "5", "2", "120"])
        XCTAssertEqual(rows[2].split(separator: ",").prefix(7), ["2", "1", "lamb-sim-gpt-4o-mini", "nomic-embed-text-v1.5", "duration:0.5", "2", "120"])
        XCTAssertEqual(rows[3].split(separator: ",").prefix(7), ["3", "1", "lamb-sim-gpt-4o-mini", "nomic-embed-text-v1.5", "7", "3", "9"])
    }

    func testAppendsToThePythonToolsCSV() throws {
        try FileManager.default.copyItem(atPath: fixture("python-tool-results.csv").path, toPath: path("python.csv"))
        let server = try LambSimServer(["--no-db"])
        try stressTest(["--vus", "2", "--requests", "4", "--csv", "python.csv"], environment: environment(server.baseURL))
        let rows = lines("python.csv")
        XCTAssertEqual(rows.count, 6)
        XCTAssertEqual(rows[2], #"2,mix,mock-gpt-4o-mini,nomic-embed-text-v1.5,40,4,120,0.72,70.00,"Timeout(3); 500(9)"\#r"#,
                       "the Python tool's rows are left as they were")
        XCTAssertTrue(rows[5].hasPrefix("5,1,lamb-sim-gpt-4o-mini,"), rows[5])
        XCTAssertTrue(rows[5].hasSuffix("\r"))
    }

    func testHighErrorRateExitsOneAndCountsStatusesInCSV() throws {
        let server = try LambSimServer(["--no-db", "--fault-status-rate", "0.3", "--fault-status", "503"])
        let output = try stressTest(["--vus", "5", "--requests", "200", "--csv", "e.csv", "--responses", "e.jsonl"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 1, output.all)
        XCTAssertTrue(output.stdout.contains("⚠️  Warning: High error rate"), output.stdout)
        let records = records("e.jsonl")
        XCTAssertEqual(records.count, 200)
        let failures = records.filter { $0["status_code"] as? Int == 503 }.count
        XCTAssertGreaterThan(failures, 20)
        XCTAssertTrue(lines("e.csv")[1].hasSuffix(",503(\(failures))\r"), lines("e.csv")[1])
    }

    func testHiddenErrorsAreFailuresUnlessTrustStatus() throws {
        let server = try LambSimServer(["--no-db", "--fault-error-rate", "1"])
        let strict = try stressTest(["--vus", "2", "--requests", "10", "--responses", "s.jsonl"], environment: environment(server.baseURL))
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stdout.contains("ErrorInResponse: 10 (100.0%)"), strict.stdout)
        XCTAssertEqual(records("s.jsonl").first?["error_detail"] as? String, "Internal server error: OpenAI API failure (injected)")
        let trusting = try stressTest(["--vus", "2", "--requests", "10", "--trust-status"], environment: environment(server.baseURL))
        XCTAssertEqual(trusting.status, 0, trusting.all)
    }

    func testReadinessFailureAgainstAClosedPort() throws {
        let port = closedPort()
        let started = Date()
        let output = try stressTest(["--vus", "1", "--requests", "1", "--verbose"],
                                    environment: ["API_BASE_URL": "http://127.0.0.1:\(port)", "JWT_TOKEN": "x", "ASSISTANT_ID": "1"])
        XCTAssertEqual(output.status, 1)
        // The reason is the last probe's: the user sees why, not only that.
        XCTAssertTrue(output.stderr.contains("Error: Server does not appear to be ready: GET http://127.0.0.1:\(port)/creator/assistant/1/chat/completions -> ConnectionRefused"),
                      output.stderr)
        XCTAssertTrue(output.stderr.contains("readiness attempt 3: GET"), output.stderr)
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 1.9, "three attempts, a second apart")
    }

    func testNoAuthAndEndpointPath() throws {
        let server = try LambSimServer(["--no-db", "--allow-anonymous"])
        let output = try stressTest(["--vus", "3", "--requests", "9", "--endpoint-path", "/v1/chat/completions", "--no-auth",
                                     "--model", "lamb_assistant.1", "--responses", "v1.jsonl"], environment: ["API_BASE_URL": server.baseURL])
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertEqual(records("v1.jsonl").filter { $0["status_code"] as? Int == 200 }.count, 9)
        // Without --no-auth the same server refuses an unknown token: 401 is reported, not hidden.
        let refused = try stressTest(["--vus", "1", "--requests", "2", "--auth-token", "wrong"], environment: environment(server.baseURL))
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stdout.contains("401: 2 (100.0%)"), refused.stdout)
    }

    func testTokenNeverAppearsInAnyOutput() throws {
        let server = try LambSimServer(["--fault-status-rate", "0.2", "--fault-error-rate", "0.2"])
        // A KB key, also placed in the discovery URL so that it is printed (masked) with --verbose.
        let kbKey = "kb-secret-key-987"
        var env = environment(server.baseURL)
        env["KB_API_KEY"] = kbKey
        env["EMBEDDINGS_CONFIG_URL"] = server.baseURL + "/creator/admin/org-admin/settings/kb/embeddings-config?key=\(kbKey)"
        let output = try stressTest(["--vus", "4", "--requests", "40", "--verbose", "--responses", "t.jsonl", "--csv", "t.csv",
                                     "--output", "t.json"], environment: env)
        XCTAssertFalse(output.all.contains(LambSimServer.token))
        XCTAssertFalse(output.all.contains(kbKey))
        XCTAssertTrue(output.stderr.contains("embeddings-config?key=***"), output.stderr)
        for name in ["t.jsonl", "t.csv", "t.json"] {
            let text = try String(contentsOfFile: path(name), encoding: .utf8)
            XCTAssertFalse(text.isEmpty)
            XCTAssertFalse(text.contains(LambSimServer.token), name)
            XCTAssertFalse(text.contains(kbKey), name)
        }
        // Even a configuration error that involves the token does not echo it.
        let bad = try stressTest(["--vus", "1", "--requests", "1", "--auth-token", "supersecret-abc", "--api-base-url", "nope"],
                                 environment: [:])
        XCTAssertEqual(bad.status, 1)
        XCTAssertFalse(bad.all.contains("supersecret-abc"))
    }

    func testURLSessionRunnerProducesTheSameRecords() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "2"])
        let output = try stressTest(["--vus", "10", "--requests", "100", "--sync", "--responses", "sync.jsonl"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let records = records("sync.jsonl")
        XCTAssertEqual(records.count, 100)
        XCTAssertTrue(records.allSatisfy { $0["model"] as? String == "lamb-sim-gpt-4o-mini" })
    }

    func testURLSessionRunnerMapsFailuresToTheSameKinds() throws {
        let refused = try stressTest(["--vus", "2", "--requests", "4", "--sync", "--no-check"],
                                     environment: environment("http://127.0.0.1:\(closedPort())"))
        XCTAssertTrue(refused.stdout.contains("ConnectionRefused: 4 (100.0%)"), refused.all)
        let server = try LambSimServer(["--no-db", "--fault-stall-rate", "1", "--stall-seconds", "30"])
        let stalled = try stressTest(["--vus", "2", "--requests", "4", "--sync", "--timeout", "0.5"],
                                     environment: environment(server.baseURL))
        XCTAssertTrue(stalled.stdout.contains("Timeout: 4 (100.0%)"), stalled.all)
    }

    func testZeroRecordsStillReports() throws {
        // The server dies before the run: every request is refused, and the files are still written.
        let server = try LambSimServer(["--no-db"])
        let env = environment(server.baseURL)
        server.kill()
        let output = try stressTest(["--vus", "2", "--requests", "4", "--no-check", "--csv", "z.csv", "--output", "z.json"],
                                    environment: env)
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stdout.contains("ConnectionRefused: 4 (100.0%)"), output.stdout)
        XCTAssertTrue(lines("z.csv")[1].hasSuffix(",0.00,ConnectionRefused(4)\r"))
    }
}
