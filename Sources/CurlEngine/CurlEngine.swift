import CCurl
import Foundation
import Glibc
import Synchronization

/// Runs closed-loop virtual users on one dedicated thread: `curl_multi` handles (a shard
/// per 32 VUs) driven by `curl_multi_socket_action` and one epoll set.
///
/// Other threads only call `stop()`, which sets a flag and writes the eventfd;
/// the loop thread owns every curl handle. Records leave through `results`.
public final class CurlEngine: @unchecked Sendable {
    public let configuration: EngineConfiguration
    public let results = ResultChannel()

    private let stopRequested = Atomic<Bool>(false)
    private let wakeDescriptor: Int32
    private let done = DispatchSemaphore(value: 0)
    private let counterState = Mutex(EngineCounters())
    private let startFailure = Mutex<String?>(nil)

    /// Why the loop could not start, if it could not; the run then has no records.
    public var failure: String? { startFailure.withLock { $0 } }

    public struct EngineCounters: Sendable {
        public var requestsStarted = 0
        public var connectionsOpened = 0
    }

    public init(configuration: EngineConfiguration) throws {
        guard configuration.virtualUsers >= 1 else { throw EngineError("at least one virtual user is needed") }
        // Each VU holds one socket; leave room for the epoll/eventfd, output files and stdio.
        let needed = configuration.virtualUsers + 64
        let limit = FileDescriptorLimit.raise(to: needed)
        guard limit >= needed else {
            throw EngineError(
                "the open-file limit is \(limit), too low for \(configuration.virtualUsers) virtual users (needs \(needed)); raise it with `ulimit -n \(needed)` or use fewer --vus"
            )
        }
        let descriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard descriptor >= 0 else { throw EngineError("could not create an eventfd: \(String(cString: strerror(errno)))") }
        wakeDescriptor = descriptor
        self.configuration = configuration
        signal(SIGPIPE, SIG_IGN)
        CurlGlobal.initialise()
    }

    deinit { close(wakeDescriptor) }

    public var counters: EngineCounters { counterState.withLock { $0 } }

    /// Starts the loop thread. Records arrive on `results`, which closes when the run ends.
    public func start() {
        let thread = Thread { [self] in
            do {
                let loop = try EventLoop(engine: self)
                loop.run()
            } catch {
                startFailure.withLock { $0 = "\(error)" }
            }
            results.close()
            done.signal()
        }
        thread.name = "curl-engine"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Stop starting requests; in-flight ones get the grace period, then are recorded as aborted.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }

    /// Blocks until the loop thread has finished.
    public func wait() {
        done.wait()
        done.signal()
    }

    // MARK: - The loop thread

    /// One virtual user: its easy handle, reused for every request it sends, and its body buffer.
    fileprivate final class VirtualUser {
        /// Body buffer capacity a VU keeps between requests.
        static let keptCapacity = 64 << 10
        let index: Int
        let handle: EasyHandle
        let body: BodySink
        unowned let shard: Shard
        var startedAt: UInt64 = 0
        var inFlight = false

        init(index: Int, handle: EasyHandle, captureLimit: Int, shard: Shard) {
            self.index = index
            self.shard = shard
            self.handle = handle
            body = BodySink(limit: captureLimit)
            handle.setWriteTarget(body)
        }
    }

    /// One `curl_multi` and the VUs on it. libcurl looks for a reusable connection by walking
    /// every connection to the host in its multi's cache, so one multi for thousands of VUs costs
    /// O(VUs) per request; shards of a few dozen keep that walk short. One thread drives them all.
    fileprivate final class Shard {
        static let size = 32
        let index: Int
        let multi: UnsafeMutableRawPointer
        unowned let loop: EventLoop
        var timerDeadline: UInt64?
        /// socket_action ran since the last look for finished transfers.
        var dirty = false

        init(index: Int, loop: EventLoop, virtualUsers: Int) throws {
            guard let multi = curl_multi_init() else { throw EngineError("libcurl could not create a multi handle") }
            self.index = index
            self.multi = multi
            self.loop = loop
            let me = Unmanaged.passUnretained(self).toOpaque()
            _ = stdb_multi_setopt_socket_function(multi, socketCallback)
            _ = stdb_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
            _ = stdb_multi_setopt_timer_function(multi, timerCallback)
            _ = stdb_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
            // One kept-alive connection per VU: with at most one request in flight each,
            // a cache this size never has to close a connection a VU will want back.
            _ = stdb_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, virtualUsers)
        }

