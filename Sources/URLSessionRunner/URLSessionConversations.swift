import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoadCore
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
            conversation.prepare(plan, virtualUser: user) {
                defer { state.begun += 1 }
                return state.begun
            }
            return (Data(conversation.bodyBytes), conversation.number, conversation.turn)
        }
    }

    /// `--replay`: the body of turn `turn` (0-based) of the schedule's conversation `entry`, played by VU `user`.
    func prepareReplay(_ user: Int, schedule: ReplaySchedule, entry: Int, turn: Int) -> Data {
        state.withLock { state in
            let conversation = state.conversations[user]
            conversation.prepareReplay(plan, number: entry, turn: turn + 1, length: schedule.turnCount(entry),
                                       userMessage: schedule.userMessage(entry, turn: turn))
            return Data(conversation.bodyBytes)
        }
    }

    /// The turn's record, built under the lock: the answer carries the VU's conversation on or ends it
    /// (`over`: it ended, early or complete).
    func record(_ builder: RecordBuilder, _ place: RecordBuilder.Request, _ facts: TransferFacts, stream: SSEScanner?,
                chatIDHeader: [UInt8]?, endedAt: UInt64) -> (RequestResult, over: Bool) {
        state.withLock { state in
            let conversation = state.conversations[place.virtualUser]
            let result = builder.record(place, facts, stream: stream, conversation: conversation, chatIDHeader: chatIDHeader,
                                        endedAt: endedAt)
            return (result, conversation.answered == 0)
        }
    }
}
