import CCurl
import XCTest
@testable import CurlEngine
@testable import LoadCore

/// Which `epoll_ctl` calls the loop makes, decided without epoll.
final class EpollRegistryTests: XCTestCase {
    let inOut = EPOLLIN.rawValue | EPOLLOUT.rawValue

    func testFirstInterestAddsThenChangesModify() {
        var registry = EpollRegistry()
        XCTAssertEqual(registry.want(fd: 7, what: CURL_POLL_OUT, shard: 2), .add(fd: 7, events: EPOLLOUT.rawValue))
        XCTAssertEqual(registry.want(fd: 7, what: CURL_POLL_IN, shard: 2), .modify(fd: 7, events: EPOLLIN.rawValue))
        XCTAssertNil(registry.want(fd: 7, what: CURL_POLL_IN, shard: 2), "no call when nothing changes")
        XCTAssertEqual(registry.want(fd: 7, what: CURL_POLL_INOUT, shard: 2), .modify(fd: 7, events: inOut))
    }

    func testAKeptAliveConnectionGoingIdleKeepsItsRegistration() {
        var registry = EpollRegistry()
        _ = registry.want(fd: 9, what: CURL_POLL_IN, shard: 0)
        XCTAssertNil(registry.want(fd: 9, what: CURL_POLL_REMOVE, shard: 0), "idle: no epoll_ctl")
        // Reused for the next request with the same interest: still no call.
        XCTAssertNil(registry.want(fd: 9, what: CURL_POLL_IN, shard: 0))
        XCTAssertEqual(registry.fired(fd: 9, events: EPOLLIN.rawValue), .deliver(shard: 0, flags: CURL_CSELECT_IN))
    }

    func testAnIdleSocketThatFiresIsDropped() {
        var registry = EpollRegistry()
        _ = registry.want(fd: 9, what: CURL_POLL_IN, shard: 3)
        _ = registry.want(fd: 9, what: CURL_POLL_REMOVE, shard: 3)
        XCTAssertEqual(registry.fired(fd: 9, events: EPOLLIN.rawValue | EPOLLHUP.rawValue), .dropIdle(.remove(fd: 9)))
        // Wanted again later: it must be added afresh, not modified.
        XCTAssertEqual(registry.want(fd: 9, what: CURL_POLL_IN, shard: 3), .add(fd: 9, events: EPOLLIN.rawValue))
    }

    func testAClosedDescriptorIsForgottenBeforeItsNumberIsReused() {
        var registry = EpollRegistry()
        _ = registry.want(fd: 12, what: CURL_POLL_IN, shard: 1)
        XCTAssertEqual(registry.closing(fd: 12), .remove(fd: 12))
        XCTAssertNil(registry.closing(fd: 12), "closing twice asks nothing of epoll")
        // The number comes back for another shard's new connection.
        XCTAssertEqual(registry.want(fd: 12, what: CURL_POLL_OUT, shard: 4), .add(fd: 12, events: EPOLLOUT.rawValue))
        XCTAssertEqual(registry.fired(fd: 12, events: EPOLLOUT.rawValue), .deliver(shard: 4, flags: CURL_CSELECT_OUT))
    }

    func testClosingASocketEpollNeverHadNeedsNoCall() {
        var registry = EpollRegistry()
        XCTAssertNil(registry.closing(fd: 5000), "a descriptor past the table")
        _ = registry.want(fd: 4, what: CURL_POLL_REMOVE, shard: 0)
        XCTAssertNil(registry.closing(fd: 4))
    }

    func testAnEventForAnUnknownDescriptorIsDropped() {
        var registry = EpollRegistry()
        XCTAssertEqual(registry.fired(fd: 100_000, events: EPOLLIN.rawValue), .dropIdle(.remove(fd: 100_000)))
    }

    func testEventFlagsMapping() {
        XCTAssertEqual(EpollRegistry.curlFlags(forEpoll: EPOLLERR.rawValue), CURL_CSELECT_ERR)
        XCTAssertEqual(EpollRegistry.curlFlags(forEpoll: EPOLLIN.rawValue | EPOLLHUP.rawValue), CURL_CSELECT_IN | CURL_CSELECT_ERR)
        XCTAssertEqual(EpollRegistry.curlFlags(forEpoll: inOut), CURL_CSELECT_IN | CURL_CSELECT_OUT)
        XCTAssertEqual(EpollRegistry.events(forCurl: CURL_POLL_REMOVE), 0)
    }

    func testTheTableGrowsForLargeDescriptors() {
        var registry = EpollRegistry()
        XCTAssertEqual(registry.want(fd: 70_000, what: CURL_POLL_IN, shard: 9), .add(fd: 70_000, events: EPOLLIN.rawValue))
        XCTAssertGreaterThan(registry.wanted.count, 70_000)
        XCTAssertEqual(registry.fired(fd: 70_000, events: EPOLLIN.rawValue), .deliver(shard: 9, flags: CURL_CSELECT_IN))
    }
}
