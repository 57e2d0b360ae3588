import HeapModule

/// Which virtual user starts a request, and when, under a `LoadPlan`: the closed loop (a request
/// count, a duration, stages of active VUs) or the open model (requests due on a schedule, VUs
/// capping those in flight, due requests waiting in order). Stop and grace for both. A plain value
/// per event loop: the loop asks it and applies what it says; the tests drive it with made-up clocks.
/// What the loops of a run share (the request count, the arrivals, start order) is its `LoadShare`.
///
/// Every time is a monotonic instant in nanoseconds. VU numbers are the loop's own (0 ..< virtualUsers);
/// loop `loop` of `loops` holds the run's VUs `loop`, `loop + loops`, ... in that order.
public struct Scheduler: Sendable {
    /// What the loop must do.
    public enum Action: Equatable, Sendable {
        /// Send the VU's next request; its latency counts from `scheduledAt` (coordinated omission
        /// corrected in the open model, where a request may wait for a free VU).
        case start(virtualUser: Int, scheduledAt: UInt64)
        /// The stop grace is over: record these VUs' requests, still in flight, as aborted.
        case abort(virtualUsers: [Int])
    }

    /// How often the loop wakes to follow a closed-model ramp.
    public static let rampTick: UInt64 = 50_000_000

    /// This loop's VUs, and the run's.
    public let virtualUsers: Int
    public let totalVirtualUsers: Int
    public let loop: Int
    public let share: LoadShare
    public let requestLimit: Int?
    public let graceNanoseconds: UInt64
    public let startAt: UInt64
    public let plan: LoadPlan
    /// No request is scheduled (open) or started (closed) at or after this instant.
    public let runDeadline: UInt64?
    /// Set by `stop`: in-flight requests may finish until then.
    public private(set) var stopDeadline: UInt64?
    /// Requests this loop started.
    public private(set) var started = 0
    public private(set) var inFlight = 0
    /// When the last request was handed to a VU, and when the first was due: the achieved rate's span.
    public private(set) var lastStartAt: UInt64?
    public private(set) var firstScheduledAt: UInt64?
    private var busy: [Bool]
    /// `--turns` with a request count (closed loop): a VU beginning a conversation reserves its drawn
    /// turns from the count, so the count ends on whole conversations (24 requests of 3 turns are 8
    /// chats, whoever is free). Per VU, the reserved turns not yet started; empty without turns.
    var reservedTurns: [Int]
    /// `--turns`: how long each of a VU's conversations is (`ConversationPlan.length`), and how many it began.
    private let conversations: ConversationPlan?
    private var conversationsBegun: [Int]
    /// Open model: free VUs; the next one used is at the end.
    private var idle: [Int]
    /// Closed model: the active-VU target the last tick acted on; idle VUs are looked for only when it rises.
    private var actedTarget = 0
    /// `--think` (closed model only): the pause after each request, and who is thinking until when.
    public let think: ThinkTime?
    /// `--refused-pause` (closed model only): a VU whose connection was refused waits this long (seconds).
    public let refusedPause: Double?
    var thinkers: Thinkers
    /// `--replay`: which conversation each VU plays (nil without a replay).
    var replaySlots: ReplaySlots?

    /// One scheduler for the whole run (a single loop, the URLSession runner, the tests): its own share,
    /// whose arrivals start at `startAt`.
    public init(virtualUsers: Int, requestLimit: Int?, durationSeconds: Double?, graceSeconds: Double, startAt: UInt64,
                plan: LoadPlan = .closed(stages: nil), arrivalPhase: Double = 0, conversations: ConversationPlan? = nil,
                think: ThinkTime? = nil, thinkSeed: UInt64 = 1, refusedPause: Double? = nil, replay: ReplaySchedule? = nil) {
        let share = LoadShare(plan: plan, requestLimit: requestLimit, durationSeconds: durationSeconds, arrivalPhase: arrivalPhase,
                              replay: replay)
        share.begin(at: startAt)
        self.init(share: share, loop: 0, totalVirtualUsers: virtualUsers, durationSeconds: durationSeconds,
                  graceSeconds: graceSeconds, startAt: startAt, plan: plan, conversations: conversations,
                  think: think, thinkSeed: thinkSeed, refusedPause: refusedPause)
    }

