import CCurl
import Glibc
import LoadCore

extension CurlEngine {
    /// The loop thread's state: the libcurl handles, the epoll set, and the values that decide
    /// (`Scheduler`, `EpollRegistry`, `ShardTimers`). Everything here applies their decisions.
    final class EventLoop {
        // The loop thread's closure holds the engine strongly, and the loop is freed before that closure ends.
        unowned let engine: CurlEngine
        /// This loop's place among the engine's loops; it holds the run's VUs `index`, `index + loops`, ...
        let index: Int
        let wakeDescriptor: Int32
        let epoll: Int32
        let headers: HeaderList
        /// The URLs parsed once (libcurl copies one for each transfer instead of parsing the string
        /// again) and the bodies copied once.
        let variants: RequestVariants
        var shards: [Shard] = []
        /// VUs per shard (`EngineConfiguration.virtualUsersPerShard`).
        let shardSize: Int
        /// https: the loop's TLS session cache, shared by its handles (released after them, in `deinit`).
        private(set) var tlsShare: TLSSessionShare?
        var users: [VirtualUser] = []
        var scheduler: Scheduler
        var registry = EpollRegistry()
        var timers: ShardTimers
        /// Shards that ran socket_action since the last look for finished transfers.
        private var dirtyShards: [Int] = []
        private var isDirty: [Bool]
        /// The records not yet handed over, and empty body buffers from records the consumer gave back.
        var batch: RecordBatch
        var spareBodies: [[UInt8]] = []
        /// Records are handed over in batches: when this many are waiting, or `flushInterval` after the
        /// first of them, so thousands of streams finishing one by one do not wake the consumer each time.
        static let flushCount = 256
        static let flushInterval: UInt64 = 5_000_000
        var batchSince: UInt64?
        var connectionsOpened = 0
        private var hasPwait2 = true

        init(engine: CurlEngine, index: Int) throws {
            self.engine = engine
            self.index = index
            wakeDescriptor = engine.wakeDescriptors[index]
            batch = RecordBatch(producer: index)
            let configuration = engine.configuration
            let members = Scheduler.virtualUsers(ofLoop: index, loops: engine.loops, total: configuration.virtualUsers)
            shardSize = configuration.virtualUsersPerShard
            let shardCount = (members + shardSize - 1) / shardSize
            // Replaced in `run`, once every loop is ready and the run's time zero is known.
            scheduler = Scheduler(configuration, share: engine.share, loop: index, startAt: monotonicNanoseconds())
            timers = ShardTimers(shards: shardCount)
            isDirty = [Bool](repeating: false, count: shardCount)
            // "Expect:" off: libcurl would otherwise wait for a 100 Continue before a large body.
            headers = try HeaderList(configuration.headers + ["Expect:"])
            variants = try RequestVariants(urls: configuration.urls.isEmpty ? [configuration.url] : configuration.urls,
                                           bodies: configuration.bodies.isEmpty ? [configuration.body] : configuration.bodies)
            epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
            // From here on, deinit releases what init made.
            guard epoll >= 0 else { throw EngineError("epoll_create1 failed: \(String(cString: strerror(errno)))") }
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.fd = wakeDescriptor
            guard epoll_ctl(epoll, EPOLL_CTL_ADD, wakeDescriptor, &event) == 0 else {
                throw EngineError("epoll_ctl could not watch the wake-up descriptor: \(String(cString: strerror(errno)))")
            }
            for shard in 0..<shardCount {
                shards.append(try Shard(index: shard, loop: self, virtualUsers: min(shardSize, members - shard * shardSize),
                                        http2: configuration.http2))
            }
            if (configuration.urls + [configuration.url]).contains(where: { $0.lowercased().hasPrefix("https:") }) {
                tlsShare = try TLSSessionShare()
            }
            users.reserveCapacity(members)
            for local in 0..<members {
                users.append(try makeUser(local: local, run: scheduler.runIndex(of: local)))
            }
        }

        /// Frees the libcurl handles in libcurl's order (curl_multi_cleanup(3)): every easy handle leaves
        /// its multi and is cleaned up (with `users`), then each multi, then the TLS share no handle uses
        /// any more. Called on the loop's thread when `run` returns, while the loop is still referenced:
        /// `curl_multi_cleanup` shuts down the connections left in its pool, and libcurl 8 does that
        /// gracefully for TLS (close_notify), calling the socket callback for each socket as its manual
        /// page warns, and the close-socket callback. Both reach this loop (`Shard.loop`, unretained),
        /// which must then be whole: inside `deinit` an `unowned` read of it traps ("already destroyed").
        func releaseHandles() {
            for user in users { curl_multi_remove_handle(user.shard.multi, user.handle.raw) }
            users.removeAll()
            for shard in shards { curl_multi_cleanup(shard.multi) }
            shards.removeAll()
            tlsShare = nil
        }

