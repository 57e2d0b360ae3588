import CCurl
import LoadCore

extension CurlEngine.EventLoop {
    /// The record of a finished transfer: its facts read from the handle on the loop thread, built by the
    /// `RecordBuilder` both transports share.
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
        let delivered = failure == nil
        let facts = TransferFacts(
            // 0 when no status line arrived; the status that did when the body then failed.
            statusCode: handle.long(CURLINFO_RESPONSE_CODE),
            failure: failure,
            failureDetail: delivered ? nil : failureDetail(handle, code: code),
            contentType: delivered ? handle.string(CURLINFO_CONTENT_TYPE) : nil,
            // The VU's buffer itself, moved into the record; a spare one takes its place (see `reclaim`).
            body: delivered ? user.response.takeBytes(replacingWith: spareBodies.popLast() ?? []) : [],
            bodyBytesReceived: delivered ? user.response.received : 0,
            connectMilliseconds: Double(connectMicroseconds) / 1000,
            firstByteMilliseconds: Double(handle.offset(CURLINFO_STARTTRANSFER_TIME_T)) / 1000,
            bytesSent: handle.long(CURLINFO_REQUEST_SIZE) + handle.offset(CURLINFO_SIZE_UPLOAD_T),
            newConnections: connects,
            httpVersion: engine.configuration.http2 ? Probe.versionText(handle.long(CURLINFO_HTTP_VERSION)) : nil)
        // The conversation is made on first use: only a run with `--turns` touches it.
        let conversation = engine.configuration.conversations == nil ? nil : user.conversation
        return engine.recordBuilder.record(request(user), facts, stream: user.response.sse, conversation: conversation,
                                           chatIDHeader: user.headers?.chatID, endedAt: end)
    }

    /// libcurl's message for a failure, or, where it wrote none, what happened (`HTTP2EarlyAnswer`).
    private func failureDetail(_ handle: EasyHandle, code: CURLcode) -> String {
        LibcurlFeatures.current.failureDetail(code: code, libcurlMessage: handle.takeLibcurlMessage(),
                                              bodyUnsent: handle.offset(CURLINFO_SIZE_UPLOAD_T) == 0)
    }

    /// Past the stop grace: a request still in flight is recorded as aborted, not dropped.
    func abortedRecord(_ user: CurlEngine.VirtualUser) -> RequestResult {
        engine.recordBuilder.aborted(request(user), stream: user.response.sse, detail: "stopped before the response completed")
    }

    /// A request libcurl would not take: recorded as failed, with libcurl's reason.
    func unsentRecord(_ user: CurlEngine.VirtualUser, detail: String) -> RequestResult {
        engine.recordBuilder.unsent(virtualUser: user.index, detail: detail)
    }

    private func request(_ user: CurlEngine.VirtualUser) -> RecordBuilder.Request {
        RecordBuilder.Request(virtualUser: user.index, requestIndex: user.requestIndex,
                              scheduledAt: user.scheduledAt, sentAt: user.sentAt, thinkMilliseconds: user.thinkMilliseconds,
                              traceLine: user.traceLine)
    }
}
