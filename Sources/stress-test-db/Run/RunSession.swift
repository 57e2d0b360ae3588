import CurlEngine
import LoadCore
import MetricsListener
import Foundation
import Synchronization

/// What a run and a sweep share, said once: the console, the outputs opened before any load, the
/// readiness check, the embeddings model, the stop signals, and each measurement (a runner driven
/// through the record pipeline into a `RunSummary`). `LoadTest` and `Sweep` keep only their own decisions.
final class RunSession {
    let base: Configuration
    let console: Console
    let outputs: RunOutputs
    let embeddingModel: String
    let signals = StopSignals()
    /// `--metrics`: the listener and the sink that feeds it, for the whole session.
    private let metrics: (listener: MetricsListener, sink: MetricsSink)?
    /// The runner measuring now, for the signal handler.
    private let current = RunnerSlot()

    /// Opens the outputs and checks the server; nil (the reason shown) when the run cannot start.
    init?(_ base: Configuration, console: Console, spool: Bool) {
        self.base = base
        self.console = console
        do { outputs = try RunOutputs(base.outputs, streaming: base.workload.streaming, spool: spool) } catch {
            console.error("\(error)")
            return nil
        }
        let log: (String) -> Void = { if base.outputs.verbose { console.err($0 + "\n") } }
        let target = base.target, http2 = base.load.transport.http2
        if target.readinessCheck {
            console.out("\nChecking server readiness before starting test...\n")
            if let reason = Readiness.check(target, http2: http2, log: log) {
                console.error("Server does not appear to be ready: \(reason)")
                console.err("  Nothing answered below 500 at \(target.baseURL) or \(target.requestURL). "
                    + "Start the server, check --api-base-url, or skip this check with --no-check.\n")
                return nil
            }
        }
        if http2, let refusal = Self.http2Refusal(target) {
            console.error(refusal)
            return nil
        }
        embeddingModel = base.outputs.csvPath == nil ? "" : EmbeddingsDiscovery.discover(target, log: log)
        do { metrics = try base.outputs.metrics.map { try Self.listen(base, at: $0, console: console) } } catch {
            console.error("\(error)")
            return nil
        }
        signals.install(console: console) { [current] in current.runner.withLock { $0?.stop() } }
    }

