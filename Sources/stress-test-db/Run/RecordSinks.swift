import Foundation
import LoadCore

/// `statistics`: every record that completed after the warm-up (a sweep step's first seconds).
final class StatisticsSink: RecordSink {
    private(set) var statistics: Statistics
    private let warmupSeconds: Double

    init(serviceLevel: ServiceLevel?, warmupSeconds: Double) {
        statistics = Statistics(serviceLevel: serviceLevel)
        self.warmupSeconds = warmupSeconds
    }

    func add(_ record: ResponseRecord, at seconds: Double) {
        if seconds >= warmupSeconds { statistics.add(record, at: seconds) }
    }
}

/// The live progress line on stderr: in place on a terminal, a plain line every few seconds otherwise.
final class ProgressSink: RecordSink {
    private var line: ProgressLine
    private let console: Console
    private var errors = 0
    /// `--think`: how many VUs are pausing now.
    private let thinking: (() -> Int)?

    init(_ load: Configuration.Load, console: Console, thinking: (() -> Int)? = nil) {
        self.thinking = thinking
        line = ProgressLine(requestLimit: load.requestLimit, durationSeconds: load.durationSeconds, isTerminal: isatty(2) == 1)
        line.plan = load.plan
        self.console = console
    }

    func add(_ record: ResponseRecord, at seconds: Double) {
        line.observe(record)
        if !record.success { errors += 1 }
    }

    func tick(at seconds: Double, completed: Int) {
        guard let text = line.update(elapsed: seconds, completed: completed, errors: errors, thinking: thinking?()) else { return }
        console.err(line.isTerminal ? "\r\u{1B}[2K" + text : text + "\n")
    }

    var nextTick: Double? { line.lastShown + line.interval }

    func finish(at seconds: Double, completed: Int) {
        if line.isTerminal && line.lastShown > 0 { console.err("\r\u{1B}[2K") }
    }
}

/// `--responses`: one JSON line per record, one write per batch straight to the file, so a kill loses
/// at most a batch's tail. A failed write is shown at once and ends the run (`stopReason`: the pipeline
/// stops the runner), so no record goes unwritten.
final class ResponsesSink: RecordSink {
    private let descriptor: Int32
    private let path: String
    private let console: Console
    private var pending: [UInt8] = []
    private(set) var failure: RunFailure?

    init(descriptor: Int32, path: String, console: Console) {
        self.descriptor = descriptor
        self.path = path
        self.console = console
    }

    var stopReason: RunFailure? { failure }

    func add(_ record: ResponseRecord, at seconds: Double) {
        if failure == nil { record.appendJSONLine(to: &pending) }
    }

    func tick(at seconds: Double, completed: Int) {
        guard failure == nil, !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        do { try FileOutput.writeAll(descriptor, pending) } catch {
            let failure = RunFailure.responsesStopped(path: path, reason: "\(error)")
            self.failure = failure
            console.error("\(failure)")
        }
    }
}

/// Every 10 s, glibc's free pages back to the system (see `MemoryTrim`).
final class MemoryTrimSink: RecordSink {
    private var last = 0.0

    func add(_ record: ResponseRecord, at seconds: Double) {}

    var nextTick: Double? { last + 10 }

    func tick(at seconds: Double, completed: Int) {
        guard seconds - last >= 10 else { return }
        MemoryTrim.run()
        last = seconds
    }
}

extension HdrLogOutput: RecordSink {
    /// An interval's lines wait 50 ms past its end for records still on their way from the loops.
    func tick(at seconds: Double, completed: Int) { advance(to: seconds - 0.05) }
    var nextTick: Double? { openEnd + 0.05 }

    func finish(at seconds: Double, completed: Int) { finish(at: seconds) }
}

extension RawResultsSpool: RecordSink {
    func add(_ record: ResponseRecord, at seconds: Double) { add(record) }
    func tick(at seconds: Double, completed: Int) { flush() }
    func finish(at seconds: Double, completed: Int) { flush() }
}
