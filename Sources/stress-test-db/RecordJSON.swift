extension ResponseRecord {
    /// SPEC section 4's eight keys in order, then this tool's extras.
    var json: JSONValue {
        .object([
            ("status_code", .int(statusCode)),
            ("latency_ms", .number(latencyMilliseconds)),
            ("success", .bool(success)),
            ("error", .optional(error)),
            ("model", .optional(model)),
            ("response_text", .optional(responseText)),
            ("response_truncated", .bool(responseTruncated)),
            ("timestamp", .string(timestamp)),
            ("error_detail", .optional(errorDetail)),
            ("connect_ms", .number(result.connectMilliseconds)),
            ("ttfb_ms", .number(result.firstByteMilliseconds)),
            ("bytes_received", .int(result.bodyBytesReceived)),
            ("bytes_sent", .int(result.bytesSent)),
            ("connection_reused", .bool(result.connectionReused)),
            ("vu", .int(result.virtualUser)),
        ])
    }

    /// One JSON Lines line, newline included.
    var jsonLine: String { json.compact + "\n" }
}
