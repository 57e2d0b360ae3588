import DequeModule

/// Which virtual user starts a request, and when, under a `LoadPlan`: the closed loop (a request
/// count, a duration, stages of active VUs) or the open model (requests due on a schedule, VUs
/// capping those in flight, due requests waiting in order). Stop and grace for both. A plain value:
/// the event loop asks it and applies what it says; the tests drive it with made-up clocks.
///
/// Every time is a monotonic instant in nanoseconds.
public struct Scheduler: Equatable, Sendable {
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

    public let virtualUsers: Int
    public let requestLimit: Int?
    public let graceNanoseconds: UInt64
    public let startAt: UInt64
    public let plan: LoadPlan
    /// No request is scheduled (open) or started (closed) at or after this instant.
    public let runDeadline: UInt64?
    /// Set by `stop`: in-flight requests may finish until then.
    public private(set) var stopDeadline: UInt64?
    public private(set) var started = 0
    public private(set) var inFlight = 0
    /// When the last request was handed to a VU, and when the first was due: the achieved rate's span.
    public private(set) var lastStartAt: UInt64?
    public private(set) var firstScheduledAt: UInt64?
    private var busy: [Bool]
    /// `--turns N` with a request count (closed loop): a VU beginning a conversation reserves its N
    /// turns from the count, so the count ends on whole conversations (24 requests of 3 turns are 8
    /// chats, whoever is free). Per VU, the reserved turns not yet started; empty without turns.
    private var reservedTurns: [Int]
    private let conversationTurns: Int
    /// Turns started or reserved so far.
    private var reserved = 0

    // The open model.
    private var arrivals: ArrivalSchedule?
    private var nextArrival: UInt64?
    /// Requests due but not started (all VUs busy), oldest first. None is ever dropped.
    private var backlog = Deque<UInt64>()
    /// Free VUs; the next one used is at the end.
    private var idle: [Int]
    /// Requests released by the schedule so far (started or waiting).
    public private(set) var released = 0
    /// Closed model: the active-VU target the last tick acted on; idle VUs are looked for only when it rises.
    private var actedTarget = 0

    public init(virtualUsers: Int, requestLimit: Int?, durationSeconds: Double?, graceSeconds: Double, startAt: UInt64,
         plan: LoadPlan = .closed(stages: nil), arrivalPhase: Double = 0, conversationTurns: Int = 1) {
        self.virtualUsers = virtualUsers
        self.requestLimit = requestLimit
        self.startAt = startAt
        self.plan = plan
        graceNanoseconds = Self.nanoseconds(graceSeconds)
        let limits = [durationSeconds, plan.stages?.totalSeconds].compactMap { $0 }
        runDeadline = limits.min().map { startAt + Self.nanoseconds($0) }
        busy = [Bool](repeating: false, count: virtualUsers)
        idle = Array((0..<virtualUsers).reversed())
        self.conversationTurns = conversationTurns
        let reserves = conversationTurns > 1 && requestLimit != nil && !plan.isOpen
        reservedTurns = reserves ? [Int](repeating: 0, count: virtualUsers) : []
        if case .open(let rate, let arrival, let seed) = plan {
            arrivals = ArrivalSchedule(rate: rate, arrival: arrival, seed: seed, phase: arrivalPhase)
            advanceArrivals()
        }
    }

    /// The scheduler an engine configuration describes, its time zero at `startAt`.
    public init(_ configuration: EngineConfiguration, startAt: UInt64) {
        self.init(virtualUsers: configuration.virtualUsers, requestLimit: configuration.requestLimit,
                  durationSeconds: configuration.durationSeconds, graceSeconds: configuration.stopGraceSeconds,
                  startAt: startAt, plan: configuration.plan, arrivalPhase: configuration.arrivalPhase,
                  conversationTurns: configuration.conversations?.turns ?? 1)
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }

    /// Requests started per second from the first due time to the last start (SPEC section 11).
    public var achievedRate: Double? {
        guard let first = firstScheduledAt, let last = lastStartAt, last > first else { return nil }
        return Double(started) / (Double(last - first) / 1e9)
    }

    public var stopping: Bool { stopDeadline != nil }

    /// Nothing in flight and nothing more will start: the loop may end.
    public func isFinished(at now: UInt64) -> Bool {
        guard inFlight == 0 else { return false }
        if stopping { return true }
        switch plan {
        case .closed(nil):
            // A VU starts its next request only when its previous one ends.
            return true
        case .closed:
            return runDeadline.map { now >= $0 } ?? true
        case .open:
            return backlog.isEmpty && nextArrival == nil
        }
    }

