import ArgumentParser
import LoadCore

/// `--turns N` or `--turns MIN..MAX` (SPEC 20): each conversation's length, drawn per conversation.
struct TurnRange: ExpressibleByArgument, Equatable {
    var minimum: Int
    var maximum: Int

    init(_ minimum: Int, _ maximum: Int) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Out-of-range numbers parse, so that the run's check can say what is wrong with them.
    init?(argument: String) {
        let parts = argument.components(separatedBy: "..")
        guard (1...2).contains(parts.count), let low = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let high = Int(parts[parts.count - 1].trimmingCharacters(in: .whitespaces)) else { return nil }
        (minimum, maximum) = (low, high)
    }

    var defaultValueDescription: String { minimum == maximum ? "\(maximum)" : "\(minimum)..\(maximum)" }

    /// `--turns`'s parser: N or MIN..MAX, each within `Bounds.turns`, MIN at most MAX.
    @Sendable static func parse(_ text: String) throws -> TurnRange {
        guard let range = TurnRange(argument: text), Bounds.turns.contains(Double(range.minimum)),
              Bounds.turns.contains(Double(range.maximum)), range.minimum <= range.maximum else {
            throw ValidationError("\(Bounds.turns.error.message), or a range MIN..MAX of them with MIN <= MAX")
        }
        return range
    }
}

extension ThinkTime: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }

    /// `--think`'s parser: a spec `ThinkTime` reads, its pauses within `Bounds.think`.
    @Sendable static func parse(_ text: String) throws -> ThinkTime {
        guard let think = ThinkTime(text) else {
            throw ValidationError("--think takes 5s, 2s..20s or exp:10s (ms, s, m; a bare number is seconds), each \(Bounds.think.rangeText) seconds")
        }
        let longest: Double
        switch think {
        case .fixed(let seconds): longest = seconds
        case .uniform(_, let high): longest = high
        case .exponential(let mean): longest = mean
        }
        guard Bounds.think.contains(longest) else { throw Bounds.think.error }
        return think
    }
}

extension RunOptions {
    /// `--think` and `--turns` (SPEC 20): what a student does between questions.
    func validateStudents() throws {
        if load.connections != nil && !load.http2 {
            throw ValidationError("--connections shares connections among VUs: HTTP/1.1 cannot multiplex; add --http2.")
        }
        if load.http2 && load.sync { throw ValidationError("--http2 drives libcurl's HTTP/2; it cannot be used with --sync.") }
        if load.refusedPause > 0 && load.rate != nil {
            throw ValidationError("--refused-pause is the closed model's; with --rate the schedule starts requests. Drop one.")
        }
        guard load.request.think != nil else { return }
        if load.rate != nil {
            throw ValidationError("--think is the closed model's pause between a VU's requests; with --rate the schedule starts them. Drop one.")
        }
    }
}