        /// Normally `releaseHandles` has run and only epoll is left. A loop whose `init` failed part way
        /// never ran a transfer; its multis' callbacks are detached first all the same, since nothing
        /// can reach a loop being destroyed. The close-socket callback finds the registry and epoll open.
        deinit {
            for shard in shards { shard.detachCallbacks() }
            releaseHandles()
            if epoll >= 0 { close(epoll) }
        }

        func run() {
            // The schedule's time zero is now, after every handle was made, not when the loop was built.
            let begin = engine.share.ready()
            scheduler = Scheduler(engine.configuration, share: engine.share, loop: index, startAt: begin)
            // A stop before the clock (Ctrl-C during `--preconnect`) starts nothing.
            noticeStop(now: begin)
            for action in scheduler.begin(now: begin) { apply(action) }
            flush()
            let maxEvents = 512
            var events = [epoll_event](repeating: epoll_event(), count: maxEvents)
            while !scheduler.isFinished(at: monotonicNanoseconds()) {
                let now = monotonicNanoseconds()
                noticeStop(now: now)
                let due = scheduler.tick(now: now)
                if !due.isEmpty {
                    for action in due { apply(action) }
                    if scheduler.think != nil { publishCounters() }
                    flushIfDue(now: now)
                    continue
                }
                let deadlines = [scheduler.nextDeadline(now: now), timers.earliest(), batchSince.map { $0 + Self.flushInterval }]
                let timeout = Self.nanoseconds(until: deadlines.compactMap { $0 }.min(), now: now)
                let count = wait(&events, timeoutNanoseconds: timeout)
                for event in events.prefix(Int(max(0, count))) { dispatch(event) }
                for shard in timers.takeDue(now: monotonicNanoseconds()) { shards[shard].action(CURL_SOCKET_TIMEOUT, 0) }
                noticeStop(now: monotonicNanoseconds())
                collectFinished()
                flushIfDue(now: monotonicNanoseconds())
            }
            flush()
        }

        private func noticeStop(now: UInt64) {
            if !scheduler.stopping, engine.stopRequested.load(ordering: .acquiring) { scheduler.stop(now: now) }
        }

        /// How long epoll may sleep: to the deadline, and at most 250 ms so a stop request is seen.
        static func nanoseconds(until deadline: UInt64?, now: UInt64) -> UInt64 {
            let most: UInt64 = 250_000_000
            guard let deadline else { return most }
            return deadline <= now ? 0 : min(most, deadline - now)
        }

        /// `epoll_pwait2` sleeps to the nanosecond, so a request due in 300 µs starts then, not at the
        /// next whole millisecond (the open model's start lag). Kernels before 5.11 lack it: `epoll_wait`.
        func wait(_ events: inout [epoll_event], timeoutNanoseconds: UInt64) -> Int32 {
            if hasPwait2 {
                var timeout = timespec(tv_sec: Int(timeoutNanoseconds / 1_000_000_000),
                                       tv_nsec: Int(timeoutNanoseconds % 1_000_000_000))
                let count = epoll_pwait2(epoll, &events, Int32(events.count), &timeout, nil)
                if count >= 0 || errno != ENOSYS { return count }
                hasPwait2 = false
            }
            return epoll_wait(epoll, &events, Int32(events.count), Int32((timeoutNanoseconds + 999_999) / 1_000_000))
        }

        func dispatch(_ event: epoll_event) {
            let fd = event.data.fd
            if fd == wakeDescriptor {
                var value: UInt64 = 0
                _ = read(fd, &value, 8)
                return
            }
            switch registry.fired(fd: fd, events: event.events) {
            case .deliver(let shard, let flags): shards[shard].action(fd, flags)
            case .dropIdle(let change): apply(change)
            }
        }

        func markDirty(_ shard: Shard) {
            guard !isDirty[shard.index] else { return }
            isDirty[shard.index] = true
            dirtyShards.append(shard.index)
        }