    /// The closed-model ramp's target of active VUs at `now`.
    func activeTarget(at now: UInt64) -> Int {
        guard case .closed(.some) = plan else { return virtualUsers }
        return min(virtualUsers, max(0, Int(target(at: now))))
    }

    /// The target in force at `now`: active VUs (closed) or requests per second (open).
    public func target(at now: UInt64) -> Double {
        plan.target(atSeconds: Double(now &- startAt) / 1e9) ?? Double(virtualUsers)
    }

    /// The opening.
    public mutating func begin(now: UInt64) -> [Action] { tick(now: now) }

    /// A VU's request completed (or failed): what to start now (in the open model, possibly more
    /// than this VU's next request, when requests fell due while other VUs were idle).
    public mutating func finished(virtualUser user: Int, now: UInt64) -> [Action] {
        precondition(busy[user], "VU \(user) finished a request it did not have")
        busy[user] = false
        inFlight -= 1
        switch plan {
        case .closed:
            guard user < activeTarget(at: now) else { return [] }
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
    }

    /// The VU's conversation ended before its last turn (a turn failed): its unstarted turns go back
    /// to the count, for another conversation. Call before `finished`.
    public mutating func conversationEnded(virtualUser user: Int) {
        guard !reservedTurns.isEmpty else { return }
        reserved -= reservedTurns[user]
        reservedTurns[user] = 0
    }

    /// Stop starting requests; the ones in flight get the grace period, the waiting ones are dropped
    /// from the schedule (they were never sent, so they have no record).
    public mutating func stop(now: UInt64) {
        guard stopDeadline == nil else { return }
        stopDeadline = now + graceNanoseconds
        backlog.removeAll()
        nextArrival = nil
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
        switch plan {
        case .closed:
            // Below the target, a VU is busy or ends its request and starts the next by itself; only
            // a rising target (the opening, a ramp) has idle VUs to start. No pass over every VU per turn.
            let target = activeTarget(at: now)
            defer { actedTarget = target }
            guard target > actedTarget else { return [] }
            var actions: [Action] = []
            for user in 0..<target where !busy[user] {
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
        switch plan {
        case .closed(nil):
            // The end of a duration is not one: a VU that finishes later simply does not start again.
            return nil
        case .closed:
            return runDeadline.map { now < $0 ? min($0, now + Self.rampTick) : nil } ?? nil
        case .open:
            // A due request with no free VU waits for a completion, not for a timer.
            return idle.isEmpty ? nil : nextArrival
        }
    }

    private func mayStart(now: UInt64) -> Bool {
        if stopDeadline != nil { return false }
        if let requestLimit, started >= requestLimit { return false }
        if let runDeadline, now >= runDeadline { return false }
        return true
    }

    private mutating func startIfAllowed(_ user: Int, scheduledAt: UInt64, now: UInt64) -> Action? {
        guard mayStart(now: now), takeReservedTurn(user) else { return nil }
        return start(user, scheduledAt: scheduledAt, now: now)
    }

    /// With conversations under a count: the VU's next reserved turn, reserving a new conversation's
    /// turns (as many as the count has left) when it has none.
    private mutating func takeReservedTurn(_ user: Int) -> Bool {
        guard !reservedTurns.isEmpty, let requestLimit else { return true }
        if reservedTurns[user] == 0 {
            guard reserved < requestLimit else { return false }
            let turns = min(conversationTurns, requestLimit - reserved)
            reservedTurns[user] = turns
            reserved += turns
        }
        reservedTurns[user] -= 1
        return true
    }

    private mutating func start(_ user: Int, scheduledAt: UInt64, now: UInt64) -> Action {
        busy[user] = true
        started += 1
        inFlight += 1
        lastStartAt = now
        if firstScheduledAt == nil { firstScheduledAt = scheduledAt }
        return .start(virtualUser: user, scheduledAt: scheduledAt)
    }

    /// Open model: release every request due by `now`, then hand the oldest to free VUs.
    private mutating func dispatch(now: UInt64) -> [Action] {
        while let due = nextArrival, due <= now {
            backlog.append(due)
            released += 1
            advanceArrivals()
        }
        var actions: [Action] = []
        while !idle.isEmpty, let scheduledAt = backlog.popFirst() {
            actions.append(start(idle.removeLast(), scheduledAt: scheduledAt, now: now))
        }
        return actions
    }

    /// The next request's due instant, or nil once the count, the duration or the stages are over.
    private mutating func advanceArrivals() {
        nextArrival = nil
        if let requestLimit, released >= requestLimit { return }
        guard let offset = arrivals?.next() else { return }
        let due = startAt + Self.nanoseconds(offset)
        if let runDeadline, due >= runDeadline { return }
        nextArrival = due
    }
}
