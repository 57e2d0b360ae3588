import Foundation
import HdrLog

/// What `merge` takes in: whole logs of one run and one shard set. Each log has our
/// `#[stress-test-db ...]` line with readable totals, or is another tool's log with histograms; our
/// logs hold at least their totals' requests; one N, each shard once, one run.
extension Merge {
    static func read(_ path: String) throws -> Input {
        let text = try InputFile.text(path, label: path)
        let log: HdrLogFormat.Log
        do { log = try HdrLogFormat.parse(text) } catch { throw FileError("\(path) is not an HdrHistogram log: \(error).") }
        let totals = try ShardTotals(log.metadata, source: path)
        let counted = try latencies(in: log, path: path)
        guard let totals else {
            guard !log.intervals.isEmpty else {
                throw FileError("\(path) has neither a #[stress-test-db ...] line nor a histogram: an empty or cut-short log, "
                    + "or not an HdrHistogram log.")
            }
            return Input(path: path, log: log, totals: nil)
        }
        // A warm-up's requests are in the histograms, not in the totals: more is fine, fewer is a cut.
        guard counted >= UInt64(totals.requests) else {
            throw FileError("\(path) holds \(counted) latencies but its totals say \(totals.requests) requests: the log was cut short.")
        }
        return Input(path: path, log: log, totals: totals)
    }

    /// The log's latency count (untagged intervals count as latency), refusing sums no run reaches.
    static func latencies(in log: HdrLogFormat.Log, path: String) throws -> UInt64 {
        var all: UInt64 = 0, latency: UInt64 = 0
        for interval in log.intervals {
            for (_, count) in interval.histogram.counts {
                let (sum, overflow) = all.addingReportingOverflow(count)
                guard !overflow, sum <= UInt64(RecordFields.maximumCount) else {
                    throw FileError("\(path)'s histograms count more values than any run records: a damaged log.")
                }
                all = sum
                if (interval.tag ?? "latency") == "latency" { latency += count }
            }
        }
        return latency
    }

    /// One N, each shard once, one run; a missing shard is a warning (the merge is of the shards given).
    static func checkShards(_ inputs: [Input]) throws -> [String] {
        let ours = inputs.compactMap { input in input.totals.map { (path: input.path, totals: $0) } }
        let parts = ours.map { (path: $0.path, shard: ShardTotals.shardParts($0.totals.shard)!) }
        if let first = parts.first, let other = parts.first(where: { $0.shard.count != first.shard.count }) {
            throw FileError("\(first.path) is shard \(first.shard.index)/\(first.shard.count) but \(other.path) is "
                + "\(other.shard.index)/\(other.shard.count): the logs are of different shard sets.")
        }
        for (index, part) in parts.enumerated() {
            if let twice = parts[..<index].first(where: { $0.shard.index == part.shard.index }) {
                throw FileError("shard \(part.shard.index)/\(part.shard.count) is given twice (\(twice.path), \(part.path)): each shard's log once.")
            }
        }
        if let first = ours.first(where: { $0.totals.run != nil }),
           let other = ours.first(where: { $0.totals.run != nil && $0.totals.run != first.totals.run }) {
            throw FileError("\(first.path) and \(other.path) are logs of different runs (run=\(first.totals.run!), run=\(other.totals.run!)): "
                + "their targets or settings differ.")
        }
        guard let count = parts.first?.shard.count else { return [] }
        let missing = Set(0..<count).subtracting(parts.map(\.shard.index)).sorted()
        guard !missing.isEmpty else { return [] }
        return ["Warning: shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) "
            + "missing: the merged results are those of \(parts.count) of \(count) shards."]
    }
}
