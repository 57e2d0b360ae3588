import Foundation
import Synchronization
import XCTest
@testable import LoadCore

/// Several loops' schedulers over one `LoadShare` (SPEC 19), without a socket: made-up clocks.
final class LoadShareTests: XCTestCase {
    let ms: UInt64 = 1_000_000
    let second: UInt64 = 1_000_000_000

    func schedulers(_ loops: Int, vus: Int, requests: Int? = nil, duration: Double? = nil, plan: LoadPlan = .closed(stages: nil),
                    turns: Int = 1) -> [Scheduler] {
        let share = LoadShare(plan: plan, requestLimit: requests, durationSeconds: duration, loops: loops)
        share.begin(at: 0)
        return (0..<loops).map {
            Scheduler(share: share, loop: $0, totalVirtualUsers: vus, durationSeconds: duration, graceSeconds: 0.5,
                      startAt: 0, plan: plan, conversations: .turns(turns))
        }
    }

    func starts(_ actions: [Scheduler.Action]) -> [Int] {
        actions.compactMap { if case .start(let user, _) = $0 { return user } else { return nil } }
    }

    func testVUsAreDealtInTurnAsEvenlyAsIntegersAllow() {
        XCTAssertEqual((0..<3).map { Scheduler.virtualUsers(ofLoop: $0, loops: 3, total: 7) }, [3, 2, 2])
        XCTAssertEqual((0..<4).map { Scheduler.virtualUsers(ofLoop: $0, loops: 4, total: 2) }, [1, 1, 0, 0])
        let loops = schedulers(3, vus: 7)
        XCTAssertEqual(loops.map { $0.runIndex(of: 1) }, [3, 4, 5])
    }

    func testTheCountIsHandedToWhicheverLoopIsFreeAndNeverExceeded() {
        var loops = schedulers(2, vus: 4, requests: 10)
        XCTAssertEqual(starts(loops[0].begin(now: 0)), [0, 1])
        XCTAssertEqual(starts(loops[1].begin(now: 0)), [0, 1])
        // Loop 1 is fast: it takes every request left.
        var now: UInt64 = 0
        while true {
            now += 1
            let next = loops[1].finished(virtualUser: Int(now % 2), now: now)
            if next.isEmpty { break }
        }
        XCTAssertEqual(loops[0].started + loops[1].started, 10)
        XCTAssertEqual(loops[1].started, 8)
        XCTAssertEqual(loops[0].finished(virtualUser: 0, now: now), [], "the count is spent")
    }

    func testArrivalsGoToALoopWithAFreeVUInOrderAndNoneTwice() {
        let plan = LoadPlan.open(rate: .fixed(requestsPerSecond: 1000), arrival: .constant, seed: 1)
        var loops = schedulers(2, vus: 2, requests: 6, plan: plan)
        XCTAssertEqual(loops[0].begin(now: 0), [.start(virtualUser: 0, scheduledAt: 0)])
        XCTAssertEqual(loops[1].begin(now: 0), [], "arrival 0 is taken")
        XCTAssertEqual(loops[1].tick(now: 1 * ms), [.start(virtualUser: 0, scheduledAt: 1 * ms)])
        // Every VU of both loops busy: arrivals 2 and 3 fall due and wait, none dropped.
        XCTAssertEqual(loops[0].tick(now: 3 * ms), [])
        XCTAssertEqual(loops[1].tick(now: 3 * ms), [])
        XCTAssertEqual(loops[0].nextDeadline(now: 3 * ms), nil, "no free VU: only a completion starts one")
        // Each completion takes the oldest waiting arrival, whichever loop it is in.
        XCTAssertEqual(loops[1].finished(virtualUser: 0, now: 10 * ms), [.start(virtualUser: 0, scheduledAt: 2 * ms)])
        XCTAssertEqual(loops[0].finished(virtualUser: 0, now: 11 * ms), [.start(virtualUser: 0, scheduledAt: 3 * ms)])
        XCTAssertEqual(loops[0].finished(virtualUser: 0, now: 12 * ms), [.start(virtualUser: 0, scheduledAt: 4 * ms)])
        XCTAssertEqual(loops[1].finished(virtualUser: 0, now: 13 * ms), [.start(virtualUser: 0, scheduledAt: 5 * ms)])
        XCTAssertEqual(loops[0].finished(virtualUser: 0, now: 14 * ms), [], "six requests: the schedule is over")
        XCTAssertEqual(loops[0].started + loops[1].started, 6)
        XCTAssertTrue(loops[0].isFinished(at: 14 * ms))
        XCTAssertFalse(loops[1].isFinished(at: 14 * ms), "its last request is in flight")
        XCTAssertEqual(loops[0].released, 6)
    }

