import Foundation
import TestSupport
import XCTest

/// SPEC section 18 end to end against lamb-sim: shards and `merge`, source addresses, and logs the
/// reference HdrHistogram implementation reads.
final class DistributedTests: BinaryTestCase {
    func document(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name)))) as! [String: Any]
    }

    func latency(_ document: [String: Any]) -> [String: Double] {
        ((document["statistics"] as! [String: Any])["latency_ms"] as! [String: Any]).compactMapValues { $0 as? Double }
    }

    func merge(_ arguments: [String]) throws -> ProcessOutput {
        try runProcess(binary("stress-test-db"), ["merge"] + arguments, directory: folder)
    }

    /// p at the Python tool's rank, sorted[⌊n·q⌋].
    func rank(_ sorted: [Double], _ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }

    func testThreeShardsMergeIntoTheirUnionAndMatchOneRun() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "10"])
        let environment = environment(server.baseURL)
        // The shards run side by side, as the Indexed Job's pods do.
        let shards = try (0..<3).map { index in
            let process = Process()
            process.executableURL = binary("stress-test-db")
            process.arguments = ["--vus", "7", "--requests", "600", "--shard", "\(index)/3", "--interval", "0.5", "--no-progress",
                                 "--hdr", "shard-\(index).hlog", "--responses", "shard-\(index).jsonl"]
            process.environment = environment
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        let deadline = Date().addingTimeInterval(120)
        for (index, shard) in shards.enumerated() {
            while shard.isRunning && Date() < deadline { usleep(20_000) }
            if shard.isRunning { shard.terminate() }
            shard.waitUntilExit()
            XCTAssertEqual(shard.terminationStatus, 0, "shard \(index)")
        }
        let shardRecords = (0..<3).map { records("shard-\($0).jsonl") }
        XCTAssertEqual(shardRecords.map(\.count), [200, 200, 200])
        XCTAssertEqual(try server.stats()["received"] as? Int, 600)

        let merged = try merge(["shard-0.hlog", "shard-1.hlog", "shard-2.hlog", "--output", "merged.json", "--csv", "merged.csv"])
        XCTAssertEqual(merged.status, 0, merged.all)
        XCTAssertTrue(merged.stdout.contains("Merged 3 logs: shards 0/3, 1/3, 2/3; 7 VUs, 600 requests"), merged.stdout)
        XCTAssertTrue(merged.stdout.contains("Requests:     600 total"), merged.stdout)
        let statistics = try document("merged.json")["statistics"] as! [String: Any]
        XCTAssertEqual(statistics["total_requests"] as? Int, 600)
        XCTAssertEqual(statistics["successful"] as? Int, 600)
        XCTAssertEqual((statistics["status_codes"] as? [String: Int])?["200"], 600)
        XCTAssertEqual(try document("merged.json")["raw_results"] as? [Any] as? [Int], [])
        XCTAssertEqual(lines("merged.csv").last?.split(separator: ",", omittingEmptySubsequences: false)[4...5].joined(separator: ","), "600,7")

        // Against the exact statistics of the union of the shards' records: percentiles to 3
        // significant digits (HDR's bucket), mean and extremes exact.
        let union = shardRecords.joined().compactMap { $0["latency_ms"] as? Double }.sorted()
        let latency = self.latency(try document("merged.json"))
        for (key, q) in [("median", 0.5), ("p95", 0.95), ("p99", 0.99)] {
            let exact = rank(union, q)
            XCTAssertEqual(latency[key] ?? 0, exact, accuracy: exact * 0.002 + 0.01, "\(key)")
        }
        XCTAssertEqual(latency["mean"] ?? 0, union.reduce(0, +) / 600, accuracy: 1e-6)
        XCTAssertEqual(latency["min"] ?? 0, union.first ?? 0, accuracy: 1e-9)
        XCTAssertEqual(latency["max"] ?? 0, union.last ?? 0, accuracy: 1e-9)

        // One run of the same total: the same counts; its latencies differ by run-to-run noise only.
        let single = try stressTest(["--vus", "7", "--requests", "600", "--output", "single.json"], environment: environment)
        XCTAssertEqual(single.status, 0, single.all)
        let one = try document("single.json")
        XCTAssertEqual((one["statistics"] as! [String: Any])["total_requests"] as? Int, 600)
        for key in ["median", "p95"] {
            XCTAssertGreaterThanOrEqual(latency[key] ?? 0, 10, "the server's 10 ms")
            XCTAssertLessThan((latency[key] ?? 0) / (self.latency(one)[key] ?? 1), 3, "\(key): noise, not a different run")
        }
    }

    func testSourceAddressesAreThePeersTheServerSees() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "2"])
        let output = try stressTest(["--vus", "4", "--requests", "40", "--no-check", "--source-address", "127.0.0.2,127.0.0.3"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        // Two VUs from each address; 127.0.0.1 is this test's own readiness and /stats requests.
        let peers = try XCTUnwrap(try server.stats()["connections_by_peer"] as? [String: Int])
        XCTAssertEqual(peers.filter { $0.key != "127.0.0.1" }, ["127.0.0.2": 2, "127.0.0.3": 2])
        let refused = try stressTest(["--vus", "1", "--requests", "1", "--source-address", "192.0.2.1"], environment: environment(server.baseURL))
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("192.0.2.1 is not an address of this machine"), refused.stderr)
        XCTAssertEqual(try server.stats()["received"] as? Int, 40, "nothing sent from a bad address")
    }

    /// HdrHistogram's Python implementation reads our log: every interval, every request.
    func testTheReferenceImplementationReadsOurLog() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "3", "--ttft-ms", "5", "--itl-ms", "1", "--tokens", "3"])
        let output = try stressTest(["--vus", "3", "--requests", "90", "--stream", "--interval", "0.2", "--hdr", "run.hlog"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let script = """
            import sys
            from hdrh.histogram import HdrHistogram
            from hdrh.log import HistogramLogReader
            totals = {}
            for line in open(sys.argv[1]):
                if line.startswith("Tag="):
                    tag, payload = line[4:].split(",")[0], line.strip().split(",")[-1]
                    totals[tag] = totals.get(tag, 0) + HdrHistogram.decode(payload).get_total_count()
            reader = HistogramLogReader(sys.argv[1], HdrHistogram(1, 3600000000, 3))
            intervals = 0
            while reader.get_next_interval_histogram():
                intervals += 1
            print(totals.get("latency", 0), totals.get("ttft", 0), intervals)
            """
        let python = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, path("run.hlog")],
                                    inheritEnvironment: true, directory: folder)
        XCTAssertEqual(python.status, 0, "the Python package hdrhistogram reads the log (scripts/test installs it): \(python.all)")
        let numbers = python.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(Array(numbers.prefix(2)), [90, 90], python.stdout)
        XCTAssertEqual(numbers.last.map { $0 % 2 }, 0, "two tags an interval")
    }

    func testMergeRefusesWhatItCannotAddUp() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "2"])
        XCTAssertEqual(try stressTest(["--vus", "2", "--requests", "20", "--shard", "0/2", "--hdr", "a.hlog"],
                                      environment: environment(server.baseURL)).status, 0)
        let twice = try merge(["a.hlog", "a.hlog"])
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("shard 0/2 is given twice"), twice.stderr)
        // A run cut short keeps its intervals but has no totals yet.
        let text = try String(contentsOfFile: path("a.hlog"), encoding: .utf8)
        try text.replacingOccurrences(of: #"#\[stress-test-db [^\]]*\]"#, with: "#[stress-test-db state=running shard=1/2]", options: .regularExpression)
            .write(toFile: path("cut.hlog"), atomically: true, encoding: .utf8)
        let cut = try merge(["a.hlog", "cut.hlog"])
        XCTAssertEqual(cut.status, 1)
        XCTAssertTrue(cut.stderr.contains("cut.hlog: the stress-test-db line has no readable vus"), cut.stderr)
        let missing = try merge(["nothing.hlog"])
        XCTAssertTrue(missing.stderr.contains("nothing.hlog does not exist"), missing.stderr)
        // Another tool's log merges: its requests count, the VUs are unknown.
        let foreign = try merge([fixture("python-hdrhistogram.hlog").path, "--csv", "f.csv"])
        XCTAssertEqual(foreign.status, 0, foreign.all)
        XCTAssertTrue(foreign.stdout.contains("Requests:     2008 total"), foreign.stdout)
        XCTAssertEqual(lines("f.csv").last?.split(separator: ",", omittingEmptySubsequences: false)[5], "", "vus unknown")
    }

    /// Issue 26: totals of nan crashed `merge`; -5, shard 5/2, two 0/1 logs of two runs, an empty or
    /// cut log were merged without a word. Each is now refused by name, exit 1, no --output written.
    func testMergeRefusesLogsThatAreNotWholeLogsOfOneRun() throws {
        func log(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path(name))) }
        try log("a.hlog", try MergeInputsTests.log(shard: "0/2"))
        try log("nan.hlog", try MergeInputsTests.log(shard: "1/2", [("latency", "nan:200:5:15:10:50")]))
        try log("minus.hlog", try MergeInputsTests.log(shard: "1/2", [("requests", "-5")]))
        try log("five.hlog", try MergeInputsTests.log(shard: "5/2"))
        try log("one.hlog", try MergeInputsTests.log(shard: "0/1", run: "aaa"))
        try log("other.hlog", try MergeInputsTests.log(shard: "0/1", run: "bbb"))
        try log("empty.hlog", "")
        try log("cut.hlog", String(try MergeInputsTests.log(shard: "1/2").dropLast(12)))
        let cases = [(["a.hlog", "nan.hlog"], "nan.hlog: latency=nan"), (["a.hlog", "minus.hlog"], "minus.hlog: requests=-5 is not a count"),
                     (["five.hlog"], "five.hlog: shard 5/2 is not I/N"), (["one.hlog", "other.hlog"], "shard 0/1 is given twice"),
                     (["empty.hlog"], "empty.hlog is empty"), (["a.hlog", "cut.hlog"], "cut.hlog is not an HdrHistogram log")]
        for (logs, expected) in cases {
            let output = try merge(logs + ["--output", "m.json"])
            XCTAssertEqual(output.status, 1, output.all)
            XCTAssertTrue(output.stderr.contains(expected), "\(logs): \(output.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.json")))
        }
        let missing = try merge(["a.hlog", "--output", "m.json"])
        XCTAssertEqual(missing.status, 0, missing.all)
        XCTAssertTrue(missing.stderr.contains("Warning: shard 1/2 missing"), missing.stderr)
    }
}
