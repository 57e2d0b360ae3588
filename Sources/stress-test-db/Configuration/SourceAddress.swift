import Foundation

/// `--source-address A[,B...]`: numeric local addresses (no name is looked up), each checked by
/// binding a socket to it, so an address this machine does not have is one clear error before any
/// load instead of a connect failure per request.
enum SourceAddress {
    static func parse(_ list: String) throws -> [String] {
        let addresses = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !addresses.isEmpty else { throw ConfigurationError("--source-address needs at least one address (e.g. 127.0.0.2,127.0.0.3).") }
        for address in addresses { try check(address) }
        return addresses
    }

    static func check(_ address: String) throws {
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let family: Int32
        if inet_pton(AF_INET, address, &v4.sin_addr) == 1 {
            family = AF_INET
            v4.sin_family = sa_family_t(AF_INET)
        } else if inet_pton(AF_INET6, address, &v6.sin6_addr) == 1 {
            family = AF_INET6
            v6.sin6_family = sa_family_t(AF_INET6)
        } else {
            throw ConfigurationError("--source-address \(address) is not an IP address (give numeric addresses of this machine, e.g. 127.0.0.2).")
        }
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ConfigurationError("--source-address \(address): cannot open a socket: \(String(cString: strerror(errno))).") }
        defer { close(descriptor) }
        let status = family == AF_INET
            ? withUnsafePointer(to: &v4) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            : withUnsafePointer(to: &v6) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        guard status == 0 else {
            throw ConfigurationError("--source-address \(address) is not an address of this machine (\(String(cString: strerror(errno)))). "
                + "Give addresses its interfaces have; every 127.x address is local.")
        }
    }
}
