import XCTest
@testable import LoadCore

/// The closed-loop plan without a socket: made-up clocks, counted starts.
final class SchedulerTests: XCTestCase {
    let second: UInt64 = 1_000_000_000

    func started(_ actions: [Scheduler.Action]) -> [Int] {
        actions.compactMap { if case .start(let user, _) = $0 { return user } else { return nil } }
    }

    func testRequestModeHandsExactlyNRequestsToWhoeverIsFree() {
        var scheduler = Scheduler(virtualUsers: 3, requestLimit: 5, durationSeconds: nil, graceSeconds: 0.5, startAt: 0)
        XCTAssertEqual(started(scheduler.begin(now: 0)), [0, 1, 2])
        // VU 1 is fast: it takes the fourth and fifth requests; then nobody gets a sixth.
        XCTAssertEqual(scheduler.finished(virtualUser: 1, now: 10), [.start(virtualUser: 1, scheduledAt: 10)])
        XCTAssertEqual(scheduler.finished(virtualUser: 1, now: 20), [.start(virtualUser: 1, scheduledAt: 20)])
        XCTAssertEqual(scheduler.finished(virtualUser: 1, now: 30), [])
        XCTAssertEqual(scheduler.started, 5)
        XCTAssertFalse(scheduler.isFinished(at: 0))
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 40), [])
        XCTAssertEqual(scheduler.finished(virtualUser: 2, now: 50), [])
        XCTAssertTrue(scheduler.isFinished(at: 0))
        XCTAssertEqual(scheduler.started, 5)
    }

    func testFewerRequestsThanVUs() {
        var scheduler = Scheduler(virtualUsers: 10, requestLimit: 2, durationSeconds: nil, graceSeconds: 0.5, startAt: 0)
        XCTAssertEqual(started(scheduler.begin(now: 0)), [0, 1])
        XCTAssertEqual(scheduler.inFlight, 2)
    }

    func testDurationModeStartsNothingAtOrAfterTheEnd() {
        var scheduler = Scheduler(virtualUsers: 2, requestLimit: nil, durationSeconds: 1, graceSeconds: 0.5, startAt: 5 * second)
        XCTAssertEqual(started(scheduler.begin(now: 5 * second)).count, 2)
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 6 * second - 1), [.start(virtualUser: 0, scheduledAt: 6 * second - 1)])
        XCTAssertEqual(scheduler.finished(virtualUser: 1, now: 6 * second), [])
        // The end of the duration is not a wake-up: in-flight requests just finish.
        XCTAssertNil(scheduler.nextDeadline(now: 7 * second))
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 7 * second), [])
        XCTAssertTrue(scheduler.isFinished(at: 0))
    }

    func testBothLimitsWhicheverComesFirst() {
        var scheduler = Scheduler(virtualUsers: 1, requestLimit: 2, durationSeconds: 100, graceSeconds: 0.5, startAt: 0)
        _ = scheduler.begin(now: 0)
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 1).count, 1)
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 2), [], "the count ends it before the duration")
    }

    func testStopLetsInFlightFinishWithinTheGraceThenAbortsTheRest() {
        var scheduler = Scheduler(virtualUsers: 3, requestLimit: nil, durationSeconds: 60, graceSeconds: 0.5, startAt: 0)
        _ = scheduler.begin(now: 0)
        scheduler.stop(now: second)
        XCTAssertEqual(scheduler.nextDeadline(now: second), second + second / 2)
        XCTAssertEqual(scheduler.finished(virtualUser: 1, now: second + 1), [], "no new request after the stop")
        XCTAssertEqual(scheduler.tick(now: second + second / 2 - 1), [], "still inside the grace")
        XCTAssertEqual(scheduler.tick(now: second + second / 2), [.abort(virtualUsers: [0, 2])])
        XCTAssertTrue(scheduler.isFinished(at: 0))
        XCTAssertEqual(scheduler.tick(now: 2 * second), [], "nothing left to abort")
        // A second stop does not move the deadline.
        scheduler.stop(now: 3 * second)
        XCTAssertEqual(scheduler.nextDeadline(now: second), second + second / 2)
    }

    func testAStopWithNothingInFlightEndsAtOnce() {
        var scheduler = Scheduler(virtualUsers: 1, requestLimit: nil, durationSeconds: 10, graceSeconds: 0.5, startAt: 0)
        _ = scheduler.begin(now: 0)
        scheduler.stop(now: 1)
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 2), [])
        XCTAssertTrue(scheduler.isFinished(at: 0))
        XCTAssertEqual(scheduler.tick(now: second), [])
    }

    func testARequestThatCouldNotStartLeavesItsVUIdle() {
        var scheduler = Scheduler(virtualUsers: 2, requestLimit: 10, durationSeconds: nil, graceSeconds: 0.5, startAt: 0)
        _ = scheduler.begin(now: 0)
        scheduler.failedToStart(virtualUser: 0)
        XCTAssertEqual(scheduler.inFlight, 1)
        XCTAssertEqual(scheduler.started, 2, "it counts as sent: it has its record")
        scheduler.stop(now: 5)
        XCTAssertEqual(scheduler.tick(now: second), [.abort(virtualUsers: [1])])
    }

    /// `--turns 3 --requests 10` with 2 VUs: each conversation reserves its turns, so a fast VU cannot
    /// leave a slow one's conversation cut short; the count's last, partial conversation has 1 turn.
    func testConversationsReserveTheirTurnsFromTheCount() {
        var scheduler = Scheduler(virtualUsers: 2, requestLimit: 10, durationSeconds: nil, graceSeconds: 0.5, startAt: 0,
                                  conversations: .turns(3))
        var turns = [0, 0]
        XCTAssertEqual(started(scheduler.begin(now: 0)), [0, 1])  // 6 of the 10 reserved
        turns = [1, 1]
        // VU 0 is fast: it ends its 3 turns, then reserves the next 3 (9 reserved), ends them, then gets
        // the last one; VU 1's reserved turns are still there for it.
        for now in 1...6 {
            let next = started(scheduler.finished(virtualUser: 0, now: UInt64(now)))
            XCTAssertEqual(next, [0], "turn \(now + 1) of VU 0")
            turns[0] += 1
        }
        XCTAssertEqual(started(scheduler.finished(virtualUser: 0, now: 7)), [], "the count is all reserved")
        XCTAssertEqual(started(scheduler.finished(virtualUser: 1, now: 8)), [1])
        XCTAssertEqual(started(scheduler.finished(virtualUser: 1, now: 9)), [1])
        turns[1] += 2
        XCTAssertEqual(turns, [7, 3])
        XCTAssertEqual(started(scheduler.finished(virtualUser: 1, now: 10)), [])
        XCTAssertEqual(scheduler.started, 10)
        XCTAssertTrue(scheduler.isFinished(at: 10))
    }

    func testAConversationEndedEarlyGivesItsTurnsBack() {
        var scheduler = Scheduler(virtualUsers: 2, requestLimit: 6, durationSeconds: nil, graceSeconds: 0.5, startAt: 0,
                                  conversations: .turns(3))
        XCTAssertEqual(started(scheduler.begin(now: 0)), [0, 1])  // all 6 reserved
        // VU 0's first turn failed: its two other turns return, and it begins a new conversation with them.
        scheduler.conversationEnded(virtualUser: 0)
        XCTAssertEqual(started(scheduler.finished(virtualUser: 0, now: 1)), [0])
        XCTAssertEqual(started(scheduler.finished(virtualUser: 0, now: 2)), [0])
        XCTAssertEqual(started(scheduler.finished(virtualUser: 0, now: 3)), [], "2 turns were left: the new one has 2")
        XCTAssertEqual(started(scheduler.finished(virtualUser: 1, now: 4)), [1])
        XCTAssertEqual(started(scheduler.finished(virtualUser: 1, now: 5)), [1])
        XCTAssertEqual(started(scheduler.finished(virtualUser: 1, now: 6)), [])
        XCTAssertEqual(scheduler.started, 6)
    }
}
