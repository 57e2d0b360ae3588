import CCurl

/// `--turns` with `--stream`: LAMB sends a streamed chat's id in the `X-Chat-Id` response header.
/// libcurl hands every header line to `headerFunction`; this keeps that one's value.
final class HeaderSink {
    var chatID: [UInt8]?

    private static let name = Array("x-chat-id:".utf8)

    static let headerFunction: curl_write_callback = { data, size, count, userData in
        let length = size * count
        guard let userData, let data, length > name.count else { return length }
        // The pointer `setHeaderTarget` gave this handle; the VU that owns both keeps the sink (`headers`) alive.
        let sink = Unmanaged<HeaderSink>.fromOpaque(userData).takeUnretainedValue()
        let line = UnsafeRawBufferPointer(start: data, count: length)
        // Header names are case-insensitive: compare with ASCII letters lowered.
        for (index, expected) in name.enumerated() {
            let byte = line[index]
            guard (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == expected else { return length }
        }
        let value = line[name.count...].drop { $0 == 0x20 || $0 == 0x09 }
        sink.chatID = Array(value.reversed().drop { $0 == 0x0A || $0 == 0x0D || $0 == 0x20 || $0 == 0x09 }.reversed())
        return length
    }
}

extension EasyHandle {
    /// Reads the response headers into `sink`, which must outlive the transfers.
    func setHeaderTarget(_ sink: HeaderSink) {
        _ = stdb_easy_setopt_write_function(raw, CURLOPT_HEADERFUNCTION, HeaderSink.headerFunction)
        // Unretained: only `makeUser` sets it, and the VU keeps the sink (`headers`, never replaced) beside its handle.
        set(CURLOPT_HEADERDATA, pointer: Unmanaged.passUnretained(sink).toOpaque())
    }
}
