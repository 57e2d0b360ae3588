import CCurl

/// What epoll should know about each socket, decided without touching epoll: per descriptor,
/// the events libcurl wants, the events epoll has, and the shard that owns it. The event loop
/// applies the `Change`s it returns (swift-corelibs-foundation's `_SocketRegisterAction`, as a table).
///
/// Registration is lazy: when libcurl stops wanting a socket (`CURL_POLL_REMOVE`, a kept-alive
/// connection going idle) epoll keeps it, so reusing the connection costs no `epoll_ctl`. An idle
/// socket that fires (the server closed it, most likely) is dropped then; one libcurl closes is
/// dropped in the close-socket callback, before its number can be reused.
struct EpollRegistry: Equatable {
    /// An `epoll_ctl` to make.
    enum Change: Equatable {
        case add(fd: Int32, events: UInt32)
        case modify(fd: Int32, events: UInt32)
        case remove(fd: Int32)
    }

    /// What to do with an event epoll reported.
    enum Delivery: Equatable {
        /// Hand it to this shard's `curl_multi_socket_action` with these `CURL_CSELECT_*` flags.
        case deliver(shard: Int, flags: Int32)
        /// Nobody wants the socket now: stop watching it.
        case dropIdle(Change)
    }

    private(set) var wanted: [UInt32] = []
    private(set) var registered: [UInt32] = []
    private(set) var owner: [Int32] = []

    static func events(forCurl what: Int32) -> UInt32 {
        var events: UInt32 = 0
        if what & CURL_POLL_IN != 0 { events |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { events |= EPOLLOUT.rawValue }
        return events
    }

    static func curlFlags(forEpoll events: UInt32) -> Int32 {
        var flags: Int32 = 0
        if events & EPOLLIN.rawValue != 0 { flags |= CURL_CSELECT_IN }
        if events & EPOLLOUT.rawValue != 0 { flags |= CURL_CSELECT_OUT }
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { flags |= CURL_CSELECT_ERR }
        return flags
    }

    /// libcurl's socket callback: `shard` wants `what` (`CURL_POLL_*`) on `fd`.
    mutating func want(fd: Int32, what: Int32, shard: Int) -> Change? {
        grow(to: fd)
        let slot = Int(fd)
        let events = Self.events(forCurl: what)
        owner[slot] = Int32(shard)
        wanted[slot] = events
        // CURL_POLL_REMOVE leaves the registration in place (see the type's comment).
        guard events != 0, events != registered[slot] else { return nil }
        let change: Change = registered[slot] == 0 ? .add(fd: fd, events: events) : .modify(fd: fd, events: events)
        registered[slot] = events
        return change
    }

    /// epoll reported `events` on `fd`.
    mutating func fired(fd: Int32, events: UInt32) -> Delivery {
        let slot = Int(fd)
        guard slot < wanted.count, wanted[slot] != 0 else {
            if slot < registered.count { registered[slot] = 0 }
            return .dropIdle(.remove(fd: fd))
        }
        return .deliver(shard: Int(owner[slot]), flags: Self.curlFlags(forEpoll: events))
    }

    /// libcurl closes `fd`: forget it, and take it out of epoll if it is there.
    mutating func closing(fd: Int32) -> Change? {
        let slot = Int(fd)
        guard slot < wanted.count else { return nil }
        wanted[slot] = 0
        guard registered[slot] != 0 else { return nil }
        registered[slot] = 0
        return .remove(fd: fd)
    }

    private mutating func grow(to fd: Int32) {
        let needed = Int(fd) + 1
        guard needed > wanted.count else { return }
        let size = max(needed, wanted.count * 2, 1024)
        wanted += [UInt32](repeating: 0, count: size - wanted.count)
        registered += [UInt32](repeating: 0, count: size - registered.count)
        owner += [Int32](repeating: 0, count: size - owner.count)
    }
}
