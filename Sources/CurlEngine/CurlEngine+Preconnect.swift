import CCurl
import Glibc
import LoadCore

extension CurlEngine.EventLoop {
    /// `--preconnect`: one `HEAD` to the request URL on each connection this loop's VUs will use (every
    /// VU over HTTP/1.1, each shard's one with `--http2`), on the VU's own handle, so libcurl keeps the
    /// connection in the shard's pool and the VU's first request reuses it. CURLOPT_CONNECT_ONLY would
    /// not do: libcurl never reuses a connect-only connection for a later transfer. No record is made;
    /// `--timeout` bounds each HEAD; a stop (Ctrl-C) ends the phase. The handles are then set back to
    /// the run's request.
    func preconnect() -> Preconnect {
        var phase = Preconnect()
        let openers = Preconnect.openers(virtualUsers: users.count, perShard: shardSize, http2: engine.configuration.http2)
        var pending = Set<Int>()
        for local in openers {
            let user = users[local]
            user.handle.set(CURLOPT_NOBODY, 1)
            let code = curl_multi_add_handle(user.shard.multi, user.handle.raw)
            guard code == CURLM_OK else {
                phase.add(failure: String(cString: curl_multi_strerror(code)), connectedAtMilliseconds: 0, tlsDoneAtMilliseconds: 0)
                restoreRequest(user)
                continue
            }
            pending.insert(local)
            markDirty(user.shard)
        }
        var events = [epoll_event](repeating: epoll_event(), count: 512)
        while !pending.isEmpty && !engine.stopRequested.load(ordering: .acquiring) {
            let timeout = Self.nanoseconds(until: timers.earliest(), now: monotonicNanoseconds())
            let count = wait(&events, timeoutNanoseconds: timeout)
            for event in events.prefix(Int(max(0, count))) { dispatch(event) }
            for shard in timers.takeDue(now: monotonicNanoseconds()) { shards[shard].action(CURL_SOCKET_TIMEOUT, 0) }
            forEachFinished { local, code in
                guard pending.remove(local) != nil else { return }
                let user = users[local]
                removeHandle(user)
                // libcurl's short text ("Couldn't connect to server"), so the reasons count together; its
                // longer message (with the port and milliseconds) is emptied, not left for the VU's first record.
                _ = user.handle.takeLibcurlMessage()
                phase.add(failure: code == CURLE_OK ? nil : String(cString: curl_easy_strerror(code)),
                          connectedAtMilliseconds: Double(user.handle.offset(CURLINFO_CONNECT_TIME_T)) / 1000,
                          tlsDoneAtMilliseconds: Double(user.handle.offset(CURLINFO_APPCONNECT_TIME_T)) / 1000)
                restoreRequest(user)
            }
        }
        // Stopped part way: the HEADs still out leave their multis, not counted as opened.
        for local in pending {
            removeHandle(users[local])
            phase.add(failure: "stopped before the connection was open", connectedAtMilliseconds: 0, tlsDoneAtMilliseconds: 0)
            restoreRequest(users[local])
        }
        return phase
    }

    /// The VU's handle as `makeUser` left it: the run's method, first URL and body.
    private func restoreRequest(_ user: CurlEngine.VirtualUser) {
        user.handle.set(CURLOPT_NOBODY, 0)
        do {
            try variants.apply(0, to: user.handle, method: engine.configuration.method)
        } catch {
            stopForFailure("\(error)")
        }
    }
}
