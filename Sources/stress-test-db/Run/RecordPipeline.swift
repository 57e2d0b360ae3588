import Foundation
import LoadCore

/// One consumer of a run's records as they arrive: statistics, the progress line, the JSON Lines file,
/// the `--output` spool, the HDR log, the time series. The collector drives a list of them, on one thread.
protocol RecordSink: AnyObject {
    /// A record that completed `seconds` after the run's start.
    func add(_ record: ResponseRecord, at seconds: Double)
    /// After each batch and each idle wake-up: the run is `seconds` old; `completed` records so far.
    func tick(at seconds: Double, completed: Int)
    /// The run ended `seconds` after its start: the last lines, the last partial interval.
    func finish(at seconds: Double, completed: Int)
    /// When (seconds of the run) this sink next needs a `tick` though no record came: a progress line,
    /// an interval's end. nil: only after records.
    var nextTick: Double? { get }
    /// Why this sink cannot go on, once it cannot (a `--responses` write failed): the pipeline then stops
    /// the runner. nil: it goes on.
    var stopReason: RunFailure? { get }
}

extension RecordSink {
    func tick(at seconds: Double, completed: Int) {}
    var nextTick: Double? { nil }
    func finish(at seconds: Double, completed: Int) {}
    var stopReason: RunFailure? { nil }
}

/// One measurement wired from end to end: a runner → its `ResultChannel` → the `RecordCollector` → the
/// sinks the configuration asks for → a `RunSummary`. `run` measures once and `sweep` once a level, both
/// through `RunSession.measure`, which lends what outlives one measurement (`Shared`). Nothing here
/// calls back into the command that made it.
struct RecordPipeline {
    /// What a measurement borrows from its session: the files and the listener a sweep's levels share.
    struct Shared {
        /// `--responses`: the open file and its path.
        var responses: (descriptor: Int32, path: String)?
        var timeSeries: TimeSeriesOutput?
        var metrics: MetricsSink?
        var embeddingModel = ""
        /// The signals that stop the runner measuring, and tell whether one came.
        var signals: StopSignals?
    }

    let configuration: Configuration
    let shared: Shared
    let console: Console
    /// The run's own outputs (a sweep's levels have neither).
    var hdr: HdrLogOutput?
    var spool: RawResultsSpool?
    /// Write the time series' last, partial line and judge the drift (a sweep does that once, after its last level).
    var finishSeries = true
    /// The wall clock, µs since the epoch (a test's scripted one).
    var clock: () -> Int64 = wallClockMicroseconds

    init(_ configuration: Configuration, shared: Shared, console: Console) {
        self.configuration = configuration
        self.shared = shared
        self.console = console
    }

    /// A fresh runner for the configuration, measured; throws when the runner cannot be made.
    func measure() throws -> Measurement { measure(try configuration.makeRunner()) }

    /// `runner` measured: started, its records through the sinks to their files, its summary made. A
    /// signal stops it meanwhile.
    func measure(_ runner: any LoadRunner) -> Measurement {
        guard let signals = shared.signals else { return collect(runner) }
        return signals.stopping(runner) { collect(runner) }
    }

    private func collect(_ runner: any LoadRunner) -> Measurement {
        let load = configuration.load
        let statistics = StatisticsSink(serviceLevel: configuration.checks.serviceLevel, warmupSeconds: load.warmupSeconds)
        let responses = shared.responses.map { ResponsesSink(descriptor: $0.descriptor, path: $0.path, console: console) }
        let gauges = self.gauges(of: runner)
        // `--preconnect`: the connections are opened before the clock below starts (the runner's own waits for it).
        let preconnect = runner.prepare()
        let start = clock()
        shared.timeSeries?.begin(at: start, gauges: gauges)
        shared.metrics?.begin(at: start, gauges: gauges)
        hdr?.begin(at: start, shard: load.shard?.description ?? "0/1")
        let thinking: (() -> Int)? = configuration.workload.think != nil ? { runner.thinking } : nil
        let progress = configuration.outputs.progress ? ProgressSink(load, console: console, thinking: thinking) : nil
        let optional: [(any RecordSink)?] = [progress, responses, spool, hdr, shared.timeSeries, shared.metrics]
        let sinks: [any RecordSink] = [statistics] + optional.compactMap { $0 } + [MemoryTrimSink()]
        let outputs = configuration.outputs
        let wallSeconds = RecordCollector(runner: runner, responseMaxChars: outputs.responseMaxChars, trustStatus: outputs.trustStatus,
                                          assistantIDs: configuration.target.assistantIDs, replay: configuration.replay?.schedule,
                                          clock: clock)
            .run(sinks, startMicroseconds: start)

        var summary = RunSummary(
            run: configuration.runDescription, statistics: statistics.statistics, startedAtMicroseconds: start,
            wallSeconds: max(0, wallSeconds - load.warmupSeconds), embeddingModel: shared.embeddingModel,
            interrupted: shared.signals?.stoppedBySignal != nil, achievedRate: runner.achievedRate)
        var measurement = Measurement(summary: summary, runnerFailure: runner.failure, responsesFailure: responses?.failure,
                                      outputFailure: spool?.failure, connectionsOpened: runner.connectionsOpened)
        if let timeSeries = shared.timeSeries, finishSeries {
            let end = Double(clock() - start) / 1e6
            summary.drift = timeSeries.finish(at: timeSeries.seriesSeconds(end), gauges: gauges(end, summary.statistics.total))
            measurement.timeSeriesFailure = timeSeries.failure
            measurement.timeline = timeSeries.points
        }
        summary.preconnect = preconnect
        summary.thresholds = configuration.checks.thresholds.map { $0.evaluate(summary.statistics, wallSeconds: summary.wallSeconds) }
        measurement.summary = summary
        return measurement
    }

    /// The runner's gauges `seconds` into the run with `completed` records: the plan's target, requests in
    /// flight, connections opened, VUs thinking.
    private func gauges(of runner: any LoadRunner) -> (Double, Int) -> TimeSeries.Gauges {
        let plan = configuration.load.plan, virtualUsers = configuration.load.virtualUsers
        let thinks = configuration.workload.think != nil
        return { seconds, completed in
            TimeSeries.Gauges(target: plan.target(atSeconds: seconds) ?? Double(virtualUsers),
                              // The loops' count is published a batch at a time: never more than the VUs.
                              inFlight: min(virtualUsers, max(0, runner.requestsStarted - completed)),
                              connectionsOpened: runner.connectionsOpened, thinking: thinks ? runner.thinking : nil)
        }
    }
}

/// One run's or one level's result.
struct Measurement {
    var summary: RunSummary
    /// Why the runner could not start, or stopped early (the transport's words).
    var runnerFailure: String?
    /// `--responses` could not be written (shown when it happened; the run was stopped).
    var responsesFailure: RunFailure?
    /// Why `--output`'s records could not be kept (the disk filled), if so.
    var outputFailure: String?
    var connectionsOpened: Int?
    /// The time series' intervals (the report's charts) and why its file could not be written, once the
    /// pipeline finished it.
    var timeline: [TimeSeries.Point] = []
    var timeSeriesFailure: RunFailure?
}
