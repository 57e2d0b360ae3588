import Foundation

/// Hands records from a producer (the loop thread) to one consumer.
///
/// The producer only appends under a short lock and signals, so the loop never
/// waits for the consumer; the consumer takes everything pending at once.
///
/// An `NSCondition` rather than a `Mutex`: the consumer needs a blocking wait with a timeout,
/// which Synchronization does not offer. `@unchecked Sendable` is sound because `pending` and
/// `isClosed` are only touched with the condition's lock held.
public final class ResultChannel: @unchecked Sendable {
    public enum Next {
        case results([RequestResult])
        case idle
        case closed
    }

    private let condition = NSCondition()
    private var pending: [RequestResult] = []
    private var isClosed = false

    public init() {}

    public func push(_ batch: [RequestResult]) {
        guard !batch.isEmpty else { return }
        condition.lock()
        pending.append(contentsOf: batch)
        condition.signal()
        condition.unlock()
    }

    /// No more records will come.
    public func close() {
        condition.lock()
        isClosed = true
        condition.signal()
        condition.unlock()
    }

    /// Everything pending; `.idle` after `timeout` seconds with nothing;
    /// `.closed` once closed and drained.
    public func next(timeout: Double) -> Next {
        condition.lock()
        defer { condition.unlock() }
        if pending.isEmpty && !isClosed {
            _ = condition.wait(until: Date(timeIntervalSinceNow: timeout))
        }
        if !pending.isEmpty {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            return .results(batch)
        }
        return isClosed ? .closed : .idle
    }
}
