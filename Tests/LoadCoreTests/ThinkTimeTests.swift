import XCTest
@testable import LoadCore

/// `--think` (SPEC 20): the specs, the draws, and the scheduler's pauses with made-up clocks.
final class ThinkTimeTests: XCTestCase {
    let second: UInt64 = 1_000_000_000

    func started(_ actions: [Scheduler.Action]) -> [Int] {
        actions.compactMap { if case .start(let user, _) = $0 { return user } else { return nil } }
    }

    func testSpecsParseWithUnitsAndSayThemselvesBack() {
        XCTAssertEqual(ThinkTime("5s"), .fixed(seconds: 5))
        XCTAssertEqual(ThinkTime("500ms"), .fixed(seconds: 0.5))
        XCTAssertEqual(ThinkTime("2s..20s"), .uniform(low: 2, high: 20))
        XCTAssertEqual(ThinkTime("1m..2m"), .uniform(low: 60, high: 120))
        XCTAssertEqual(ThinkTime("exp:10s"), .exponential(mean: 10))
        XCTAssertEqual(ThinkTime("3"), .fixed(seconds: 3), "a bare number is seconds")
        for bad in ["", "fast", "5x", "-1s", "20s..2s", "exp:0", "exp:-3s", "..3s"] { XCTAssertNil(ThinkTime(bad), bad) }
        XCTAssertEqual(ThinkTime("2s..20s")?.description, "2s..20s")
        XCTAssertEqual(ThinkTime("exp:500ms")?.description, "exp:500ms")
        XCTAssertEqual(ThinkTime("2s..20s")?.meanSeconds, 11)
    }

    func testDrawsHaveTheirMeansAndRepeatFromTheSeed() {
        for (think, mean) in [(ThinkTime.uniform(low: 2, high: 20), 11.0), (.exponential(mean: 10), 10), (.fixed(seconds: 5), 5)] {
            var random = thinkStream(seed: 1, virtualUser: 7)
            let draws = (0..<20_000).map { _ in think.draw(&random) }
            XCTAssertEqual(draws.reduce(0, +) / Double(draws.count), mean, accuracy: mean * 0.03, "\(think)")
            XCTAssertTrue(draws.allSatisfy { $0 >= 0 })
            var again = thinkStream(seed: 1, virtualUser: 7)
            XCTAssertEqual(draws.prefix(5).map { $0 }, (0..<5).map { _ in think.draw(&again) }, "reproducible")
        }
        var a = thinkStream(seed: 1, virtualUser: 0), b = thinkStream(seed: 1, virtualUser: 1)
        XCTAssertNotEqual(a.next(), b.next(), "each VU its own stream")
    }

