import Foundation
import LoadCore

/// One consumer of a run's records as they arrive: statistics, the progress line, the JSON Lines file,
/// the `--output` spool, the HDR log, the time series. The collector drives a list of them, on one thread.
protocol RecordSink: AnyObject {
    /// A record that completed `seconds` after the run's start.
    func add(_ record: ResponseRecord, at seconds: Double)
    /// After each batch and each idle wake-up: the run is `seconds` old; `completed` records so far.
    func tick(at seconds: Double, completed: Int)
    /// The run ended `seconds` after its start. Why this sink's output could not be written, if so.
    func finish(at seconds: Double, completed: Int) -> String?
    /// When (seconds of the run) this sink next needs a `tick` though no record came: a progress line,
    /// an interval's end. nil: only after records.
    var nextTick: Double? { get }
}

extension RecordSink {
    func tick(at seconds: Double, completed: Int) {}
    var nextTick: Double? { nil }
    func finish(at seconds: Double, completed: Int) -> String? { nil }
}

/// Drives a runner to its end: every `RequestResult` becomes one `ResponseRecord`, handed to every sink
/// in order; batches go back to the runner once read. The one consumer thread of a run.
struct RecordCollector {
    let runner: any LoadRunner
    let responseMaxChars: Int
    let trustStatus: Bool
    /// With several `--assistant-id`s: the one request `requestIndex` went to.
    let assistantIDs: [String]
    /// `--replay`: names request `requestIndex`'s conversation (the records' `conversation`).
    let replay: ReplaySchedule?
    /// The wall clock, µs since the epoch: what the sinks' seconds and the waits for their ticks are read on
    /// (a test's scripted clock).
    let clock: () -> Int64

    init(runner: any LoadRunner, configuration: Configuration, clock: @escaping () -> Int64 = wallClockMicroseconds) {
        self.runner = runner
        self.clock = clock
        responseMaxChars = configuration.responseMaxChars
        trustStatus = configuration.trustStatus
        assistantIDs = configuration.assistantIDs
        replay = configuration.replay?.schedule
    }

    /// Starts the runner and feeds `sinks` until its channel closes. Returns the run's wall seconds
    /// (start to the last record) and each sink's failure, in order.
    func run(_ sinks: [any RecordSink], startMicroseconds: Int64 = wallClockMicroseconds()) -> (wallSeconds: Double, failures: [String]) {
        let start = monotonicNanoseconds()
        var wallSeconds = 0.0
        var completed = 0
        var drained: [RecordBatch] = []
        func seconds(_ microseconds: Int64) -> Double { Double(microseconds - startMicroseconds) / 1e6 }
        runner.start()
        while true {
            // The wait ends with records, or when a sink's clock is due (a progress line, an interval's end).
            let due = sinks.compactMap(\.nextTick).min()
            let next = runner.results.next(timeout: due.map { max(0, $0 - seconds(clock())) }, into: &drained)
            if next == .closed { break }
            if next == .results {
                for result in drained.lazy.flatMap(\.results) {
                    let record = makeRecord(result)
                    completed += 1
                    for sink in sinks { sink.add(record, at: seconds(record.completedAtMicroseconds)) }
                }
                // Read: back to the loop that filled them (no sink keeps a record).
                runner.results.giveBack(&drained)
                wallSeconds = Double(monotonicNanoseconds() - start) / 1e9
            }
            let now = seconds(clock())
            for sink in sinks { sink.tick(at: now, completed: completed) }
        }
        let end = seconds(clock())
        return (wallSeconds, sinks.compactMap { $0.finish(at: end, completed: completed) })
    }

    private func makeRecord(_ result: RequestResult) -> ResponseRecord {
        ResponseRecord(result, maxCharacters: responseMaxChars, trustStatus: trustStatus,
                       assistantID: assistantIDs.count > 1 ? assistantIDs[result.requestIndex % assistantIDs.count] : nil,
                       conversation: result.traceLine == nil ? nil : replay?.name(result.requestIndex))
    }
}
