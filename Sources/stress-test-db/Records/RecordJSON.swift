extension ResponseRecord {
    /// SPEC section 4's eight keys in order, then this tool's extras.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("status_code", .int(statusCode)),
            ("latency_ms", .number(latencyMilliseconds)),
            ("success", .bool(success)),
            ("error", .optional(error)),
            ("model", .optional(model)),
            ("response_text", .optional(responseText)),
            ("response_truncated", .bool(responseTruncated)),
            ("timestamp", .string(timestamp)),
            ("error_detail", .optional(errorDetail)),
            ("connect_ms", .number(connectMilliseconds)),
            ("ttfb_ms", .number(firstByteMilliseconds)),
            ("bytes_received", .int(bytesReceived)),
            ("bytes_sent", .int(bytesSent)),
            ("connection_reused", .bool(connectionReused)),
            ("vu", .int(virtualUser)),
        ]
        if let stream {
            members += [
                ("ttft_ms", .optional(stream.timeToFirstTokenMilliseconds.map(JSONValue.number))),
                ("chunks", .int(stream.contentChunks)),
                ("output_tokens", .optional(outputTokens)),
                ("tokens_source", .optional(tokensSource)),
                ("itl_ms", .optional(stream.interTokenMilliseconds.map(JSONValue.number))),
                ("tpot_ms", .optional(timePerOutputTokenMilliseconds.map(JSONValue.number))),
            ]
        }
        if let assistantID { members.append(("assistant_id", .string(assistantID))) }
        if let traceLine { members += [("trace_line", .int(traceLine)), ("conversation", .optional(conversation))] }
        if let turn { members += [("turn", .int(turn)), ("chat_id", .optional(chatID))] }
        if let startLagMilliseconds {
            members += [("service_ms", .number(serviceMilliseconds)), ("start_lag_ms", .number(startLagMilliseconds))]
        }
        if let thinkMilliseconds { members.append(("think_ms", .number(thinkMilliseconds))) }
        if let httpVersion { members.append(("http_version", .string(httpVersion))) }
        return .object(members)
    }

    /// One JSON Lines line, newline included.
    var jsonLine: String { json.compact + "\n" }

    /// The same line appended as bytes (the consumer's path: no String built per record).
    func appendJSONLine(to out: inout [UInt8]) {
        json.render(into: &out, indent: nil, level: 0)
        out.append(UInt8(ascii: "\n"))
    }
}