    /// Loop `loop`'s scheduler; `share` has begun at `startAt` (`LoadShare.ready`).
    public init(share: LoadShare, loop: Int, totalVirtualUsers: Int, durationSeconds: Double?, graceSeconds: Double,
                startAt: UInt64, plan: LoadPlan, conversations: ConversationPlan? = nil, think: ThinkTime? = nil,
                thinkSeed: UInt64 = 1, refusedPause: Double? = nil) {
        let loops = share.loops
        virtualUsers = Self.virtualUsers(ofLoop: loop, loops: loops, total: totalVirtualUsers)
        self.totalVirtualUsers = totalVirtualUsers
        self.loop = loop
        self.share = share
        requestLimit = share.requestLimit
        self.startAt = startAt
        self.plan = plan
        graceNanoseconds = Self.nanoseconds(graceSeconds)
        runDeadline = plan.runSeconds(durationSeconds: durationSeconds).map { startAt + Self.nanoseconds($0) }
        busy = [Bool](repeating: false, count: virtualUsers)
        idle = Array((0..<virtualUsers).reversed())
        let reserves = (conversations?.turns ?? 1) > 1 && requestLimit != nil && !plan.isOpen
        reservedTurns = reserves ? [Int](repeating: 0, count: virtualUsers) : []
        self.conversations = conversations
        conversationsBegun = reserves ? [Int](repeating: 0, count: virtualUsers) : []
        self.think = plan.isOpen ? nil : think
        self.refusedPause = plan.isOpen || (refusedPause ?? 0) <= 0 ? nil : refusedPause
        replaySlots = share.replay == nil ? nil : ReplaySlots(virtualUsers: virtualUsers)
        thinkers = Thinkers(virtualUsers: self.think == nil && self.refusedPause == nil ? 0 : virtualUsers) { thinkStream(seed: thinkSeed, virtualUser: $0 * loops + loop) }
    }

    /// How many of `total` VUs loop `loop` of `loops` holds (dealt in turn: as even as integers allow).
    public static func virtualUsers(ofLoop loop: Int, loops: Int, total: Int) -> Int {
        max(0, (total - loop + loops - 1) / loops)
    }

    /// The run's number of this loop's VU `user`.
    public func runIndex(of user: Int) -> Int { user * share.loops + loop }

