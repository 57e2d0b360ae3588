import Synchronization

/// `--replay`: the conversations' first turns as the loops take them (SPEC 24), shared by every loop
/// like the open model's arrivals: a loop with a free VU takes the oldest conversation that is due,
/// with its due instant, and that VU keeps the conversation to its end.
public final class ReplayStarts: Sendable {
    public let schedule: ReplaySchedule
    private struct State {
        var startAt: UInt64?
        var next = 0
        var stopped = false
    }

    private let state = Mutex(State())

    public init(schedule: ReplaySchedule) { self.schedule = schedule }

    /// The run's time zero: entry i is due `schedule.start(i)` seconds after it.
    public func begin(at startAt: UInt64) { state.withLock { $0.startAt = startAt } }

    private func due(_ entry: Int, from startAt: UInt64) -> UInt64 { startAt + Scheduler.nanoseconds(schedule.start(entry)) }

    /// The oldest conversation due by `now` that no loop has taken: the caller's (its index and due instant).
    public func take(dueBy now: UInt64) -> (entry: Int, due: UInt64)? {
        state.withLock { state in
            guard !state.stopped, let startAt = state.startAt, state.next < schedule.entries.count else { return nil }
            let due = due(state.next, from: startAt)
            guard due <= now else { return nil }
            state.next += 1
            return (state.next - 1, due)
        }
    }

    /// When the next conversation not yet taken is (or was) due; nil once none is left.
    public var nextDue: UInt64? {
        state.withLock { state in
            guard !state.stopped, let startAt = state.startAt, state.next < schedule.entries.count else { return nil }
            return due(state.next, from: startAt)
        }
    }

    /// Every conversation has been taken (or the run stopped).
    public var exhausted: Bool { state.withLock { $0.stopped || $0.next >= schedule.entries.count } }

    /// No conversation starts after this.
    public func stop() { state.withLock { $0.stopped = true } }
}
