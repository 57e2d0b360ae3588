import Foundation
import HdrLog
import Histogram

/// `stress-test-db merge`: several shards' `--hdr` logs as one run. Counts are added exactly; each
/// tag's histograms are added bucket for bucket (HdrHistogram's merge is lossless at equal
/// precision), so percentiles are those of one histogram of every request, to 3 significant digits;
/// mean, stdev, min and max are exact from the shards' moments. A log written by another tool has
/// no totals: its requests count as successful and its moments come from its histogram.
struct Merge {
    struct Input {
        var path: String
        var log: HdrLogFormat.Log
        var totals: ShardTotals?
    }

    let inputs: [Input]
    /// What the merge could not check or had to leave out (a missing shard), for stderr.
    let warnings: [String]

    init(paths: [String]) throws {
        let inputs = try paths.map(Self.read)
        warnings = try Self.checkShards(inputs)
        self.inputs = inputs
    }

    /// Every interval of `tag` in every log, added; untagged intervals count as `latency`.
    func histogram(_ tag: String) throws -> Histogram<UInt64>? {
        var merged: Histogram<UInt64>?
        var first: (path: String, layout: HdrLayout)?
        for input in inputs {
            for interval in input.log.intervals where (interval.tag ?? "latency") == tag {
                let layout = interval.histogram.layout
                if let first, first.layout != layout {
                    throw FileError("\(input.path)'s histograms (\(layout.significantDigits) digits, unit \(layout.lowestDiscernibleValue)) "
                        + "cannot be merged exactly with \(first.path)'s (\(first.layout.significantDigits) digits, unit \(first.layout.lowestDiscernibleValue)).")
                }
                first = first ?? (input.path, layout)
                // Each interval's counts straight into one histogram (a histogram an interval costs its whole bucket array).
                if merged == nil { merged = interval.histogram.histogram() } else {
                    for (index, count) in interval.histogram.counts { merged!.record(layout.lowestValue(at: index), count: count) }
                }
            }
        }
        return merged
    }

    /// A tag's merged distribution in milliseconds: its buckets (each at the highest value it
    /// stands for, within the exact extremes) and the shards' exact moments when every log has them.
    func distribution(_ tag: String, moments exact: (ShardTotals) -> Moments?) throws -> LatencyDistribution {
        guard let histogram = try histogram(tag), histogram.totalCount > 0 else { return LatencyDistribution() }
        let parts = inputs.map { $0.totals.flatMap(exact) }
        var moments = Moments()
        if parts.allSatisfy({ $0 != nil }) {
            for part in parts { moments.merge(part!) }
        } else {
            for value in histogram.recordedValues() {
                let milliseconds = Double(histogram.medianEquivalentForValue(value.value)) / 1000
                let count = Int(value.count)
                moments.merge(Moments(count: count, sum: milliseconds * Double(count), min: milliseconds, max: milliseconds,
                                      mean: milliseconds, squaredDeviations: 0))
            }
        }
        let counts = histogram.recordedValues().map { value -> (milliseconds: Double, count: Int) in
            let highest = Double(histogram.highestEquivalentForValue(value.value)) / 1000
            return (min(max(highest, moments.min), moments.max), Int(value.count))
        }
        return LatencyDistribution(moments: moments, counts: counts)
    }
}
