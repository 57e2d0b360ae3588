import Glibc

/// When each request of the open model is due, as offsets in seconds from the start: request i at
/// the moment the rate's integral reaches i (constant arrivals), or reaches a running sum of
/// exponential draws of mean 1 (Poisson arrivals). Plain arithmetic, no timer per request (wrk2).
struct ArrivalSchedule: Equatable {
    let rate: LoadPlan.RateSource
    let arrival: LoadPlan.Arrival
    private var random: SplitMix64
    /// Where in the first gap this schedule starts, 0 ≤ phase < 1: shard I of N starts at I/N so that
    /// N shards at R/N each interleave into one schedule at R (request k·N + I of the whole at (k·N + I)/R).
    let phase: Double
    private var index = 0
    private var area = 0.0

    init(rate: LoadPlan.RateSource, arrival: LoadPlan.Arrival, seed: UInt64, phase: Double = 0) {
        self.rate = rate
        self.arrival = arrival
        self.phase = phase
        random = SplitMix64(seed: seed)
        area = phase
    }

    /// The next request's offset in seconds, or nil once the stages are over.
    mutating func next() -> Double? {
        switch arrival {
        case .constant:
            area = Double(index) + phase
        case .poisson:
            area += -log(1 - random.nextUnitInterval())  // after the phase, as the constant schedule
        }
        index += 1
        switch rate {
        case .fixed(let perSecond): return area / perSecond
        case .stages(let profile): return profile.time(forArea: area)
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood): a small, fast, seedable generator, so that a Poisson schedule
/// repeats exactly from its `--seed`. Swift's own generator cannot be seeded.
public struct SplitMix64: RandomNumberGenerator, Equatable, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 random bits.
    public mutating func nextUnitInterval() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
