import CCurl

/// A single blocking request on its own easy handle, for the readiness check
/// and embeddings discovery: small, rare, and before the load starts.
public enum Probe {
    public struct Response: Sendable {
        public var statusCode: Int
        public var contentType: String?
        public var body: [UInt8]
        public var failure: FailureKind?
        public var failureDetail: String?
    }

    public static func perform(
        method: String, url: String, headers: [String] = [], timeoutSeconds: Double,
        body: [UInt8]? = nil, tls: TLSOptions = TLSOptions(), bodyLimit: Int = 1 << 20
    ) -> Response {
        let handle: EasyHandle
        do { handle = try EasyHandle() } catch {
            return Response(statusCode: 0, body: [], failure: .transportError, failureDetail: "\(error)")
        }
        let list = HeaderList(headers)
        let sink = BodySink(limit: bodyLimit)
        handle.set(CURLOPT_URL, url)
        handle.set(CURLOPT_HTTPHEADER, list: list.raw)
        let requestBody = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, body?.count ?? 0), alignment: 1)
        defer { requestBody.deallocate() }
        if let body { requestBody.copyBytes(from: body) }
        handle.setRequest(
            method: method, body: body.map { UnsafeRawBufferPointer(start: requestBody.baseAddress, count: $0.count) })
        handle.setTimeout(seconds: timeoutSeconds)
        handle.apply(tls)
        handle.setWriteTarget(sink)
        let code = withExtendedLifetime(sink) { curl_easy_perform(handle.raw) }
        let failure = FailureKind.from(
            curlCode: Int(code.rawValue), osErrno: Int32(handle.long(CURLINFO_OS_ERRNO)),
            connected: handle.offset(CURLINFO_CONNECT_TIME_T) > 0
        )
        return Response(
            statusCode: failure == nil ? handle.long(CURLINFO_RESPONSE_CODE) : 0,
            contentType: handle.string(CURLINFO_CONTENT_TYPE),
            body: sink.bytes,
            failure: failure,
            failureDetail: failure == nil ? nil : handle.takeErrorMessage(code: code)
        )
    }
}
