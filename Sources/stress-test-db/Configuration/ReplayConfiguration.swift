import Foundation
import LoadCore

/// `--replay` resolved (SPEC 24): the trace read and checked, its speed and scale, and, once the load
/// options are known (`--seed`, `--shard`), the schedule the engine runs.
struct ReplayConfiguration {
    var path: String
    var speed: Double
    var scale: Double
    var trace: ReplayTrace
    /// This process's schedule (its shard's conversations with `--shard`).
    var schedule: ReplaySchedule

    /// VUs when `--vus` is not given: the schedule's busiest moment (`ReplaySchedule.peakConcurrency`),
    /// at most this many; a conversation that finds every VU busy waits, and its lag shows.
    static let mostVirtualUsers = 10_000

    /// The trace of `options`, read and parsed: a missing, unreadable or malformed file is one clear error.
    static func read(_ options: ReplayOptions, readFile: (String) throws -> String?) throws -> ReplayConfiguration? {
        guard let path = options.replay else { return nil }
        let text: String?
        do { text = try readFile(path) } catch { throw ConfigurationError("--replay \(path) cannot be read: \(error).") }
        guard let text else { throw ConfigurationError("--replay \(path) does not exist. Give a trace written by `trace export`.") }
        let trace: ReplayTrace
        do { trace = try ReplayTrace.parse(text, name: "--replay \(path):") } catch {
            throw ConfigurationError("\(error)")
        }
        return ReplayConfiguration(path: path, speed: options.speed, scale: options.scale, trace: trace,
                                   schedule: ReplaySchedule(trace: trace, speed: options.speed, scale: options.scale, seed: 1))
    }

    /// The flags a replay decides itself: each one given is a configuration error naming it.
    static func conflicts(_ load: LoadOptions) -> [String] {
        var flags: [String] = []
        if load.rate != nil { flags.append("--rate (the trace's times are the schedule)") }
        if load.stages != nil { flags.append("--stages") }
        if load.requests != nil { flags.append("--requests (the trace's requests are the count)") }
        if load.turns.maximum > 1 { flags.append("--turns (the trace's conversations have their own turns)") }
        if load.request.think != nil { flags.append("--think (the trace's gaps are the students' pauses)") }
        if load.prompts != nil || load.request.prompt != nil { flags.append("--prompts/--prompt (the trace's prompts are sent)") }
        if load.refusedPause > 0 { flags.append("--refused-pause") }
        return flags
    }
}

extension Configuration {
    /// After the load options: the schedule with `--seed` and `--shard`, the VUs it needs, and the
    /// flags a replay cannot take refused.
    mutating func applyReplay(_ load: LoadOptions) throws {
        guard var replay else { return }
        let conflicts = ReplayConfiguration.conflicts(load)
        guard conflicts.isEmpty else {
            throw ConfigurationError("--replay cannot be used with \(conflicts.joined(separator: ", ")); drop \(conflicts.count == 1 ? "it" : "them").")
        }
        replay.schedule = ReplaySchedule(trace: replay.trace, speed: replay.speed, scale: replay.scale, seed: load.seed,
                                         shard: self.load.shard.map { ($0.index, $0.count) })
        guard replay.schedule.conversations > 0 else {
            throw ConfigurationError("--shard \(self.load.shard?.description ?? ""): the trace's \(replay.trace.conversations.count) conversations leave none to this shard; use fewer shards.")
        }
        self.load.virtualUsers = load.vus ?? min(ReplayConfiguration.mostVirtualUsers, max(1, replay.schedule.peakConcurrency()))
        self.load.pace = .closed(stages: nil)
        self.replay = replay
    }
}
