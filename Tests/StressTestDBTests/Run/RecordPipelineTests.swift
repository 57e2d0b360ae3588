@testable import LoadCore
import Foundation
import XCTest
@testable import stress_test_db

/// `RecordPipeline`, which chooses the sinks from the configuration and makes the summary, fed by a
/// `ScriptedRunner` on a scripted clock: the statistics equal the records pushed, every chosen file is
/// written whole, a sink that cannot go on stops the runner through the pipeline.
final class RecordPipelineTests: XCTestCase {
    private var folder: PipelineFolder!

    override func setUpWithError() throws { folder = try PipelineFolder() }
    override func tearDown() { folder.remove() }

    private struct Outputs {
        let configuration: Configuration
        let responses: Int32
        let spool: RawResultsSpool
        let series: TimeSeriesOutput
        let hdr: HdrLogOutput?
    }

    /// `--responses`, `--output`, `--timeseries`, `--hdr` and `--interval 1` in `folder`, opened as `RunSession` opens them.
    private func outputs(_ name: String, warmup: Double = 0) throws -> Outputs {
        var configuration = try pipelineConfiguration()
        configuration.load.warmupSeconds = warmup
        configuration.outputs.responsesPath = folder.file("\(name).jsonl")
        configuration.outputs.timeSeriesPath = folder.file("\(name)-series.jsonl")
        configuration.outputs.hdrPath = folder.file("\(name).hdr")
        configuration.outputs.intervalSeconds = 1
        return Outputs(configuration: configuration, responses: try FileOutput.openForAppend(configuration.outputs.responsesPath!),
                       spool: try RawResultsSpool(beside: folder.file("\(name).json")),
                       series: try TimeSeriesOutput(intervalSeconds: 1, streaming: false, path: configuration.outputs.timeSeriesPath),
                       hdr: HdrLogOutput.forRun(configuration.outputs, streaming: false, openModel: false))
    }

    private func collect(_ runner: ScriptedRunner, _ outputs: Outputs) -> stress_test_db.Measurement {
        defer { close(outputs.responses) }
        return pipeline(outputs, clock: runner.clock).measure(runner)
    }

    /// The pipeline `RunSession.pipeline` makes, on the scripted clock and without signals.
    private func pipeline(_ outputs: Outputs, clock: ScriptedClock) -> RecordPipeline {
        let shared = RecordPipeline.Shared(responses: (outputs.responses, outputs.configuration.outputs.responsesPath!),
                                           timeSeries: outputs.series)
        var pipeline = RecordPipeline(outputs.configuration, shared: shared, console: Console())
        (pipeline.hdr, pipeline.spool, pipeline.clock) = (outputs.hdr, outputs.spool, clock.read)
        return pipeline
    }

    func testEveryChosenFileWrittenWholeWithTheLastPartialInterval() throws {
        let outputs = try outputs("run")
        let runner = ScriptedRunner([
            .batch(at: 0.5, [scriptedResult(at: 0.2, latency: 10), scriptedResult(at: 0.5, latency: 20)]),
            .batch(at: 1.5, [scriptedResult(at: 1.2, latency: 30), scriptedResult(at: 1.5, status: 500, latency: 40)]),
            .batch(at: 2.2, [scriptedResult(at: 2.1, latency: 50, failure: .timeout)]),
            .advance(to: 2.5),
        ], freeRunning: true)
        let measured = collect(runner, outputs)
        XCTAssertEqual(measured.summary.statistics.total, 5)
        XCTAssertEqual(try folder.jsonLines("run.jsonl").map { $0["latency_ms"] as? Double }, [10, 20, 30, 40, 50])
        XCTAssertEqual(outputs.spool.count, 5)
        XCTAssertNil(outputs.spool.failure)
        let series = try folder.jsonLines("run-series.jsonl")
        XCTAssertEqual(series.map { $0["t"] as? Double }, [1, 2, 2.5])
        XCTAssertEqual(series.map { $0["interval_s"] as? Double }, [1, 1, 0.5])
        XCTAssertEqual(series.map { $0["requests"] as? Int }, [2, 2, 1])
        XCTAssertEqual(series.map { $0["failed"] as? Int }, [0, 1, 1])
        XCTAssertEqual(measured.timeline.map(\.t), [1, 2, 2.5])
        XCTAssertNil(measured.timeSeriesFailure)
        XCTAssertNil(measured.responsesFailure)
        let intervals = try folder.hdrIntervals("run.hdr")
        XCTAssertEqual(intervals.map(\.start), [0, 1, 2])
        XCTAssertEqual(intervals.map(\.length), [1, 1, 0.5])
        XCTAssertEqual(runner.stops, 0)
    }

