import XCTest
@testable import CurlEngine
@testable import LoadCore

final class ShardTimersTests: XCTestCase {
    func testEarliestFollowsEverySetAndCancel() {
        var timers = ShardTimers(shards: 4)
        XCTAssertNil(timers.earliest())
        timers.set(2, to: 50)
        timers.set(0, to: 30)
        timers.set(3, to: 40)
        XCTAssertEqual(timers.earliest(), 30)
        timers.set(0, to: nil)
        XCTAssertEqual(timers.earliest(), 40, "cancelling the earliest finds the next")
        timers.set(3, to: 60)
        XCTAssertEqual(timers.earliest(), 50, "moving the earliest later finds the next")
        timers.set(1, to: 10)
        XCTAssertEqual(timers.earliest(), 10)
    }

    func testDueTimersAreTakenOnceAndCleared() {
        var timers = ShardTimers(shards: 3)
        timers.set(0, to: 100)
        timers.set(1, to: 200)
        timers.set(2, to: 100)
        XCTAssertEqual(timers.takeDue(now: 99), [])
        XCTAssertEqual(timers.takeDue(now: 150), [0, 2])
        XCTAssertEqual(timers.takeDue(now: 150), [], "taken once")
        XCTAssertEqual(timers.earliest(), 200)
        XCTAssertEqual(timers.takeDue(now: 200), [1])
        XCTAssertNil(timers.earliest())
    }
}
