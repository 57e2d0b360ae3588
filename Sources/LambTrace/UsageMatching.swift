import HeapModule

/// Which `LAMB_usage_logs` rows belong to persisted chats. LAMB logs a completion without the chat's
/// id, so a row is matched by assistant and time: a user turn's completion is logged after its user
/// message and before the chat's next one (the student waits for the answer), give or take the
/// `slack` of whole-second clocks; after a chat's last turn, within `lastTurnWindow`. Per assistant,
/// the rows are swept in time order and each takes the open turn whose window closes first, which
/// matches as many rows as the windows allow; the rows left over are completions without a persisted
/// chat. (In the sample class every completion is logged 0 or 1 s before its answer's timestamp.)
enum UsageMatching {
    static let slack = 2.0
    static let lastTurnWindow = 600.0

    /// A user turn's place: the chat's index and the turn's.
    struct TurnKey: Hashable {
        var chat: Int
        var turn: Int
    }

    struct Result {
        var completions: [TurnKey: LambCompletion] = [:]
        var orphans: [LambCompletion] = []
    }

    private struct Window {
        var start: Double
        var end: Double
        var key: TurnKey
    }

    private struct Open: Comparable {
        var end: Double
        var order: Int
        var key: TurnKey
        static func < (lhs: Open, rhs: Open) -> Bool { (lhs.end, lhs.order) < (rhs.end, rhs.order) }
        static func == (lhs: Open, rhs: Open) -> Bool { lhs.order == rhs.order }
    }

    static func match(chats: [LambChat], completions: [LambCompletion]) -> Result {
        var windows: [Int64: [Window]] = [:]
        for (chatIndex, chat) in chats.enumerated() {
            for (turnIndex, turn) in chat.turns.enumerated() {
                let next = turnIndex + 1 < chat.turns.count ? chat.turns[turnIndex + 1].time + slack : turn.time + lastTurnWindow
                windows[chat.assistantID, default: []].append(
                    Window(start: turn.time - slack, end: max(next, turn.time + slack), key: TurnKey(chat: chatIndex, turn: turnIndex)))
            }
        }
        var result = Result()
        let byAssistant = Dictionary(grouping: completions) { $0.assistantID }
        for assistant in byAssistant.keys.sorted(by: { ($0 ?? .min) < ($1 ?? .min) }) {
            let rows = byAssistant[assistant]!.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            sweep(rows, windows: assistant.flatMap { windows[$0] } ?? [], into: &result)
        }
        result.orphans.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        return result
    }

    /// One assistant's rows against its turns' windows: each row takes the open window that closes first.
    private static func sweep(_ rows: [LambCompletion], windows: [Window], into result: inout Result) {
        let sorted = windows.sorted { $0.start < $1.start }
        var open = Heap<Open>()
        var next = 0
        for row in rows {
            while next < sorted.count, sorted[next].start <= row.createdAt {
                open.insert(Open(end: sorted[next].end, order: next, key: sorted[next].key))
                next += 1
            }
            while let first = open.min, first.end < row.createdAt { _ = open.removeMin() }
            if let taken = open.popMin() {
                result.completions[taken.key] = row
            } else {
                result.orphans.append(row)
            }
        }
    }
}
