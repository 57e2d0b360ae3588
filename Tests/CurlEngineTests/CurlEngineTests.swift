import CurlEngine
import Foundation
import LoadCore
import TestSupport
import XCTest

/// The engine against a real lamb-sim and raw listeners on loopback.
final class CurlEngineTests: XCTestCase {
    func configuration(_ url: String, vus: Int, requests: Int? = nil, duration: Double? = nil,
                       timeout: Double = 30, capture: Int = 1 << 20) -> EngineConfiguration {
        chatConfiguration(url, vus: vus, requests: requests, duration: duration, timeout: timeout, capture: capture)
    }

    func run(_ configuration: EngineConfiguration, stopAfter: Double? = nil) throws -> ([RequestResult], CurlEngine) {
        try runEngine(configuration, stopAfter: stopAfter)
    }

    func chatURL(_ server: LambSimServer) -> String { server.chatURL }

    func testExactRequestCountsAndOneConnectionPerVU() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "1"])
        for (vus, requests) in [(1, 5), (7, 50), (50, 333), (500, 1500)] {
            let (records, engine) = try run(configuration(chatURL(server), vus: vus, requests: requests))
            XCTAssertEqual(records.count, requests, "\(vus) VUs")
            XCTAssertEqual(records.filter { $0.statusCode == 200 && $0.failure == nil }.count, requests, "\(vus) VUs")
            XCTAssertEqual(engine.counters.connectionsOpened, vus, "\(vus) VUs keep one connection each")
            XCTAssertEqual(records.reduce(0) { $0 + $1.newConnections }, vus)
            XCTAssertEqual(Set(records.map(\.virtualUser)).count, vus)
            XCTAssertTrue(records.allSatisfy { $0.body.starts(with: Array(#"{"id":"#.utf8)) })
            XCTAssertTrue(records.allSatisfy { $0.contentType == "application/json" })
        }
    }

    func testDurationModeStopsOnTime() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "20"])
        let started = wallClockMicroseconds()
        let (records, _) = try run(configuration(chatURL(server), vus: 10, duration: 1.0))
        XCTAssertGreaterThan(wallClockMicroseconds() - started, 950_000, "it ran for the duration")
        // No request started after the duration (start = completion - latency; 50 ms of clock slack).
        let latestStart = records.map { $0.completedAtMicroseconds - Int64($0.latencyMilliseconds * 1000) }.max() ?? 0
        XCTAssertLessThan(latestStart - started, 1_050_000)
        XCTAssertGreaterThan(records.count, 10)
        XCTAssertTrue(records.allSatisfy { $0.failure == nil })
    }

    func testLatencyIsMeasuredToTheCompleteBody() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "100"])
        let (records, _) = try run(configuration(chatURL(server), vus: 4, requests: 8))
        for record in records {
            XCTAssertGreaterThanOrEqual(record.latencyMilliseconds, 99)
            XCTAssertLessThan(record.latencyMilliseconds, 10_000)
        }
    }

    func testRefusedPort() throws {
        let (records, _) = try run(configuration("http://127.0.0.1:\(closedPort())/x", vus: 3, requests: 6))
        XCTAssertEqual(records.count, 6)
        XCTAssertTrue(records.allSatisfy { $0.failure == .connectionRefused && $0.statusCode == 0 }, "\(records.map(\.failure))")
        XCTAssertNotNil(records.first?.failureDetail)
    }

    func testStalledServerTimesOut() throws {
        let listener = try RawListener(.stall)
        let started = Date()
        let (records, _) = try run(configuration("http://127.0.0.1:\(listener.port)/x", vus: 2, requests: 2, timeout: 0.5))
        XCTAssertEqual(records.map(\.failure), [.timeout, .timeout])
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "the timeout ended a stall that never ends")
        for record in records { XCTAssertGreaterThanOrEqual(record.latencyMilliseconds, 490) }
    }

    func testConnectionClosedMidBody() throws {
        let server = try LambSimServer(["--no-db", "--fault-mid-body-rate", "1"])
        let (records, _) = try run(configuration(chatURL(server), vus: 2, requests: 4))
        XCTAssertEqual(records.count, 4)
        XCTAssertTrue(records.allSatisfy { $0.failure == .serverDisconnected }, "\(records.map(\.failure))")
    }

    func testConnectionClosedWithoutResponse() throws {
        let listener = try RawListener(.closeImmediately)
        let (records, _) = try run(configuration("http://127.0.0.1:\(listener.port)/x", vus: 2, requests: 4))
        XCTAssertEqual(records.count, 4)
        XCTAssertTrue(records.allSatisfy { $0.failure == .serverDisconnected || $0.failure == .connectionReset },
                      "\(records.map(\.failure))")
    }

    func testGarbageReply() throws {
        let listener = try RawListener(.reply("SSH-2.0-OpenSSH_9.2\r\n\r\n"))
        let (records, _) = try run(configuration("http://127.0.0.1:\(listener.port)/x", vus: 1, requests: 2))
        XCTAssertEqual(records.map(\.failure), [.invalidResponse, .invalidResponse])
    }

    func testServerClosingIdleKeptAliveConnections() throws {
        // Every answer looks keep-alive, then the server closes: each idle connection fires
        // while nobody waits on it, and the next request must reconnect, not hang. On a busy machine
        // a VU can pick its connection up before the server's FIN has arrived: that request was sent,
        // and since a request is never sent twice it is recorded as ServerDisconnected, not retried.
        let listener = try RawListener(.reply("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"))
        let (records, engine) = try run(configuration("http://127.0.0.1:\(listener.port)/x", vus: 40, requests: 400, timeout: 5))
        XCTAssertEqual(records.count, 400)
        let failures = records.compactMap(\.failure)
        XCTAssertTrue(failures.allSatisfy { $0 == .serverDisconnected }, "\(Set(failures))")
        XCTAssertEqual(records.filter { $0.statusCode == 200 }.count, 400 - failures.count)
        XCTAssertLessThan(failures.count, 40, "a race of the FIN in flight, not the rule: \(failures.count)")
        XCTAssertGreaterThan(engine.counters.connectionsOpened, 40)
    }

    func testTLSAgainstAPlainHTTPPort() throws {
        let server = try LambSimServer(["--no-db"])
        let (records, _) = try run(configuration("https://127.0.0.1:\(server.port)/", vus: 1, requests: 2))
        XCTAssertEqual(records.map(\.failure), [.tlsError, .tlsError])
    }

    func testStopMidRunLosesNoRecord() throws {
        let server = try LambSimServer(["--no-db", "--fault-stall-rate", "0.5", "--stall-seconds", "30", "--latency-ms", "5"])
        let started = Date()
        let (records, engine) = try run(configuration(chatURL(server), vus: 20, requests: 100_000), stopAfter: 0.7)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "stop ends the run, well before the 30 s stalls would")
        // Every request started has a record: completed or aborted.
        XCTAssertEqual(records.count, engine.counters.requestsStarted)
        XCTAssertGreaterThan(records.filter { $0.failure == .aborted }.count, 0)
        XCTAssertGreaterThan(records.filter { $0.failure == nil }.count, 0)
    }

    func testBodyCaptureStopsAtTheLimitButCountsEverything() throws {
        let server = try LambSimServer(["--no-db", "--fault-oversized-rate", "1", "--oversized-bytes", "100000"])
        let (records, _) = try run(configuration(chatURL(server), vus: 1, requests: 2, capture: 1000))
        for record in records {
            XCTAssertEqual(record.body.count, 1000)
            XCTAssertGreaterThan(record.bodyBytesReceived, 100_000)
            XCTAssertTrue(record.bodyCaptureIncomplete)
        }
    }

    func testProbe() throws {
        let server = try LambSimServer(["--no-db"])
        let options = Probe.perform(method: "OPTIONS", url: server.baseURL, timeoutSeconds: 5)
        XCTAssertLessThan(options.statusCode, 500)
        XCTAssertGreaterThan(options.statusCode, 0)
        let chat = Probe.perform(method: "POST", url: chatURL(server), headers: ["Authorization: Bearer \(LambSimServer.token)"],
                                 timeoutSeconds: 5, body: chatBody)
        XCTAssertEqual(chat.statusCode, 200)
        XCTAssertEqual(Probe.perform(method: "GET", url: "http://127.0.0.1:\(closedPort())/", timeoutSeconds: 5).failure, .connectionRefused)
    }
}
