/// How requests are released: the closed loop (a VU sends its next request when its previous one
/// ends) or the open model (requests arrive on a schedule, VUs only cap how many are in flight),
/// each with an optional ramp of stages. One scheduler, several plans (k6's executors).
public enum LoadPlan: Sendable, Equatable {
    /// Closed loop; with stages, the target is the number of active VUs.
    case closed(stages: StageProfile?)
    /// Open model at a fixed rate, or at a rate that follows the stages.
    case open(rate: RateSource, arrival: Arrival, seed: UInt64)

    public enum RateSource: Sendable, Equatable {
        case fixed(requestsPerSecond: Double)
        case stages(StageProfile)
    }

    public enum Arrival: String, Sendable, Equatable, CaseIterable {
        /// Request i at i/R.
        case constant
        /// Exponential gaps of mean 1/R (a Poisson process), reproducible from the seed.
        case poisson
    }

    /// The target in force `seconds` after the start: active VUs (closed, whole) or requests/s;
    /// nil for a closed loop without stages (every VU, all the time).
    public func target(atSeconds seconds: Double) -> Double? {
        switch self {
        case .closed(nil): return nil
        case .closed(let stages?): return stages.target(at: seconds).rounded()
        case .open(.fixed(let perSecond), _, _): return perSecond
        case .open(.stages(let stages), _, _): return stages.target(at: seconds)
        }
    }

    /// How long a run lasts: the duration or the stages' sum, whichever is shorter; nil for neither.
    public func runSeconds(durationSeconds: Double?) -> Double? {
        [durationSeconds, stages?.totalSeconds].compactMap { $0 }.min()
    }

    public var isOpen: Bool { if case .open = self { return true } else { return false } }

    /// The stages this plan follows, if any: they set the run's length.
    public var stages: StageProfile? {
        switch self {
        case .closed(let stages): return stages
        case .open(.stages(let stages), _, _): return stages
        case .open(.fixed, _, _): return nil
        }
    }
}

/// One stage: ramp linearly to `target` over `durationSeconds`.
public struct Stage: Sendable, Equatable {
    public var durationSeconds: Double
    public var target: Double

    public init(durationSeconds: Double, target: Double) {
        self.durationSeconds = durationSeconds
        self.target = target
    }
}

/// A target (VUs or requests/s) that ramps linearly from 0 at the start through each stage's target.
public struct StageProfile: Sendable, Equatable {
    public let stages: [Stage]

    public init(_ stages: [Stage]) { self.stages = stages }

    public var totalSeconds: Double { stages.reduce(0) { $0 + $1.durationSeconds } }
    public var highestTarget: Double { stages.map(\.target).max() ?? 0 }

    /// The target `seconds` after the start (the last stage's target once they are over).
    public func target(at seconds: Double) -> Double {
        var begin = 0.0, from = 0.0
        for stage in stages {
            if seconds < begin + stage.durationSeconds, stage.durationSeconds > 0 {
                return from + (stage.target - from) * (seconds - begin) / stage.durationSeconds
            }
            begin += stage.durationSeconds
            from = stage.target
        }
        return from
    }

    /// When the integral of the target from the start reaches `area` (requests, for a rate), or nil
    /// if it never does before the stages end. Within a stage the rate is linear, so the integral is
    /// a quadratic in the time spent in it.
    public func time(forArea area: Double) -> Double? {
        var begin = 0.0, from = 0.0, left = area
        for stage in stages {
            let duration = stage.durationSeconds
            let slope = duration > 0 ? (stage.target - from) / duration : 0
            let stageArea = (from + stage.target) / 2 * duration
            if left <= stageArea, duration > 0 {
                // from·τ + slope/2·τ² = left
                let tau: Double
                if abs(slope) < 1e-12 {
                    tau = from > 0 ? left / from : 0
                } else {
                    let discriminant = max(0, from * from + 2 * slope * left)
                    tau = (-from + discriminant.squareRoot()) / slope
                }
                return begin + min(max(tau, 0), duration)
            }
            left -= stageArea
            begin += duration
            from = stage.target
        }
        return nil
    }
}
