import ArgumentParser
import LoadCore

/// `--stages 30s:10,2m:100,30s:0`: durations with `s`, `m` or `h` (a bare number is seconds), each
/// with the target to ramp to (VUs, or requests/s with `--rate`).
struct StageList: ExpressibleByArgument, Equatable {
    let profile: StageProfile

    init?(argument: String) {
        guard let profile = try? Self.parse(argument) else { return nil }
        self.profile = profile
    }

    /// `--stages`'s parser: the message says what is wrong with which stage.
    @Sendable init(parsing text: String) throws { profile = try Self.parse(text) }

    static func parse(_ text: String) throws -> StageProfile {
        var stages: [Stage] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2, let seconds = duration(String(pieces[0])),
                  let target = Double(pieces[1].trimmingCharacters(in: .whitespaces))
            else {
                throw ValidationError("--stages \(text): \"\(part)\" is not DURATION:TARGET (e.g. 30s:10,2m:100,30s:0).")
            }
            try Bounds.stageDuration.check(seconds, in: "\"\(part)\"")
            try Bounds.stageRate.check(target, in: "\"\(part)\"")
            stages.append(Stage(durationSeconds: seconds, target: target))
        }
        let profile = StageProfile(stages)
        try Bounds("--stages", "seconds in all", above: 0, to: Bounds.year, highestText: "a year").check(profile.totalSeconds)
        return profile
    }

    /// `90`, `90s`, `1.5m`, `2h` in seconds.
    static func duration(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let last = trimmed.last, let unit = units[last] {
            return Double(trimmed.dropLast()).map { $0 * unit }.flatMap { $0.isFinite ? $0 : nil }
        }
        return Double(trimmed).flatMap { $0.isFinite ? $0 : nil }
    }

    static var defaultValueDescription: String { "D:T,..." }
}

extension LoadPlan.Arrival: ExpressibleByArgument {}

extension Configuration {
    /// SPEC section 11: the pace the flags describe, and the VUs it runs with. With both `--rate` and
    /// `--stages`, the stages' targets are rates (`--rate` chooses the open model; its own value is
    /// then not used, since the ramp starts from 0).
    static func loadShape(_ load: LoadOptions) -> (pace: Pace, virtualUsers: Int) {
        let stages = load.stages?.profile
        if let rate = load.rate {
            let source: LoadPlan.RateSource = stages.map { .stages($0) } ?? .fixed(requestsPerSecond: rate)
            return (.open(rate: source, arrival: load.arrival), load.vus ?? 100)
        }
        if let stages {
            return (.closed(stages: stages), load.vus ?? max(1, Int(stages.highestTarget.rounded(.up))))
        }
        return (.closed(stages: nil), load.vus ?? 1)
    }
}

extension LoadPlan {
    /// The offered rate: the fixed rate, or the stages' mean target.
    var offeredRate: Double? {
        switch self {
        case .closed: return nil
        case .open(.fixed(let perSecond), _, _): return perSecond
        case .open(.stages(let stages), _, _):
            guard stages.totalSeconds > 0 else { return 0 }
            let area = zip([0] + stages.stages.map(\.target), stages.stages)
                .reduce(0.0) { $0 + ($1.0 + $1.1.target) / 2 * $1.1.durationSeconds }
            return area / stages.totalSeconds
        }
    }


    /// The target in force `seconds` into the run, for the progress line; nil for a plain closed loop.
    func targetDescription(at seconds: Double) -> String? {
        guard let target = target(atSeconds: seconds) else { return nil }
        return isOpen ? String(format: "%.1f req/s", target) : "\(Int(target)) VUs"
    }
}
