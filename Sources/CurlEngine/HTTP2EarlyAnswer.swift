import CCurl

/// An HTTP/2 server may close a stream with its complete answer before it has read the request body
/// (RFC 9113 §8.1): nginx's `return 200`, anything that answers without the body. libcurl 7.88 to 8.2
/// then fails the transfer when it goes on to hand over the body: CURLE_HTTP2_STREAM with no message
/// of its own (only "stream N closed" in its verbose log), so the record said "Stream error in the
/// HTTP/2 framing layer" and nothing else. libcurl 8.3.0 discards the unsent body instead (curl PR
/// 11756). Measured (docs/http2.md): 9–15 of 20,000 such answers on 7.88, none on 8.14; none of
/// 100,000 through nginx proxying to lamb-sim, which reads the body before answering.
extension LibcurlFeatures {
    /// This libcurl fails a transfer whose stream was closed with an answer before its body was sent.
    public var failsEarlyHTTP2Answers: Bool { http2 && versionNumber < 0x08_03_00 }

    /// The record's `error_detail` for a failed transfer: libcurl's own message, or, for the case above,
    /// what happened and which libcurl fixes it (only when libcurl left its message empty).
    public func failureDetail(code: CURLcode, libcurlMessage: String?, bodyUnsent: Bool) -> String {
        if let libcurlMessage, !libcurlMessage.isEmpty { return libcurlMessage }
        let text = String(cString: curl_easy_strerror(code))
        guard code == CURLE_HTTP2_STREAM, failsEarlyHTTP2Answers, bodyUnsent else { return text }
        return text + ": the server closed the stream (answered) before the request body was sent; libcurl "
            + "\(version) fails such a request, 8.3.0 and later keep the answer (curl PR 11756)"
    }
}
