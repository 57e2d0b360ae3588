/// The one timer libcurl asks each shard's multi handle for (`CURLMOPT_TIMERFUNCTION`), and the
/// earliest of them, without a pass over every shard on each loop turn. A plain value.
struct ShardTimers: Equatable {
    private(set) var deadlines: [UInt64?]
    /// The earliest deadline, or `.unknown` after a change that may have moved it.
    private var cachedEarliest: Cached = .known(nil)

    private enum Cached: Equatable {
        case known(UInt64?)
        case unknown
    }

    init(shards: Int) { deadlines = [UInt64?](repeating: nil, count: shards) }

    /// libcurl set (or, with nil, cancelled) `shard`'s timer.
    mutating func set(_ shard: Int, to deadline: UInt64?) {
        let old = deadlines[shard]
        deadlines[shard] = deadline
        switch cachedEarliest {
        case .known(let earliest):
            if let deadline, deadline < (earliest ?? .max) {
                cachedEarliest = .known(deadline)
            } else if old != nil, old == earliest {
                cachedEarliest = .unknown
            }
        case .unknown:
            break
        }
    }

    /// The earliest pending deadline.
    mutating func earliest() -> UInt64? {
        if case .known(let value) = cachedEarliest { return value }
        let value = deadlines.lazy.compactMap { $0 }.min()
        cachedEarliest = .known(value)
        return value
    }

    /// The shards whose timer has expired at `now`, their timers cleared (libcurl sets them again).
    mutating func takeDue(now: UInt64) -> [Int] {
        guard let earliest = earliest(), earliest <= now else { return [] }
        var due: [Int] = []
        for (shard, deadline) in deadlines.enumerated() {
            if let deadline, deadline <= now {
                deadlines[shard] = nil
                due.append(shard)
            }
        }
        cachedEarliest = .unknown
        return due
    }
}