    /// Counts per status and error, and the percentiles, against a list worked out by hand; the warm-up's
    /// records are left out of the statistics but not out of the files.
    func testStatisticsEqualTheRecordsPushed() throws {
        // 30 successes of 1...30 ms; 500 twice, 429 once, two time-outs, one refused connection.
        var records = (1...30).map { scriptedResult(at: 1 + Double($0) / 100, latency: Double($0)) }
        records += [scriptedResult(at: 1.4, status: 500, latency: 40), scriptedResult(at: 1.5, status: 500, latency: 50),
                    scriptedResult(at: 1.6, status: 429, latency: 60), scriptedResult(at: 1.7, latency: 100, failure: .timeout),
                    scriptedResult(at: 1.8, latency: 110, failure: .timeout), scriptedResult(at: 1.9, latency: 0.5, failure: .connectionRefused)]
        // Handed over out of order, in six batches, plus three records inside the one-second warm-up.
        var generator = SplitMix64(seed: 27)
        records.shuffle(using: &generator)
        let warmup = [scriptedResult(at: 0.2, latency: 999), scriptedResult(at: 0.5, latency: 999, failure: .timeout),
                      scriptedResult(at: 0.9, status: 503, latency: 999)]
        var steps: [ScriptedRunner.Step] = [.batch(at: 0.95, warmup)]
        steps += stride(from: 0, to: 36, by: 6).map { .batch(at: 2, Array(records[$0..<$0 + 6])) }
        let outputs = try outputs("stats", warmup: 1)
        let statistics = collect(ScriptedRunner(steps, freeRunning: true), outputs).summary.statistics
        XCTAssertEqual(statistics.total, 36)
        XCTAssertEqual(statistics.successful, 30)
        XCTAssertEqual(statistics.statusCodes.counts, [200: 30, 500: 2, 429: 1, 0: 3])
        XCTAssertEqual(statistics.errors.counts, ["Timeout": 2, "ConnectionRefused": 1])
        // Sorted: 0.5, 1...30, 40, 50, 60, 100, 110. Nearest rank by floor index: p95 = [Int(36 * 0.95)] = [34].
        let summary = try XCTUnwrap(statistics.latencySummary())
        XCTAssertEqual(summary.min, 0.5)
        XCTAssertEqual(summary.max, 110)
        XCTAssertEqual(summary.median, 17.5)
        XCTAssertEqual(summary.p95, 100)
        XCTAssertEqual(summary.p99, 110)
        XCTAssertEqual(summary.mean, 825.5 / 36, accuracy: 1e-9)
        XCTAssertEqual(try folder.jsonLines("stats.jsonl").count, 39, "the files keep the warm-up's records")
        XCTAssertEqual(outputs.spool.count, 39)
    }

    /// Ctrl-C while batches are on their way (the runner's own thread calls `stop()` at a different point
    /// each time): every record handed over before the channel closed, the abandoned ones too, is counted
    /// and written, and every file is whole.
    func testCtrlCMidRunKeepsEveryRecordHandedOver() throws {
        for stopAfter in 0...8 {
            var steps: [ScriptedRunner.Step] = (1...8).map { batch in
                .batch(at: Double(batch) * 0.3, (0..<5).map { scriptedResult(at: Double(batch) * 0.3, latency: Double($0), user: $0) })
            }
            steps.insert(.action { $0.stop() }, at: stopAfter)
            let abandoned = [scriptedResult(at: 0.05, latency: 7, failure: .aborted), scriptedResult(at: 0.05, latency: 8, failure: .aborted)]
            let runner = ScriptedRunner(steps, abandonedOnStop: abandoned, freeRunning: true, onItsOwnThread: true)
            let name = "stop\(stopAfter)"
            let outputs = try outputs(name)
            let statistics = collect(runner, outputs).summary.statistics
            let expected = 5 * stopAfter + 2
            XCTAssertEqual(runner.stops, 1)
            XCTAssertEqual(statistics.total, expected, "stopped after \(stopAfter) batches")
            XCTAssertEqual(statistics.errors["Aborted"], 2)
            XCTAssertEqual(try folder.jsonLines("\(name).jsonl").count, expected)
            XCTAssertEqual(outputs.spool.count, expected)
            XCTAssertEqual(try folder.jsonLines("\(name)-series.jsonl").reduce(0) { $0 + ($1["requests"] as? Int ?? 0) }, expected)
            XCTAssertEqual(try folder.hdrIntervals("\(name).hdr").last?.start, Double(Int(runner.clock.read() - ScriptedClock.origin) / 1_000_000))
        }
    }

