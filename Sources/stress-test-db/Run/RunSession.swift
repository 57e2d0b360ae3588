import CurlEngine
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
    /// The runner measuring now, for the signal handler.
    private let current = RunnerSlot()

    /// Opens the outputs and checks the server; nil (the reason shown) when the run cannot start.
    init?(_ base: Configuration, console: Console, spool: Bool) {
        self.base = base
        self.console = console
        do { outputs = try RunOutputs(base, spool: spool) } catch {
            console.error("\(error)")
            return nil
        }
        let log: (String) -> Void = { if base.verbose { console.err($0 + "\n") } }
        if base.readinessCheck {
            console.out("\nChecking server readiness before starting test...\n")
            guard Readiness.check(base, log: log) else {
                console.error("Server does not appear to be ready.")
                console.err("  Nothing answered below 500 at \(base.baseURL) or \(base.requestURL). "
                    + "Start the server, check --api-base-url, or skip this check with --no-check.\n")
                return nil
            }
        }
        embeddingModel = base.csvPath == nil ? "" : EmbeddingsDiscovery.discover(base, log: log)
        signals.install(console: console) { [current] in current.runner.withLock { $0?.stop() } }
    }

    deinit { signals.uninstall() }

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
            finishSeries: finishSeries)
        var summary = RunSummary(
            run: configuration.runDescription, statistics: collected.statistics, startedAtMicroseconds: started,
            wallSeconds: max(0, collected.wallSeconds - configuration.warmupSeconds), embeddingModel: embeddingModel,
            interrupted: signals.stoppedBySignal != nil, achievedRate: runner.achievedRate)
        summary.drift = collected.drift
        summary.thresholds = configuration.thresholds.map { $0.evaluate(collected.statistics, wallSeconds: summary.wallSeconds) }
        return Measurement(summary: summary, collected: collected, runnerFailure: runner.failure,
                           connectionsOpened: runner.connectionsOpened)
    }

    /// The saved files' lines and the failures, then the exit status: a stop by signal, then a broken
    /// output, then `otherwise`.
    func finish(_ saved: SavedFiles, otherwise: Int32, alreadyShown: String? = nil) -> Int32 {
        for failure in saved.failures where failure != alreadyShown { console.error(failure) }
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

    init(_ configuration: Configuration, spool keepsSpool: Bool) throws {
        try configuration.checkOutputPaths()
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
                timeSeries = try TimeSeriesOutput(intervalSeconds: interval, streaming: configuration.streaming,
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
