import Foundation
import LoadCore

extension ResponseRecord {
    /// A record read back from a JSON Lines file or an `--output` document (ours or the Python tool's:
    /// the first eight keys are the same; our extras are read when present).
    init(json: [String: Any], source: String) throws {
        let read = RecordFields(json: json, source: source)
        guard let status = try read.count("status_code"), let latency = try read.milliseconds("latency_ms"),
              let success = json["success"] as? Bool else {
            throw FileError("\(source): a record lacks status_code, latency_ms or success.")
        }
        guard status <= 999 else { throw FileError("\(source): status_code \(status) is not an HTTP status.") }
        let error = try read.string("error")
        outcome = Outcome(error: error, success: success, statusCode: status)
        statusCode = status
        latencyMilliseconds = latency
        errorDetail = try read.string("error_detail")
        model = try read.string("model")
        responseText = try read.string("response_text")
        responseTruncated = json["response_truncated"] as? Bool ?? false
        completedAtMicroseconds = Self.microseconds(try read.string("timestamp"))
        connectMilliseconds = try read.milliseconds("connect_ms") ?? 0
        firstByteMilliseconds = try read.milliseconds("ttfb_ms") ?? 0
        bytesReceived = try read.count("bytes_received") ?? 0
        bytesSent = try read.count("bytes_sent") ?? 0
        connectionReused = json["connection_reused"] as? Bool ?? false
        virtualUser = try read.count("vu") ?? 0
        startLagMilliseconds = try read.milliseconds("start_lag_ms")
        assistantID = try read.string("assistant_id")
        turn = try read.count("turn")
        chatID = try read.string("chat_id")
        traceLine = try read.count("trace_line")
        conversation = try read.string("conversation")
        thinkMilliseconds = try read.milliseconds("think_ms")
        httpVersion = try read.string("http_version")
        if let chunks = try read.count("chunks") {
            let tokens = try read.count("output_tokens")
            stream = StreamSummary(
                events: chunks, contentChunks: chunks, timeToFirstTokenMilliseconds: try read.milliseconds("ttft_ms"),
                usageCompletionTokens: json["tokens_source"] as? String == "usage" ? tokens : nil, sawDone: success)
        } else {
            stream = nil
        }
    }

    /// `2026-11-29T00:36:41.966904+00:00` in microseconds since the epoch (0 when unreadable).
    static func microseconds(_ text: String?) -> Int64 {
        guard let text else { return 0 }
        if let microseconds = Timestamp.microseconds(text) { return microseconds }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let seconds = formatter.date(from: text)?.timeIntervalSince1970, abs(seconds) < 1e11 else { return 0 }
        return Int64((seconds * 1e6).rounded())
    }
}
