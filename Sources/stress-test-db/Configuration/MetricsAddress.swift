import ArgumentParser

/// `--metrics HOST:PORT` (SPEC 21): where the live metrics listener binds; port 0 picks a free one.
/// `[::1]:9464` for IPv6; a bare `:9464` binds 127.0.0.1 (loopback unless a host is named: a load
/// generator's numbers are not everyone's business).
struct MetricsAddress: ExpressibleByArgument, Equatable {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(host: host.isEmpty ? "127.0.0.1" : host, port: port)
    }

    /// `http://HOST:PORT` with a bound port.
    func url(port bound: Int) -> String { "http://\(host.contains(":") ? "[\(host)]" : host):\(bound)" }

    var defaultValueDescription: String { "\(host):\(port)" }
}
