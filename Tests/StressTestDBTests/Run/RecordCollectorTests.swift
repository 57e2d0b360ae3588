@testable import LoadCore
import Foundation
import XCTest
@testable import stress_test_db

/// The record pipeline without sockets: a `ScriptedRunner` hands batches to a real `ResultChannel`, a real
/// `RecordCollector` drives the real sinks on a scripted clock, and the files they write are read back.
final class RecordCollectorTests: XCTestCase {
    private var folder: PipelineFolder!

    override func setUpWithError() throws { folder = try PipelineFolder() }
    override func tearDown() { folder.remove() }

    private func collector(_ runner: ScriptedRunner) throws -> RecordCollector {
        let configuration = try pipelineConfiguration()
        return RecordCollector(runner: runner, responseMaxChars: configuration.outputs.responseMaxChars,
                               trustStatus: configuration.outputs.trustStatus, assistantIDs: configuration.target.assistantIDs,
                               clock: runner.clock.read)
    }

    private static func gauges(_ seconds: Double, _ completed: Int) -> TimeSeries.Gauges {
        TimeSeries.Gauges(target: nil, inFlight: 0, connectionsOpened: nil)
    }

    func testBatchesAreGivenBackAndReused() throws {
        let steps = (1...5).map { step in
            ScriptedRunner.Step.batch(at: Double(step) / 10, (0..<3).map { scriptedResult(at: Double(step) / 10, latency: Double($0)) })
        }
        let runner = ScriptedRunner(steps)
        let statistics = StatisticsSink(serviceLevel: nil, warmupSeconds: 0)
        _ = try collector(runner).run([statistics, runner.pacer], startMicroseconds: ScriptedClock.origin)
        XCTAssertEqual(runner.starts, 1)
        XCTAssertEqual(statistics.statistics.total, 15)
        XCTAssertEqual(runner.pushed.count, 5)
        // Each batch came back once read, so the runner refilled the one batch every time: the collector kept none.
        XCTAssertEqual(Set(runner.pushed.map(ObjectIdentifier.init)).count, 1, "read batches are handed back for reuse")
        XCTAssertTrue(runner.results.takeReturned(producer: 0) === runner.pushed.last, "the last batch is back in the pool")
        XCTAssertNil(runner.results.takeReturned(producer: 0))
    }

    /// Time-series, HDR and live-metrics intervals are written when the scripted clock passes their end
    /// (and its 50 ms grace), not at the end of the run; a late record counts in the open interval.
    func testIntervalsWrittenOnTheScriptedClock() throws {
        let series = try TimeSeriesOutput(intervalSeconds: 1, streaming: false, path: folder.file("series.jsonl"))
        series.begin(at: ScriptedClock.origin, gauges: Self.gauges)
        let hdr = HdrLogOutput(path: folder.file("run.hdr"), intervalSeconds: 1, streaming: false, openModel: false)
        hdr.begin(at: ScriptedClock.origin, shard: "0/1")
        let board = MetricsBoard(streaming: false, gauges: PrometheusText.Gauges(inFlight: 0, thinking: 0, target: 0, connectionsOpened: nil,
                                                                                  version: "test", shard: "0/1", run: "r"))
        let metrics = try MetricsSink(board: board, streaming: false, intervalSeconds: 1)
        metrics.begin(at: ScriptedClock.origin, gauges: Self.gauges)
        var written: [Int] = []
        let check = ScriptedRunner.Step.action { [folder] _ in
            let lines = (try? folder!.lines("series.jsonl").count) ?? -1
            let hdrLines = (try? folder!.hdrIntervals("run.hdr").count) ?? -1
            XCTAssertEqual(lines, hdrLines, "time series and HDR log close the same intervals")
            XCTAssertEqual(board.read().series.count, lines, "the live series publishes the same intervals")
            written.append(lines)
        }
        let runner = ScriptedRunner([
            .batch(at: 0.3, [scriptedResult(at: 0.1, latency: 10), scriptedResult(at: 0.2, latency: 20)]),
            .batch(at: 0.9, [scriptedResult(at: 0.9, latency: 30)]),
            .advance(to: 1.04), check,  // inside the 50 ms grace: interval 1 still open
            .advance(to: 1.06), check,  // past it: written without a record arriving
            .advance(to: 3.1), check,   // two empty intervals: the log has no gaps
            .batch(at: 3.5, [scriptedResult(at: 3.4, latency: 40), scriptedResult(at: 1.5, status: 503, latency: 50)]),
        ])
        let sinks: [any RecordSink] = [series, hdr, metrics, MemoryTrimSink(), runner.pacer]
        _ = try collector(runner).run(sinks, startMicroseconds: ScriptedClock.origin)
        XCTAssertEqual(written, [0, 1, 3])
        XCTAssertNil(series.finish(at: 3.5, gauges: Self.gauges(3.5, 5)), "fewer than six intervals: no drift verdict")
        let lines = try folder.jsonLines("series.jsonl")
        XCTAssertEqual(lines.map { $0["t"] as? Double }, [1, 2, 3, 3.5])
        XCTAssertEqual(lines.map { $0["interval_s"] as? Double }, [1, 1, 1, 0.5], "the last, partial interval")
        XCTAssertEqual(lines.map { $0["requests"] as? Int }, [3, 0, 0, 2], "the late record counts in the open interval")
        XCTAssertEqual((lines[0]["latency_ms"] as? [String: Any])?["p50"] as? Double, 20)
        XCTAssertEqual(lines[3]["status_codes"] as? [String: Int], ["200": 1, "503": 1])
        // The HDR sink's own finish (the collector's) wrote its partial interval at the clock's end.
        let intervals = try folder.hdrIntervals("run.hdr")
        XCTAssertEqual(intervals.map(\.start), [0, 1, 2, 3])
        XCTAssertEqual(intervals.map(\.length), [1, 1, 1, 0.5])
        XCTAssertNil(hdr.failure)
        XCTAssertEqual(board.read().metrics.duration.count, 5, "every record reached the live metrics")
        XCTAssertEqual(board.read().metrics.requests[.init(outcome: "HTTPStatus", status: "503")], 1)
    }

