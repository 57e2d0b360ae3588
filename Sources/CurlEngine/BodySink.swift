import CCurl
import LoadCore

/// Where libcurl writes a response body: the first `limit` bytes are kept, every byte is counted.
/// Shared by the engine's VUs and the probes; handed to libcurl as CURLOPT_WRITEDATA.
final class BodySink {
    let limit: Int
    var bytes: [UInt8] = []
    var received = 0
    /// Streaming (`--stream`): every write is also read as Server-Sent Events, with its arrival time.
    var sse: SSEScanner?

    init(limit: Int) { self.limit = limit }

    /// The bytes kept so far, moved out (no copy); `replacement`, an empty buffer, takes their place.
    func takeBytes(replacingWith replacement: [UInt8]) -> [UInt8] {
        var taken = replacement
        swap(&taken, &bytes)
        return taken
    }

    /// The write function to pair with an unretained pointer to a sink.
    static let writeFunction: curl_write_callback = { data, size, count, userData in
        let length = size * count
        guard let userData, let data else { return length }
        // The pointer `setWriteTarget` gave this handle; the sink's owner keeps it alive as long (see there).
        let sink = Unmanaged<BodySink>.fromOpaque(userData).takeUnretainedValue()
        sink.received += length
        if sink.sse != nil {
            sink.sse!.feed(UnsafeRawBufferPointer(start: data, count: length), at: monotonicNanoseconds())
        }
        let room = sink.limit - sink.bytes.count
        if room > 0 {
            UnsafeRawPointer(data).withMemoryRebound(to: UInt8.self, capacity: length) {
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: min(room, length)))
            }
        }
        return length
    }
}

extension EasyHandle {
    /// Sends the body to `sink`, which must outlive the transfer.
    func setWriteTarget(_ sink: BodySink) {
        // Unretained: a VU holds its sink (`response`) beside its handle, `Probe` holds it through curl_easy_perform.
        setWriteFunction(BodySink.writeFunction, data: Unmanaged.passUnretained(sink).toOpaque())
    }
}
