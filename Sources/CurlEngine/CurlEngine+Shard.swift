import CCurl
import Glibc
import LoadCore

extension CurlEngine {
    /// One virtual user: its easy handle, reused for every request it sends, and its body buffers.
    final class VirtualUser {
        /// Response buffer capacity a VU keeps between requests.
        static let keptCapacity = 64 << 10
        /// The VU's number in the run (records, source addresses); its loop knows it by its place in `users`.
        let index: Int
        let handle: EasyHandle
        let response: BodySink
        let sendOnce = SendOnce()
        // The loop owns both the VU (`users`) and its shard (`shards`), and frees the VUs first (`releaseHandles`).
        unowned let shard: Shard
        /// When the request was due (latency counts from here) and when it was handed to libcurl.
        var scheduledAt: UInt64 = 0
        var sentAt: UInt64 = 0
        /// `--think`: the pause before the request in flight, milliseconds.
        var thinkMilliseconds: Double?
        /// The request's place in start order over every VU (which URL and body it took).
        var requestIndex = 0
        /// `--replay`: the trace line of the request in flight.
        var traceLine: Int?
        /// `--turns`: the VU's conversation (made on first use: no memory for runs without turns).
        lazy var conversation = Conversation()
        /// `--turns` with `--stream`: the response's `X-Chat-Id`.
        var headers: HeaderSink?

        init(index: Int, handle: EasyHandle, captureLimit: Int, shard: Shard) throws {
            self.index = index
            self.shard = shard
            self.handle = handle
            response = BodySink(limit: captureLimit)
            handle.setWriteTarget(response)
            try handle.setSendOnce(sendOnce)
        }

        /// Ready for the next request: not yet sent, the response buffer emptied.
        func rewind(streaming: Bool) {
            sendOnce.attempts = 0
            if streaming { response.sse = SSEScanner(keepingContent: headers != nil) }
            headers?.chatID = nil
            response.received = 0
            // The buffer is reused from request to request; one that a large answer grew is let go.
            if response.bytes.capacity > Self.keptCapacity {
                response.bytes = []
            } else {
                response.bytes.removeAll(keepingCapacity: true)
            }
        }
    }

    /// One `curl_multi` and the VUs on it. libcurl looks for a reusable connection by walking
    /// every connection to the host in its multi's cache, so one multi for thousands of VUs costs
    /// O(VUs) per request; shards of a few dozen keep that walk short. One thread drives them all.
    final class Shard {
        let index: Int
        let multi: UnsafeMutableRawPointer
        // The loop owns its shards and frees their multis in `releaseHandles`, while it is whole (libcurl 8 calls back there).
        unowned let loop: EventLoop

        /// `http2`: the shard's VUs share one multiplexed connection (`--http2`).
        init(index: Int, loop: EventLoop, virtualUsers: Int, http2: Bool) throws {
            guard let multi = curl_multi_init() else { throw EngineError("libcurl could not create a multi handle") }
            self.index = index
            self.multi = multi
            self.loop = loop
            // Unretained: the loop keeps this shard (`shards`) until after curl_multi_cleanup of its multi (`releaseHandles`).
            let me = Unmanaged.passUnretained(self).toOpaque()
            do {
                try require(stdb_multi_setopt_socket_function(multi, shardSocketCallback), "CURLMOPT_SOCKETFUNCTION")
                try require(stdb_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me), "CURLMOPT_SOCKETDATA")
                try require(stdb_multi_setopt_timer_function(multi, shardTimerCallback), "CURLMOPT_TIMERFUNCTION")
                try require(stdb_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me), "CURLMOPT_TIMERDATA")
                // One kept-alive connection per VU: with at most one request in flight each,
                // a cache this size never has to close a connection a VU will want back.
                try require(stdb_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, http2 ? 1 : virtualUsers), "CURLMOPT_MAXCONNECTS")
                if http2 {
                    // One connection, every VU of the shard a stream on it (`--connections`).
                    try require(stdb_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX)), "CURLMOPT_PIPELINING")
                    try require(stdb_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1), "CURLMOPT_MAX_HOST_CONNECTIONS")
                    try require(stdb_multi_setopt_long(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, max(100, virtualUsers)),
                                "CURLMOPT_MAX_CONCURRENT_STREAMS")
                }
            } catch {
                curl_multi_cleanup(multi)
                throw error
            }
        }

        private func require(_ code: CURLMcode, _ name: String) throws {
            guard code == CURLM_OK else { throw EngineError("libcurl refused \(name): \(String(cString: curl_multi_strerror(code)))") }
        }

        /// The socket and timer callbacks do nothing from here on (a loop being destroyed, `EventLoop.deinit`).
        func detachCallbacks() {
            _ = stdb_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, nil)
            _ = stdb_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, nil)
        }

        /// Lets libcurl act on a socket event (or, with CURL_SOCKET_TIMEOUT, on its timer).
        func action(_ fd: Int32, _ flags: Int32) {
            var running: Int32 = 0
            // The only failures are a bad handle or out of memory; either shows as transfers
            // that never finish, which the per-request timeout still ends.
            _ = curl_multi_socket_action(multi, fd, flags, &running)
            loop.markDirty(self)
        }
    }
}

