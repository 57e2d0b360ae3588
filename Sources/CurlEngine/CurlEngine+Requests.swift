import LoadCore

extension CurlEngine.EventLoop {
    /// Points VU `local`'s handle at its next request: the URL and body in turn, a `--turns`
    /// conversation's next turn, or a `--replay` conversation's (the trace's prompt, the history so far).
    func prepareRequest(_ user: CurlEngine.VirtualUser, local: Int) throws {
        let configuration = engine.configuration
        // Start order over every loop (a shared atomic) only where it chooses something: the URL and
        // body in turn; with `--turns` the conversation's number does instead.
        user.requestIndex = variants.vary && configuration.conversations == nil ? engine.share.nextRequestNumber() : 0
        user.traceLine = nil
        guard let plan = configuration.conversations else {
            if variants.vary { try variants.apply(user.requestIndex, to: user.handle, method: configuration.method) }
            return
        }
        if let schedule = configuration.replay, let (entry, turn) = scheduler.replayRequest(of: local) {
            user.conversation.prepareReplay(plan, number: entry, turn: turn + 1, length: schedule.turnCount(entry),
                                            userMessage: schedule.userMessage(entry, turn: turn))
            user.traceLine = schedule.line(entry, turn: turn)
        } else {
            user.conversation.prepare(plan, virtualUser: user.index) { engine.share.nextConversationNumber() }
        }
        user.requestIndex = user.conversation.number
        try variants.applyURL(user.conversation.number, to: user.handle)
        try user.handle.setRequest(method: configuration.method,
                                   body: UnsafeRawBufferPointer(rebasing: user.conversation.body[0..<user.conversation.bodyCount]))
    }
}
