import Foundation

extension Merge {
    /// The union as one run's summary, for the console block, the CSV row and the JSON document.
    func summary() throws -> RunSummary {
        let totals = inputs.compactMap(\.totals)
        let latencies = try distribution("latency") { $0.latency }
        let foreignRequests = inputs.filter { $0.totals == nil }.isEmpty ? 0
            : latencies.count - totals.reduce(0) { $0 + $1.requests }
        var statusCodes = CountedKeys<Int>(), errors = CountedKeys<String>(), problems = CountedKeys<String>(), models = CountedKeys<String>()
        for shard in totals {
            for (key, count) in shard.statusCodes { if let code = Int(key) { statusCodes.add(code, count: count) } }
            for (key, count) in shard.errors { errors.add(key, count: count) }
            for (key, count) in shard.problems { problems.add(key, count: count) }
            for (key, count) in shard.models { models.add(key, count: count) }
        }
        let streamed = totals.contains { $0.ttft != nil }
        let streaming = StreamingStatistics(timeToFirstToken: try distribution("ttft") { $0.ttft },
                                            outputTokens: totals.reduce(0) { $0 + ($1.outputTokens ?? 0) })
        let statistics = Statistics(
            total: totals.reduce(0) { $0 + $1.requests } + foreignRequests,
            successful: totals.reduce(0) { $0 + $1.successful } + foreignRequests,
            statusCodes: statusCodes, errors: errors, problems: problems, models: models, latencies: latencies,
            serviceTimes: try distribution("service") { $0.service }, streaming: streaming, byTurn: try turnParts(totals))
        // The union's wall time: from the first shard's start to the last one's end.
        let starts = totals.map(\.startedAtMicroseconds)
        let ends = totals.map { $0.startedAtMicroseconds + Int64($0.seconds * 1e6) }
        let wallSeconds = totals.isEmpty ? 0 : Double((ends.max() ?? 0) - (starts.min() ?? 0)) / 1e6
        let offered = totals.compactMap(\.offeredRate)
        let achieved = totals.compactMap(\.achievedRate)
        let first = totals.first ?? ShardTotals()
        let run = RunDescription(
            apiURL: first.apiURL, assistantID: first.assistantID,
            virtualUsers: inputs.contains { $0.totals == nil } ? 0 : totals.reduce(0) { $0 + $1.vus },
            requestLimit: totals.allSatisfy { $0.requestLimit != nil } && !totals.isEmpty ? totals.reduce(0) { $0 + ($1.requestLimit ?? 0) } : nil,
            durationSeconds: totals.compactMap(\.durationSeconds).max(), timeoutSeconds: first.timeoutSeconds, shard: nil,
            loops: nil, streaming: streamed, offeredRate: offered.isEmpty ? nil : offered.reduce(0, +))
        return RunSummary(run: run, statistics: statistics, startedAtMicroseconds: starts.min() ?? 0,
                          wallSeconds: wallSeconds, embeddingModel: "", interrupted: false,
                          achievedRate: achieved.isEmpty ? nil : achieved.reduce(0, +))
    }

    /// `Merged 3 logs: shards 0/3, 1/3, 2/3; 12 VUs, 1200 requests`.
    func headline(_ summary: RunSummary) -> String {
        let shards = inputs.map { $0.totals?.shard ?? "(another tool's log)" }.joined(separator: ", ")
        let vus = summary.run.virtualUsers > 0 ? "\(summary.run.virtualUsers) VUs, " : ""
        return "Merged \(inputs.count) log\(inputs.count == 1 ? "" : "s"): shards \(shards); \(vus)\(summary.statistics.total) requests\n"
    }
}
