import Foundation
import LoadCore

/// The live line on stderr: in place on a terminal, a plain line every few seconds otherwise.
struct ProgressLine {
    let requestLimit: Int?
    let durationSeconds: Double?
    let isTerminal: Bool
    /// The plan's target in force, shown beside the achieved rate (`--rate`, `--stages`).
    var plan: LoadPlan = .closed(stages: nil)
    private(set) var lastShown: Double = 0
    private var recentLatencies: [Double] = []
    /// Streaming: the p95 shown is the time to first token's, what a student waits for.
    private var recentTimesToFirstToken: [Double] = []
    private var lastCompleted = 0

    init(requestLimit: Int?, durationSeconds: Double?, isTerminal: Bool) {
        self.requestLimit = requestLimit
        self.durationSeconds = durationSeconds
        self.isTerminal = isTerminal
    }

    var interval: Double { isTerminal ? 0.5 : 5 }

    mutating func observe(_ record: ResponseRecord) {
        recentLatencies.append(record.latencyMilliseconds)
        if let ttft = record.stream?.timeToFirstTokenMilliseconds { recentTimesToFirstToken.append(ttft) }
    }

    /// The line to show now, if one is due; p95 is over the records since the last line.
    mutating func update(elapsed: Double, completed: Int, errors: Int, thinking: Int? = nil) -> String? {
        guard elapsed - lastShown >= interval else { return nil }
        let window = elapsed - lastShown
        let rate = window > 0 ? Double(completed - lastCompleted) / window : 0
        lastShown = elapsed
        lastCompleted = completed
        var p95 = LatencySummary(recentLatencies).map { String(format: "%.1f ms", $0.p95) } ?? "-"
        if let ttft = LatencySummary(recentTimesToFirstToken) { p95 += String(format: ", TTFT p95 %.1f ms", ttft.p95) }
        recentLatencies.removeAll(keepingCapacity: true)
        recentTimesToFirstToken.removeAll(keepingCapacity: true)
        return Self.render(elapsed: elapsed, completed: completed, requestLimit: requestLimit,
                           durationSeconds: durationSeconds ?? plan.stages?.totalSeconds, rate: rate, errors: errors,
                           p95: p95, target: plan.targetDescription(at: elapsed), thinking: thinking)
    }

    static func render(elapsed: Double, completed: Int, requestLimit: Int?, durationSeconds: Double?,
                       rate: Double, errors: Int, p95: String, target: String? = nil, thinking: Int? = nil) -> String {
        var progress = "\(completed)"
        if let requestLimit { progress += "/\(requestLimit)" }
        progress += " done"
        if let durationSeconds { progress += String(format: ", %.0fs left", max(0, durationSeconds - elapsed)) }
        return String(format: "[%6.1fs] ", elapsed) + progress
            + String(format: " | %.1f req/s", rate) + (target.map { " (target \($0))" } ?? "")
            + (thinking.map { " | \($0) thinking" } ?? "")
            + String(format: " | errors %d | p95 %@", errors, p95)
    }
}
