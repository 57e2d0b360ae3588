import ArgumentParser
import CurlEngine

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
}

extension ThinkTime: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }
}

extension RunOptions {
    /// `--think` and `--turns` (SPEC 20): what a student does between questions.
    func validateStudents() throws {
        let turns = load.turns
        guard turns.minimum >= 1, turns.maximum >= turns.minimum else {
            throw ValidationError("--turns must be at least 1, or a range MIN..MAX with 1 <= MIN <= MAX (got \(turns.defaultValueDescription)).")
        }
        if let connections = load.connections {
            guard load.http2 else { throw ValidationError("--connections shares connections among VUs: HTTP/1.1 cannot multiplex; add --http2.") }
            guard connections >= 1 else { throw ValidationError("--connections must be at least 1 (got \(connections)).") }
        }
        if load.http2 && load.sync { throw ValidationError("--http2 drives libcurl's HTTP/2; it cannot be used with --sync.") }
        guard load.refusedPause >= 0 && load.refusedPause.isFinite else {
            throw ValidationError("--refused-pause must be 0 or a positive number of seconds (got \(load.refusedPause)).")
        }
        if load.refusedPause > 0 && load.rate != nil {
            throw ValidationError("--refused-pause is the closed model's; with --rate the schedule starts requests. Drop one.")
        }
        guard load.think != nil else { return }
        if load.rate != nil {
            throw ValidationError("--think is the closed model's pause between a VU's requests; with --rate the schedule starts them. Drop one.")
        }
    }
}
