import Foundation
import TestSupport
import XCTest

/// SPEC 22 on a real network stack: the generator and lamb-sim in two network namespaces joined by a
/// veth pair (198.18.0.1 and .2), faults made with nftables in the generator's namespace (this kernel
/// has no netem). Every record is one request sent at most once, the server never receives more than
/// the records, failures have their transport kind, and the VUs carry on once the path is back.
/// Skipped, with the reason, where namespaces cannot be made.
final class NetworkFaultTests: BinaryTestCase {
    var network: NamespacedNetwork!
    var server: Process!

    override func setUpWithError() throws {
        try super.setUpWithError()
        if let reason = NamespacedNetwork.unavailable() { throw XCTSkip(reason) }
        network = try NamespacedNetwork()
    }

    override func tearDown() {
        if let server, server.isRunning { server.terminate(); server.waitUntilExit() }
        network = nil
        super.tearDown()
    }

    /// lamb-sim inside the target's namespace on a fixed port.
    func startServer(_ arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", network.target, binary("lamb-sim").path, "--host", network.targetAddress, "--port", "8080",
                             "--token", LambSimServer.token, "--no-db"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        server = process
        let url = "http://\(network.targetAddress):8080"
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !network.get(url + "/stats", from: network.generator).contains("received") { usleep(100_000) }
        return url
    }

