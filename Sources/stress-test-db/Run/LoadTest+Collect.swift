import Foundation
import LoadCore

extension LoadTest {
    struct Collected {
        var statistics: Statistics
        /// Why `--output`'s records could not be kept (the disk filled), if so.
        var outputFailure: String?
        var writeFailure: String?
        var wallSeconds = 0.0
        var drift: Drift.Verdict?
        var timeline: [TimeSeries.Point] = []
        var timeSeriesFailure: String?
    }

    /// `--hdr`'s log for this run, if asked for.
    var hdrOutput: HdrLogOutput? {
        guard let path = configuration.hdrPath, let interval = configuration.intervalSeconds else { return nil }
        return HdrLogOutput(path: path, intervalSeconds: interval, streaming: configuration.streaming, openModel: configuration.plan.isOpen || configuration.replay != nil)
    }

    /// Runs the load through the record pipeline: statistics, progress, the JSONL file, the spool, the
    /// HDR log and the time series, each a sink. `finishSeries`: write the time series' last, partial
    /// line and judge the drift (a sweep does that once, after its last level). `clock`: the wall clock (a test's scripted one).
    func collect(from runner: any LoadRunner, responses: Int32?, spool: RawResultsSpool?, timeSeries: TimeSeriesOutput?,
                 hdr: HdrLogOutput? = nil, metrics: MetricsSink? = nil, finishSeries: Bool = true,
                 clock: @escaping () -> Int64 = wallClockMicroseconds) -> Collected {
        let statistics = StatisticsSink(serviceLevel: configuration.serviceLevel, warmupSeconds: configuration.warmupSeconds)
        let responsesSink = responses.map {
            ResponsesSink(descriptor: $0, path: configuration.responsesPath ?? "", console: console, runner: runner)
        }
        let plan = configuration.plan, virtualUsers = Double(configuration.virtualUsers), thinks = configuration.think != nil
        let vuCap = configuration.virtualUsers
        let gauges = { (seconds: Double, completed: Int) in
            TimeSeries.Gauges(target: plan.target(atSeconds: seconds) ?? virtualUsers,
                              // The loops' count is published a batch at a time: never more than the VUs.
                              inFlight: min(vuCap, max(0, runner.requestsStarted - completed)), connectionsOpened: runner.connectionsOpened,
                              thinking: thinks ? runner.thinking : nil)
        }
        let start = clock()
        timeSeries?.begin(at: start, gauges: gauges)
        metrics?.begin(at: start, gauges: gauges)
        hdr?.begin(at: start, shard: configuration.shard?.description ?? "0/1")
        let progress = configuration.progress
            ? ProgressSink(configuration, console: console, thinking: thinks ? { runner.thinking } : nil) : nil
        let optional: [(any RecordSink)?] = [progress,
                                             responsesSink, spool, hdr, timeSeries, metrics]
        let sinks: [any RecordSink] = [statistics] + optional.compactMap { $0 } + [MemoryTrimSink()]
        let (wallSeconds, _) = RecordCollector(runner: runner, configuration: configuration, clock: clock).run(sinks, startMicroseconds: start)

        var collected = Collected(statistics: statistics.statistics, outputFailure: spool?.failure,
                                  writeFailure: responsesSink?.failure, wallSeconds: wallSeconds)
        if let timeSeries, finishSeries {
            let end = Double(clock() - start) / 1e6
            collected.drift = timeSeries.finish(at: timeSeries.seriesSeconds(end), gauges: gauges(end, collected.statistics.total))
            collected.timeSeriesFailure = timeSeries.failure
            collected.timeline = timeSeries.points
        }
        return collected
    }
}