    func testARampActivatesTheRunsFirstVUsWhicheverLoopHoldsThem() {
        let stages = StageProfile([Stage(durationSeconds: 10, target: 5)])
        var loops = schedulers(2, vus: 8, plan: .closed(stages: stages))
        // Target 3 at 6 s: run VUs 0, 1, 2 = loop 0's VUs 0 and 1 (run 0, 2), loop 1's VU 0 (run 1).
        XCTAssertEqual(starts(loops[0].tick(now: 6 * second)), [0, 1])
        XCTAssertEqual(starts(loops[1].tick(now: 6 * second)), [0])
        XCTAssertEqual(loops[1].target(at: 6 * second), 3, accuracy: 1e-9, "the target is the run's")
    }

    func testAConversationsUnstartedTurnsGoBackForAnyLoop() {
        var loops = schedulers(2, vus: 2, requests: 6, turns: 3)
        XCTAssertEqual(starts(loops[0].begin(now: 0)), [0], "reserves turns 1-3")
        XCTAssertEqual(starts(loops[1].begin(now: 0)), [0], "reserves the other 3")
        // Loop 0's conversation fails at turn 1: its two unstarted turns go back; loop 1 may take them.
        loops[0].conversationEnded(virtualUser: 0)
        _ = loops[0].finished(virtualUser: 0, now: 1)
        XCTAssertEqual(loops[0].started, 2, "the same VU begins a new conversation with the turns given back")
        loops[0].stop(now: 2)
        XCTAssertEqual(loops[1].finished(virtualUser: 0, now: 3).count, 1)
        XCTAssertEqual(loops[1].finished(virtualUser: 0, now: 4).count, 1)
        XCTAssertEqual(loops[1].finished(virtualUser: 0, now: 5), [], "its own 3 turns are done; 1 is left, reserved by loop 0")
    }

    func testEveryLoopWaitsForTheOthersAndGetsTheSameTimeZero() {
        let share = LoadShare(plan: .open(rate: .fixed(requestsPerSecond: 10), arrival: .constant, seed: 1),
                              requestLimit: nil, durationSeconds: 1, loops: 3)
        let starts = Mutex<[UInt64]>([])
        let group = DispatchGroup()
        // Threads of their own, as the loops have (a pool of two could never run the third).
        for loop in 0..<3 {
            group.enter()
            Thread {
                usleep(UInt32(loop) * 20_000)
                let start = share.ready()
                starts.withLock { $0.append(start) }
                group.leave()
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success, "every loop got past the start")
        let all = starts.withLock { $0 }
        XCTAssertEqual(all.count, 3)
        XCTAssertEqual(Set(all).count, 1)
        XCTAssertEqual(share.nextArrival, all[0], "the schedule starts at the common time zero")
    }
}

extension ConversationPlan {
    /// A plan of `turns` turns (`min...turns` when `min` is given), for the scheduler's reservations.
    static func turns(_ turns: Int, min: Int? = nil, seed: UInt64 = 1) -> ConversationPlan {
        ConversationPlan(turns: turns, userMessages: [], head: [], tail: [], minimumTurns: min, seed: seed)
    }
}