extension CurlEngine.EventLoop {
    /// The loop's VU `local`, the run's VU `run`: its handle set up once for every request it will send.
    func makeUser(local: Int, run: Int) throws -> CurlEngine.VirtualUser {
        let configuration = engine.configuration
        let handle = try EasyHandle()
        try variants.apply(0, to: handle, method: configuration.method)
        handle.set(CURLOPT_HTTPHEADER, list: headers.raw)
        try handle.setTimeout(seconds: configuration.timeoutSeconds)
        try handle.apply(configuration.tls)
        let user = try CurlEngine.VirtualUser(index: run, handle: handle, captureLimit: configuration.bodyCaptureBytes,
                                              shard: shards[local / shardSize])
        if configuration.http2 { try handle.useHTTP2(priorKnowledge: !configuration.url.lowercased().hasPrefix("https:")) }
        if let tlsShare {
            try handle.require(stdb_easy_setopt_pointer(handle.raw, CURLOPT_SHARE, tlsShare.raw), "CURLOPT_SHARE (TLS sessions)")
            if LibcurlFeatures.current.handshakeCounts == .runs { try handle.countTLSHandshakes() }
        }
        if configuration.conversations != nil && configuration.streaming {
            let sink = HeaderSink()
            user.headers = sink
            handle.setHeaderTarget(sink)
        }
        if !configuration.sourceAddresses.isEmpty {
            try handle.setSourceAddress(configuration.sourceAddresses[run % configuration.sourceAddresses.count])
        }
        handle.set(CURLOPT_PRIVATE, pointer: UnsafeMutableRawPointer(bitPattern: local + 1))
        try handle.require(stdb_easy_setopt_closesocket_function(handle.raw, loopCloseSocketCallback), "CURLOPT_CLOSESOCKETFUNCTION")
        // Unretained: libcurl copies it into each connection, all closed by curl_multi_cleanup in this loop's `releaseHandles`.
        handle.set(CURLOPT_CLOSESOCKETDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
        return user
    }
}

// The C callbacks: each finds its Swift owner through an unretained pointer that lives as long
// as the loop; `curl_multi_cleanup` may call them too (see `EventLoop.releaseHandles`).

private let shardSocketCallback: curl_socket_callback = { _, fd, what, userData, _ in
    guard let userData else { return 0 }
    // Alive: the loop's `shards` outlast its multis, freed in `releaseHandles` while the loop is whole (never from its deinit).
    let shard = Unmanaged<CurlEngine.Shard>.fromOpaque(userData).takeUnretainedValue()
    shard.loop.watch(fd, what: what, shard: shard.index)
    return 0
}

private let shardTimerCallback: curl_multi_timer_callback = { _, milliseconds, userData in
    guard let userData else { return 0 }
    // As the socket callback: the shard and its loop are alive (`releaseHandles`; deinit detaches these callbacks).
    let shard = Unmanaged<CurlEngine.Shard>.fromOpaque(userData).takeUnretainedValue()
    let deadline = milliseconds < 0 ? nil : monotonicNanoseconds() + UInt64(milliseconds) * 1_000_000
    shard.loop.timers.set(shard.index, to: deadline)
    return 0
}

let loopCloseSocketCallback: curl_closesocket_callback = { userData, fd in
    guard let userData else { return close(fd) }
    // The loop, whose `releaseHandles` closes every connection before its registry and epoll go (in deinit).
    return Unmanaged<CurlEngine.EventLoop>.fromOpaque(userData).takeUnretainedValue().closeSocket(fd)
}
