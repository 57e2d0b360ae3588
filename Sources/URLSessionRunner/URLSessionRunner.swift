import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoadCore
import Synchronization

/// `--sync`: the same workload on URLSession, producing the same records, driven by the engine's own
/// `Scheduler` (closed loop, open model, stages), so the two runners compare under the same plan.
/// One shared session sized for the VU count; every request is a child task of one task group, and
/// the driver starts what the scheduler says when a request ends or a due time comes.
/// `Sendable`: the configuration and session are immutable, the scheduler is behind a `Mutex`.
public final class URLSessionRunner: LoadRunner, Sendable {
    public let results = ResultChannel()
    public let configuration: EngineConfiguration
    private let builder: RecordBuilder
    private let session: URLSession
    private let transfers: URLSessionTransfers
    private let state: Mutex<Scheduler>
    /// Set, under its lock, when the session is invalidated after a stop's grace: Foundation traps on a
    /// task made on an invalidated session, and a child task can reach that point late on a busy machine.
    private let invalidated = Mutex(false)
    private let conversations: URLSessionConversations?

    public var connectionsOpened: Int? { nil }
    public var requestsStarted: Int { state.withLock { $0.started } }
    public var failure: String? { nil }
    public var thinking: Int { state.withLock { $0.thinking } }
    public var achievedRate: Double? { configuration.plan.isOpen ? state.withLock { $0.achievedRate } : nil }

    public init(configuration: EngineConfiguration) {
        self.configuration = configuration
        builder = RecordBuilder(configuration)
        state = Mutex(Scheduler(configuration, startAt: monotonicNanoseconds()))
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        // Linux's default of 6 per host would queue every VU past the sixth behind the others.
        sessionConfiguration.httpMaximumConnectionsPerHost = configuration.virtualUsers
        sessionConfiguration.timeoutIntervalForRequest = configuration.timeoutSeconds
        sessionConfiguration.timeoutIntervalForResource = configuration.timeoutSeconds
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.urlCache = nil
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.connectionProxyDictionary = [:]
        conversations = configuration.conversations.map { URLSessionConversations(plan: $0, virtualUsers: configuration.virtualUsers) }
        transfers = URLSessionTransfers(captureLimit: configuration.bodyCaptureBytes, streaming: configuration.streaming,
                                        keepsContent: configuration.conversations != nil)
        session = URLSession(configuration: sessionConfiguration, delegate: transfers, delegateQueue: nil)
    }

    /// What a child task hands back to the driver when it ends.
    private enum ChildEnded: Sendable {
        /// A request ended; these are the actions its end made due.
        case request([Scheduler.Action])
        /// The sleeper standing for the next due time woke.
        case tick
    }

    public func start() {
        let requests = makeRequests()
        Task.detached { [self] in
            await withTaskGroup(of: ChildEnded.self) { group in
                let begin = monotonicNanoseconds()
                let opening = state.withLock { scheduler in
                    scheduler = Scheduler(configuration, startAt: begin)
                    return scheduler.begin(now: begin)
                }
                var ticking = false
                var handed = 0
                launch(opening, requests: requests, handed: &handed, in: &group)
                while true {
                    let now = monotonicNanoseconds()
                    let (finished, deadline) = state.withLock { ($0.isFinished(at: now), $0.nextDeadline(now: now)) }
                    if finished { break }
                    // One sleeping child at a time stands for the next due time (a new arrival, a ramp step).
                    if !ticking, let deadline, !state.withLock({ $0.stopping }) {
                        ticking = true
                        group.addTask { await Self.sleep(until: deadline); return .tick }
                    }
                    guard let ended = await group.next() else { break }
                    var actions: [Scheduler.Action] = []
                    switch ended {
                    case .request(let followUp): actions = followUp
                    case .tick: ticking = false
                    }
                    // After a stop nothing starts; the in-flight requests end or are cancelled after the grace.
                    actions += state.withLock { $0.stopping ? [] : $0.tick(now: monotonicNanoseconds()) }
                    launch(actions, requests: requests, handed: &handed, in: &group)
                }
                group.cancelAll()
            }
            results.close()
        }
    }

    /// Stop starting requests; in-flight ones get the grace period, then are cancelled (recorded as Aborted).
    public func stop() {
        let first = state.withLock { scheduler -> Bool in
            defer { scheduler.stop(now: monotonicNanoseconds()) }
            return !scheduler.stopping
        }
        guard first else { return }
        Task { [self] in
            try? await Task.sleep(nanoseconds: UInt64(configuration.stopGraceSeconds * 1e9))
            invalidated.withLock { isInvalidated in
                isInvalidated = true
                session.invalidateAndCancel()
            }
        }
    }

