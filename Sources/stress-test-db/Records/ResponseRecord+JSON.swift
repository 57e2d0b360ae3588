import CurlEngine
import Foundation

extension ResponseRecord {
    /// A record read back from a JSON Lines file or an `--output` document (ours or the Python tool's:
    /// the first eight keys are the same; our extras are read when present).
    init(json: [String: Any], source: String) throws {
        guard let status = json["status_code"] as? Int, let latency = json["latency_ms"] as? Double,
              let success = json["success"] as? Bool else {
            throw FileError("\(source): a record lacks status_code, latency_ms or success.")
        }
        let error = json["error"] as? String
        outcome = Outcome(error: error, success: success, statusCode: status)
        statusCode = status
        latencyMilliseconds = latency
        errorDetail = json["error_detail"] as? String
        model = json["model"] as? String
        responseText = json["response_text"] as? String
        responseTruncated = json["response_truncated"] as? Bool ?? false
        completedAtMicroseconds = Self.microseconds(json["timestamp"] as? String)
        connectMilliseconds = json["connect_ms"] as? Double ?? 0
        firstByteMilliseconds = json["ttfb_ms"] as? Double ?? 0
        bytesReceived = json["bytes_received"] as? Int ?? 0
        bytesSent = json["bytes_sent"] as? Int ?? 0
        connectionReused = json["connection_reused"] as? Bool ?? false
        virtualUser = json["vu"] as? Int ?? 0
        startLagMilliseconds = json["start_lag_ms"] as? Double
        assistantID = json["assistant_id"] as? String
        turn = json["turn"] as? Int
        chatID = json["chat_id"] as? String
        thinkMilliseconds = json["think_ms"] as? Double
        httpVersion = json["http_version"] as? String
        if let chunks = json["chunks"] as? Int {
            stream = StreamSummary(
                events: chunks, contentChunks: chunks, timeToFirstTokenMilliseconds: json["ttft_ms"] as? Double,
                usageCompletionTokens: json["tokens_source"] as? String == "usage" ? json["output_tokens"] as? Int : nil,
                sawDone: success)
        } else {
            stream = nil
        }
    }

    /// `2026-11-29T00:36:41.966904+00:00` in microseconds since the epoch (0 when unreadable).
    static func microseconds(_ text: String?) -> Int64 {
        guard let text else { return 0 }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1e6).rounded()) } ?? 0
    }
}
