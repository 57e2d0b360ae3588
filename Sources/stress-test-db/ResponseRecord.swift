import CurlEngine

/// The per-request record of SPEC section 4: one `RequestResult` and what its
/// body says, read once, off the loop thread. Every writer and statistic reads this.
struct ResponseRecord {
    let result: RequestResult
    let success: Bool
    /// SPEC's `error`: a failure kind, a failure hidden in a 2xx, or nil.
    let error: String?
    let errorDetail: String?
    let model: String?
    let responseText: String?
    let responseTruncated: Bool

    var statusCode: Int { result.statusCode }
    var latencyMilliseconds: Double { result.latencyMilliseconds }
    var timestamp: String { isoTimestamp(microseconds: result.completedAtMicroseconds) }

    /// What the run's `error` column and warnings count: the error, or a non-2xx status.
    var problemKey: String? {
        if let error { return error }
        return (200..<300).contains(statusCode) ? nil : String(statusCode)
    }

    /// - Parameters:
    ///   - maxCharacters: cap on `response_text` in Unicode scalars; 0 is unlimited.
    ///   - trustStatus: the old tool's rule, a 2xx is a success whatever its body.
    init(_ result: RequestResult, maxCharacters: Int, trustStatus: Bool) {
        // The body is read here, once; the record keeps the text, not the bytes (`--output` holds every record).
        var stored = result
        stored.body = []
        self.result = stored
        let contentType = result.contentType?.lowercased() ?? ""
        let isJSON = contentType.hasPrefix("application/json")
        let isText = isJSON || contentType.hasPrefix("text/")
        let findings = (result.failure == nil && !result.body.isEmpty) ? BodyScanner.scan(result.body) : BodyScanner.Findings()

        model = isJSON ? findings.model : nil
        if isText {
            let text = String(decoding: result.body, as: UTF8.self)
            let scalars = text.unicodeScalars
            // A body of at most `maxCharacters` bytes has at most as many scalars: no need to count them.
            if maxCharacters > 0, result.body.count > maxCharacters, scalars.count > maxCharacters {
                var cut = String.UnicodeScalarView()
                cut.append(contentsOf: scalars.prefix(maxCharacters))
                responseText = String(cut)
                responseTruncated = true
            } else {
                responseText = text
                responseTruncated = result.bodyCaptureIncomplete
            }
        } else {
            responseText = nil
            responseTruncated = false
        }

        let is2xx = (200..<300).contains(result.statusCode)
        if let failure = result.failure {
            success = false
            error = failure.rawValue
            errorDetail = result.failureDetail
        } else if is2xx && !trustStatus && findings.error != nil {
            success = false
            error = "ErrorInResponse"
            errorDetail = findings.error
        } else if is2xx && !trustStatus && result.bodyBytesReceived == 0 {
            success = false
            error = "EmptyResponse"
            errorDetail = "the server answered \(result.statusCode) with an empty body"
        } else {
            success = is2xx
            error = nil
            errorDetail = nil
        }
    }
}
