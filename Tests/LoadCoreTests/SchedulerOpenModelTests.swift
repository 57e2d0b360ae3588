import XCTest
@testable import LoadCore

/// The open model and the stages, without a socket: made-up clocks, counted starts.
final class SchedulerOpenModelTests: XCTestCase {
    let ms: UInt64 = 1_000_000
    let second: UInt64 = 1_000_000_000

    func open(_ rate: Double, vus: Int, requests: Int? = nil, duration: Double? = nil,
              arrival: LoadPlan.Arrival = .constant) -> Scheduler {
        Scheduler(virtualUsers: vus, requestLimit: requests, durationSeconds: duration, graceSeconds: 0.5, startAt: 0,
                  plan: .open(rate: .fixed(requestsPerSecond: rate), arrival: arrival, seed: 1))
    }

    func testRequestsStartAtTheirScheduledTimes() {
        var scheduler = open(100, vus: 10, requests: 5)
        XCTAssertEqual(scheduler.begin(now: 0), [.start(virtualUser: 0, scheduledAt: 0)])
        XCTAssertEqual(scheduler.nextDeadline(now: 0), 10 * ms)
        XCTAssertEqual(scheduler.tick(now: 9 * ms), [])
        XCTAssertEqual(scheduler.tick(now: 10 * ms), [.start(virtualUser: 1, scheduledAt: 10 * ms)])
        // A late tick starts both due requests, each keeping its own scheduled time.
        XCTAssertEqual(scheduler.tick(now: 35 * ms), [.start(virtualUser: 2, scheduledAt: 20 * ms),
                                                      .start(virtualUser: 3, scheduledAt: 30 * ms)])
        XCTAssertEqual(scheduler.tick(now: 40 * ms), [.start(virtualUser: 4, scheduledAt: 40 * ms)])
        XCTAssertNil(scheduler.nextDeadline(now: 40 * ms), "five requests: the schedule is over")
        XCTAssertEqual(scheduler.released, 5)
        for user in 0..<5 { _ = scheduler.finished(virtualUser: user, now: 50 * ms) }
        XCTAssertTrue(scheduler.isFinished(at: 50 * ms))
    }

    func testDueRequestsWaitInOrderWhenEveryVUIsBusyAndNoneIsDropped() {
        var scheduler = open(1000, vus: 2, requests: 6)
        _ = scheduler.begin(now: 0)
        XCTAssertEqual(scheduler.tick(now: 1 * ms), [.start(virtualUser: 1, scheduledAt: 1 * ms)])
        // Both VUs busy (the server stalls); three more fall due.
        XCTAssertEqual(scheduler.tick(now: 4 * ms), [])
        XCTAssertNil(scheduler.nextDeadline(now: 4 * ms), "with no free VU, only a completion can start one")
        XCTAssertEqual(scheduler.finished(virtualUser: 1, now: 500 * ms), [.start(virtualUser: 1, scheduledAt: 2 * ms)])
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 501 * ms), [.start(virtualUser: 0, scheduledAt: 3 * ms)])
        XCTAssertEqual(scheduler.finished(virtualUser: 1, now: 502 * ms), [.start(virtualUser: 1, scheduledAt: 4 * ms)])
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 503 * ms), [.start(virtualUser: 0, scheduledAt: 5 * ms)])
        XCTAssertEqual(scheduler.finished(virtualUser: 1, now: 504 * ms), [])
        XCTAssertEqual(scheduler.started, 6)
        XCTAssertEqual(scheduler.firstScheduledAt, 0)
        XCTAssertEqual(scheduler.lastStartAt, 503 * ms)
    }

    func testDurationSendsThoseScheduledBeforeItEvenIfTheyStartLater() {
        var scheduler = open(10, vus: 1, duration: 0.35)
        _ = scheduler.begin(now: 0)
        // Due at 100, 200, 300 ms; the one VU is busy until 2 s.
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 2 * second), [.start(virtualUser: 0, scheduledAt: 100 * ms)])
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 3 * second), [.start(virtualUser: 0, scheduledAt: 200 * ms)])
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 4 * second), [.start(virtualUser: 0, scheduledAt: 300 * ms)])
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 5 * second), [], "400 ms is past the duration")
        XCTAssertTrue(scheduler.isFinished(at: 5 * second))
    }

    func testStopDropsTheBacklogAndAbortsAfterTheGrace() {
        var scheduler = open(1000, vus: 1, requests: 100)
        _ = scheduler.begin(now: 0)
        _ = scheduler.tick(now: 50 * ms)
        scheduler.stop(now: 60 * ms)
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 70 * ms), [], "nothing starts after the stop")
        XCTAssertTrue(scheduler.isFinished(at: 70 * ms), "the requests still waiting were never sent")
        XCTAssertEqual(scheduler.started, 1)
    }

    func testStopWithARequestInFlightAbortsItAtTheEndOfTheGrace() {
        var scheduler = open(1000, vus: 3, requests: 100)
        _ = scheduler.begin(now: 0)
        _ = scheduler.tick(now: 2 * ms)
        scheduler.stop(now: 10 * ms)
        XCTAssertEqual(scheduler.tick(now: 10 * ms + 500 * ms), [.abort(virtualUsers: [0, 1, 2])])
    }

    func testClosedModelStagesRampActiveVUs() {
        let stages = StageProfile([Stage(durationSeconds: 10, target: 4), Stage(durationSeconds: 10, target: 0)])
        var scheduler = Scheduler(virtualUsers: 4, requestLimit: nil, durationSeconds: nil, graceSeconds: 0.5, startAt: 0,
                                  plan: .closed(stages: stages))
        XCTAssertEqual(scheduler.begin(now: 0), [], "the ramp starts from 0")
        XCTAssertEqual(scheduler.nextDeadline(now: 0), Scheduler.rampTick)
        XCTAssertEqual(scheduler.tick(now: 2 * second), [.start(virtualUser: 0, scheduledAt: 2 * second)], "target 0.8 → 1")
        XCTAssertEqual(scheduler.tick(now: 5 * second).count, 1, "target 2")
        XCTAssertEqual(scheduler.tick(now: 10 * second).count, 2, "target 4")
        // Ramping down: a VU above the target finishes its request and stops.
        XCTAssertEqual(scheduler.finished(virtualUser: 3, now: 15 * second), [], "target 2 at 15 s")
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 15 * second), [.start(virtualUser: 0, scheduledAt: 15 * second)])
        XCTAssertFalse(scheduler.isFinished(at: 15 * second))
        for user in [0, 1, 2] { _ = scheduler.finished(virtualUser: user, now: 20 * second) }
        XCTAssertTrue(scheduler.isFinished(at: 20 * second), "the stages are over")
        XCTAssertNil(scheduler.nextDeadline(now: 20 * second))
    }

    func testRampedRateStartsFromZero() {
        let stages = StageProfile([Stage(durationSeconds: 1, target: 100)])
        var scheduler = Scheduler(virtualUsers: 100, requestLimit: nil, durationSeconds: nil, graceSeconds: 0.5, startAt: 0,
                                  plan: .open(rate: .stages(stages), arrival: .constant, seed: 1))
        var starts = scheduler.begin(now: 0).count
        var now: UInt64 = 0
        while now < second {
            now += 10 * ms
            starts += scheduler.tick(now: now).count
        }
        XCTAssertEqual(starts, 50, "the area under 0→100 req/s over 1 s")
        XCTAssertEqual(scheduler.target(at: 500 * ms), 50, accuracy: 1e-9)
    }
}
