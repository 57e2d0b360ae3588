import Foundation
import Synchronization

/// A bare TCP listener on 127.0.0.1 that misbehaves on purpose, for faults
/// an HTTP framework will not produce.
public final class RawListener: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// Accept, read the request, never answer.
        case stall
        /// Accept, then close at once.
        case closeImmediately
        /// Accept, then reset the connection (SO_LINGER 0).
        case reset
        /// Answer every request with these bytes, then close.
        case reply(String)
        /// Never accept: connections wait in the backlog.
        case neverAccept
    }

    public private(set) var port: Int
    private let fd: Int32
    private let behaviour: Behaviour
    private var clients: [Int32] = []
    private let lock = NSLock()
    private var closed = false

    public init(_ behaviour: Behaviour, backlog: Int32 = 128) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        port = 0
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else { throw NSError(domain: "RawListener", code: Int(errno)) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        if case .neverAccept = behaviour { return }
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                lock.lock(); let done = closed; lock.unlock()
                if done { return }
                continue
            }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        switch behaviour {
        case .closeImmediately:
            close(client)
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(client)
        case .stall:
            lock.lock(); clients.append(client); lock.unlock()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while read(client, &buffer, buffer.count) > 0 {}
        case .reply(let text):
            var buffer = [UInt8](repeating: 0, count: 65536)
            _ = read(client, &buffer, buffer.count)
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            shutdown(client, Int32(SHUT_WR))
            while read(client, &buffer, buffer.count) > 0 {}
            close(client)
        case .neverAccept:
            break
        }
    }

    /// `.stall`: the connections accepted and held so far.
    public var stalledConnections: Int {
        lock.lock()
        defer { lock.unlock() }
        return clients.count
    }

    public func stop() {
        lock.lock()
        closed = true
        let open = clients
        clients.removeAll()
        lock.unlock()
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        for client in open { shutdown(client, Int32(SHUT_RDWR)); close(client) }
    }

    deinit { stop() }
}

/// A loopback port that refuses connections for the rest of the test process: reserved (bound,
/// never listening), so no other process can take it between the test's choice and its use.
public func closedPort() -> Int {
    let reserved = ReservedPort()
    reservedPorts.withLock { $0.append(reserved) }
    return reserved.port
}

private let reservedPorts = Mutex<[ReservedPort]>([])