        func action(_ fd: Int32, _ flags: Int32) {
            var running: Int32 = 0
            curl_multi_socket_action(multi, fd, flags, &running)
            dirty = true
        }
    }

    fileprivate final class EventLoop {
        unowned let engine: CurlEngine
        let epoll: Int32
        let headers: HeaderList
        let body: UnsafeMutableRawBufferPointer
        /// The URL parsed once; libcurl copies it for each transfer instead of parsing the string again.
        let parsedURL: OpaquePointer?
        var shards: [Shard] = []
        var users: [VirtualUser] = []
        var runDeadline: UInt64?
        var stopDeadline: UInt64?
        var started = 0
        var inFlight = 0
        var batch: [RequestResult] = []
        var connectionsOpened = 0
        /// Per file descriptor: the events libcurl wants, the events epoll has, and the shard that owns it.
        /// epoll is told lazily: a connection going idle keeps its registration, so a kept-alive
        /// connection costs no epoll_ctl per request; it is dropped only if it fires while idle.
        var wanted: [UInt32] = []
        var registered: [UInt32] = []
        var owner: [Int32] = []

        init(engine: CurlEngine) throws {
            self.engine = engine
            let configuration = engine.configuration
            epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
            headers = HeaderList(configuration.headers)
            body = UnsafeMutableRawBufferPointer.allocate(byteCount: max(configuration.body.count, 1), alignment: 1)
            body.copyBytes(from: configuration.body)
            parsedURL = curl_url()
            if let parsedURL, curl_url_set(parsedURL, CURLUPART_URL, configuration.url, 0) != CURLUE_OK {
                throw EngineError("libcurl cannot parse the URL \(configuration.url)")
            }

            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.fd = engine.wakeDescriptor
            epoll_ctl(epoll, EPOLL_CTL_ADD, engine.wakeDescriptor, &event)

            let shardCount = (configuration.virtualUsers + Shard.size - 1) / Shard.size
            for index in 0..<shardCount {
                let members = min(Shard.size, configuration.virtualUsers - index * Shard.size)
                shards.append(try Shard(index: index, loop: self, virtualUsers: members))
            }
            let bodyView = UnsafeRawBufferPointer(start: body.baseAddress, count: configuration.body.count)
            let me = Unmanaged.passUnretained(self).toOpaque()
            users.reserveCapacity(configuration.virtualUsers)
            for index in 0..<configuration.virtualUsers {
                let handle = try EasyHandle()
                handle.set(CURLOPT_CURLU, pointer: UnsafeMutableRawPointer(parsedURL))
                handle.set(CURLOPT_HTTPHEADER, list: headers.raw)
                handle.setRequest(method: configuration.method, body: bodyView)
                handle.setTimeout(seconds: configuration.timeoutSeconds)
                handle.apply(configuration.tls)
                handle.set(CURLOPT_PRIVATE, pointer: UnsafeMutableRawPointer(bitPattern: index + 1))
                _ = stdb_easy_setopt_closesocket_function(handle.raw, closeSocketCallback)
                handle.set(CURLOPT_CLOSESOCKETDATA, pointer: me)
                let user = VirtualUser(index: index, handle: handle, captureLimit: configuration.bodyCaptureBytes,
                                       shard: shards[index / Shard.size])
                users.append(user)
            }
        }

        deinit {
            for user in users where user.inFlight { curl_multi_remove_handle(user.shard.multi, user.handle.raw) }
            users.removeAll()
            for shard in shards { curl_multi_cleanup(shard.multi) }
            curl_url_cleanup(parsedURL)
            close(epoll)
            body.deallocate()
        }

        func run() {
            let configuration = engine.configuration
            let startedAt = monotonicNanoseconds()
            if let duration = configuration.durationSeconds {
                runDeadline = startedAt + UInt64(max(0, duration) * 1e9)
            }
            for user in users { startNext(user) }
            flush()

            let maxEvents = 512
            var events = [epoll_event](repeating: epoll_event(), count: maxEvents)
            while inFlight > 0 {
                let now = monotonicNanoseconds()
                if stopDeadline == nil, engine.stopRequested.load(ordering: .acquiring) {
                    stopDeadline = now + UInt64(configuration.stopGraceSeconds * 1e9)
                }
                if let stopDeadline, now >= stopDeadline {
                    abortInFlight()
                    break
                }
                let waitMilliseconds = millisecondsUntil(earliestDeadline(), now: now)
                let count = epoll_wait(epoll, &events, Int32(maxEvents), waitMilliseconds)
                if count > 0 {
                    for event in events[0..<Int(count)] {
                        dispatch(event)
                    }
                }
                let afterWait = monotonicNanoseconds()
                for shard in shards {
                    if let deadline = shard.timerDeadline, afterWait >= deadline {
                        shard.timerDeadline = nil
                        shard.action(CURL_SOCKET_TIMEOUT, 0)
                    }
                }
                collectFinished()
                flush()
            }
            flush()
        }

        private func dispatch(_ event: epoll_event) {
            let fd = event.data.fd
            if fd == engine.wakeDescriptor {
                var value: UInt64 = 0
                _ = read(fd, &value, 8)
                return
            }
            let slot = Int(fd)
            guard slot < wanted.count, wanted[slot] != 0 else {
                // An idle kept-alive connection fired (closed by the server, most likely):
                // stop watching it now; libcurl finds it dead when it next tries to reuse it.
                epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
                if slot < registered.count { registered[slot] = 0 }
                return
            }
            var flags: Int32 = 0
            if event.events & EPOLLIN.rawValue != 0 { flags |= CURL_CSELECT_IN }
            if event.events & EPOLLOUT.rawValue != 0 { flags |= CURL_CSELECT_OUT }
            if event.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { flags |= CURL_CSELECT_ERR }
            shards[Int(owner[slot])].action(fd, flags)
        }

        private func earliestDeadline() -> UInt64? {
            var deadline = runDeadline
            if let stopDeadline, stopDeadline < (deadline ?? .max) { deadline = stopDeadline }
            for shard in shards {
                if let candidate = shard.timerDeadline, candidate < (deadline ?? .max) { deadline = candidate }
            }
            return deadline
        }

        private func millisecondsUntil(_ deadline: UInt64?, now: UInt64) -> Int32 {
            // Without a deadline, wake now and then anyway to notice a stop request.
            guard let deadline else { return 250 }
            if deadline <= now { return 0 }
            return Int32(min(250, (deadline - now + 999_999) / 1_000_000))
        }

        private func mayStart(now: UInt64) -> Bool {
            if engine.stopRequested.load(ordering: .relaxed) { return false }
            if let limit = engine.configuration.requestLimit, started >= limit { return false }
            if let runDeadline, now >= runDeadline { return false }
            return true
        }

        private func startNext(_ user: VirtualUser) {
            let now = monotonicNanoseconds()
            guard mayStart(now: now) else { return }
            started += 1
            inFlight += 1
            user.inFlight = true
            user.body.received = 0
            // The buffer is reused from request to request; one that a large answer grew is let go.
            if user.body.bytes.capacity > VirtualUser.keptCapacity {
                user.body.bytes = []
            } else {
                user.body.bytes.removeAll(keepingCapacity: true)
            }
            user.startedAt = now
            curl_multi_add_handle(user.shard.multi, user.handle.raw)
        }

        private func collectFinished() {
            for shard in shards where shard.dirty {
                shard.dirty = false
                var remaining: Int32 = 0
                while let message = curl_multi_info_read(shard.multi, &remaining) {
                    guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                    var privateData: UnsafeMutableRawPointer?
                    _ = stdb_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &privateData)
                    let user = users[Int(bitPattern: privateData) - 1]
                    let code = stdb_msg_result(message)
                    curl_multi_remove_handle(shard.multi, easy)
                    finish(user, code: code)
                    startNext(user)
                }
            }
        }

        private func finish(_ user: VirtualUser, code: CURLcode) {
            let end = monotonicNanoseconds()
            let handle = user.handle
            let connects = handle.long(CURLINFO_NUM_CONNECTS)
            let connectMicroseconds = handle.offset(CURLINFO_CONNECT_TIME_T)
            let failure = FailureKind.from(
                curlCode: Int(code.rawValue), osErrno: Int32(handle.long(CURLINFO_OS_ERRNO)),
                connected: connectMicroseconds > 0 || connects == 0
            )
            let status = failure == nil ? handle.long(CURLINFO_RESPONSE_CODE) : 0
            connectionsOpened += connects
            batch.append(RequestResult(
                statusCode: status,
                latencyMilliseconds: Double(end - user.startedAt) / 1e6,
                failure: failure,
                failureDetail: failure == nil ? nil : handle.takeErrorMessage(code: code),
                contentType: failure == nil ? handle.string(CURLINFO_CONTENT_TYPE) : nil,
                // A copy of exactly the body's size, so the VU's buffer stays its own.
                body: failure == nil ? Array(user.body.bytes[...]) : [],
                bodyBytesReceived: failure == nil ? user.body.received : 0,
                completedAtMicroseconds: wallClockMicroseconds(),
                connectMilliseconds: Double(connectMicroseconds) / 1000,
                firstByteMilliseconds: Double(handle.offset(CURLINFO_STARTTRANSFER_TIME_T)) / 1000,
                bytesSent: handle.long(CURLINFO_REQUEST_SIZE) + handle.offset(CURLINFO_SIZE_UPLOAD_T),
                newConnections: connects,
                virtualUser: user.index
            ))
            user.inFlight = false
            inFlight -= 1
        }

        /// Past the stop grace: whatever is still in flight is recorded as aborted, not dropped.
        private func abortInFlight() {
            for user in users where user.inFlight {
                curl_multi_remove_handle(user.shard.multi, user.handle.raw)
                batch.append(RequestResult(
                    statusCode: 0,
                    latencyMilliseconds: Double(monotonicNanoseconds() - user.startedAt) / 1e6,
                    failure: .aborted,
                    failureDetail: "stopped before the response completed",
                    completedAtMicroseconds: wallClockMicroseconds(),
                    virtualUser: user.index
                ))
                user.inFlight = false
                inFlight -= 1
            }
        }

        private func flush() {
            guard !batch.isEmpty else { return }
            let opened = connectionsOpened
            let startedSoFar = started
            engine.counterState.withLock {
                $0.connectionsOpened = opened
                $0.requestsStarted = startedSoFar
            }
            engine.results.push(batch)
            batch.removeAll(keepingCapacity: true)
        }

        private func grow(to fd: Int32) {
            let needed = Int(fd) + 1
            guard needed > wanted.count else { return }
            let size = max(needed, wanted.count * 2, 1024)
            wanted += [UInt32](repeating: 0, count: size - wanted.count)
            registered += [UInt32](repeating: 0, count: size - registered.count)
            owner += [Int32](repeating: 0, count: size - owner.count)
        }

        fileprivate func watch(_ fd: Int32, what: Int32, shard: Shard) {
            grow(to: fd)
            let slot = Int(fd)
            var events: UInt32 = 0
            if what & CURL_POLL_IN != 0 { events |= EPOLLIN.rawValue }
            if what & CURL_POLL_OUT != 0 { events |= EPOLLOUT.rawValue }
            owner[slot] = Int32(shard.index)
            wanted[slot] = events
            // CURL_POLL_REMOVE leaves the registration in place (see `wanted`).
            guard events != 0, events != registered[slot] else { return }
            var event = epoll_event()
            event.events = events
            event.data.fd = fd
            let operation = registered[slot] == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD
            if epoll_ctl(epoll, operation, fd, &event) != 0 {
                // Out of step with the kernel (a descriptor number reused): say it plainly the other way.
                epoll_ctl(epoll, operation == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event)
            }
            registered[slot] = events
        }

        /// libcurl closes a socket: forget what epoll had for its descriptor number before it is reused.
        fileprivate func closeSocket(_ fd: Int32) -> Int32 {
            let slot = Int(fd)
            if slot < registered.count, registered[slot] != 0 {
                epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
                registered[slot] = 0
            }
            if slot < wanted.count { wanted[slot] = 0 }
            return close(fd)
        }
    }
}

private let socketCallback: curl_socket_callback = { _, fd, what, userData, _ in
    guard let userData else { return 0 }
    let shard = Unmanaged<CurlEngine.Shard>.fromOpaque(userData).takeUnretainedValue()
    shard.loop.watch(fd, what: what, shard: shard)
    return 0
}

private let timerCallback: curl_multi_timer_callback = { _, milliseconds, userData in
    guard let userData else { return 0 }
    let shard = Unmanaged<CurlEngine.Shard>.fromOpaque(userData).takeUnretainedValue()
    shard.timerDeadline = milliseconds < 0 ? nil : monotonicNanoseconds() + UInt64(milliseconds) * 1_000_000
    return 0
}

private let closeSocketCallback: curl_closesocket_callback = { userData, fd in
    guard let userData else { return close(fd) }
    return Unmanaged<CurlEngine.EventLoop>.fromOpaque(userData).takeUnretainedValue().closeSocket(fd)
}
