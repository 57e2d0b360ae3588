import Foundation

/// `--think SPEC` (SPEC 20): the pause a closed-model VU takes after each completed request before its
/// next one (a student reads the answer and types). Fixed, uniform between two bounds, or exponential
/// with a mean; each VU draws from its own seeded stream, so a run is reproducible.
public enum ThinkTime: Sendable, Equatable {
    case fixed(seconds: Double)
    case uniform(low: Double, high: Double)
    case exponential(mean: Double)

    /// The mean pause, seconds (Little's law: throughput = VUs / (mean latency + mean think)).
    public var meanSeconds: Double {
        switch self {
        case .fixed(let seconds): return seconds
        case .uniform(let low, let high): return (low + high) / 2
        case .exponential(let mean): return mean
        }
    }

    /// One pause, seconds.
    public func draw(_ random: inout SplitMix64) -> Double {
        switch self {
        case .fixed(let seconds): return seconds
        case .uniform(let low, let high): return low + (high - low) * random.nextUnitInterval()
        case .exponential(let mean): return -mean * log(1 - random.nextUnitInterval())
        }
    }

    /// `5s`, `2s..20s`, `exp:10s`; units `ms`, `s`, `m` (a bare number is seconds). Nil when malformed.
    public init?(_ text: String) {
        let spec = text.trimmingCharacters(in: .whitespaces)
        if spec.hasPrefix("exp:") {
            guard let mean = Self.seconds(String(spec.dropFirst(4))), mean > 0 else { return nil }
            self = .exponential(mean: mean)
        } else if let range = spec.range(of: "..") {
            guard let low = Self.seconds(String(spec[..<range.lowerBound])), let high = Self.seconds(String(spec[range.upperBound...])),
                  low >= 0, high >= low else { return nil }
            self = low == high ? .fixed(seconds: low) : .uniform(low: low, high: high)
        } else {
            guard let seconds = Self.seconds(spec), seconds >= 0 else { return nil }
            self = .fixed(seconds: seconds)
        }
    }

    /// The spec as a user writes it (`metadata.think`): `5s`, `2s..20s`, `exp:10s`.
    public var description: String {
        func text(_ seconds: Double) -> String {
            seconds < 1 && seconds > 0 ? "\(Self.number(seconds * 1000))ms" : "\(Self.number(seconds))s"
        }
        switch self {
        case .fixed(let seconds): return text(seconds)
        case .uniform(let low, let high): return "\(text(low))..\(text(high))"
        case .exponential(let mean): return "exp:\(text(mean))"
        }
    }

    static func seconds(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        let (number, scale): (Substring, Double) = text.hasSuffix("ms") ? (text.dropLast(2), 0.001)
            : text.hasSuffix("s") ? (text.dropLast(), 1) : text.hasSuffix("m") ? (text.dropLast(), 60) : (Substring(text), 1)
        guard let value = Double(number), value.isFinite else { return nil }
        return value * scale
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Each VU's own generator: SplitMix64 seeded from the run's seed and the VU's run number, so a VU
/// draws the same pauses whichever loop holds it.
public func thinkStream(seed: UInt64, virtualUser: Int) -> SplitMix64 {
    var mixer = SplitMix64(seed: seed ^ (UInt64(virtualUser) &* 0x9E37_79B9_7F4A_7C15))
    return SplitMix64(seed: mixer.next())
}
