import CCurl

extension CurlEngine.EventLoop {
    /// The record of a finished transfer, read from its handle on the loop thread.
    func record(_ user: CurlEngine.VirtualUser, code: CURLcode) -> RequestResult {
        let end = monotonicNanoseconds()
        let handle = user.handle
        let connects = handle.long(CURLINFO_NUM_CONNECTS)
        let connectMicroseconds = handle.offset(CURLINFO_CONNECT_TIME_T)
        let failure = FailureKind.from(
            curlCode: Int(code.rawValue), osErrno: Int32(handle.long(CURLINFO_OS_ERRNO)),
            connected: connectMicroseconds > 0 || connects == 0, resendStopped: user.sendOnce.stoppedResend
        )
        connectionsOpened += connects
        let status = failure == nil ? handle.long(CURLINFO_RESPONSE_CODE) : 0
        var turn: Int?
        var chatID: String?
        if let plan = engine.configuration.conversations {
            turn = user.conversation.turn
            if let headers = user.headers {
                user.conversation.receive(plan, succeeded: (200..<300).contains(status), stream: user.response.sse,
                                          chatIDHeader: headers.chatID)
            } else {
                user.conversation.receive(plan, succeeded: (200..<300).contains(status), response: user.response.bytes)
            }
            chatID = user.conversation.chatID.map { String(decoding: $0, as: UTF8.self) }
        }
        return RequestResult(
            statusCode: status,
            latencyMilliseconds: Double(end - user.scheduledAt) / 1e6,
            failure: failure,
            failureDetail: failure == nil ? nil : handle.takeErrorMessage(code: code),
            contentType: failure == nil ? handle.string(CURLINFO_CONTENT_TYPE) : nil,
            // The VU's buffer itself, moved into the record; a spare one takes its place (see `reclaim`).
            body: failure == nil ? user.response.takeBytes(replacingWith: spareBodies.popLast() ?? []) : [],
            bodyBytesReceived: failure == nil ? user.response.received : 0,
            completedAtMicroseconds: wallClockMicroseconds(),
            connectMilliseconds: Double(connectMicroseconds) / 1000,
            firstByteMilliseconds: Double(handle.offset(CURLINFO_STARTTRANSFER_TIME_T)) / 1000,
            bytesSent: handle.long(CURLINFO_REQUEST_SIZE) + handle.offset(CURLINFO_SIZE_UPLOAD_T),
            newConnections: connects,
            virtualUser: user.index,
            startLagMilliseconds: startLag(user),
            stream: user.response.sse?.summary(from: user.scheduledAt)
        ).with(requestIndex: user.requestIndex, turn: turn, chatID: chatID)
    }

    /// Open model only: how late the request was handed to libcurl after it was due.
    private func startLag(_ user: CurlEngine.VirtualUser) -> Double? {
        guard case .open = engine.configuration.plan else { return nil }
        return Double(user.sentAt &- user.scheduledAt) / 1e6
    }

    /// Past the stop grace: a request still in flight is recorded as aborted, not dropped.
    func abortedRecord(_ user: CurlEngine.VirtualUser) -> RequestResult {
        RequestResult(
            statusCode: 0, latencyMilliseconds: Double(monotonicNanoseconds() - user.scheduledAt) / 1e6,
            failure: .aborted, failureDetail: "stopped before the response completed",
            completedAtMicroseconds: wallClockMicroseconds(), virtualUser: user.index, startLagMilliseconds: startLag(user),
            stream: user.response.sse?.summary(from: user.scheduledAt))
    }

    /// A request libcurl would not take: recorded as failed, with libcurl's reason.
    func unsentRecord(_ user: CurlEngine.VirtualUser, detail: String) -> RequestResult {
        RequestResult(
            statusCode: 0, latencyMilliseconds: 0, failure: .transportError, failureDetail: detail,
            completedAtMicroseconds: wallClockMicroseconds(), virtualUser: user.index)
    }
}
