/// SPEC 24's chart in the HTML report: latency p50/p95/p99 by turn (and TTFT by turn when the run
/// streamed), one point a turn, `7+` the last; so a slow turn 6 shows at a glance.
extension HTMLReport {
    /// The turns to draw: a run's `by_turn` when it held conversations (a turn after the first), else none.
    static func turns(_ statistics: Statistics) -> [(bucket: Int, label: String, part: Statistics.Part)] {
        statistics.hasLaterTurns ? statistics.turns : []
    }

    var turnCharts: [(String, SVGChart)] {
        guard !turns.isEmpty else { return [] }
        let categories = turns.map { (Double($0.bucket), $0.label) }
        func lines(_ distribution: (Statistics.Part) -> LatencyDistribution, prefix: String) -> [SVGChart.Series] {
            let summaries = turns.map { (Double($0.bucket), distribution($0.part).summary()) }
            return [("p50", "#0969da", \LatencySummary.median), ("p95", "#bf8700", \LatencySummary.p95), ("p99", "#cf222e", \LatencySummary.p99)]
                .map { name, color, key in
                    SVGChart.Series(name: prefix + name, color: color,
                                    points: summaries.compactMap { turn, summary in summary.map { (turn, $0[keyPath: key]) } }, dots: true)
                }
        }
        var charts = [("Latency by turn", SVGChart(title: "Latency percentiles by turn of the conversation", xLabel: "turn", yLabel: "ms",
                                                   series: lines({ $0.latencies }, prefix: ""), categories: categories))]
        if turns.contains(where: { $0.part.timesToFirstToken.count > 0 }) {
            charts.append(("Time to first token by turn", SVGChart(
                title: "TTFT percentiles by turn of the conversation", xLabel: "turn", yLabel: "ms",
                series: lines({ $0.timesToFirstToken }, prefix: "TTFT "), categories: categories)))
        }
        return charts
    }
}
