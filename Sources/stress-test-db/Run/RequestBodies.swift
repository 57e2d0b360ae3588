import LoadCore

/// The JSON bodies a run sends, built once from the workload and the target's `--model`, as Python's
/// json.dumps writes them: `{"messages": [...], "stream": false}` (true with `--stream`), then
/// `"model"` and `"persist_chat": false` when asked for.
struct RequestBodies {
    let workload: Configuration.Workload
    let model: String?

    init(_ workload: Configuration.Workload, target: Configuration.Target) {
        self.workload = workload
        model = target.model
    }

    /// The prompt's body: `{"messages": [{"role": "user", "content": "<prompt>"}], "stream": false}`.
    var single: String { body(messages: promptMessages) }

    /// Every distinct body of the run: one per `--prompts` entry, else the prompt's.
    var all: [String] {
        workload.prompts.isEmpty ? [single] : workload.prompts.map { body(messages: $0.messagesJSON) }
    }

    /// `{"messages": MESSAGES` and the tail.
    func body(messages: String) -> String { #"{"messages": "# + messages + tail + "}" }

    /// What follows the messages in every body, without the closing brace.
    var tail: String {
        var tail = #", "stream": \#(workload.streaming)"#
        if let model { tail += #", "model": \#(JSONText.string(model))"# }
        if !workload.persistChat { tail += #", "persist_chat": false"# }
        return tail
    }

    private var promptMessages: String { #"[{"role": "user", "content": \#(JSONText.string(workload.prompt))}]"# }

    /// `--replay`: the parts each conversation's bodies are built from (the prompts are the trace's).
    func replayPlan(_ schedule: ReplaySchedule) -> ConversationPlan {
        ConversationPlan(turns: schedule.longestConversation, userMessages: [], head: Array(#"{"messages": ["#.utf8),
                         tail: Array(("]" + tail).utf8), needsChatID: workload.persistChat)
    }

    /// `--turns` above 1: the parts each conversation's bodies are built from; `seed` draws their lengths.
    func conversationPlan(seed: UInt64) -> ConversationPlan? {
        guard workload.turns > 1 else { return nil }
        let openings = workload.prompts.isEmpty ? [promptMessages] : workload.prompts.map(\.messagesJSON)
        // Each opening's array members, without its brackets.
        let members = openings.map { Array($0.dropFirst().dropLast().utf8) }
        return ConversationPlan(turns: workload.turns, userMessages: members, head: Array(#"{"messages": ["#.utf8),
                                tail: Array(("]" + tail).utf8), needsChatID: workload.persistChat,
                                minimumTurns: workload.minimumTurns, seed: seed)
    }
}
