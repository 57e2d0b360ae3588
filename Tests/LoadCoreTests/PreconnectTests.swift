import LoadCore
import XCTest

/// `--preconnect`'s decisions without sockets: which VUs open a connection, and how the phase is counted.
final class PreconnectTests: XCTestCase {
    func testEveryVUOpensOverHTTP1AndEachShardOnceOverHTTP2() {
        XCTAssertEqual(Preconnect.openers(virtualUsers: 5, perShard: 32, http2: false), [0, 1, 2, 3, 4])
        // --http2 --connections: a shard is one connection, its first VU opens it.
        XCTAssertEqual(Preconnect.openers(virtualUsers: 10, perShard: 4, http2: true), [0, 4, 8])
        // --http2 without --connections: one VU a shard, one connection each.
        XCTAssertEqual(Preconnect.openers(virtualUsers: 3, perShard: 1, http2: true), [0, 1, 2])
        XCTAssertEqual(Preconnect.openers(virtualUsers: 0, perShard: 1, http2: false), [])
    }

    func testTheShardsOfAnHTTP2RunAreItsConnections() {
        var configuration = EngineConfiguration(url: "https://127.0.0.1:1/", virtualUsers: 40)
        configuration.http2 = true
        configuration.connections = 4
        let openers = Preconnect.openers(virtualUsers: 40, perShard: configuration.virtualUsersPerShard, http2: true)
        XCTAssertEqual(openers.count, 4)
    }

    func testAnyAnswerOpensOnlyATransportFailureDoesNot() {
        var phase = Preconnect()
        phase.add(failure: nil, connectedAtMilliseconds: 0.4, tlsDoneAtMilliseconds: 3.5)
        phase.add(failure: nil, connectedAtMilliseconds: 0.6, tlsDoneAtMilliseconds: 0)
        phase.add(failure: "Couldn't connect to server", connectedAtMilliseconds: 0, tlsDoneAtMilliseconds: 0)
        XCTAssertEqual(phase.connections, 3)
        XCTAssertEqual(phase.opened, 2)
        XCTAssertEqual(phase.failed, 1)
        XCTAssertEqual(phase.connectMilliseconds, [0.4, 0.6])
        XCTAssertEqual(phase.tlsMilliseconds.count, 1, "plain http has no handshake")
        XCTAssertEqual(phase.tlsMilliseconds[0], 3.1, accuracy: 1e-9, "TLS is the part after the connect")
    }

    func testTheLoopsAddUpAndTheMostCommonFailureIsNamed() {
        var one = Preconnect(), two = Preconnect()
        one.add(failure: "Timeout was reached", connectedAtMilliseconds: 0, tlsDoneAtMilliseconds: 0)
        one.add(failure: nil, connectedAtMilliseconds: 1, tlsDoneAtMilliseconds: 0)
        two.add(failure: "Couldn't connect to server", connectedAtMilliseconds: 0, tlsDoneAtMilliseconds: 0)
        two.add(failure: "Couldn't connect to server", connectedAtMilliseconds: 0, tlsDoneAtMilliseconds: 0)
        let run = Preconnect.merged([one, two])
        XCTAssertEqual(run.connections, 4)
        XCTAssertEqual(run.opened, 1)
        XCTAssertEqual(run.failures, ["Timeout was reached": 1, "Couldn't connect to server": 2])
        XCTAssertEqual(run.mostCommonFailure, "Couldn't connect to server")
        XCTAssertNil(Preconnect().mostCommonFailure)
        var tie = Preconnect()
        tie.failures = ["b": 1, "a": 1]
        XCTAssertEqual(tie.mostCommonFailure, "a", "a tie is broken by name, so reports repeat")
    }
}
