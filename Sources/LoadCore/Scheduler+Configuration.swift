/// The schedulers an engine configuration describes.
extension Scheduler {
    /// The scheduler an engine configuration describes for a single loop, its time zero at `startAt`.
    public init(_ configuration: EngineConfiguration, startAt: UInt64) {
        self.init(virtualUsers: configuration.virtualUsers, requestLimit: configuration.requestLimit,
                  durationSeconds: configuration.durationSeconds, graceSeconds: configuration.stopGraceSeconds,
                  startAt: startAt, plan: configuration.plan, arrivalPhase: configuration.arrivalPhase,
                  conversations: configuration.conversations, think: configuration.think,
                  thinkSeed: configuration.thinkSeed, refusedPause: configuration.refusedPause, replay: configuration.replay)
    }

    /// Loop `loop`'s scheduler for an engine configuration, sharing `share` with the other loops.
    public init(_ configuration: EngineConfiguration, share: LoadShare, loop: Int, startAt: UInt64) {
        self.init(share: share, loop: loop, totalVirtualUsers: configuration.virtualUsers,
                  durationSeconds: configuration.durationSeconds, graceSeconds: configuration.stopGraceSeconds,
                  startAt: startAt, plan: configuration.plan, conversations: configuration.conversations,
                  think: configuration.think, thinkSeed: configuration.thinkSeed, refusedPause: configuration.refusedPause)
    }

    /// Requests started per second from the first due time to the last start (SPEC section 11).
    public var achievedRate: Double? {
        guard let first = firstScheduledAt, let last = lastStartAt, last > first else { return nil }
        return Double(started) / (Double(last - first) / 1e9)
    }
}
