import Foundation

/// SPEC section 15: one self-contained HTML file (inline CSS and SVG; no script, font, image or style
/// from any URL), readable on a phone and a projector, with the console's own numbers.
struct HTMLReport {
    struct SweepPoint {
        var level: Double
        var rps: Double
        var p95: Double?
    }

    var title: String
    /// The console's RESULTS block and the lines after it, verbatim.
    var consoleText: String
    var keyFigures: [(label: String, value: String)]
    var latency: LatencyDistribution?
    var streaming: StreamingStatistics?
    var timeline: [TimeSeries.Point] = []
    var sweep: [SweepPoint] = []
    var sweepByRate = false
    var sweepCapacity: Double?
    var sweepP95Limit: Double?
    /// Where the run held conversations: its turns (SPEC 24), else empty and no section.
    var turns: [(bucket: Int, label: String, part: Statistics.Part)] = []

    static let style = """
        body{font:16px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:980px;padding:12px;color:#1b1f24;background:#fff}
        h1{font-size:1.5em;margin:.4em 0}h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:1px solid #d0d7de}
        .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px}
        .figure{border:1px solid #d0d7de;border-radius:6px;padding:8px}.figure b{display:block;font-size:1.4em}
        pre{background:#f6f8fa;padding:10px;overflow-x:auto;font-size:13px}
        svg.chart{width:100%;height:auto;font-size:11px}svg .title{font-size:13px;font-weight:600}
        svg .grid{stroke:#eaeef2}svg .axis{stroke:#57606a}svg .marker{stroke:#cf222e;stroke-dasharray:4 3}svg .mark{fill:#cf222e}
        @media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}pre{background:#161b22}svg text{fill:#e6edf3}svg .grid{stroke:#30363d}}
        """

    var html: String {
        var body = "<h1>\(HTMLText.escape(title))</h1>\n<div class=\"figures\">"
        for figure in keyFigures {
            body += "<div class=\"figure\">\(HTMLText.escape(figure.label))<b>\(HTMLText.escape(figure.value))</b></div>"
        }
        body += "</div>\n<h2>Summary</h2>\n<pre>\(HTMLText.escape(consoleText))</pre>\n"
        for (heading, chart) in charts { body += "<h2>\(HTMLText.escape(heading))</h2>\n\(chart.svg)\n" }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>\(HTMLText.escape(title))</title><style>\(Self.style)</style></head>
            <body>
            \(body)</body></html>

            """
    }

    private var charts: [(String, SVGChart)] {
        var charts: [(String, SVGChart)] = []
        if !timeline.isEmpty {
            let series = [("p50", "#0969da", \TimeSeries.Point.p50), ("p95", "#bf8700", \TimeSeries.Point.p95), ("p99", "#cf222e", \TimeSeries.Point.p99)]
                .map { name, color, key in
                    SVGChart.Series(name: name, color: color, points: timeline.compactMap { point in point[keyPath: key].map { (point.t, $0) } })
                }
            charts.append(("Latency over time", SVGChart(title: "Latency per interval", xLabel: "seconds", yLabel: "ms", series: series)))
            charts.append(("Throughput and errors over time", SVGChart(
                title: "Requests per second and failures per interval", xLabel: "seconds", yLabel: "per interval",
                series: [SVGChart.Series(name: "req/s", color: "#1a7f37", points: timeline.map { ($0.t, $0.rps) }),
                         SVGChart.Series(name: "failed", color: "#cf222e", points: timeline.map { ($0.t, Double($0.failed)) })])))
            if timeline.contains(where: { $0.ttftP95 != nil }) {
                charts.append(("Time to first token over time", SVGChart(
                    title: "TTFT p95 per interval", xLabel: "seconds", yLabel: "ms",
                    series: [SVGChart.Series(name: "TTFT p95", color: "#8250df",
                                             points: timeline.compactMap { point in point.ttftP95.map { (point.t, $0) } })])))
            }
        }
        if let latency, latency.count > 0 {
            charts.append(("Latency histogram", SVGChart(
                title: "Requests by latency (log scale)", xLabel: "latency, ms", yLabel: "requests",
                series: [SVGChart.Series(name: "requests", color: "#0969da", points: latency.logHistogram(), bars: true,
                                         barRatio: pow(10, 0.05))], logX: true)))
        }
        if let streaming, streaming.timeToFirstToken.count > 0 {
            charts.append(("Streaming: TTFT and TPOT", SVGChart(
                title: "Requests by time to first token and time per output token (log scale)", xLabel: "ms", yLabel: "requests",
                series: [SVGChart.Series(name: "TTFT", color: "#8250df", points: streaming.timeToFirstToken.logHistogram()),
                         SVGChart.Series(name: "TPOT", color: "#bf8700", points: streaming.timePerOutputToken.logHistogram())],
                logX: true)))
        }
        charts += turnCharts
        if !sweep.isEmpty {
            let sorted = sweep.sorted { $0.level < $1.level }
            let unit = sweepByRate ? "offered req/s" : "VUs"
            charts.append(("Capacity sweep", SVGChart(
                title: "p95 against load", xLabel: unit, yLabel: "p95, ms",
                series: [SVGChart.Series(name: "p95", color: "#cf222e", points: sorted.compactMap { point in point.p95.map { (point.level, $0) } })],
                horizontal: sweepP95Limit.map { ($0, "SLO \(SVGChart.label($0)) ms") },
                vertical: sweepCapacity.map { ($0, "capacity \(SVGChart.label($0))") })))
            charts.append(("Throughput against load", SVGChart(
                title: "Requests per second against load", xLabel: unit, yLabel: "req/s",
                series: [SVGChart.Series(name: "req/s", color: "#1a7f37", points: sorted.map { ($0.level, $0.rps) })],
                vertical: sweepCapacity.map { ($0, "capacity \(SVGChart.label($0))") })))
        }
        return charts
    }

    /// The figures a person looks for first: requests, success, p50/p95/p99.
    static func keyFigures(_ statistics: Statistics) -> [(label: String, value: String)] {
        var figures = [("Requests", "\(statistics.total)"), ("Successful", String(format: "%.1f%%", statistics.successPercent))]
        if let latency = statistics.latencySummary() {
            figures += [("p50", String(format: "%.2f ms", latency.median)), ("p95", String(format: "%.2f ms", latency.p95)),
                        ("p99", String(format: "%.2f ms", latency.p99))]
        }
        if let ttft = statistics.streaming.timeToFirstToken.summary() { figures.append(("TTFT p95", String(format: "%.2f ms", ttft.p95))) }
        return figures
    }
}
