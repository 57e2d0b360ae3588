import CCurl

/// Where libcurl reads a request body from: a borrowed buffer, built once per run, read from the
/// start for each request. Handed to libcurl as CURLOPT_READDATA.
///
/// Why a read callback and not CURLOPT_POSTFIELDS: when a kept-alive connection dies after the
/// request was written but before any response byte, libcurl re-sends the request on a fresh
/// connection if it can rewind the body ("Connection died, retrying a fresh connect"). With
/// POSTFIELDS it always can; with a read callback and no CURLOPT_SEEKFUNCTION it cannot, so the
/// transfer fails with CURLE_SEND_FAIL_REWIND instead. Every request reaches the server at most
/// once, and a connection that dies under it is that request's failure, never a silent retry.
final class BodySource {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static let readFunction: curl_read_callback = { buffer, size, count, userData in
        guard let userData, let buffer else { return 0 }
        let source = Unmanaged<BodySource>.fromOpaque(userData).takeUnretainedValue()
        let length = min(size * count, source.bytes.count - source.offset)
        guard length > 0, let base = source.bytes.baseAddress else { return 0 }
        UnsafeMutableRawPointer(buffer).copyMemory(from: base + source.offset, byteCount: length)
        source.offset += length
        return length
    }
}

extension EasyHandle {
    /// POST (or another method) with `source`'s bytes as the body; `source` must outlive the transfer,
    /// and its offset is rewound by the caller before each request.
    func setBody(method: String, source: BodySource) throws {
        try setMethod(method)
        try require(stdb_easy_setopt_read_function(raw, BodySource.readFunction), "CURLOPT_READFUNCTION")
        set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(source).toOpaque())
        try require(stdb_easy_setopt_off(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(source.bytes.count)),
                    "CURLOPT_POSTFIELDSIZE_LARGE")
    }
}
