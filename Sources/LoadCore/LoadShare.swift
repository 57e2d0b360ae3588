import Foundation
import Synchronization

/// What the event loops of one run share (`--loops`, SPEC 19): the request count, handed out to
/// whichever loop has a free VU; the open model's arrivals, each taken by a loop with a free VU at its
/// due time; the numbers that put requests and conversations in start order over every loop; and the
/// common time zero. With one loop (and for the URLSession runner) it is that scheduler's alone.
///
/// `Sendable`: counters are atomic, the arrival schedule and the start barrier are behind locks.
public final class LoadShare: Sendable {
    public let requestLimit: Int?
    public let loops: Int
    /// Requests started or reserved (a conversation's turns) against `requestLimit`.
    private let taken = Atomic<Int>(0)
    private let requestNumbers = Atomic<Int>(0)
    private let conversationNumbers = Atomic<Int>(0)
    private let feed: Mutex<ArrivalFeed?>
    private let plan: LoadPlan
    private let arrivalPhase: Double
    private let runSeconds: Double?
    private let barrier = NSCondition()
    private let barrierState = Mutex<(arrived: Int, startAt: UInt64?)>((0, nil))
    /// `--replay`: the conversations' first turns, taken by the loops (nil without a replay).
    public let replay: ReplayStarts?

    public init(plan: LoadPlan, requestLimit: Int?, durationSeconds: Double?, arrivalPhase: Double = 0, loops: Int = 1,
                replay: ReplaySchedule? = nil) {
        self.replay = replay.map(ReplayStarts.init)
        self.plan = plan
        self.requestLimit = requestLimit
        self.arrivalPhase = arrivalPhase
        self.loops = max(1, loops)
        runSeconds = plan.runSeconds(durationSeconds: durationSeconds)
        feed = Mutex(nil)
    }

    public convenience init(_ configuration: EngineConfiguration) {
        self.init(plan: configuration.plan, requestLimit: configuration.requestLimit,
                  durationSeconds: configuration.durationSeconds, arrivalPhase: configuration.arrivalPhase,
                  loops: configuration.loops, replay: configuration.replay)
    }

    // MARK: The common start

    /// Each loop calls this once, when its handles are made (or it failed to make them): it returns when
    /// every loop has, with the run's time zero, the same for all; the open model's schedule starts there.
    public func ready() -> UInt64 {
        barrier.lock()
        defer { barrier.unlock() }
        let start: UInt64? = barrierState.withLock { state in
            state.arrived += 1
            guard state.arrived == loops else { return state.startAt }
            state.startAt = monotonicNanoseconds()
            return state.startAt
        }
        if let start {
            begin(at: start)
            barrier.broadcast()
            return start
        }
        while true {
            if let start = barrierState.withLock({ $0.startAt }) { return start }
            barrier.wait()
        }
    }

    /// Starts the open model's schedule at `startAt` (done by `ready`; directly with a single scheduler).
    public func begin(at startAt: UInt64) {
        replay?.begin(at: startAt)
        guard case .open(let rate, let arrival, let seed) = plan else { return }
        let schedule = ArrivalSchedule(rate: rate, arrival: arrival, seed: seed, phase: arrivalPhase)
        feed.withLock { $0 = ArrivalFeed(schedule: schedule, startAt: startAt, requestLimit: requestLimit,
                                         runDeadline: runSeconds.map { startAt + Scheduler.nanoseconds($0) }) }
    }

    // MARK: The closed loop's count

    /// Up to `count` requests from `--requests` (a conversation's turns at once): how many were granted,
    /// 0 once the count is spent. Without a count, all of them.
    public func take(upTo count: Int) -> Int {
        guard let requestLimit else { return count }
        var current = taken.load(ordering: .relaxed)
        while true {
            let granted = min(count, requestLimit - current)
            guard granted > 0 else { return 0 }
            let (exchanged, original) = taken.compareExchange(expected: current, desired: current + granted, ordering: .relaxed)
            if exchanged { return granted }
            current = original
        }
    }

    /// Every request of `--requests` has been taken (never, without a count).
    public var countSpent: Bool { requestLimit.map { taken.load(ordering: .relaxed) >= $0 } ?? false }

    /// Requests taken but never started (a conversation that ended early): back to the count.
    public func giveBack(_ count: Int) {
        guard requestLimit != nil, count > 0 else { return }
        taken.subtract(count, ordering: .relaxed)
    }

    // MARK: Start order

    /// The next request's place in start order over every loop (which URL and body it takes).
    public func nextRequestNumber() -> Int { requestNumbers.wrappingAdd(1, ordering: .relaxed).oldValue }

    /// `--turns`: the next conversation's place among those begun.
    public func nextConversationNumber() -> Int { conversationNumbers.wrappingAdd(1, ordering: .relaxed).oldValue }

    // MARK: The open model's arrivals

    /// The oldest arrival due by `now` that no loop has taken yet: it is the caller's (its due instant).
    public func takeArrival(dueBy now: UInt64) -> UInt64? { feed.withLock { $0?.take(dueBy: now) } }

    /// When the next arrival not yet taken is (or was) due; nil once none is left.
    public var nextArrival: UInt64? { feed.withLock { $0?.next } }

    /// Arrivals taken by the loops so far.
    public var arrivalsTaken: Int { feed.withLock { $0?.taken ?? 0 } }

    /// No arrival after this: the waiting ones are dropped (never sent, so they have no record).
    public func stopArrivals() {
        feed.withLock { $0?.next = nil }
        replay?.stop()
    }
}

/// The open model's schedule as the loops take from it: `next` is the oldest arrival not yet taken,
/// due or not. Due arrivals that no loop has taken are the backlog: none is ever dropped before a stop.
struct ArrivalFeed {
    var schedule: ArrivalSchedule
    let startAt: UInt64
    let requestLimit: Int?
    let runDeadline: UInt64?
    var next: UInt64?
    /// Arrivals taken so far.
    var taken = 0

    init(schedule: ArrivalSchedule, startAt: UInt64, requestLimit: Int?, runDeadline: UInt64?) {
        self.schedule = schedule
        self.startAt = startAt
        self.requestLimit = requestLimit
        self.runDeadline = runDeadline
        advance()
    }

    mutating func take(dueBy now: UInt64) -> UInt64? {
        guard let due = next, due <= now else { return nil }
        taken += 1
        advance()
        return due
    }

    /// The next arrival's due instant, or nil once the count, the duration or the stages are over.
    private mutating func advance() {
        next = nil
        if let requestLimit, taken >= requestLimit { return }
        guard let offset = schedule.next() else { return }
        let due = startAt + Scheduler.nanoseconds(offset)
        if let runDeadline, due >= runDeadline { return }
        next = due
    }
}