        private func collectFinished() {
            forEachFinished { local, code in
                let user = users[local]
                removeHandle(user)
                let result = record(user, code: code)
                batch.results.append(result)
                if engine.configuration.conversations != nil && user.conversation.answered == 0 {
                    scheduler.conversationEnded(virtualUser: local)
                }
                let refused = result.failure == .connectionRefused
                for next in scheduler.finished(virtualUser: local, now: monotonicNanoseconds(), refused: refused) { apply(next) }
            }
        }

        /// Each transfer libcurl finished since the last look: its VU (the loop's number) and its result.
        func forEachFinished(_ body: (Int, CURLcode) -> Void) {
            while let index = dirtyShards.popLast() {
                isDirty[index] = false
                let multi = shards[index].multi
                var remaining: Int32 = 0
                while let message = curl_multi_info_read(multi, &remaining) {
                    guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                    var privateData: UnsafeMutableRawPointer?
                    let found = stdb_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &privateData)
                    let local = Int(bitPattern: privateData) - 1
                    guard found == CURLE_OK, users.indices.contains(local) else {
                        stopForFailure("libcurl finished a transfer this loop does not know (CURLINFO_PRIVATE)")
                        continue
                    }
                    body(local, stdb_msg_result(message))
                }
            }
        }

        private func apply(_ action: Scheduler.Action) {
            switch action {
            case .start(let index, let scheduledAt):
                let user = users[index]
                user.rewind(streaming: engine.configuration.streaming)
                do {
                    try prepareRequest(user, local: index)
                } catch {
                    batch.results.append(unsentRecord(user, detail: "\(error)"))
                    scheduler.failedToStart(virtualUser: index)
                    stopForFailure("\(error)")
                    return
                }
                user.scheduledAt = scheduledAt
                user.sentAt = monotonicNanoseconds()
                user.thinkMilliseconds = scheduler.pauseMilliseconds(before: index)
                let code = curl_multi_add_handle(user.shard.multi, user.handle.raw)
                guard code == CURLM_OK else {
                    // Never a silent hang: the request is recorded as failed and the run stops.
                    let message = "libcurl refused a transfer (curl_multi_add_handle: \(String(cString: curl_multi_strerror(code))))"
                    batch.results.append(unsentRecord(user, detail: message))
                    scheduler.failedToStart(virtualUser: index)
                    stopForFailure(message)
                    return
                }
                markDirty(user.shard)
            case .abort(let aborted):
                for index in aborted {
                    let user = users[index]
                    removeHandle(user)
                    batch.results.append(abortedRecord(user))
                }
            }
        }

        private func apply(_ change: EpollRegistry.Change) {
            var event = epoll_event()
            let result: Int32
            switch change {
            case .add(let fd, let events), .modify(let fd, let events):
                event.events = events
                event.data.fd = fd
                let first = change == .add(fd: fd, events: events) ? EPOLL_CTL_ADD : EPOLL_CTL_MOD
                if epoll_ctl(epoll, first, fd, &event) == 0 { return }
                // Out of step with the kernel (a descriptor number reused): say it the other way.
                guard errno == EEXIST || errno == ENOENT else { result = -1; break }
                result = epoll_ctl(epoll, first == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event)
            case .remove(let fd):
                // Already gone from the set (closed, or never added) is what removal wants.
                result = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil) == 0 || errno == ENOENT || errno == EBADF ? 0 : -1
            }
            if result != 0 { stopForFailure("epoll_ctl failed (\(change)): \(String(cString: strerror(errno)))") }
        }

        /// The engine cannot go on correctly: say why, and stop as Ctrl-C would (nothing is lost).
        func stopForFailure(_ message: String) {
            engine.fail(message)
            scheduler.stop(now: monotonicNanoseconds())
            engine.stop()
        }

        /// A finished or aborted transfer leaves its multi. This only fails for a handle that is not in
        /// it, which the loop's bookkeeping rules out; if it ever did, the run would stop saying so.
        func removeHandle(_ user: VirtualUser) {
            let code = curl_multi_remove_handle(user.shard.multi, user.handle.raw)
            if code != CURLM_OK { stopForFailure("curl_multi_remove_handle: \(String(cString: curl_multi_strerror(code)))") }
        }

        func watch(_ fd: Int32, what: Int32, shard: Int) {
            if let change = registry.want(fd: fd, what: what, shard: shard) { apply(change) }
        }

        /// libcurl closes a socket: forget what epoll had for its descriptor number before it is reused.
        func closeSocket(_ fd: Int32) -> Int32 {
            if let change = registry.closing(fd: fd) { apply(change) }
            return close(fd)
        }
    }
}
