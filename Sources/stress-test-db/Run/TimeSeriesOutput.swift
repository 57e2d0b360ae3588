import Foundation

/// `--timeseries` / `--interval` during a run: each record into its interval, each interval's line
/// appended to the file (one write, so a kill loses at most that line) as soon as the interval is over.
final class TimeSeriesOutput {
    private var series: TimeSeries
    private let descriptor: Int32?
    private let path: String?
    var points: [TimeSeries.Point] { series.points }

    /// Why a line could not be written, if one could not (shown after the results).
    private(set) var failure: RunFailure?
    /// The series' time zero (wall clock, µs): the first run's start; a sweep's later levels go on from it.
    private(set) var originMicroseconds: Int64?

    /// The run being collected: its start on the series' clock, and its gauges at a moment of the run
    /// (seconds since its start, records completed so far).
    private var runOffset = 0.0
    private var gauges: (Double, Int) -> TimeSeries.Gauges = { _, _ in TimeSeries.Gauges(target: nil, inFlight: 0, connectionsOpened: nil) }
    private var completed = 0

    /// A run starts at `microseconds` (wall clock): the series' time zero if it is the first.
    func begin(at microseconds: Int64, gauges: @escaping (Double, Int) -> TimeSeries.Gauges) {
        if originMicroseconds == nil { originMicroseconds = microseconds }
        runOffset = Double(microseconds - originMicroseconds!) / 1e6
        self.gauges = gauges
        completed = 0
    }

    /// Seconds on the series' clock of a moment `seconds` into the run being collected.
    func seriesSeconds(_ seconds: Double) -> Double { seconds + runOffset }

    init(intervalSeconds: Double, streaming: Bool, path: String?) throws {
        series = TimeSeries(intervalSeconds: intervalSeconds, streaming: streaming)
        self.path = path
        descriptor = try path.map(FileOutput.openForAppend)
    }

    deinit { if let descriptor { close(descriptor) } }

    func add(_ record: ResponseRecord, at seconds: Double, gauges: TimeSeries.Gauges) {
        var lines: [TimeSeries.Line] = []
        series.add(record, at: seconds, lines: &lines, gauges: gauges)
        write(lines)
    }

    func advance(to seconds: Double, gauges: TimeSeries.Gauges) {
        var lines: [TimeSeries.Line] = []
        series.advance(to: seconds, lines: &lines, gauges: gauges)
        write(lines)
    }

    /// The last, partial interval's line, then the verdict over every interval (six at least).
    func finish(at seconds: Double, gauges: TimeSeries.Gauges) -> Drift.Verdict? {
        write([series.finish(at: seconds, gauges: gauges)])
        return Drift.verdict(series.history)
    }

    /// Called with each batch of closed intervals' lines (the live metrics keep them for `/series`).
    var onLines: (([TimeSeries.Line]) -> Void)?

    private func write(_ lines: [TimeSeries.Line]) {
        guard !lines.isEmpty else { return }
        onLines?(lines)
        guard let descriptor, failure == nil else { return }
        do { try FileOutput.writeAll(descriptor, Array(lines.map { $0.json.compact + "\n" }.joined().utf8)) } catch {
            failure = .writing(flag: "--timeseries", path: path ?? "", reason: "\(error)")
        }
    }
}

extension TimeSeriesOutput: RecordSink {
    func add(_ record: ResponseRecord, at seconds: Double) {
        completed += 1
        add(record, at: seriesSeconds(seconds), gauges: gauges(seconds, completed))
    }

    var nextTick: Double? { series.openEnd - runOffset + 0.05 }

    /// An interval's line waits 50 ms past its end for records still on their way from the loops.
    func tick(at seconds: Double, completed: Int) {
        advance(to: seriesSeconds(seconds) - 0.05, gauges: gauges(seconds, completed))
    }
}