    static func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }

    public var stopping: Bool { stopDeadline != nil }

    /// Nothing in flight and nothing more will start: the loop may end.
    public func isFinished(at now: UInt64) -> Bool {
        if replaySlots != nil { return replayIsFinished(at: now) }
        guard inFlight == 0 else { return false }
        if stopping { return true }
        switch plan {
        case .closed(nil):
            // A VU starts its next request only when its previous one ends (or its pause does).
            return !thinkersMayStart || runDeadline.map { now >= $0 } ?? false
        case .closed:
            return runDeadline.map { now >= $0 } ?? true
        case .open:
            return share.nextArrival == nil
        }
    }

    /// The closed-model ramp's target of active VUs at `now`, in this loop: its VUs whose run number is
    /// below the run's target.
    func activeTarget(at now: UInt64) -> Int {
        guard case .closed(.some) = plan else { return virtualUsers }
        let total = min(totalVirtualUsers, max(0, Int(target(at: now))))
        return min(virtualUsers, Self.virtualUsers(ofLoop: loop, loops: share.loops, total: total))
    }

    /// The target in force at `now`: active VUs (closed) or requests per second (open), for the whole run.
    public func target(at now: UInt64) -> Double {
        plan.target(atSeconds: Double(now &- startAt) / 1e9) ?? Double(totalVirtualUsers)
    }

    /// The opening.
    public mutating func begin(now: UInt64) -> [Action] { tick(now: now) }

    /// A VU's request completed (or failed): what to start now (in the open model, possibly more
    /// than this VU's next request, when requests fell due while other VUs were idle).
    /// `refused`: its connection was refused (with `--refused-pause`, the VU waits before trying again).
    public mutating func finished(virtualUser user: Int, now: UInt64, refused: Bool = false) -> [Action] {
        precondition(busy[user], "VU \(user) finished a request it did not have")
        busy[user] = false
        inFlight -= 1
        if replaySlots != nil { return replayAnswered(user, now: now) }
        switch plan {
        case .closed:
            guard user < activeTarget(at: now) else { return [] }
            if refused, let refusedPause {
                pause(user, seconds: refusedPause, now: now)
                return []
            }
            if think != nil {
                beginThinking(user, now: now, firstRequest: false)
                return []
            }
            return startIfAllowed(user, scheduledAt: now, now: now).map { [$0] } ?? []
        case .open:
            idle.append(user)
            return dispatch(now: now)
        }
    }

    /// A request that could not be handed to libcurl at all: it is over, and the VU stays idle.
    public mutating func failedToStart(virtualUser user: Int) {
        busy[user] = false
        inFlight -= 1
        if case .open = plan { idle.append(user) }
        if replaySlots != nil { replayRelease(user) }
    }

    /// The VU's conversation ended before its last turn (a turn failed): its unstarted turns go back
    /// to the count, for another conversation. Call before `finished`.
    public mutating func conversationEnded(virtualUser user: Int) {
        if replaySlots != nil { replayEnded(user) }
        guard !reservedTurns.isEmpty else { return }
        share.giveBack(reservedTurns[user])
        reservedTurns[user] = 0
    }

    /// Stop starting requests; the ones in flight get the grace period, the waiting ones are dropped
    /// from the schedule (they were never sent, so they have no record).
    public mutating func stop(now: UInt64) {
        guard stopDeadline == nil else { return }
        stopDeadline = now + graceNanoseconds
        share.stopArrivals()
        thinkers.removeAll()
        replaySlots?.wakes = Heap()
    }

    /// Called each loop turn and at every deadline: past the stop grace, the rest are aborted;
    /// otherwise whatever is due starts.
    public mutating func tick(now: UInt64) -> [Action] {
        if let stopDeadline {
            guard now >= stopDeadline, inFlight > 0 else { return [] }
            let aborted = busy.indices.filter { busy[$0] }
            for user in aborted { busy[user] = false }
            inFlight = 0
            return [.abort(virtualUsers: aborted)]
        }
        if replaySlots != nil { return replayDispatch(now: now) }
        switch plan {
        case .closed:
            // Below the target, a VU is busy or ends its request and starts the next by itself; only
            // a rising target (the opening, a ramp) has idle VUs to start. No pass over every VU per turn.
            var actions = wakeThinkers(now: now)
            let target = activeTarget(at: now)
            defer { actedTarget = target }
            guard target > actedTarget else { return actions }
            for user in 0..<target where !busy[user] && !thinkers.isThinking(user) {
                // With think time a VU's first request waits a random phase, so VUs do not start in lockstep.
                if think != nil {
                    beginThinking(user, now: now, firstRequest: true)
                    continue
                }
                guard let action = startIfAllowed(user, scheduledAt: now, now: now) else { break }
                actions.append(action)
            }
            return actions
        case .open:
            return dispatch(now: now)
        }
    }

    /// The next instant the loop must wake for, whatever the sockets do.
    public func nextDeadline(now: UInt64) -> UInt64? {
        if let stopDeadline { return stopDeadline }
        if replaySlots != nil { return replayNextDeadline(now: now) }
        switch plan {
        case .closed(nil):
            // The end of a duration is not one: a VU that finishes later simply does not start again.
            return nextWake
        case .closed:
            let ramp = runDeadline.map { now < $0 ? min($0, now + Self.rampTick) : nil } ?? nil
            return [ramp, nextWake].compactMap { $0 }.min()
        case .open:
            // A due request with no free VU waits for a completion, not for a timer.
            return idle.isEmpty ? nil : share.nextArrival
        }
    }

    func mayStart(now: UInt64) -> Bool {
        if stopDeadline != nil { return false }
        if let runDeadline, now >= runDeadline { return false }
        return true
    }

    /// Checked last: a request taken from the count is started.
    mutating func startIfAllowed(_ user: Int, scheduledAt: UInt64, now: UInt64) -> Action? {
        guard mayStart(now: now), takeFromCount(user) else { return nil }
        return start(user, scheduledAt: scheduledAt, now: now)
    }

    /// One request from `--requests`, shared by every loop. With conversations: the VU's next reserved
    /// turn, reserving a new conversation's turns (as many as the count has left) when it has none.
    private mutating func takeFromCount(_ user: Int) -> Bool {
        guard requestLimit != nil else { return true }
        guard !reservedTurns.isEmpty else { return share.take(upTo: 1) == 1 }
        if reservedTurns[user] == 0 {
            let length = conversations?.length(virtualUser: runIndex(of: user), conversation: conversationsBegun[user]) ?? 1
            conversationsBegun[user] += 1
            let turns = share.take(upTo: length)
            guard turns > 0 else { return false }
            reservedTurns[user] = turns
        }
        reservedTurns[user] -= 1
        return true
    }

    mutating func start(_ user: Int, scheduledAt: UInt64, now: UInt64) -> Action {
        busy[user] = true
        started += 1
        inFlight += 1
        lastStartAt = now
        if firstScheduledAt == nil { firstScheduledAt = scheduledAt }
        return .start(virtualUser: user, scheduledAt: scheduledAt)
    }

    /// Open model: hand the oldest due requests, over every loop, to this loop's free VUs.
    private mutating func dispatch(now: UInt64) -> [Action] {
        var actions: [Action] = []
        while !idle.isEmpty, let scheduledAt = share.takeArrival(dueBy: now) {
            actions.append(start(idle.removeLast(), scheduledAt: scheduledAt, now: now))
        }
        return actions
    }
}
