import ArgumentParser
import LoadCore

/// `--shard I/N` (SPEC section 18): this process runs shard I of N. VUs and requests are split as
/// evenly as integers allow (the first `total mod N` shards get one more); a rate or a ramp's targets
/// are divided by N, the schedule starting I/N of a gap in so that the shards' arrivals interleave.
struct Shard: ExpressibleByArgument, Equatable, CustomStringConvertible {
    let index: Int
    let count: Int

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (0..<count).contains(index) else {
            return nil
        }
        self.init(index: index, count: count)
    }

    var description: String { "\(index)/\(count)" }
    static var defaultValueDescription: String { "I/N" }

    /// This shard's part of `total`.
    func share(of total: Int) -> Int { total / count + (index < total % count ? 1 : 0) }

    /// The plan each shard runs: rates and ramp targets divided by N; a Poisson schedule of its own seed.
    func plan(_ plan: LoadPlan) -> LoadPlan {
        func divided(_ profile: StageProfile) -> StageProfile {
            StageProfile(profile.stages.map { Stage(durationSeconds: $0.durationSeconds, target: $0.target / Double(count)) })
        }
        switch plan {
        case .closed(let stages): return .closed(stages: stages.map(divided))
        case .open(.fixed(let rate), let arrival, let seed):
            return .open(rate: .fixed(requestsPerSecond: rate / Double(count)), arrival: arrival, seed: seed &+ UInt64(index))
        case .open(.stages(let stages), let arrival, let seed):
            return .open(rate: .stages(divided(stages)), arrival: arrival, seed: seed &+ UInt64(index))
        }
    }

    /// Where this shard's schedule starts within its first gap.
    var arrivalPhase: Double { Double(index) / Double(count) }
}

extension Configuration.Load {
    /// Narrows the whole run's load to this shard's share (the plan follows: `Load.plan`); a shard with
    /// nothing to do is an error.
    mutating func apply(_ shard: Shard) throws {
        guard shard.count > 1 else { self.shard = shard; return }
        let vus = shard.share(of: virtualUsers)
        guard vus >= 1 else {
            throw ConfigurationError("--shard \(shard): \(virtualUsers) VUs cannot be split over \(shard.count) shards; give at least \(shard.count) VUs.")
        }
        if let requests = requestLimit {
            let share = shard.share(of: requests)
            guard share >= 1 else {
                throw ConfigurationError("--shard \(shard): \(requests) requests cannot be split over \(shard.count) shards; give at least \(shard.count).")
            }
            requestLimit = share
        }
        virtualUsers = vus
        self.shard = shard
    }
}
