import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// How a streamed answer is paced (`--ttft-ms`, `--itl-ms`, `--tokens`, `--no-usage`).
struct StreamPacing: Sendable, Equatable {
    /// Before the first content chunk, and between content chunks; nil: spread `--latency-ms` evenly.
    var timeToFirstToken: ClosedRange<Double>?
    var interToken: ClosedRange<Double>?
    /// Content chunks per answer (one word each); nil: the fixed reply.
    var tokens: Int?
    /// Send the final chunk carrying `usage.completion_tokens`.
    var usage = true
}

extension SimServer {
    /// Server-Sent Events, paced by `--ttft-ms`/`--itl-ms` (or spread over `--latency-ms`), with the
    /// stream faults: an `error` event half-way, a stream cut without `data: [DONE]`.
    func streamed(_ completion: Completion, latencyMilliseconds: Double, chatID: Int64?, assistantID: String,
                  fault: Fault, channel: any Channel) -> Response {
        let pacing = settings.pacing
        let content = completion.contentEvents
        var planned = content
        switch fault {
        case .streamError:
            planned = Array(content.prefix(content.count / 2))
                + [SSE.event(#"{"error":{"message":"Internal server error: the LLM stream failed (injected)"}}"#)]
        case .streamCut:
            planned = Array(content.prefix(max(1, content.count / 2)))
        case .llmDown:
            // LAMB with its LLM down: the 200 head (and the chat id), then the body aborted.
            planned = []
        default:
            planned += (pacing.usage ? [completion.usageEvent] : []) + [SSE.event("[DONE]")]
        }
        // Before each event: the TTFT before the first, the ITL between content chunks, nothing after.
        var waits = [Double](repeating: 0, count: planned.count)
        if let first = pacing.timeToFirstToken {
            waits[0] = Double.random(in: first)
            for index in 1..<min(planned.count, content.count) { waits[index] = Double.random(in: pacing.interToken ?? 0...0) }
        } else if planned.count > 1 {
            for index in 1..<planned.count { waits[index] = latencyMilliseconds / Double(planned.count - 1) }
        }
        let store = store
        let (events, pauses) = (planned, waits)
        let channel = channel
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        // LAMB names the chat only when it stores one (`persist_chat` true).
        if let chatID { headers[HTTPField.Name("X-Chat-Id")!] = ChatID.text(chatID) }
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                for (index, event) in events.enumerated() {
                    if pauses[index] > 0 { try await Task.sleep(for: .milliseconds(pauses[index])) }
                    try await writer.write(ByteBuffer(string: event))
                }
                // The answer saved and its usage logged; without a chat (`persist_chat` false) the usage only.
                if fault == .none, let store {
                    if let chatID {
                        try? await store.closeChat(chatID: chatID, assistantID: assistantID, completion: completion)
                    } else {
                        try? await store.logUsage(assistantID: assistantID, completion: completion)
                    }
                }
                if fault == .llmDown {
                    try await channel.close()
                    throw CancellationError()
                }
                try await writer.finish(nil)
            })
    }
}
