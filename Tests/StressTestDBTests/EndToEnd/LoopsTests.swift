import Foundation
import TestSupport
import XCTest

/// `--loops` (SPEC 19): everything behaves with three event loops as with one. Each test runs the
/// same invocation at `--loops 1` and `--loops 3` and checks counts against lamb-sim's own.
final class LoopsTests: BinaryTestCase {
    let loopCounts = [1, 3]

    func document(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name)))) as! [String: Any]
    }

    func testRequestCountIsExactOverLoopsAndEveryVUSends() throws {
        for loops in loopCounts {
            let server = try LambSimServer(["--no-db", "--latency-ms", "1-5"])
            let output = try stressTest(["--loops", "\(loops)", "--vus", "7", "--requests", "301", "--responses", "r\(loops).jsonl",
                                         "--output", "r\(loops).json", "--verbose"], environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            let lines = records("r\(loops).jsonl")
            XCTAssertEqual(lines.count, 301, "loops \(loops)")
            XCTAssertEqual(try server.stats()["received"] as? Int, 301, "loops \(loops)")
            XCTAssertEqual(Set(lines.compactMap { $0["vu"] as? Int }), Set(0..<7), "every VU, numbered over the run")
            let metadata = try document("r\(loops).json")["metadata"] as! [String: Any]
            XCTAssertEqual(metadata["loops"] as? Int, loops)
            // The engine's counters are summed over the loops: one connection per VU.
            XCTAssertTrue(output.stderr.contains("connections opened: 7"), output.stderr)
        }
    }

    func testRateScheduleStaysExact() throws {
        for loops in loopCounts {
            let server = try LambSimServer(["--no-db", "--latency-ms", "2"])
            let output = try stressTest(["--loops", "\(loops)", "--rate", "300", "--vus", "9", "--duration", "2",
                                         "--responses", "o\(loops).jsonl", "--output", "o\(loops).json"],
                                        environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            let lines = records("o\(loops).jsonl")
            XCTAssertEqual(lines.count, 600, "request i due at i/R: 600 before 2 s, loops \(loops)")
            XCTAssertEqual(try server.stats()["received"] as? Int, 600)
            XCTAssertTrue(lines.allSatisfy { $0["start_lag_ms"] is Double })
            let statistics = try document("o\(loops).json")["statistics"] as! [String: Any]
            // Never faster than the schedule. How much slower is the machine's load, not the schedule's: the
            // due times themselves are pinned by the scheduler's socket-free tests (SchedulerOpenModelTests).
            let achieved = try XCTUnwrap(statistics["achieved_rate"] as? Double)
            XCTAssertGreaterThan(achieved, 0)
            XCTAssertLessThanOrEqual(achieved, 300 * 1.05, "loops \(loops)")
        }
    }

    func testStagesRampOnlyTheFirstVUsOfTheRun() throws {
        for loops in loopCounts {
            let server = try LambSimServer(["--no-db", "--latency-ms", "5"])
            // Up to 4 of 9 VUs: VUs 0-3 of the run, whichever loop holds them.
            let output = try stressTest(["--loops", "\(loops)", "--vus", "9", "--stages", "1s:4,1s:4", "--responses", "s\(loops).jsonl"],
                                        environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            let users = Set(records("s\(loops).jsonl").compactMap { $0["vu"] as? Int })
            XCTAssertEqual(users, Set(0..<4), "loops \(loops)")
        }
    }

    func testConversationsReserveTheirTurnsAcrossLoops() throws {
        for loops in loopCounts {
            let server = try LambSimServer(["--latency-ms", "1"])
            let output = try stressTest(["--loops", "\(loops)", "--vus", "4", "--requests", "24", "--turns", "3",
                                         "--responses", "c\(loops).jsonl"], environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            XCTAssertEqual(try XCTUnwrap(try server.stats()["chats_by_turns"] as? [String: Int]), ["3": 8], "loops \(loops)")
            XCTAssertEqual(records("c\(loops).jsonl").count, 24)
        }
    }

    func testShardsSourceAddressesAndStreaming() throws {
        for loops in loopCounts {
            let server = try LambSimServer(["--no-db", "--ttft-ms", "5", "--itl-ms", "1", "--tokens", "4"])
            let output = try stressTest(["--loops", "\(loops)", "--shard", "1/2", "--vus", "12", "--requests", "100", "--stream",
                                         "--source-address", "127.0.0.2,127.0.0.3", "--responses", "d\(loops).jsonl"],
                                        environment: environment(server.baseURL))
            XCTAssertEqual(output.status, 0, output.all)
            let lines = records("d\(loops).jsonl")
            XCTAssertEqual(lines.count, 50, "shard 1 of 2: half the requests, loops \(loops)")
            XCTAssertTrue(lines.allSatisfy { ($0["chunks"] as? Int) == 4 && $0["ttft_ms"] is Double }, "every stream read whole")
            let peers = try XCTUnwrap(try server.stats()["connections_by_peer"] as? [String: Int])
            XCTAssertEqual(peers.filter { $0.key != "127.0.0.1" }, ["127.0.0.2": 3, "127.0.0.3": 3], "6 VUs over 2 addresses")
        }
    }

    func testSIGINTStopsEveryLoopAndKeepsEveryRecord() throws {
        for loops in loopCounts {
            let server = try LambSimServer(["--no-db", "--latency-ms", "20-60"])
            let output = try stressTest(["--loops", "\(loops)", "--vus", "30", "--duration", "60", "--responses", "i\(loops).jsonl"],
                                        environment: environment(server.baseURL), onStart: { process in
                self.wait(for: server, toReceive: 200)
                kill(process.processIdentifier, SIGINT)
            })
            XCTAssertEqual(output.status, 130, output.all)
            let lines = records("i\(loops).jsonl")
            // Every request the server got has its record: nothing lost, nothing twice. Only a request aborted
            // after the grace may have a record without reaching the server.
            let received = try XCTUnwrap(try server.stats()["received"] as? Int)
            let aborted = lines.filter { ($0["error"] as? String) == "Aborted" }.count
            XCTAssertTrue((received...(received + aborted)).contains(lines.count), "loops \(loops): \(lines.count) records, \(received) received")
            XCTAssertTrue(output.stdout.contains("Requests:     \(lines.count) total"), output.stdout)
        }
    }
}
