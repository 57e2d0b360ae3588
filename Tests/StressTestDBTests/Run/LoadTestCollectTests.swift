@testable import LoadCore
import Foundation
import XCTest
@testable import stress_test_db

/// `LoadTest.collect`, which chooses the sinks from the configuration, fed by a `ScriptedRunner` on a
/// scripted clock: the statistics equal the records pushed, every chosen file is written whole.
final class LoadTestCollectTests: XCTestCase {
    private var folder: PipelineFolder!

    override func setUpWithError() throws { folder = try PipelineFolder() }
    override func tearDown() { folder.remove() }

    private struct Outputs {
        let test: LoadTest
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
        let test = LoadTest(configuration: configuration, console: Console())
        return Outputs(test: test, responses: try FileOutput.openForAppend(configuration.outputs.responsesPath!),
                       spool: try RawResultsSpool(beside: folder.file("\(name).json")),
                       series: try TimeSeriesOutput(intervalSeconds: 1, streaming: false, path: configuration.outputs.timeSeriesPath),
                       hdr: test.hdrOutput)
    }

    private func collect(_ runner: ScriptedRunner, _ outputs: Outputs) -> LoadTest.Collected {
        defer { close(outputs.responses) }
        return outputs.test.collect(from: runner, responses: outputs.responses, spool: outputs.spool, timeSeries: outputs.series,
                                    hdr: outputs.hdr, clock: runner.clock.read)
    }

    func testEveryChosenFileWrittenWholeWithTheLastPartialInterval() throws {
        let outputs = try outputs("run")
        let runner = ScriptedRunner([
            .batch(at: 0.5, [scriptedResult(at: 0.2, latency: 10), scriptedResult(at: 0.5, latency: 20)]),
            .batch(at: 1.5, [scriptedResult(at: 1.2, latency: 30), scriptedResult(at: 1.5, status: 500, latency: 40)]),
            .batch(at: 2.2, [scriptedResult(at: 2.1, latency: 50, failure: .timeout)]),
            .advance(to: 2.5),
        ], freeRunning: true)
        let collected = collect(runner, outputs)
        XCTAssertEqual(collected.statistics.total, 5)
        XCTAssertEqual(try folder.jsonLines("run.jsonl").map { $0["latency_ms"] as? Double }, [10, 20, 30, 40, 50])
        XCTAssertEqual(outputs.spool.count, 5)
        XCTAssertNil(outputs.spool.failure)
        let series = try folder.jsonLines("run-series.jsonl")
        XCTAssertEqual(series.map { $0["t"] as? Double }, [1, 2, 2.5])
        XCTAssertEqual(series.map { $0["interval_s"] as? Double }, [1, 1, 0.5])
        XCTAssertEqual(series.map { $0["requests"] as? Int }, [2, 2, 1])
        XCTAssertEqual(series.map { $0["failed"] as? Int }, [0, 1, 1])
        XCTAssertEqual(collected.timeline.map(\.t), [1, 2, 2.5])
        XCTAssertNil(collected.timeSeriesFailure)
        XCTAssertNil(collected.writeFailure)
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
        var generator = SplitMix(seed: 27)
        records.shuffle(using: &generator)
        let warmup = [scriptedResult(at: 0.2, latency: 999), scriptedResult(at: 0.5, latency: 999, failure: .timeout),
                      scriptedResult(at: 0.9, status: 503, latency: 999)]
        var steps: [ScriptedRunner.Step] = [.batch(at: 0.95, warmup)]
        steps += stride(from: 0, to: 36, by: 6).map { .batch(at: 2, Array(records[$0..<$0 + 6])) }
        let outputs = try outputs("stats", warmup: 1)
        let collected = collect(ScriptedRunner(steps, freeRunning: true), outputs)
        let statistics = collected.statistics
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
            let collected = collect(runner, outputs)
            let expected = 5 * stopAfter + 2
            XCTAssertEqual(runner.stops, 1)
            XCTAssertEqual(collected.statistics.total, expected, "stopped after \(stopAfter) batches")
            XCTAssertEqual(collected.statistics.errors["Aborted"], 2)
            XCTAssertEqual(try folder.jsonLines("\(name).jsonl").count, expected)
            XCTAssertEqual(outputs.spool.count, expected)
            XCTAssertEqual(try folder.jsonLines("\(name)-series.jsonl").reduce(0) { $0 + ($1["requests"] as? Int ?? 0) }, expected)
            XCTAssertEqual(try folder.hdrIntervals("\(name).hdr").last?.start, Double(Int(runner.clock.read() - ScriptedClock.origin) / 1_000_000))
        }
    }
}

/// A seeded generator, so a shuffled order is the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