    func received(_ url: String) -> Int {
        let body = network.get(url + "/stats", from: network.generator)
        return ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any])?["received"] as? Int ?? -1
    }

    /// stress-test-db inside the generator's namespace.
    func run(_ arguments: [String], url: String, during: ((Process) -> Void)? = nil) throws -> ProcessOutput {
        try runProcess(URL(fileURLWithPath: "/usr/sbin/ip"),
                       network.inside(network.generator, [binary("stress-test-db").path]) .dropFirst().map { $0 } + arguments + ["--no-progress"],
                       environment: environment(url), directory: folder, timeout: 180, onStart: during)
    }

    /// One row of the table: fault, server received, records, failures by kind.
    func report(_ fault: String, url: String, records count: Int, output name: String) {
        print("fault table: \(fault): server received \(received(url)), records \(count), failures \(errors(name))")
    }

    func errors(_ name: String) -> [String: Int] {
        let document = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name)))) as? [String: Any]
        return ((document?["statistics"] as? [String: Any])?["errors"] as? [String: Int]) ?? [:]
    }

    /// netem would be the first choice for loss and delay; say plainly when this kernel lacks it.
    func testNetemIsCheckedAndNftablesUsedInstead() throws {
        if NamespacedNetwork.netemMissing {
            throw XCTSkip("this kernel has no netem (`tc qdisc add ... netem` fails): the fault tests use nftables rules instead")
        }
        // Where netem exists, the namespaces' own link takes it too (the tests could use it for delay).
        let link = String(network.generator.dropLast()) + "a"
        let added = try runProcess(URL(fileURLWithPath: "/usr/sbin/ip"), ["netns", "exec", network.generator, "/usr/sbin/tc", "qdisc",
                                                                       "add", "dev", link, "root", "netem", "delay", "1ms"])
        XCTAssertEqual(added.status, 0, added.all)
    }

    func testPacketLossIsAccountedExactly() throws {
        let url = try startServer(["--latency-ms", "5"])
        try network.faults((output: "numgen random mod 100 < 2 drop", input: "numgen random mod 100 < 2 drop"))
        let output = try run(["--vus", "10", "--requests", "1000", "--timeout", "5", "--responses", "r.jsonl", "--output", "o.json"], url: url)
        XCTAssertTrue([0, 1].contains(output.status), output.all)
        XCTAssertEqual(records("r.jsonl").count, 1000, "one record per request")
        try network.faults(nil)
        XCTAssertLessThanOrEqual(received(url), 1000, "at most once: the server never got more than the records")
        XCTAssertGreaterThan(records("r.jsonl").filter { $0["success"] as? Bool == true }.count, 900, "TCP retransmits most losses")
        report("2% loss each way", url: url, records: 1000, output: "o.json")
    }

    func testResetsAreTransportFailuresAndNeverResent() throws {
        let url = try startServer(["--latency-ms", "5"])
        try network.faults((output: "", input: "tcp flags & (syn | ack) != syn numgen random mod 100 < 1 reject with tcp reset"))
        let output = try run(["--vus", "10", "--requests", "2000", "--timeout", "2", "--responses", "r.jsonl", "--output", "o.json"], url: url)
        XCTAssertTrue([0, 1].contains(output.status), output.all)
        XCTAssertEqual(records("r.jsonl").count, 2000)
        try network.faults(nil)
        XCTAssertLessThanOrEqual(received(url), 2000)
        let kinds = Set(errors("o.json").keys)
        XCTAssertTrue(kinds.isSubset(of: ["ConnectionReset", "ServerDisconnected", "Timeout", "ConnectionRefused"]), "\(kinds)")
        XCTAssertFalse(kinds.isEmpty, "the resets hit")
        report("1% of the target's packets answered with a reset", url: url, records: 2000, output: "o.json")
    }

    func testAPartitionTimesOutItsRequestsAndTheVUsRecover() throws {
        let url = try startServer(["--latency-ms", "5"])
        let output = try run(["--vus", "10", "--duration", "8", "--timeout", "1", "--responses", "r.jsonl", "--output", "o.json",
                              "--timeseries", "t.jsonl", "--interval", "1"], url: url) { _ in
            usleep(2_000_000)
            try? self.network.faults((output: "drop", input: "drop"))
            usleep(3_000_000)
            try? self.network.faults(nil)
        }
        XCTAssertTrue([0, 1].contains(output.status), output.all)
        let lines = records("r.jsonl")
        let timeouts = lines.filter { $0["error"] as? String == "Timeout" }.count
        XCTAssertGreaterThanOrEqual(timeouts, 10, "each VU's request in the partition timed out")
        XCTAssertLessThanOrEqual(received(url), lines.count)
        let series = records("t.jsonl")
        XCTAssertGreaterThan(series.last?["successful"] as? Int ?? 0, 0, "recovered: the last interval has successes")
        let back = series.first { ($0["t"] as? Double ?? 0) > 5 && ($0["successful"] as? Int ?? 0) > 0 }?["t"] as? Double
        report("3 s partition from 2 s (first interval with successes after it ends at \(back ?? -1) s)", url: url, records: lines.count,
               output: "o.json")
    }

    /// The generator's own packets to the target answered with a reset for half a second: the streams
    /// in flight are cut mid-answer. It starts once the run is under way (its first record written, at
    /// most 30 s), not at a fixed time: a loaded machine once started the run after the burst had ended.
    func resetBurst() {
        let begun = Date()
        while (try? FileManager.default.attributesOfItem(atPath: path("r.jsonl"))[.size] as? Int) ?? 0 == 0,
              Date().timeIntervalSince(begun) < 30 {
            usleep(50_000)
        }
        usleep(300_000)
        try? network.faults((output: "tcp flags & (syn | ack) != syn reject with tcp reset", input: ""))
        usleep(500_000)
        try? network.faults(nil)
    }

    func testAStreamCutMidAnswerIsAnIncompleteStream() throws {
        let url = try startServer(["--ttft-ms", "20", "--itl-ms", "40", "--tokens", "30"])
        let output = try run(["--vus", "4", "--duration", "5", "--stream", "--timeout", "5", "--responses", "r.jsonl"], url: url) { _ in
            self.resetBurst()
        }
        XCTAssertTrue([0, 1].contains(output.status), output.all)
        let cut = records("r.jsonl").filter { $0["error"] as? String == "IncompleteStream" }
        XCTAssertFalse(cut.isEmpty, "answers cut mid-stream are IncompleteStream")
        XCTAssertTrue(cut.allSatisfy { ($0["chunks"] as? Int ?? 0) > 0 })
    }

    func testAConversationBrokenByAResetEndsAndTheNextStartsClean() throws {
        let url = try startServer(["--latency-ms", "100"])
        let output = try run(["--vus", "4", "--duration", "5", "--turns", "3", "--timeout", "5", "--responses", "r.jsonl"], url: url) { _ in
            self.resetBurst()
        }
        XCTAssertTrue([0, 1].contains(output.status), output.all)
        let lines = records("r.jsonl")
        XCTAssertTrue(lines.contains { $0["success"] as? Bool == false }, "the reset broke some turns")
        for vu in 0..<4 {
            let sequence = lines.filter { $0["vu"] as? Int == vu }
            for (previous, next) in zip(sequence, sequence.dropFirst()) where previous["success"] as? Bool == false {
                XCTAssertEqual(next["turn"] as? Int, 1, "after a broken turn, a new conversation: \(next)")
            }
        }
        XCTAssertGreaterThan(lines.filter { ($0["turn"] as? Int ?? 0) > 1 && $0["success"] as? Bool == true }.count, 0,
                             "conversations carried on before and after")
    }
}
