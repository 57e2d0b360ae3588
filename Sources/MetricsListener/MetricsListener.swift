import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// SPEC 21's HTTP listener: `GET /metrics`, `GET /series` and `GET /` (the live dashboard), served by
/// Hummingbird on its own threads (SwiftNIO's), never the engine's loops. Each route asks its provider
/// for the text at the moment of the request; the providers take a copy under their own lock.
///
/// Why Hummingbird: a well-kept HTTP server the project already builds for lamb-sim, so no hand-written
/// HTTP parsing; it adds SwiftNIO to the load generator's binary (measured in docs/metrics.md).
public final class MetricsListener: Sendable {
    /// What each route answers: a body and its content type.
    public struct Routes: Sendable {
        public var metrics: @Sendable () -> (body: String, contentType: String)
        public var series: @Sendable () -> String
        public var dashboard: String

        public init(metrics: @escaping @Sendable () -> (body: String, contentType: String), series: @escaping @Sendable () -> String,
                    dashboard: String) {
            self.metrics = metrics
            self.series = series
            self.dashboard = dashboard
        }
    }

    private enum State {
        case starting
        case listening(port: Int)
        case failed(String)
    }

    private let state = Mutex(State.starting)
    private let ready = NSCondition()
    private let task = Mutex<Task<Void, Never>?>(nil)

    public init() {}

    /// Binds `host:port` (0: a free port) and serves `routes` until `stop`. Returns the bound port, or
    /// throws the reason it could not listen (a port in use).
    public func start(host: String, port: Int, routes: Routes) throws -> Int {
        let application = Application(
            router: Self.router(routes),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [self] channel in settle(.listening(port: channel.localAddress?.port ?? port)) },
            logger: Self.quietLogger)
        let running = Task.detached { [self] in
            do {
                // No signal handling here: the run's own StopSignals owns SIGINT and SIGTERM.
                try await application.runService(gracefulShutdownSignals: [])
            } catch {
                settle(.failed("\(error)"))
            }
        }
        task.withLock { $0 = running }
        ready.lock()
        defer { ready.unlock() }
        while true {
            switch state.withLock({ $0 }) {
            case .starting: ready.wait()
            case .listening(let bound): return bound
            case .failed(let reason): throw ListenerError(description: reason)
            }
        }
    }

    /// Stops serving (the run ended and lingered).
    public func stop() {
        task.withLock { $0?.cancel() }
    }

    private func settle(_ outcome: State) {
        ready.lock()
        state.withLock { if case .starting = $0 { $0 = outcome } }
        ready.broadcast()
        ready.unlock()
    }

    private static func router(_ routes: Routes) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/metrics") { _, _ in
            let (text, type) = routes.metrics()
            return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/series") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: routes.series())))
        }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: routes.dashboard)))
        }
        return router
    }

    private static let quietLogger: Logger = {
        var logger = Logger(label: "stress-test-db-metrics")
        logger.logLevel = .critical
        return logger
    }()
}

/// Why the listener could not start.
public struct ListenerError: Error, CustomStringConvertible {
    public var description: String
}
