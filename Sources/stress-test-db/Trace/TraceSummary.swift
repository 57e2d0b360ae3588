import Foundation
import LambTrace

/// What `trace export` prints: conversations, requests, the time span and the busiest minute.
enum TraceSummary {
    static func text(_ trace: Trace, path: String) -> String {
        let orphans = trace.conversations - trace.chatConversations
        var lines = ["Trace: \(trace.conversations) conversations (\(trace.chatConversations) chats, "
                     + "\(orphans) completions without a chat), \(trace.requests.count) requests"]
        if let first = trace.requests.first, let last = trace.requests.last {
            let span = last.offset - first.offset
            lines.append("Span: \(time(trace.start + first.offset)) to \(time(trace.start + last.offset)) "
                         + "(\(JSONText.integerOrNumber(span)) s)")
            let peak = peakPerMinute(trace.requests.map(\.offset))
            lines.append("Peak: \(peak.count) requests per minute (the minute from \(time(trace.start + peak.from)))")
        }
        lines.append("Trace saved to: \(path)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The most requests in any 60 seconds `[t, t + 60)` and where that minute starts (offsets sorted).
    static func peakPerMinute(_ offsets: [Double]) -> (count: Int, from: Double) {
        var best = (count: 0, from: offsets.first ?? 0)
        var first = 0
        for (index, offset) in offsets.enumerated() {
            while offsets[first] <= offset - 60 { first += 1 }
            if index - first + 1 > best.count { best = (index - first + 1, offsets[first]) }
        }
        return best
    }

    private static func time(_ epoch: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: epoch))
    }
}
