import CurlEngine
import Foundation

extension LoadTest {
    struct Collected {
        var statistics: Statistics
        /// Why `--output`'s records could not be kept (the disk filled), if so.
        var outputFailure: String?
        var writeFailure: String?
        var wallSeconds = 0.0
        var drift: Drift.Verdict?
        var timeline: [HTMLReport.TimePoint] = []
        var timeSeriesFailure: String?
    }

    /// `--hdr`'s log for this run, if asked for.
    var hdrOutput: HdrLogOutput? {
        guard let path = configuration.hdrPath, let interval = configuration.intervalSeconds else { return nil }
        return HdrLogOutput(path: path, intervalSeconds: interval, streaming: configuration.streaming, openModel: configuration.plan.isOpen)
    }

    /// Runs the load and turns every result into a record: statistics, the JSONL line, the progress line.
    /// `finishSeries`: write the time series' last, partial line and judge the drift (a sweep does
    /// that once, after its last level).
    func collect(from runner: LoadRunner, responses: Int32?, spool: RawResultsSpool?, timeSeries: TimeSeriesOutput?,
                 hdr: HdrLogOutput? = nil, finishSeries: Bool = true) -> Collected {
        var collected = Collected(statistics: Statistics(serviceLevel: configuration.serviceLevel))
        var progress = ProgressLine(
            requestLimit: configuration.requestLimit, durationSeconds: configuration.durationSeconds,
            isTerminal: isatty(2) == 1)
        progress.plan = configuration.plan
        let start = monotonicNanoseconds()
        let startMicroseconds = wallClockMicroseconds()
        func gauges(_ elapsed: Double, completed: Int) -> TimeSeries.Gauges {
            TimeSeries.Gauges(target: configuration.plan.target(atSeconds: elapsed) ?? Double(configuration.virtualUsers),
                              inFlight: max(0, runner.requestsStarted - completed), connectionsOpened: runner.connectionsOpened)
        }
        timeSeries?.begin(at: startMicroseconds)
        hdr?.begin(at: startMicroseconds, shard: configuration.shard?.description ?? "0/1")
        /// Seconds on the time series' clock (a sweep's runs share one).
        func seriesSeconds(_ microseconds: Int64) -> Double {
            Double(microseconds - (timeSeries?.originMicroseconds ?? startMicroseconds)) / 1e6
        }
        var lastTrim = 0.0
        runner.start()
        var drained: [RecordBatch] = []
        while true {
            let next = runner.results.next(timeout: 0.2, into: &drained)
            if next == .closed { break }
            if next == .results {
                var lines: [UInt8] = []
                var kept: [ResponseRecord] = []
                for result in drained.lazy.flatMap(\.results) {
                    var record = ResponseRecord(result, maxCharacters: configuration.responseMaxChars, trustStatus: configuration.trustStatus)
                    record.turn = result.turn
                    record.chatID = result.chatID
                    if configuration.assistantIDs.count > 1 {
                        record.assistantID = configuration.assistantIDs[result.requestIndex % configuration.assistantIDs.count]
                    }
                    let seconds = Double(record.completedAtMicroseconds - startMicroseconds) / 1e6
                    if seconds >= configuration.warmupSeconds { collected.statistics.add(record) }
                    if configuration.progress { progress.observe(record) }
                    if responses != nil && collected.writeFailure == nil { record.appendJSONLine(to: &lines) }
                    if spool != nil { kept.append(record) }
                    hdr?.add(record, at: Double(record.completedAtMicroseconds - startMicroseconds) / 1e6)
                    if let timeSeries {
                        timeSeries.add(record, at: seriesSeconds(record.completedAtMicroseconds),
                                       gauges: gauges(seconds, completed: collected.statistics.total))
                    }
                }
                if let spool, collected.outputFailure == nil {
                    do { try spool.append(kept) } catch { collected.outputFailure = "\(error)" }
                }
                // Read: back to the loop that filled them (no record of them is kept here).
                kept.removeAll()
                runner.results.giveBack(&drained)
                collected.wallSeconds = Double(monotonicNanoseconds() - start) / 1e9
                if let fd = responses, collected.writeFailure == nil, !lines.isEmpty {
                    // One write per batch, straight to the file: a kill loses at most this batch's tail.
                    do { try FileOutput.writeAll(fd, lines) } catch {
                        let failure = "writing --responses \(configuration.responsesPath!) failed: \(error); "
                            + "the run was stopped so no record goes unwritten"
                        console.error(failure)
                        collected.writeFailure = failure
                        runner.stop()
                    }
                }
            }
            // An interval's line waits 50 ms past its end for records still on their way from the loop.
            let now = Double(monotonicNanoseconds() - start) / 1e9
            // Free pages back to the system every 10 s (see MemoryTrim).
            if now - lastTrim >= 10 {
                MemoryTrim.run()
                lastTrim = now
            }
            timeSeries?.advance(to: seriesSeconds(wallClockMicroseconds()) - 0.05, gauges: gauges(now, completed: collected.statistics.total))
            hdr?.advance(to: Double(wallClockMicroseconds() - startMicroseconds) / 1e6 - 0.05)
            if configuration.progress {
                let elapsed = Double(monotonicNanoseconds() - start) / 1e9
                if let line = progress.update(elapsed: elapsed, completed: collected.statistics.total,
                                              errors: collected.statistics.failed) {
                    console.err(progress.isTerminal ? "\r\u{1B}[2K" + line : line + "\n")
                }
            }
        }
        if configuration.progress && progress.isTerminal && progress.lastShown > 0 { console.err("\r\u{1B}[2K") }
        hdr?.finish(at: Double(wallClockMicroseconds() - startMicroseconds) / 1e6)
        if let timeSeries, finishSeries {
            let end = Double(monotonicNanoseconds() - start) / 1e9
            collected.drift = timeSeries.finish(at: seriesSeconds(wallClockMicroseconds()), gauges: gauges(end, completed: collected.statistics.total))
            collected.timeSeriesFailure = timeSeries.failure
            collected.timeline = timeSeries.points
        }
        return collected
    }
}