    /// `--responses` cannot be written (the disk filled after the first batch): one clear error, the runner
    /// asked to stop, nothing written past the failure; the records handed over still all counted.
    func testResponsesWriteFailureStopsTheRun() throws {
        let path = folder.file("responses.jsonl")
        let descriptor = try FileOutput.openForAppend(path)
        defer { close(descriptor) }
        let full = open("/dev/full", O_WRONLY)
        try XCTSkipIf(full < 0, "no /dev/full")
        defer { close(full) }
        let runner = ScriptedRunner([
            .batch(at: 0.1, (0..<3).map { scriptedResult(at: 0.1, latency: Double($0)) }),
            .action { _ in _ = dup2(full, descriptor) },  // the disk is full from now on
            .batch(at: 0.2, (0..<2).map { scriptedResult(at: 0.2, latency: Double($0)) }),
            .batch(at: 0.3, [scriptedResult(at: 0.3, latency: 9)]),  // never handed over: the run was stopped
        ], abandonedOnStop: [scriptedResult(at: 0.25, latency: 8, failure: .aborted)])
        let responses = ResponsesSink(descriptor: descriptor, path: path, console: Console())
        let statistics = StatisticsSink(serviceLevel: nil, warmupSeconds: 0)
        _ = try collector(runner).run([statistics, responses, runner.pacer], startMicroseconds: ScriptedClock.origin)
        XCTAssertEqual(runner.stops, 1, "the failed write asked the collector to stop the runner, once")
        let failure = try XCTUnwrap(responses.failure)
        guard case .responsesStopped(path, _) = failure else { return XCTFail("\(failure)") }
        XCTAssertTrue(failure.shownAtOnce)
        XCTAssertTrue("\(failure)".hasPrefix("writing --responses \(path) failed: "), "\(failure)")
        XCTAssertTrue("\(failure)".hasSuffix("the run was stopped so no record goes unwritten"), "\(failure)")
        let written = try folder.jsonLines("responses.jsonl")
        XCTAssertEqual(written.count, 3, "only the batch written before the disk filled")
        XCTAssertEqual(statistics.statistics.total, 6, "every record handed over is counted, the abandoned one too")
        XCTAssertEqual(statistics.statistics.errors["Aborted"], 1)
    }

    /// A sink that cannot write (an HDR log in a missing folder, a time series on a full disk) reports one
    /// error; the other sinks see every record and finish their files.
    func testAFailingSinkLeavesTheOthersWhole() throws {
        let hdrPath = folder.file("missing/run.hdr")
        let hdr = HdrLogOutput(path: hdrPath, intervalSeconds: 1, streaming: false, openModel: false)
        hdr.begin(at: ScriptedClock.origin, shard: "0/1")
        let series = try TimeSeriesOutput(intervalSeconds: 1, streaming: false, path: "/dev/full")
        series.begin(at: ScriptedClock.origin, gauges: Self.gauges)
        let spool = try RawResultsSpool(beside: folder.file("out.json"))
        let descriptor = try FileOutput.openForAppend(folder.file("responses.jsonl"))
        defer { close(descriptor) }
        let runner = ScriptedRunner((1...4).map { second in
            .batch(at: Double(second), [scriptedResult(at: Double(second) - 0.5, latency: 5), scriptedResult(at: Double(second), latency: 6)])
        })
        let responses = ResponsesSink(descriptor: descriptor, path: folder.file("responses.jsonl"), console: Console())
        let statistics = StatisticsSink(serviceLevel: nil, warmupSeconds: 0)
        _ = try collector(runner).run([statistics, hdr, series, spool, responses, runner.pacer], startMicroseconds: ScriptedClock.origin)
        guard case .writing("--hdr", hdrPath, _) = hdr.failure else { return XCTFail("\(String(describing: hdr.failure))") }
        guard case .writing("--timeseries", "/dev/full", _) = series.failure else { return XCTFail("\(String(describing: series.failure))") }
        XCTAssertNil(hdr.stopReason, "a file that cannot be written does not end the run")
        XCTAssertEqual(series.points.count, 4, "the series still closed its intervals (the report's charts)")
        XCTAssertEqual(statistics.statistics.total, 8)
        XCTAssertEqual(try folder.jsonLines("responses.jsonl").count, 8)
        XCTAssertNil(responses.failure)
        XCTAssertEqual(runner.stops, 0)
        XCTAssertEqual(spool.count, 8)
        XCTAssertNil(spool.failure)
    }
}