    /// Request k (in start order, over every VU) takes the URL and body `k % count`, as on the engine.
    private func launch(_ actions: [Scheduler.Action], requests: Requests, handed: inout Int, in group: inout TaskGroup<ChildEnded>) {
        for case .start(let user, let scheduledAt) in actions {
            let index = handed
            handed += 1
            group.addTask { [self] in
                var request = requests.request(index)
                var variant = index
                var traceLine: Int?
                if let conversations, let schedule = configuration.replay,
                   let (entry, turn) = state.withLock({ $0.replayRequest(of: user) }) {
                    // `--replay`: the VU's conversation, the trace's turn (the VU is busy: its slot holds still).
                    request = requests.request(entry)
                    request.httpBody = conversations.prepareReplay(user, schedule: schedule, entry: entry, turn: turn)
                    (variant, traceLine) = (entry, schedule.line(entry, turn: turn))
                } else if let conversations {
                    // A conversation keeps one URL (a chat belongs to one assistant) and builds its own body.
                    let next = conversations.prepare(user)
                    request = requests.request(next.conversation)
                    request.httpBody = next.body
                    variant = next.conversation
                }
                let pause = state.withLock { $0.pauseMilliseconds(before: user) }
                let place = RecordBuilder.Request(virtualUser: user, requestIndex: variant, scheduledAt: scheduledAt, sentAt: 0,
                                                  thinkMilliseconds: pause, traceLine: traceLine)
                let (result, over) = await perform(request, place)
                results.push([result])
                return .request(state.withLock { scheduler in
                    if over { scheduler.conversationEnded(virtualUser: user) }
                    return scheduler.finished(virtualUser: user, now: monotonicNanoseconds(), refused: result.failure == .connectionRefused)
                })
            }
        }
    }

    private static func sleep(until deadline: UInt64) async {
        let now = monotonicNanoseconds()
        if deadline > now { try? await Task.sleep(nanoseconds: min(deadline - now, 250_000_000)) }
    }

    /// The URLs and bodies requests take in turn (several assistants, a file of prompts).
    private struct Requests: Sendable {
        var base: URLRequest
        var urls: [URL]
        var bodies: [Data]

        func request(_ k: Int) -> URLRequest {
            var request = base
            request.url = urls[k % urls.count]
            request.httpBody = bodies[k % bodies.count]
            return request
        }
    }

    private func makeRequests() -> Requests {
        let urls = (configuration.urls.isEmpty ? [configuration.url] : configuration.urls).map { URL(string: $0)! }
        let bodies = (configuration.bodies.isEmpty ? [configuration.body] : configuration.bodies).map { Data($0) }
        return Requests(base: makeRequest(url: urls[0]), urls: urls, bodies: bodies)
    }

    private func makeRequest(url: URL) -> URLRequest {
        var request = URLRequest(url: url)
        request.httpMethod = configuration.method
        request.timeoutInterval = configuration.timeoutSeconds
        for line in configuration.headers {
            guard let colon = line.firstIndex(of: ":") else { continue }
            request.setValue(
                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces),
                forHTTPHeaderField: String(line[..<colon]))
        }
        return request
    }

    /// Sends one request and builds its record; `over`: with `--turns`, the answer ended the conversation.
    private func perform(_ urlRequest: URLRequest, _ place: RecordBuilder.Request) async -> (RequestResult, over: Bool) {
        var place = place
        place.sentAt = monotonicNanoseconds()
        // A task made before the invalidation is cancelled by it (recorded as Aborted); after it, none is made.
        guard let task = invalidated.withLock({ $0 ? nil : session.dataTask(with: urlRequest) }) else {
            return (builder.aborted(place, stream: nil, detail: "stopped before the request was sent"), false)
        }
        let finished = await transfers.perform(task)
        let end = monotonicNanoseconds()
        let facts: TransferFacts
        if let error = finished.error {
            facts = TransferFacts(statusCode: finished.response?.statusCode ?? 0,
                                  failure: FailureKind.from(urlError: (error as? URLError)?.code),
                                  failureDetail: error.localizedDescription)
        } else {
            facts = TransferFacts(statusCode: finished.response?.statusCode ?? 0, failure: nil,
                                  contentType: finished.response?.value(forHTTPHeaderField: "Content-Type"), body: finished.body,
                                  bodyBytesReceived: finished.received, bytesSent: urlRequest.httpBody?.count ?? 0)
        }
        guard let conversations else { return (builder.record(place, facts, stream: finished.stream, endedAt: end), false) }
        let header = finished.response?.value(forHTTPHeaderField: "X-Chat-Id").map { Array($0.utf8) }
        return conversations.record(builder, place, facts, stream: finished.stream, chatIDHeader: header, endedAt: end)
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
