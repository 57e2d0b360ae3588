import XCTest
@testable import LoadCore

/// `--replay`'s schedule and the scheduler playing it (SPEC 24), without a socket: made-up clocks.
final class ReplayScheduleTests: XCTestCase {
    let second: UInt64 = 1_000_000_000

    /// Conversation k starts at 10·k s; each has `turns` turns, turn j's gap 2·j s.
    static func trace(conversations: Int, turns: Int = 3) -> ReplayTrace {
        var line = 1
        return ReplayTrace(format: .stressTestDB, conversations: (0..<conversations).map { k in
            var offset = Double(10 * k)
            return ReplayTrace.Conversation(key: "c\(k)", turns: (0..<turns).map { j in
                line += 1
                offset += Double(2 * j)
                return ReplayTrace.Turn(line: line, offset: offset, gap: Double(2 * j), prompt: "q\(k).\(j)")
            })
        })
    }

    func testFirstTurnsAtOffsetDividedBySpeedAndGapsDividedBySpeed() {
        let schedule = ReplaySchedule(trace: Self.trace(conversations: 3), speed: 4, scale: 1, seed: 1)
        XCTAssertEqual(schedule.entries.map(\.start), [0, 2.5, 5])
        XCTAssertEqual(schedule.gap(1, turn: 1), 0.5)
        XCTAssertEqual(schedule.gap(1, turn: 2), 1)
        XCTAssertEqual(schedule.requests, 9)
        XCTAssertEqual(String(decoding: schedule.userMessage(0, turn: 1), as: UTF8.self), #"{"role": "user", "content": "q0.1"}"#)
        XCTAssertEqual(schedule.line(2, turn: 2), 10)
    }

    func testScaleThreeIsExactlyThreeTimesWithSeededShiftsWithinAMinute() {
        let trace = Self.trace(conversations: 10)
        let schedule = ReplaySchedule(trace: trace, speed: 2, scale: 3, seed: 7)
        XCTAssertEqual(schedule.conversations, 30)
        XCTAssertEqual(schedule.requests, 3 * trace.requests)
        for copy in 0..<3 {
            let entries = schedule.entries.filter { $0.copy == copy }
            XCTAssertEqual(entries.map(\.base).sorted(), Array(0..<10), "every conversation once per copy")
            let shifts = entries.map { $0.start * 2 - schedule.bases[$0.base].offset }
            XCTAssertLessThan(shifts.max()! - shifts.min()!, 1e-9, "one shift for the whole copy")
            let shift = shifts[0]
            if copy == 0 { XCTAssertEqual(shift, 0, "copy 0 keeps the trace's times") }
            XCTAssertTrue((0..<60).contains(shift), "shift \(shift) in [0, 60)")
        }
        XCTAssertEqual(ReplaySchedule(trace: trace, speed: 2, scale: 3, seed: 7), schedule, "seeded: the same schedule again")
        XCTAssertNotEqual(ReplaySchedule(trace: trace, speed: 2, scale: 3, seed: 8).entries, schedule.entries)
        XCTAssertEqual(schedule.name(schedule.entries.firstIndex { $0.copy == 2 && $0.base == 4 }!), "c4.2")
    }

    func testFractionalScaleAddsASeededSampleOfDistinctConversations() {
        let schedule = ReplaySchedule(trace: Self.trace(conversations: 10), speed: 1, scale: 1.5, seed: 3)
        XCTAssertEqual(schedule.conversations, 15)
        let sampled = schedule.entries.filter { $0.copy == 1 }.map(\.base)
        XCTAssertEqual(Set(sampled).count, 5)
        XCTAssertEqual(ReplaySchedule(trace: Self.trace(conversations: 10), speed: 1, scale: 0.3, seed: 3).conversations, 3)
    }

    func testShardsSplitConversationsWholeAndTogetherMakeTheWhole() {
        let trace = Self.trace(conversations: 7)
        let whole = ReplaySchedule(trace: trace, speed: 1, scale: 2, seed: 1)
        let parts = (0..<3).map { ReplaySchedule(trace: trace, speed: 1, scale: 2, seed: 1, shard: ($0, 3)) }
        XCTAssertEqual(parts.map(\.conversations), [5, 5, 4])
        XCTAssertEqual(parts.reduce(0) { $0 + $1.requests }, whole.requests)
        let names = parts.flatMap { part in part.entries.indices.map(part.name) }
        XCTAssertEqual(names.sorted(), whole.entries.indices.map(whole.name).sorted())
    }

    func testPeakConcurrencyCountsOverlappingConversations() {
        // Conversations 10 s apart, each 6 s of gaps plus 10 s for the last answer: two at once at most.
        XCTAssertEqual(ReplaySchedule(trace: Self.trace(conversations: 5), speed: 1, scale: 1, seed: 1).peakConcurrency(), 2)
    }

    // MARK: The scheduler playing it

    func scheduler(_ trace: ReplayTrace, vus: Int, speed: Double = 1) -> Scheduler {
        Scheduler(virtualUsers: vus, requestLimit: nil, durationSeconds: nil, graceSeconds: 0.5, startAt: 0,
                  replay: ReplaySchedule(trace: trace, speed: speed, scale: 1, seed: 1))
    }

    func testLaterTurnsAreDueTheirGapAfterThePreviousDueTimeButNeverBeforeItsAnswer() {
        var scheduler = scheduler(Self.trace(conversations: 1), vus: 2)
        XCTAssertEqual(scheduler.begin(now: 0), [.start(virtualUser: 0, scheduledAt: 0)])
        XCTAssertEqual(scheduler.replayRequest(of: 0)?.turn, 0)
        // The answer comes at 0.5 s; turn 2 is due 2 s after turn 1 was due.
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: second / 2), [])
        XCTAssertEqual(scheduler.nextDeadline(now: second / 2), 2 * second)
        XCTAssertEqual(scheduler.tick(now: 2 * second - 1), [])
        XCTAssertEqual(scheduler.tick(now: 2 * second), [.start(virtualUser: 0, scheduledAt: 2 * second)])
        XCTAssertEqual(scheduler.replayRequest(of: 0)?.turn, 1)
        // Turn 3 is due at 2 + 4 = 6 s, but the answer to turn 2 comes at 7 s: it goes at once, still due at 6 s.
        XCTAssertEqual(scheduler.tick(now: 6 * second), [], "never before the previous answer")
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 7 * second), [.start(virtualUser: 0, scheduledAt: 6 * second)])
        XCTAssertFalse(scheduler.isFinished(at: 7 * second))
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 8 * second), [])
        XCTAssertTrue(scheduler.isFinished(at: 8 * second))
        XCTAssertEqual(scheduler.started, 3)
        XCTAssertEqual(scheduler.skippedTurns, 0)
    }

    func testAFailedTurnEndsItsConversationAndItsOtherTurnsAreSkipped() {
        var scheduler = scheduler(Self.trace(conversations: 1, turns: 4), vus: 1)
        _ = scheduler.begin(now: 0)
        scheduler.conversationEnded(virtualUser: 0)
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: second), [])
        XCTAssertEqual(scheduler.skippedTurns, 3)
        XCTAssertTrue(scheduler.isFinished(at: second))
    }

    func testAConversationThatFindsEveryVUBusyWaitsAndKeepsItsDueTime() {
        var scheduler = scheduler(Self.trace(conversations: 3, turns: 1), vus: 1)
        XCTAssertEqual(scheduler.begin(now: 0), [.start(virtualUser: 0, scheduledAt: 0)])
        XCTAssertEqual(scheduler.tick(now: 25 * second), [], "the only VU is busy")
        XCTAssertNil(scheduler.nextDeadline(now: 25 * second), "no free VU: only an answer can start one")
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 25 * second), [.start(virtualUser: 0, scheduledAt: 10 * second)])
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 26 * second), [.start(virtualUser: 0, scheduledAt: 20 * second)])
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: 27 * second), [])
        XCTAssertTrue(scheduler.isFinished(at: 27 * second))
    }

    func testEachConversationStaysOnItsVUAndSpeedDividesTheTimes() {
        var scheduler = scheduler(Self.trace(conversations: 2, turns: 2), vus: 2, speed: 10)
        XCTAssertEqual(scheduler.begin(now: 0), [.start(virtualUser: 0, scheduledAt: 0)])
        XCTAssertEqual(scheduler.tick(now: second), [.start(virtualUser: 1, scheduledAt: second)])
        XCTAssertEqual(scheduler.replayRequest(of: 1)?.entry, 1)
        // Conversation 0's turn 2 was due at 0.2 s (2 s ÷ 10): it goes on its own VU as its answer arrives.
        XCTAssertEqual(scheduler.finished(virtualUser: 0, now: second + 1), [.start(virtualUser: 0, scheduledAt: second / 5)])
        XCTAssertEqual(scheduler.replayRequest(of: 0)?.entry, 0)
        XCTAssertEqual(scheduler.replayRequest(of: 0)?.turn, 1)
    }

    func testStopDropsWaitingTurnsAndConversations() {
        var scheduler = scheduler(Self.trace(conversations: 3), vus: 3)
        _ = scheduler.begin(now: 0)
        scheduler.stop(now: second)
        _ = scheduler.finished(virtualUser: 0, now: second)
        XCTAssertTrue(scheduler.isFinished(at: second))
        XCTAssertEqual(scheduler.tick(now: 30 * second), [])
    }
}