    func testAVUPausesBeforeEachRequestAndTheFirstWaitsAPhase() {
        var scheduler = Scheduler(virtualUsers: 2, requestLimit: nil, durationSeconds: 100, graceSeconds: 0.5, startAt: 0,
                                  think: .fixed(seconds: 2))
        XCTAssertEqual(scheduler.begin(now: 0), [], "each first request waits a random phase")
        XCTAssertEqual(scheduler.thinking, 2)
        let phases = (0..<2).map { scheduler.pauseMilliseconds(before: $0)! }
        XCTAssertTrue(phases.allSatisfy { (0...2000).contains($0) }, "\(phases)")
        let firstWake = scheduler.nextDeadline(now: 0)!
        XCTAssertEqual(firstWake, UInt64(phases.min()! * 1e6))
        XCTAssertEqual(started(scheduler.tick(now: 2 * second)), [0, 1])
        XCTAssertEqual(scheduler.thinking, 0)
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 3 * second), [], "VU 0 reads the answer")
        XCTAssertEqual(scheduler.thinking, 1)
        XCTAssertEqual(scheduler.pauseMilliseconds(before: 0), 2000)
        XCTAssertEqual(scheduler.nextDeadline(now: 3 * second), 5 * second)
        XCTAssertEqual(scheduler.tick(now: 5 * second - 1), [])
        guard case .start(0, let at)? = scheduler.tick(now: 5 * second).first else { return XCTFail("VU 0 asks again") }
        XCTAssertEqual(at, 5 * second, "its latency counts from when it asks, not from the pause's start")
    }

    func testTheRunsEndEndsAPauseAndASpentCountEndsTheRun() {
        var timed = Scheduler(virtualUsers: 1, requestLimit: nil, durationSeconds: 10, graceSeconds: 0.5, startAt: 0,
                              think: .fixed(seconds: 30))
        _ = timed.begin(now: 0)
        let phase = UInt64(timed.pauseMilliseconds(before: 0)! * 1e6)
        XCTAssertEqual(timed.nextDeadline(now: 0), min(phase, 10 * second), "never past the run's end")
        XCTAssertFalse(timed.isFinished(at: 0), "a VU is pausing")
        XCTAssertTrue(timed.isFinished(at: 10 * second), "--duration ends the pause early")

        var counted = Scheduler(virtualUsers: 2, requestLimit: 2, durationSeconds: nil, graceSeconds: 0.5, startAt: 0,
                                think: .fixed(seconds: 1))
        _ = counted.begin(now: 0)
        XCTAssertEqual(started(counted.tick(now: second)), [0, 1])
        XCTAssertEqual(counted.finished(virtualUser: 0, now: 2 * second), [])
        XCTAssertEqual(counted.thinking, 0, "no request could follow: no pause")
        _ = counted.finished(virtualUser: 1, now: 2 * second)
        XCTAssertTrue(counted.isFinished(at: 2 * second))
    }

    func testThinkTimeIsTheClosedModelsOnlyAndAStopEndsEveryPause() {
        let open = Scheduler(virtualUsers: 2, requestLimit: 10, durationSeconds: nil, graceSeconds: 0.5, startAt: 0,
                             plan: .open(rate: .fixed(requestsPerSecond: 10), arrival: .constant, seed: 1), think: .fixed(seconds: 1))
        XCTAssertNil(open.think)
        var scheduler = Scheduler(virtualUsers: 3, requestLimit: nil, durationSeconds: 60, graceSeconds: 0.5, startAt: 0,
                                  think: .exponential(mean: 5))
        _ = scheduler.begin(now: 0)
        XCTAssertEqual(scheduler.thinking, 3)
        scheduler.stop(now: second)
        XCTAssertEqual(scheduler.thinking, 0)
        XCTAssertTrue(scheduler.isFinished(at: second))
    }

    func testConversationLengthsAreDrawnInTheirRangeAndReservedWhole() {
        let plan = ConversationPlan.turns(4, min: 2, seed: 3)
        let lengths = (0..<2000).map { plan.length(virtualUser: $0 % 7, conversation: $0) }
        XCTAssertEqual(Set(lengths), [2, 3, 4])
        XCTAssertEqual(plan.length(virtualUser: 5, conversation: 9), plan.length(virtualUser: 5, conversation: 9))
        XCTAssertEqual(ConversationPlan.turns(3).length(virtualUser: 1, conversation: 1), 3)
        // One VU, 40 requests: it reserves each conversation's drawn length, so the count ends on whole
        // conversations of the drawn lengths (the last one cut by the count's remainder, if any).
        var scheduler = Scheduler(virtualUsers: 1, requestLimit: 40, durationSeconds: nil, graceSeconds: 0.5, startAt: 0,
                                  conversations: plan)
        var now: UInt64 = 0
        var starts = started(scheduler.begin(now: now)).count
        while true {
            now += 1
            let next = started(scheduler.finished(virtualUser: 0, now: now)).count
            if next == 0 { break }
            starts += next
        }
        XCTAssertEqual(starts, 40)
        var expected = 0, conversation = 0
        while expected < 40 {
            expected += plan.length(virtualUser: 0, conversation: conversation)
            conversation += 1
        }
        XCTAssertGreaterThanOrEqual(expected, 40)
    }
}
