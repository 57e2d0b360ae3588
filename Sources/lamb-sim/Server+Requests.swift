import Foundation
import Hummingbird
import NIOCore

/// The steps of a chat request before its answer: accepted or refused as LAMB would, a fault drawn
/// and applied, the chat opened or continued in the store.
extension SimServer {
    enum Acceptance {
        case accepted(ChatRequest, assistantID: String)
        case refused(Response)
    }

    enum ChatStep {
        case chat(Int64?)
        case refused(Response)
    }

    /// The key, the body and the assistant (from the path, or `model` on `/v1/chat/completions`).
    func accept(_ request: Request, assistantID path: String?) async throws -> Acceptance {
        let key = path == nil ? settings.apiKey : settings.token
        guard request.headers[.authorization] == "Bearer \(key)" || (settings.allowAnonymous && request.headers[.authorization] == nil) else {
            return .refused(unauthorised())
        }
        var request = request
        let buffer = try await request.collectBody(upTo: 4 * 1024 * 1024)
        let chatRequest: ChatRequest
        do {
            chatRequest = try ChatRequest.parse(Data(buffer: buffer))
        } catch ChatRequest.ParseError.notJSON {
            return .refused(jsonResponse(.badRequest, #"{"detail":"Request body must be a JSON object"}"#))
        } catch {
            return .refused(jsonResponse(.badRequest, #"{"detail":"messages is required"}"#))
        }
        let prefix = "lamb_assistant."
        let assistantID: String
        if let path {
            assistantID = path
        } else if let model = chatRequest.model, model.hasPrefix(prefix) {
            assistantID = String(model.dropFirst(prefix.count))
        } else {
            return .refused(jsonResponse(.badRequest, #"{"detail":"model must be lamb_assistant.<id>"}"#))
        }
        guard settings.assistantIDs.contains(assistantID) else {
            return .refused(jsonResponse(.notFound, #"{"detail":"Assistant not found"}"#))
        }
        return .accepted(chatRequest, assistantID: assistantID)
    }

    /// The injected fault's response, or nil when the request goes on (also for faults applied later, in the stream).
    func injected(_ fault: Fault, context: SimContext, assistantID: String, prompt: String) async throws -> Response? {
        switch fault {
        case .none, .streamError, .streamCut, .llmDown:
            return nil
        case .streamEmpty:
            // LAMB's answer when its LLM call fails on a stream: 200 and nothing.
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: body(""))
        case .status(let code):
            return jsonResponse(HTTPResponse.Status(code: code), #"{"error":"injected fault"}"#)
        case .stall:
            try await Task.sleep(for: .seconds(settings.stallSeconds))
            return jsonResponse(.serviceUnavailable, #"{"error":"stalled"}"#)
        case .closeBeforeResponse:
            try await context.channel.close()
            throw CancellationError()
        case .closeMidBody:
            let full = ByteBuffer(string: completion(assistantID: assistantID, prompt: prompt).json())
            let channel = context.channel
            return Response(
                status: .ok, headers: [.contentType: "application/json", .contentLength: "\(full.readableBytes)"],
                body: ResponseBody { writer in
                    try await writer.write(full.getSlice(at: 0, length: full.readableBytes / 2)!)
                    try await channel.close()
                    throw CancellationError()
                })
        case .notJSON:
            return Response(status: .ok, headers: [.contentType: "text/html"], body: body("<html><body>Bad Gateway</body></html>"))
        case .errorInBody:
            return jsonResponse(.ok, #"{"error":{"message":"Internal server error: OpenAI API failure (injected)"},"chat_id":null}"#)
        case .oversized:
            let filler = String(repeating: "x", count: settings.oversizedBytes)
            return jsonResponse(.ok, #"{"model":\#(jsonString(settings.model)),"padding":"\#(filler)"}"#)
        }
    }

    /// The chat the request opens or continues (nil: nothing stored), or LAMB's refusal.
    func chat(_ chatRequest: ChatRequest, assistantID: String, store: ChatStore?) async -> ChatStep {
        if let store {
            do {
                if let continued = chatRequest.chatID {
                    guard try await store.continueChat(chatID: continued, prompt: chatRequest.prompt) else {
                        return .refused(jsonResponse(.notFound, #"{"detail":"Chat not found"}"#))
                    }
                    return .chat(continued)
                } else {
                    return .chat(try await store.openChat(assistantID: assistantID, prompt: chatRequest.prompt))
                }
            } catch {
                return .refused(persistenceFailure(error))
            }
        } else if !chatRequest.persist {
            // LAMB stores nothing and names no chat.
            return .chat(nil)
        } else {
            return .chat(chatRequest.chatID ?? Int64(stats.received.current))
        }
    }
}
