import ArgumentParser

/// The accepted range of a numeric flag, written once for `run` and `sweep` (docs/flags.md, "Ranges").
/// Each flag parses its text through one of these (`@Option(transform:)`), so 0, a negative number,
/// NaN, infinity, 1e308, an empty or non-numeric value is a usage error (exit 2) naming the flag and
/// its range, before anything is sent or written: no number reaches the engine unchecked.
struct Bounds: Sendable {
    let flag: String
    /// What the number counts, for the message: "seconds", "requests/s", "VUs".
    let unit: String
    let lowest: Double
    /// Whether `lowest` itself is refused (a duration must be above 0).
    let aboveLowest: Bool
    let highest: Double
    /// A whole number (counts), or any in the range.
    let whole: Bool
    /// How `highest` reads in words, when it is a round figure ("a year").
    var highestText: String?

    init(_ flag: String, _ unit: String, above: Double? = nil, from: Double? = nil, to highest: Double,
         whole: Bool = false, highestText: String? = nil) {
        (self.flag, self.unit, self.highest, self.whole, self.highestText) = (flag, unit, highest, whole, highestText)
        (lowest, aboveLowest) = above.map { ($0, true) } ?? (from ?? 0, false)
    }

    /// "above 0 and at most 31536000 (a year)".
    var rangeText: String {
        let low = "\(aboveLowest ? "above" : "at least") \(JSONText.integerOrNumber(lowest))"
        return "\(low) and at most \(JSONText.integerOrNumber(highest))\(highestText.map { " (\($0))" } ?? "")"
    }

    var error: ValidationError { ValidationError("\(flag) takes \(whole ? "a whole number of " : "")\(unit) \(rangeText)") }

    func contains(_ value: Double) -> Bool {
        value.isFinite && (aboveLowest ? value > lowest : value >= lowest) && value <= highest && (!whole || value == value.rounded())
    }

    /// A value parsed elsewhere (a stage, a think time, a sweep level): in range, or the flag's message.
    func check(_ value: Double, in text: String? = nil) throws {
        guard contains(value) else {
            throw ValidationError("\(text.map { "\(flag) \($0): " } ?? "")\(error.message) (got \(JSONText.integerOrNumber(value))).")
        }
    }

    func number(_ text: String) throws -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), contains(value) else { throw error }
        return value
    }

    func count(_ text: String) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), contains(Double(value)) else { throw error }
        return value
    }
}

extension Bounds {
    static let year = 365.0 * 86400
    static let day = 86400.0

    static let vus = Bounds("--vus", "VUs", from: 1, to: 100_000, whole: true)
    static let requests = Bounds("--requests", "requests", from: 1, to: 1e9, whole: true)
    static let duration = Bounds("--duration", "seconds", above: 0, to: year, highestText: "a year")
    static let timeout = Bounds("--timeout", "seconds", above: 0, to: day, highestText: "a day")
    static let rate = Bounds("--rate", "requests/s", from: 1e-3, to: 1e6)
    static let interval = Bounds("--interval", "seconds", from: 0.1, to: day, highestText: "a day")
    static let think = Bounds("--think", "seconds", from: 0, to: day, highestText: "a day")
    static let turns = Bounds("--turns", "turns", from: 1, to: 10_000, whole: true)
    static let responseMaxChars = Bounds("--response-max-chars", "characters", from: 0, to: 1e9, whole: true)
    static let connections = Bounds("--connections", "connections", from: 1, to: 100_000, whole: true)
    static let refusedPause = Bounds("--refused-pause", "seconds", from: 0, to: 3600, highestText: "an hour")
    static let metricsLinger = Bounds("--metrics-linger", "seconds", from: 0, to: 3600, highestText: "an hour")
    static let stageDuration = Bounds("--stages", "seconds a stage", above: 0, to: year, highestText: "a year")
    static let stageVUs = Bounds("--stages", "VUs", from: 0, to: 100_000)
    static let stageRate = Bounds("--stages", "requests/s with --rate", from: 0, to: 1e6)
    static let slo = Bounds("--slo", "milliseconds", above: 0, to: day * 1000, highestText: "a day")
    static let latencyLimit = Bounds("--threshold", "milliseconds", from: 0, to: day * 1000, highestText: "a day")
    static let percent = Bounds("--threshold", "percent", from: 0, to: 100)
    static let rps = Bounds("--threshold", "requests/s", from: 0, to: 1e9)
    // sweep
    static let stepDuration = Bounds("--step-duration", "seconds", above: 0, to: year, highestText: "a year")
    static let warmup = Bounds("--warmup", "seconds", from: 0, to: year, highestText: "a year")
    static let maxP95 = Bounds("--max-p95", "milliseconds", above: 0, to: day * 1000, highestText: "a day")
    static let maxErrorRate = Bounds("--max-error-rate", "percent", from: 0, to: 100)
    static let refine = Bounds("--refine", "steps", from: 0, to: 20, whole: true)
    static let sweepVUs = Bounds("--vus", "VUs a level", from: 1, to: 100_000, whole: true)
    static let sweepRate = Bounds("--rate", "requests/s a level", from: 1e-3, to: 1e6)

    /// `--seed`: any whole number from 0 to 2^64-1.
    static func seed(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("--seed takes a whole number at least 0 and at most \(UInt64.max)")
        }
        return value
    }
}
