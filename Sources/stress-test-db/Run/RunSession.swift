import LoadCore
import MetricsListener
import Foundation

/// What a run and a sweep share, said once: the console, the outputs opened before any load, the
/// readiness check, the embeddings model, the stop signals and the live metrics; each measurement is a
/// `RecordPipeline` it lends them to. `LoadTest` and `Sweep` keep only their own decisions.
final class RunSession {
    let console: Console
    let outputs: RunOutputs
    let embeddingModel: String
    let signals = StopSignals()
    private let lingerSeconds: Double
    /// `--metrics`: the listener and the sink that feeds it, for the whole session.
    private let metrics: (listener: MetricsListener, sink: MetricsSink)?

    private init(console: Console, outputs: RunOutputs, embeddingModel: String, metrics: (listener: MetricsListener, sink: MetricsSink)?,
                 lingerSeconds: Double) {
        self.console = console
        self.outputs = outputs
        self.embeddingModel = embeddingModel
        self.metrics = metrics
        self.lingerSeconds = lingerSeconds
        signals.install(console: console)
    }

    deinit {
        signals.uninstall()
        metrics?.listener.stop()
    }

    /// Opens the outputs, checks the server (readiness, `--http2`), finds the embeddings model and starts
    /// `--metrics`' listener: everything before any load. Throws why the run cannot start (`SessionRefusal`).
    static func open(_ base: Configuration, console: Console, spool: Bool) throws(SessionRefusal) -> RunSession {
        let outputs: RunOutputs
        do { outputs = try RunOutputs(base.outputs, streaming: base.workload.streaming, spool: spool) } catch {
            throw .cannotOpen("\(error)")
        }
        do { return try open(base, console: console, outputs: outputs) } catch {
            outputs.close()
            throw error
        }
    }

    /// The checks and the listener, with the outputs open.
    private static func open(_ base: Configuration, console: Console, outputs: RunOutputs) throws(SessionRefusal) -> RunSession {
        let log: (String) -> Void = { if base.outputs.verbose { console.err($0 + "\n") } }
        let target = base.target, http2 = base.load.transport.http2
        if target.readinessCheck {
            console.out("\nChecking server readiness before starting test...\n")
            if let reason = Readiness.check(target, http2: http2, log: log) {
                throw .notReady(reason: reason, baseURL: target.baseURL, requestURL: target.requestURL)
            }
        }
        if http2, let refusal = Readiness.http2Refusal(target) { throw .http2(refusal) }
        let embeddingModel = base.outputs.csvPath == nil ? "" : EmbeddingsDiscovery.discover(target, log: log)
        let metrics: (listener: MetricsListener, sink: MetricsSink)?
        do { metrics = try base.outputs.metrics.map { try listen(base, at: $0, console: console) } } catch {
            throw .cannotOpen("\(error)")
        }
        return RunSession(console: console, outputs: outputs, embeddingModel: embeddingModel, metrics: metrics,
                          lingerSeconds: base.outputs.metricsLingerSeconds)
    }

    /// `--metrics`: listening before any load is sent (a port in use is one error, exit 1).
    private static func listen(_ base: Configuration, at address: MetricsAddress, console: Console) throws
        -> (listener: MetricsListener, sink: MetricsSink) {
        let streaming = base.workload.streaming, load = base.load
        let board = MetricsBoard(streaming: streaming, gauges: PrometheusText.Gauges(
            inFlight: 0, thinking: 0, target: load.plan.target(atSeconds: 0) ?? Double(load.virtualUsers), connectionsOpened: nil,
            version: ToolVersion.current, shard: load.shard?.description ?? "0/1",
            run: isoTimestamp(microseconds: wallClockMicroseconds())))
        let listener = MetricsListener()
        let routes = MetricsListener.Routes(
            metrics: { (board.metricsText, PrometheusText.contentType) }, series: { board.seriesJSON },
            dashboard: LiveDashboard.html(title: "stress-test-db: \(load.virtualUsers) VUs against \(base.target.requestURL)"))
        let port: Int
        do { port = try listener.start(host: address.host, port: address.port, routes: routes) } catch {
            throw ConfigurationError("cannot listen on --metrics \(address.defaultValueDescription): \(error). Choose a free port (0 picks one).")
        }
        console.err("Metrics: \(address.url(port: port))/metrics, live dashboard \(address.url(port: port))/\n")
        return (listener, try MetricsSink(board: board, streaming: streaming, intervalSeconds: base.outputs.intervalSeconds))
    }

    /// `--metrics-linger`: the listener keeps serving this long after the run (a last scrape sees its end).
    func linger() {
        guard let metrics, lingerSeconds > 0 else { return }
        console.err("Metrics: serving \(JSONText.integerOrNumber(lingerSeconds)) s more (--metrics-linger; Ctrl-C ends it)\n")
        // A signal ends the linger at once.
        let end = Date().addingTimeInterval(lingerSeconds)
        while Date() < end && signals.stoppedBySignal == nil { Thread.sleep(forTimeInterval: min(0.1, max(0, end.timeIntervalSinceNow))) }
        metrics.listener.stop()
    }

    var stoppedBySignal: Int32? { signals.stoppedBySignal }

    /// The pipeline of one measurement of `configuration`, with this session's files, listener and signals.
    /// `hdr` and `spool` are the run's own (a sweep has neither); `finishSeries`: close the time series
    /// and judge the drift.
    func pipeline(_ configuration: Configuration, hdr: HdrLogOutput? = nil, spool: RawResultsSpool? = nil,
                  finishSeries: Bool) -> RecordPipeline {
        let shared = RecordPipeline.Shared(
            responses: outputs.responses.map { ($0, configuration.outputs.responsesPath ?? "") }, timeSeries: outputs.timeSeries,
            metrics: metrics?.sink, embeddingModel: embeddingModel, signals: signals)
        var pipeline = RecordPipeline(configuration, shared: shared, console: console)
        (pipeline.hdr, pipeline.spool, pipeline.finishSeries) = (hdr, spool, finishSeries)
        return pipeline
    }

    /// The failures not shown yet, then the exit status: a stop by signal, then a broken output, then `otherwise`.
    func finish(_ saved: SavedFiles, otherwise: Int32) -> Int32 {
        for failure in saved.failures where !failure.shownAtOnce { console.error("\(failure)") }
        linger()
        if let signal = signals.stoppedBySignal { return 128 + signal }
        return saved.failures.isEmpty ? otherwise : 1
    }
}

/// Why a session could not open; no load was sent.
enum SessionRefusal: Error, Equatable, CustomStringConvertible {
    /// An output or the `--metrics` listener could not be opened (the reason names the flag).
    case cannotOpen(String)
    /// Nothing answered below 500 (the last probe's outcome).
    case notReady(reason: String, baseURL: String, requestURL: String)
    /// `--http2`: the server does not speak it (or this libcurl cannot).
    case http2(String)

    var description: String {
        switch self {
        case .cannotOpen(let reason), .http2(let reason): return reason
        case .notReady(let reason, _, _): return "Server does not appear to be ready: \(reason)"
        }
    }

    /// The `Error:` line, and for a server that is not ready what to do.
    func show(on console: Console) {
        console.error(description)
        if case .notReady(_, let baseURL, let requestURL) = self {
            console.err("  Nothing answered below 500 at \(baseURL) or \(requestURL). "
                + "Start the server, check --api-base-url, or skip this check with --no-check.\n")
        }
    }
}
