import DequeModule
import Foundation
import Synchronization

/// What a scrape reads: the metrics and gauges as of the consumer's last batch, and the time-series
/// lines so far (at most a day's). The consumer replaces it under the lock; a scrape copies it (the
/// copy shares storage until the next write), so neither waits for more than that.
final class MetricsBoard: Sendable {
    struct Snapshot {
        var metrics: LiveMetrics
        var gauges: PrometheusText.Gauges
        var series: Deque<String> = []
    }

    private let snapshot: Mutex<Snapshot>

    init(streaming: Bool, gauges: PrometheusText.Gauges) {
        snapshot = Mutex(Snapshot(metrics: LiveMetrics(streaming: streaming), gauges: gauges))
    }

    func read() -> Snapshot { snapshot.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) { snapshot.withLock { change(&$0) } }

    var metricsText: String {
        let now = read()
        return PrometheusText.render(now.metrics, now.gauges)
    }

    /// `GET /series`: the lines of SPEC 13 so far, a JSON array.
    var seriesJSON: String { "[" + read().series.joined(separator: ",") + "]" }
}

/// `--metrics`: the record pipeline's sink behind the listener. Counters and histograms are updated per
/// record on the consumer thread and published to the board after each batch; an in-memory time series
/// (`--interval`, or 2 s) feeds the live dashboard. One for the whole session: a sweep's levels add up.
final class MetricsSink: RecordSink {
    /// A day of intervals at most, so a long soak's dashboard does not grow the process.
    static let keptSeconds = 86_400.0
    static let defaultInterval = 2.0
    let board: MetricsBoard
    private var metrics: LiveMetrics
    private let series: TimeSeriesOutput
    private var gauges: (Double, Int) -> TimeSeries.Gauges = { _, _ in TimeSeries.Gauges(target: nil, inFlight: 0, connectionsOpened: nil) }
    private var completed = 0
    private let keptLines: Int
    /// Interval lines closed since the last publication, as JSON.
    private var pending: [String] = []

    init(board: MetricsBoard, streaming: Bool, intervalSeconds: Double?) throws {
        self.board = board
        metrics = LiveMetrics(streaming: streaming)
        let interval = intervalSeconds ?? Self.defaultInterval
        series = try TimeSeriesOutput(intervalSeconds: interval, streaming: streaming, path: nil)
        keptLines = Int(Self.keptSeconds / interval) + 1
        // Unowned: the sink alone holds `series` (private) and only its own calls make `series` run this hook.
        series.onLines = { [unowned self] lines in pending += lines.map { $0.json.compact } }
    }

    /// A measurement starts at `microseconds` (wall clock) with these gauges.
    func begin(at microseconds: Int64, gauges: @escaping (Double, Int) -> TimeSeries.Gauges) {
        series.begin(at: microseconds, gauges: gauges)
        self.gauges = gauges
        completed = 0
    }

    /// Per record, only the sink's own values: the board is written once a batch, in `tick`.
    func add(_ record: ResponseRecord, at seconds: Double) {
        completed += 1
        metrics.add(record)
        series.add(record, at: seconds)
    }

    var nextTick: Double? { series.nextTick }

    func tick(at seconds: Double, completed: Int) {
        series.tick(at: seconds, completed: completed)
        publish(at: seconds)
    }

    func finish(at seconds: Double, completed: Int) { publish(at: seconds) }

    private func publish(at seconds: Double) {
        let now = gauges(seconds, completed)
        let (json, metrics) = (pending, metrics)
        pending.removeAll(keepingCapacity: true)
        board.update { snapshot in
            snapshot.metrics = metrics
            snapshot.gauges.inFlight = now.inFlight
            snapshot.gauges.thinking = now.thinking ?? 0
            snapshot.gauges.target = now.target ?? 0
            snapshot.gauges.connectionsOpened = now.connectionsOpened
            snapshot.series.append(contentsOf: json)
            if snapshot.series.count > keptLines { snapshot.series.removeFirst(snapshot.series.count - keptLines) }
        }
    }
}
