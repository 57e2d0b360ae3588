import CurlEngine
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// `--turns` on the URLSession runner: each VU's `Conversation` (the engine's own), behind a lock
/// because the child tasks of different VUs run at once; a VU has one request in flight at a time.
final class URLSessionConversations: Sendable {
    private struct State {
        var conversations: [Conversation]
        var begun = 0
    }

    let plan: ConversationPlan
    private let state: Mutex<State>

    init(plan: ConversationPlan, virtualUsers: Int) {
        self.plan = plan
        state = Mutex(State(conversations: (0..<virtualUsers).map { _ in Conversation() }))
    }

    /// The VU's next turn: its body, its conversation's place among those begun (which URL), its number.
    func prepare(_ user: Int) -> (body: Data, conversation: Int, turn: Int) {
        state.withLock { state in
            let conversation = state.conversations[user]
            conversation.prepare(plan) {
                defer { state.begun += 1 }
                return state.begun
            }
            return (Data(conversation.bodyBytes), conversation.number, conversation.turn)
        }
    }

    /// The turn's answer carries the conversation on or ends it: LAMB's chat id (as the record shows
    /// it), and whether the conversation is over (ended early or complete).
    func receive(_ user: Int, _ finished: URLSessionTransfers.Finished, streaming: Bool) -> (chatID: String?, over: Bool) {
        let status = finished.error == nil ? finished.response?.statusCode ?? 0 : 0
        let succeeded = (200..<300).contains(status)
        return state.withLock { state in
            let conversation = state.conversations[user]
            if streaming {
                let header = finished.response?.value(forHTTPHeaderField: "X-Chat-Id").map { Array($0.utf8) }
                conversation.receive(plan, succeeded: succeeded, stream: finished.stream, chatIDHeader: header)
            } else {
                conversation.receive(plan, succeeded: succeeded, response: finished.body)
            }
            return (conversation.chatID.map { String(decoding: $0, as: UTF8.self) }, conversation.answered == 0)
        }
    }
}