    /// `--responses` on a full disk: the sink shows the failure and asks to end the run; the pipeline (not
    /// the sink, which holds no runner) stops the runner, once; every record handed over is still counted
    /// and written to the other files, and the measurement carries the typed failure.
    func testAResponsesFailureStopsTheRunnerThroughThePipeline() throws {
        let full = open("/dev/full", O_WRONLY)
        try XCTSkipIf(full < 0, "no /dev/full")
        let outputs = try outputs("full")
        _ = dup2(full, outputs.responses)
        close(full)
        let runner = ScriptedRunner((1...3).map { batch in
            .batch(at: Double(batch) * 0.4, (0..<4).map { scriptedResult(at: Double(batch) * 0.4, latency: Double($0)) })
        }, freeRunning: true)
        let measured = collect(runner, outputs)
        XCTAssertEqual(runner.stops, 1, "asked once, though every later tick still sees the failure")
        guard case .responsesStopped(outputs.configuration.outputs.responsesPath!, _) = measured.responsesFailure else {
            return XCTFail("\(String(describing: measured.responsesFailure))")
        }
        XCTAssertEqual(measured.summary.statistics.total, 12)
        XCTAssertEqual(outputs.spool.count, 12)
        XCTAssertNil(measured.runnerFailure, "a stop asked for is not the runner's failure")
    }

    /// A sink that cannot write (the HDR log in a folder that is not there, the time series on a full disk)
    /// does not end the run: the measurement carries its typed failure, the other files are whole.
    func testAFailingSinkIsReportedAndTheRunGoesOn() throws {
        var configuration = try pipelineConfiguration()
        configuration.outputs.hdrPath = folder.file("missing/run.hdr")
        configuration.outputs.intervalSeconds = 1
        let series = try TimeSeriesOutput(intervalSeconds: 1, streaming: false, path: "/dev/full")
        let hdr = HdrLogOutput.forRun(configuration.outputs, streaming: false, openModel: false)
        var pipeline = RecordPipeline(configuration, shared: RecordPipeline.Shared(timeSeries: series), console: Console())
        let runner = ScriptedRunner((1...4).map { second in .batch(at: Double(second), [scriptedResult(at: Double(second), latency: 5)]) },
                                    freeRunning: true)
        (pipeline.hdr, pipeline.clock) = (hdr, runner.clock.read)
        let measured = pipeline.measure(runner)
        guard case .writing("--timeseries", "/dev/full", _) = measured.timeSeriesFailure else {
            return XCTFail("\(String(describing: measured.timeSeriesFailure))")
        }
        guard case .writing("--hdr", folder.file("missing/run.hdr"), _) = hdr?.failure else {
            return XCTFail("\(String(describing: hdr?.failure))")
        }
        XCTAssertEqual(runner.stops, 0)
        XCTAssertEqual(measured.summary.statistics.total, 4)
        XCTAssertEqual(measured.timeline.last?.t, 4, "the series still closed its intervals to the run's end (the report's charts)")
    }

    /// The summary the pipeline makes: the configuration's thresholds judged on the statistics, the
    /// runner's own numbers, no signal.
    func testTheSummaryJudgesTheThresholds() throws {
        var configuration = try pipelineConfiguration()
        configuration.checks.thresholds = [try Threshold.parse("p95<10ms"), try Threshold.parse("error_rate<=50%")]
        let runner = ScriptedRunner([.batch(at: 1, [scriptedResult(at: 1, latency: 5), scriptedResult(at: 1, latency: 50)])],
                                    freeRunning: true)
        var pipeline = RecordPipeline(configuration, shared: RecordPipeline.Shared(embeddingModel: "m"), console: Console())
        pipeline.clock = runner.clock.read
        let measured = pipeline.measure(runner)
        XCTAssertEqual(measured.summary.thresholds.map(\.passed), [false, true])
        XCTAssertEqual(measured.summary.embeddingModel, "m")
        XCTAssertFalse(measured.summary.interrupted)
        XCTAssertEqual(measured.connectionsOpened, 3)
        XCTAssertEqual(runner.starts, 1)
    }
}
