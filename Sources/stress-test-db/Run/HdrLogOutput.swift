import Foundation
import HdrLog
import Histogram

/// `--hdr FILE` during a run: each record's latency (and TTFT, service time where measured; per turn
/// bucket where records carry a turn, `turn-1` … `turn-7+`, `ttft-turn-…`) into its interval's HdrHistogram, in microseconds at 3 significant digits; each interval's lines
/// appended as soon as it is over, so a kill leaves every closed interval. When the run ends, the
/// `#[stress-test-db ...]` line is rewritten with the totals `merge` needs.
final class HdrLogOutput {
    /// An hour in microseconds: a longer value is counted at this one.
    static let highestTrackableValue: UInt64 = 3_600_000_000
    private let path: String
    private let intervalSeconds: Double
    private var descriptor: Int32 = -1
    private var tags: [String]
    private let ttftTag: Int?
    private let serviceTag: Int?
    /// Per turn bucket (SPEC 24), each tag added when its first record arrives.
    private var turnTags: [Int: Int] = [:]
    private var turnTTFTTags: [Int: Int] = [:]
    /// When the open interval ends, in seconds of the run.
    private(set) var openEnd: Double
    private var histograms: [Histogram<UInt64>]
    private var openIndex = 0
    /// Why the log could not be written, if it could not (shown after the results).
    private(set) var failure: RunFailure?

    init(path: String, intervalSeconds: Double, streaming: Bool, openModel: Bool) {
        self.path = path
        self.intervalSeconds = intervalSeconds
        tags = ["latency"] + (streaming ? ["ttft"] : []) + (openModel ? ["service"] : [])
        ttftTag = tags.firstIndex(of: "ttft")
        serviceTag = tags.firstIndex(of: "service")
        openEnd = intervalSeconds
        histograms = tags.map { _ in
            Histogram<UInt64>(highestTrackableValue: Self.highestTrackableValue, numberOfSignificantValueDigits: .three)
        }
    }

    /// `--hdr`'s log for a run, if asked for.
    static func forRun(_ outputs: Configuration.Outputs, streaming: Bool, openModel: Bool) -> HdrLogOutput? {
        guard let path = outputs.hdrPath, let interval = outputs.intervalSeconds else { return nil }
        return HdrLogOutput(path: path, intervalSeconds: interval, streaming: streaming, openModel: openModel)
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// Writes the header: the run's start and, until the totals replace it, `state=running` and the shard.
    func begin(at startMicroseconds: Int64, shard: String) {
        do {
            try FileOutput.write(path, contents: HdrLogFormat.header(startTime: Double(startMicroseconds) / 1e6,
                                                                     metadata: [("state", "running"), ("shard", shard)]), append: false)
            descriptor = try FileOutput.openForAppend(path)
        } catch {
            failure = writing(error)
        }
    }

    private func writing(_ error: any Error) -> RunFailure { .writing(flag: "--hdr", path: path, reason: "\(error)") }

    /// A record completed `seconds` into the run; one that arrives after its interval was written
    /// counts in the open one, as in the time series.
    func add(_ record: ResponseRecord, at seconds: Double) {
        if seconds >= openEnd { advance(to: seconds) }
        count(0, record.latencyMilliseconds)
        if let index = ttftTag, record.success, let ttft = record.stream?.timeToFirstTokenMilliseconds { count(index, ttft) }
        if let index = serviceTag, record.startLagMilliseconds != nil { count(index, record.serviceMilliseconds) }
        if let turn = record.turn {
            let bucket = Statistics.turnBucket(turn)
            count(tag(&turnTags, bucket, "turn-"), record.latencyMilliseconds)
            if ttftTag != nil, record.success, let ttft = record.stream?.timeToFirstTokenMilliseconds {
                count(tag(&turnTTFTTags, bucket, "ttft-turn-"), ttft)
            }
        }
    }

    /// The index of a turn bucket's tag, added (with its histogram) the first time.
    private func tag(_ indexes: inout [Int: Int], _ bucket: Int, _ prefix: String) -> Int {
        if let index = indexes[bucket] { return index }
        tags.append(prefix + Statistics.turnLabel(bucket))
        histograms.append(Histogram<UInt64>(highestTrackableValue: Self.highestTrackableValue, numberOfSignificantValueDigits: .three))
        indexes[bucket] = tags.count - 1
        return tags.count - 1
    }

    private func count(_ tag: Int, _ milliseconds: Double) {
        let microseconds = UInt64(max(0, (milliseconds * 1000).rounded()))
        histograms[tag].record(min(microseconds, Self.highestTrackableValue))
    }

    /// Writes every interval over by `seconds` (empty ones too: the log has no gaps).
    func advance(to seconds: Double) {
        while seconds >= openEnd { write(length: intervalSeconds) }
    }

    /// The last, partial interval, ending when the run did.
    func finish(at seconds: Double) {
        advance(to: seconds)
        write(length: max(0, seconds - Double(openIndex) * intervalSeconds))
    }

    private func write(length: Double) {
        let start = Double(openIndex) * intervalSeconds
        var text = ""
        for (index, tag) in tags.enumerated() {
            do {
                text += try HdrLogFormat.line(tag: tag, start: start, length: length, histogram: HdrCodec.decoded(histograms[index]))
            } catch {
                failure = failure ?? writing(error)
            }
            histograms[index].reset()
        }
        openIndex += 1
        openEnd = Double(openIndex + 1) * intervalSeconds
        guard failure == nil, descriptor >= 0 else { return }
        do { try FileOutput.writeAll(descriptor, Array(text.utf8)) } catch { failure = writing(error) }
    }

    /// Puts the run's totals in the stress-test-db line: the log is rewritten beside itself and
    /// renamed over, so a reader never sees half a file.
    func writeTotals(_ totals: ShardTotals) {
        guard failure == nil else { return }
        do {
            guard let text = try FileOutput.readText(path) else { throw FileError("it disappeared") }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix(HdrLogFormat.commentPrefix) ? Substring(HdrLogFormat.commentLine(totals.pairs)) : line
            }
            try FileOutput.write(path, contents: lines.joined(separator: "\n"), append: false)
        } catch {
            failure = writing(error)
        }
    }
}
