/// `--preconnect` (docs/engine.md): before the run's clock starts, the engine opens every connection the
/// run will use with one `HEAD` to the request URL each, so no record pays a connect or a TLS handshake.
/// What that phase did, per loop and then for the run (`merged`); the loop applies it, this decides.
public struct Preconnect: Sendable, Equatable {
    /// Connections the run will use (tried), and those opened: any HTTP status counts, only a transport
    /// failure (refused, timed out, TLS) does not.
    public var connections = 0
    public var opened = 0
    /// The phase's wall time, from the first HEAD sent to the last answered (the engine's measure).
    public var seconds = 0.0
    /// Each opened connection's TCP connect and, over https, its TLS handshake (milliseconds).
    public var connectMilliseconds: [Double] = []
    public var tlsMilliseconds: [Double] = []
    /// Failed preconnects by the transport's message.
    public var failures: [String: Int] = [:]

    public init() {}

    public var failed: Int { connections - opened }

    /// The message most failures gave (ties: the first by name, so a report repeats).
    public var mostCommonFailure: String? {
        failures.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
    }

    /// Which of a loop's VUs (its own numbers) send a HEAD: over HTTP/1.1 every VU (a connection each);
    /// with HTTP/2 the first VU of each shard, since a shard's VUs share its one connection.
    public static func openers(virtualUsers: Int, perShard: Int, http2: Bool) -> [Int] {
        guard http2 else { return Array(0..<virtualUsers) }
        return Array(stride(from: 0, to: virtualUsers, by: max(1, perShard)))
    }

    /// One HEAD's end: `failure` nil when it got any answer; its connect and TLS times (cumulative from
    /// the transfer's start, as libcurl gives them: TLS is the part after the connect).
    public mutating func add(failure: String?, connectedAtMilliseconds: Double, tlsDoneAtMilliseconds: Double) {
        connections += 1
        guard let failure else {
            opened += 1
            connectMilliseconds.append(connectedAtMilliseconds)
            if tlsDoneAtMilliseconds > 0 { tlsMilliseconds.append(max(0, tlsDoneAtMilliseconds - connectedAtMilliseconds)) }
            return
        }
        failures[failure, default: 0] += 1
    }

    /// The loops' phases as the run's (`seconds` is the engine's to set).
    public static func merged(_ parts: [Preconnect]) -> Preconnect {
        var total = Preconnect()
        for part in parts {
            total.connections += part.connections
            total.opened += part.opened
            total.connectMilliseconds += part.connectMilliseconds
            total.tlsMilliseconds += part.tlsMilliseconds
            total.failures.merge(part.failures, uniquingKeysWith: +)
        }
        return total
    }
}
