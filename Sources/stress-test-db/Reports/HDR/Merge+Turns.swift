extension Merge {
    /// SPEC 24's `by_turn` of the union: each turn bucket's counts added from the shards' totals, its
    /// latencies (and TTFT) from the `turn-…` (`ttft-turn-…`) histograms; the moments come from the
    /// histograms (the totals carry none per turn), so mean and stdev are to 3 significant digits.
    func turnParts(_ totals: [ShardTotals]) throws -> [Int: Statistics.Part] {
        var parts: [Int: Statistics.Part] = [:]
        for shard in totals {
            for (label, count) in shard.turnRequests {
                guard let bucket = Statistics.turnBucket(label: label) else { continue }
                parts[bucket, default: Statistics.Part()].total += count
            }
            for (label, count) in shard.turnSuccessful {
                guard let bucket = Statistics.turnBucket(label: label) else { continue }
                parts[bucket, default: Statistics.Part()].successful += count
            }
        }
        for bucket in parts.keys {
            let label = Statistics.turnLabel(bucket)
            parts[bucket]!.latencies = try distribution("turn-" + label) { _ in nil }
            parts[bucket]!.timesToFirstToken = try distribution("ttft-turn-" + label) { _ in nil }
        }
        return parts
    }
}