    deinit {
        signals.uninstall()
        metrics?.listener.stop()
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

    /// `--http2`: one request before any load; a server that will not speak HTTP/2 is one clear error.
    private static func http2Refusal(_ base: Configuration.Target) -> String? {
        let probe = Probe.perform(method: "GET", url: base.baseURL, headers: base.requestHeaders, timeoutSeconds: 10, tls: base.tls,
                                  http2: true)
        let tls = base.baseURL.lowercased().hasPrefix("https:")
        if !tls && !CurlAbilities.priorKnowledgeReuse {
            return "--http2 over plain http (prior knowledge) fails on every reused connection with this libcurl "
                + "(\(CurlAbilities.version); curl issue 10634, fixed in 8.0.0). Use the https front door, or a newer libcurl."
        }
        let how = tls ? "by ALPN over TLS" : "with prior knowledge over plain HTTP"
        if let failure = probe.failure {
            return "--http2: \(base.baseURL) did not answer HTTP/2 asked \(how) (\(failure.rawValue): \(probe.failureDetail ?? "")). "
                + "Check that the server (or its proxy) speaks HTTP/2, or drop --http2."
        }
        guard probe.httpVersion == "2" else {
            return "--http2: \(base.baseURL) answered HTTP/\(probe.httpVersion ?? "?") when asked for HTTP/2 \(how): it does not speak "
                + "HTTP/2 there. Point at the HTTP/2 front door (https with ALPN h2), or drop --http2."
        }
        return nil
    }

    /// `--metrics-linger`: the listener keeps serving this long after the run (a last scrape sees its end).
    func linger() {
        let linger = base.outputs.metricsLingerSeconds
        guard let metrics, linger > 0 else { return }
        console.err("Metrics: serving \(JSONText.integerOrNumber(linger)) s more (--metrics-linger; Ctrl-C ends it)\n")
        // A signal ends the linger at once.
        let end = Date().addingTimeInterval(linger)
        while Date() < end && signals.stoppedBySignal == nil { Thread.sleep(forTimeInterval: min(0.1, max(0, end.timeIntervalSinceNow))) }
        metrics.listener.stop()
    }

    var stoppedBySignal: Int32? { signals.stoppedBySignal }

    /// One measurement: a fresh runner for `configuration` through the pipeline. `hdr` and `spool` are
    /// the run's own (a sweep has neither); `finishSeries`: close the time series and judge the drift.
    func measure(_ configuration: Configuration, hdr: HdrLogOutput? = nil, spool: RawResultsSpool? = nil,
                 finishSeries: Bool) -> Measurement? {
        let runner: any LoadRunner
        do { runner = try configuration.makeRunner() } catch {
            console.error("\(error)")
            return nil
        }
        current.runner.withLock { $0 = runner }
        defer { current.runner.withLock { $0 = nil } }
        let started = wallClockMicroseconds()
        let collected = LoadTest(configuration: configuration, console: console).collect(
            from: runner, responses: outputs.responses, spool: spool, timeSeries: outputs.timeSeries, hdr: hdr,
            metrics: metrics?.sink, finishSeries: finishSeries)
        var summary = RunSummary(
            run: configuration.runDescription, statistics: collected.statistics, startedAtMicroseconds: started,
            wallSeconds: max(0, collected.wallSeconds - configuration.load.warmupSeconds), embeddingModel: embeddingModel,
            interrupted: signals.stoppedBySignal != nil, achievedRate: runner.achievedRate)
        summary.drift = collected.drift
        summary.thresholds = configuration.checks.thresholds.map { $0.evaluate(collected.statistics, wallSeconds: summary.wallSeconds) }
        return Measurement(summary: summary, collected: collected, runnerFailure: runner.failure,
                           connectionsOpened: runner.connectionsOpened)
    }

    /// The saved files' lines and the failures, then the exit status: a stop by signal, then a broken
    /// output, then `otherwise`.
    func finish(_ saved: SavedFiles, otherwise: Int32, alreadyShown: String? = nil) -> Int32 {
        for failure in saved.failures where failure != alreadyShown { console.error(failure) }
        linger()
        if let signal = signals.stoppedBySignal { return 128 + signal }
        return saved.failures.isEmpty ? otherwise : 1
    }
}

/// The runner a signal stops: the one measuring, if any.
private final class RunnerSlot: Sendable {
    let runner = Mutex<(any LoadRunner)?>(nil)
}

/// One level's or one run's result.
struct Measurement {
    var summary: RunSummary
    var collected: LoadTest.Collected
    /// Why the runner could not start, or stopped early.
    var runnerFailure: String?
    var connectionsOpened: Int?
}

/// The files a run writes as it goes, opened (and every end-of-run path checked) before any load.
struct RunOutputs {
    /// `--responses`: the JSONL file, appended to.
    let responses: Int32?
    /// `--output`: where records wait for the document written at the end.
    let spool: RawResultsSpool?
    let timeSeries: TimeSeriesOutput?

    init(_ configuration: Configuration.Outputs, streaming: Bool, spool keepsSpool: Bool) throws {
        try configuration.checkPaths()
        func opening<T>(_ flag: String, _ path: String?, _ open: (String) throws -> T) throws -> T? {
            guard let path else { return nil }
            do { return try open(path) } catch {
                throw ConfigurationError("cannot write \(flag) \(path): \(error). Choose a writable path.")
            }
        }
        spool = try opening("--output", keepsSpool ? configuration.outputPath : nil) { try RawResultsSpool(beside: $0) }
        responses = try opening("--responses", configuration.responsesPath, FileOutput.openForAppend)
        if configuration.keepsTimeSeries, let interval = configuration.intervalSeconds {
            do {
                timeSeries = try TimeSeriesOutput(intervalSeconds: interval, streaming: streaming,
                                                  path: configuration.timeSeriesPath)
            } catch {
                throw ConfigurationError("cannot write --timeseries \(configuration.timeSeriesPath ?? ""): \(error). Choose a writable path.")
            }
        } else {
            timeSeries = nil
        }
    }

    func close() {
        if let responses { Glibc.close(responses) }
    }
}
