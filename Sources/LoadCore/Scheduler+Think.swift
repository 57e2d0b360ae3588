import HeapModule

/// `--think` (SPEC 20): after each completed request a closed-model VU pauses before its next one, and
/// before its first it waits a random phase (a uniform share of one pause). A pause is a wake-up time
/// on a heap; the loop's timer follows the earliest. It is not part of any latency: the request's clock
/// starts when the VU wakes.
struct Thinkers {
    struct Wake: Comparable {
        var at: UInt64
        var user: Int
        static func < (a: Wake, b: Wake) -> Bool { (a.at, a.user) < (b.at, b.user) }
    }

    var wakes = Heap<Wake>()
    private var thinking: [Bool]
    /// The pause before the VU's current (or next) request, milliseconds.
    private(set) var pauses: [Double?]
    private var random: [SplitMix64]

    /// `stream(vu)`: the VU's own seeded generator.
    init(virtualUsers: Int, stream: (Int) -> SplitMix64) {
        thinking = [Bool](repeating: false, count: virtualUsers)
        pauses = [Double?](repeating: nil, count: virtualUsers)
        random = (0..<virtualUsers).map(stream)
    }

    func isThinking(_ user: Int) -> Bool { !thinking.isEmpty && thinking[user] }

    /// A pause from the VU's stream, seconds; the first request's is a uniform share of one.
    mutating func draw(_ think: ThinkTime, for user: Int, firstRequest: Bool) -> Double {
        let pause = think.draw(&random[user])
        return firstRequest ? pause * random[user].nextUnitInterval() : pause
    }

    mutating func add(_ user: Int, pause: Double, now: UInt64) {
        thinking[user] = true
        pauses[user] = pause * 1000
        wakes.insert(Wake(at: now + Scheduler.nanoseconds(pause), user: user))
    }

    /// The VU whose pause ended first, if it ended by `now`.
    mutating func popDue(now: UInt64) -> Int? {
        guard let first = wakes.min, first.at <= now else { return nil }
        _ = wakes.removeMin()
        thinking[first.user] = false
        return first.user
    }

    mutating func removeAll() {
        while let wake = wakes.popMin() { thinking[wake.user] = false }
    }
}

extension Scheduler {
    /// VUs thinking now (the progress line's and the time series' `thinking`).
    public var thinking: Int { thinkers.wakes.count }

    /// The pause before the VU's request now starting, milliseconds (records' `think_ms`); nil without `--think`.
    public func pauseMilliseconds(before user: Int) -> Double? { think == nil ? nil : thinkers.pauses[user] }

    /// The earliest end of a pause, for the loop's timer; never past the run's end (which ends a pause early).
    var nextWake: UInt64? {
        guard let at = thinkers.wakes.min?.at else { return nil }
        return runDeadline.map { min($0, at) } ?? at
    }

    /// Some thinking VU may still start a request when it wakes: the count is not spent (or it holds
    /// turns of its conversation already reserved).
    var thinkersMayStart: Bool {
        guard !thinkers.wakes.isEmpty else { return false }
        return !share.countSpent || reservedTurns.contains { $0 > 0 }
    }

    /// The VU pauses before its next request, unless no request could follow (the run is over, the
    /// count spent with nothing of its conversation reserved).
    mutating func beginThinking(_ user: Int, now: UInt64, firstRequest: Bool) {
        guard let think, mayStart(now: now) else { return }
        if share.countSpent && (reservedTurns.isEmpty || reservedTurns[user] == 0) { return }
        thinkers.add(user, pause: thinkers.draw(think, for: user, firstRequest: firstRequest), now: now)
    }

    /// A fixed pause (`--refused-pause`), whether or not the run thinks.
    mutating func pause(_ user: Int, seconds: Double, now: UInt64) {
        guard mayStart(now: now) else { return }
        if share.countSpent && (reservedTurns.isEmpty || reservedTurns[user] == 0) { return }
        thinkers.add(user, pause: seconds, now: now)
    }

    /// The VUs whose pause is over start their next request (those still under the target, while the
    /// run and the count allow).
    mutating func wakeThinkers(now: UInt64) -> [Action] {
        var actions: [Action] = []
        while let user = thinkers.popDue(now: now) {
            guard user < activeTarget(at: now), let action = startIfAllowed(user, scheduledAt: now, now: now) else { continue }
            actions.append(action)
        }
        return actions
    }
}
