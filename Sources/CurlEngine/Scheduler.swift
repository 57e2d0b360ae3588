/// Which virtual user starts a request, and when: the closed-loop plan (a request count, a duration,
/// a stop with a grace period). A plain value: the event loop asks it and applies what it says,
/// and the tests drive it with made-up clocks, without a socket.
///
/// Every time is a monotonic instant in nanoseconds.
struct Scheduler: Equatable {
    /// What the loop must do.
    enum Action: Equatable {
        /// Send the VU's next request; its latency counts from `scheduledAt`.
        case start(virtualUser: Int, scheduledAt: UInt64)
        /// The stop grace is over: record these VUs' requests, still in flight, as aborted.
        case abort(virtualUsers: [Int])
    }

    let virtualUsers: Int
    let requestLimit: Int?
    let graceNanoseconds: UInt64
    /// No request starts at or after this instant (duration mode).
    private(set) var runDeadline: UInt64?
    /// Set by `stop`: in-flight requests may finish until then.
    private(set) var stopDeadline: UInt64?
    private(set) var started = 0
    private(set) var inFlight = 0
    private var busy: [Bool]

    init(virtualUsers: Int, requestLimit: Int?, durationSeconds: Double?, graceSeconds: Double, startAt: UInt64) {
        self.virtualUsers = virtualUsers
        self.requestLimit = requestLimit
        graceNanoseconds = Self.nanoseconds(graceSeconds)
        runDeadline = durationSeconds.map { startAt + Self.nanoseconds($0) }
        busy = [Bool](repeating: false, count: virtualUsers)
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }

    /// No request is in flight, so none will start: in the closed model a VU starts its next
    /// request only when its previous one ends. The loop may end.
    var isFinished: Bool { inFlight == 0 }

    var stopping: Bool { stopDeadline != nil }

    private func canStart(at now: UInt64) -> Bool {
        if stopDeadline != nil { return false }
        if let requestLimit, started >= requestLimit { return false }
        if let runDeadline, now >= runDeadline { return false }
        return true
    }

    /// The opening: every VU that may start, starts.
    mutating func begin(now: UInt64) -> [Action] {
        var actions: [Action] = []
        for user in 0..<virtualUsers {
            guard let action = startIfAllowed(user, now: now) else { break }
            actions.append(action)
        }
        return actions
    }

    /// A VU's request completed (or failed): its next one, if the plan allows.
    mutating func finished(virtualUser user: Int, now: UInt64) -> Action? {
        precondition(busy[user], "VU \(user) finished a request it did not have")
        busy[user] = false
        inFlight -= 1
        return startIfAllowed(user, now: now)
    }

    /// A request that could not be handed to libcurl at all: it is over, and the VU stays idle.
    mutating func failedToStart(virtualUser user: Int) {
        busy[user] = false
        inFlight -= 1
    }

    /// Stop starting requests; the ones in flight get the grace period.
    mutating func stop(now: UInt64) {
        guard stopDeadline == nil else { return }
        stopDeadline = now + graceNanoseconds
    }

    /// Called each loop turn: past the stop grace, the rest are aborted.
    mutating func tick(now: UInt64) -> Action? {
        guard let stopDeadline, now >= stopDeadline, inFlight > 0 else { return nil }
        let aborted = busy.indices.filter { busy[$0] }
        for user in aborted { busy[user] = false }
        inFlight = 0
        return .abort(virtualUsers: aborted)
    }

    /// The next instant the loop must wake for, whatever the sockets do. The end of a duration
    /// is not one: nothing happens then, a VU that finishes later simply does not start again.
    var nextDeadline: UInt64? { stopDeadline }

    private mutating func startIfAllowed(_ user: Int, now: UInt64) -> Action? {
        guard canStart(at: now) else { return nil }
        busy[user] = true
        started += 1
        inFlight += 1
        return .start(virtualUser: user, scheduledAt: now)
    }
}
