import Foundation
import LoadCore

/// Drives a runner to its end: every `RequestResult` becomes one `ResponseRecord`, handed to every sink
/// in order; batches go back to the runner once read. The one consumer thread of a run. A sink that
/// cannot go on (`RecordSink.stopReason`) is heard here: the runner is asked to stop, once, and every
/// record it still hands over is read.
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

    init(runner: any LoadRunner, responseMaxChars: Int, trustStatus: Bool, assistantIDs: [String], replay: ReplaySchedule? = nil,
         clock: @escaping () -> Int64 = wallClockMicroseconds) {
        self.runner = runner
        self.clock = clock
        self.responseMaxChars = responseMaxChars
        self.trustStatus = trustStatus
        self.assistantIDs = assistantIDs
        self.replay = replay
    }

    /// Starts the runner and feeds `sinks` until its channel closes, then finishes them. Returns the run's
    /// wall seconds (start to the last record).
    func run(_ sinks: [any RecordSink], startMicroseconds: Int64 = wallClockMicroseconds()) -> Double {
        let start = monotonicNanoseconds()
        var wallSeconds = 0.0
        var completed = 0
        var stopAsked = false
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
            if !stopAsked && sinks.contains(where: { $0.stopReason != nil }) {
                stopAsked = true
                runner.stop()
            }
        }
        let end = seconds(clock())
        for sink in sinks { sink.finish(at: end, completed: completed) }
        return wallSeconds
    }

    private func makeRecord(_ result: RequestResult) -> ResponseRecord {
        ResponseRecord(result, maxCharacters: responseMaxChars, trustStatus: trustStatus,
                       assistantID: assistantIDs.count > 1 ? assistantIDs[result.requestIndex % assistantIDs.count] : nil,
                       conversation: result.traceLine == nil ? nil : replay?.name(result.requestIndex))
    }
}
