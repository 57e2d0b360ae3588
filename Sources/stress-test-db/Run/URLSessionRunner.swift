import CurlEngine
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// `--sync`: the same closed-loop workload on URLSession, producing the same records.
/// One shared session sized for the VU count; each VU is a child task with one request in flight.
/// `Sendable`: the configuration and session are immutable, the rest is behind a `Mutex`.
final class URLSessionRunner: LoadRunner, Sendable {
    let results = ResultChannel()
    let configuration: EngineConfiguration
    private let session: URLSession
    private let state = Mutex(State())

    private struct State {
        var started = 0
        var stopping = false
        /// Set by `start()`: no request starts after it (duration mode).
        var deadline: UInt64?
    }

    var connectionsOpened: Int? { nil }
    var failure: String? { nil }
    /// The URLSession runner has no open model (`--rate` with `--sync` is a usage error).
    var achievedRate: Double? { nil }

    init(configuration: EngineConfiguration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        // Linux's default of 6 per host would queue every VU past the sixth behind the others.
        sessionConfiguration.httpMaximumConnectionsPerHost = configuration.virtualUsers
        sessionConfiguration.timeoutIntervalForRequest = configuration.timeoutSeconds
        sessionConfiguration.timeoutIntervalForResource = configuration.timeoutSeconds
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.urlCache = nil
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.connectionProxyDictionary = [:]
        session = URLSession(configuration: sessionConfiguration)
    }

    func start() {
        let request = makeRequest()
        if let duration = configuration.durationSeconds {
            state.withLock { $0.deadline = monotonicNanoseconds() + UInt64(duration * 1e9) }
        }
        Task.detached { [self] in
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<configuration.virtualUsers {
                    group.addTask { await self.virtualUser(index, request: request) }
                }
            }
            results.close()
        }
    }

    func stop() {
        let first = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        // In-flight requests get the grace period, then are cancelled (recorded as Aborted).
        DispatchQueue.global().asyncAfter(deadline: .now() + configuration.stopGraceSeconds) { [session] in
            session.invalidateAndCancel()
        }
    }

    private func makeRequest() -> URLRequest {
        var request = URLRequest(url: URL(string: configuration.url)!)
        request.httpMethod = configuration.method
        request.httpBody = Data(configuration.body)
        request.timeoutInterval = configuration.timeoutSeconds
        for line in configuration.headers {
            guard let colon = line.firstIndex(of: ":") else { continue }
            request.setValue(
                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces),
                forHTTPHeaderField: String(line[..<colon]))
        }
        return request
    }

    /// Claims the next request, or says the run is over for this VU.
    private func claim() -> Bool {
        let now = monotonicNanoseconds()
        return state.withLock { state in
            if state.stopping { return false }
            if let limit = configuration.requestLimit, state.started >= limit { return false }
            if let deadline = state.deadline, now >= deadline { return false }
            state.started += 1
            return true
        }
    }

    private func virtualUser(_ index: Int, request: URLRequest) async {
        while claim() {
            let begin = monotonicNanoseconds()
            var result: RequestResult
            do {
                let (data, response) = try await session.data(for: request)
                let http = response as? HTTPURLResponse
                let body = [UInt8](data.prefix(configuration.bodyCaptureBytes))
                result = RequestResult(
                    statusCode: http?.statusCode ?? 0, latencyMilliseconds: Double(monotonicNanoseconds() - begin) / 1e6,
                    failure: nil, contentType: http?.value(forHTTPHeaderField: "Content-Type"), body: body,
                    bodyBytesReceived: data.count, completedAtMicroseconds: wallClockMicroseconds(),
                    bytesSent: configuration.body.count, virtualUser: index)
            } catch {
                let urlError = error as? URLError
                result = RequestResult(
                    statusCode: 0, latencyMilliseconds: Double(monotonicNanoseconds() - begin) / 1e6,
                    failure: FailureKind.from(urlError: urlError?.code), failureDetail: error.localizedDescription,
                    completedAtMicroseconds: wallClockMicroseconds(), virtualUser: index)
            }
            results.push([result])
        }
    }
}

extension FailureKind {
    /// URLSession's errors onto the same bounded kinds as libcurl's.
    static func from(urlError code: URLError.Code?) -> FailureKind {
        switch code {
        case .timedOut?: return .timeout
        case .cannotConnectToHost?: return .connectionRefused
        case .networkConnectionLost?: return .serverDisconnected
        case .cannotFindHost?, .dnsLookupFailed?: return .dnsFailure
        case .secureConnectionFailed?, .serverCertificateUntrusted?, .serverCertificateHasBadDate?,
             .serverCertificateNotYetValid?, .serverCertificateHasUnknownRoot?, .clientCertificateRejected?:
            return .tlsError
        case .cancelled?: return .aborted
        case .badServerResponse?, .cannotParseResponse?: return .invalidResponse
        case .notConnectedToInternet?: return .connectError
        default: return .transportError
        }
    }
}
