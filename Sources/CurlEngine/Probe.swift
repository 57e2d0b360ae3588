import CCurl
import LoadCore

/// A single blocking request on its own easy handle, for the readiness check
/// and embeddings discovery: small, rare, and before the load starts.
public enum Probe {
    public struct Response: Sendable {
        public var statusCode: Int
        public var contentType: String?
        public var body: [UInt8]
        public var failure: FailureKind?
        public var failureDetail: String?
        /// "1.1", "2", ... when a response arrived.
        public var httpVersion: String? = nil
    }

    /// libcurl's `CURLINFO_HTTP_VERSION` as records show it.
    static func versionText(_ version: Int) -> String? {
        switch version {
        case Int(CURL_HTTP_VERSION_1_0): return "1.0"
        case Int(CURL_HTTP_VERSION_1_1): return "1.1"
        case Int(CURL_HTTP_VERSION_2_0): return "2"
        case Int(CURL_HTTP_VERSION_3): return "3"
        default: return nil
        }
    }

    public static func perform(
        method: String, url: String, headers: [String] = [], timeoutSeconds: Double,
        body: [UInt8]? = nil, tls: TLSOptions = TLSOptions(), bodyLimit: Int = 1 << 20, http2: Bool = false
    ) -> Response {
        do {
            return try performChecked(method: method, url: url, headers: headers, timeoutSeconds: timeoutSeconds,
                                      body: body, tls: tls, bodyLimit: bodyLimit, http2: http2)
        } catch {
            return Response(statusCode: 0, body: [], failure: .transportError, failureDetail: "\(error)")
        }
    }

    private static func performChecked(
        method: String, url: String, headers: [String], timeoutSeconds: Double,
        body: [UInt8]?, tls: TLSOptions, bodyLimit: Int, http2: Bool
    ) throws -> Response {
        let handle = try EasyHandle()
        let list = try HeaderList(headers + ["Expect:"])
        let sink = BodySink(limit: bodyLimit)
        try handle.setURL(url)
        handle.set(CURLOPT_HTTPHEADER, list: list.raw)
        try handle.setTimeout(seconds: timeoutSeconds)
        try handle.apply(tls)
        if http2 { try handle.useHTTP2(priorKnowledge: !url.lowercased().hasPrefix("https:")) }
        handle.setWriteTarget(sink)
        let bytes = body ?? []
        let sendOnce = SendOnce()
        try handle.setSendOnce(sendOnce)
        let code = try bytes.withUnsafeBytes { buffer -> CURLcode in
            try handle.setRequest(method: method, body: body == nil ? nil : buffer)
            return withExtendedLifetime((sink, sendOnce, list)) { curl_easy_perform(handle.raw) }
        }
        let failure = FailureKind.from(
            curlCode: Int(code.rawValue), osErrno: Int32(handle.long(CURLINFO_OS_ERRNO)),
            connected: handle.offset(CURLINFO_CONNECT_TIME_T) > 0, resendStopped: sendOnce.stoppedResend
        )
        return Response(
            statusCode: failure == nil ? handle.long(CURLINFO_RESPONSE_CODE) : 0,
            contentType: handle.string(CURLINFO_CONTENT_TYPE),
            body: sink.bytes,
            failure: failure,
            failureDetail: failure == nil ? nil : handle.takeErrorMessage(code: code),
            httpVersion: failure == nil ? versionText(handle.long(CURLINFO_HTTP_VERSION)) : nil
        )
    }
}
