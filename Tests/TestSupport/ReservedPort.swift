import Foundation

/// A loopback port that refuses connections for as long as this object lives: bound, never
/// listening, so no other process can take it and start answering (as a closed port could).
public final class ReservedPort: @unchecked Sendable {
    public let port: Int
    private let fd: Int32

    public init() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        precondition(bound, "could not reserve a loopback port: \(String(cString: strerror(errno)))")
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
