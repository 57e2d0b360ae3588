/// Why a request produced no complete response. A small, closed set so it can
/// key aggregation (statistics, the CSV `error` column); the free-form detail
/// travels separately in `RequestResult.failureDetail`.
public enum FailureKind: String, Sendable, CaseIterable {
    case timeout = "Timeout"
    case connectionRefused = "ConnectionRefused"
    case connectionReset = "ConnectionReset"
    case serverDisconnected = "ServerDisconnected"
    case dnsFailure = "DNSFailure"
    case tlsError = "TLSError"
    case invalidResponse = "InvalidResponse"
    case connectError = "ConnectError"
    case aborted = "Aborted"
    case transportError = "TransportError"
}
