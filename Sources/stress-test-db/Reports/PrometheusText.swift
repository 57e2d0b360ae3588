/// SPEC 21's `GET /metrics`: the Prometheus text exposition format 0.0.4, names per Prometheus
/// conventions (seconds, `_total` counters), labels bounded.
enum PrometheusText {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// What the engine says at the moment of the scrape, and the run's identity.
    struct Gauges {
        var inFlight: Int
        var thinking: Int
        /// VUs or requests per second in force.
        var target: Double
        var connectionsOpened: Int?
        var version: String
        var shard: String
        var run: String
    }

    static func render(_ metrics: LiveMetrics, _ gauges: Gauges) -> String {
        var text = ""
        func family(_ name: String, _ type: String, _ help: String) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("stress_test_db_requests_total", "counter", "Requests completed, by outcome (success or the error kind) and HTTP status.")
        for (key, count) in metrics.requests.sorted(by: { $0.key < $1.key }) {
            text += "stress_test_db_requests_total{outcome=\"\(label(key.outcome))\",status=\"\(key.status)\"} \(count)\n"
        }
        histogram(&text, "stress_test_db_request_duration_seconds", "Request latency, from its start (or scheduled time) to its last byte.",
                  metrics.duration)
        if let ttft = metrics.timeToFirstToken {
            histogram(&text, "stress_test_db_ttft_seconds", "Time to the first content token of successful streamed answers.", ttft)
        }
        family("stress_test_db_output_tokens_total", "counter", "Output tokens of successful streamed answers.")
        text += "stress_test_db_output_tokens_total \(metrics.outputTokens)\n"
        family("stress_test_db_in_flight", "gauge", "Requests sent and not yet answered.")
        text += "stress_test_db_in_flight \(gauges.inFlight)\n"
        family("stress_test_db_thinking", "gauge", "Virtual users pausing between requests (--think).")
        text += "stress_test_db_thinking \(gauges.thinking)\n"
        family("stress_test_db_target", "gauge", "The target in force: virtual users, or requests per second with --rate.")
        text += "stress_test_db_target \(number(gauges.target))\n"
        if let opened = gauges.connectionsOpened {
            family("stress_test_db_connections_opened_total", "counter", "New connections opened.")
            text += "stress_test_db_connections_opened_total \(opened)\n"
        }
        family("stress_test_db_info", "gauge", "The run: tool version, shard, run id.")
        text += "stress_test_db_info{version=\"\(label(gauges.version))\",shard=\"\(label(gauges.shard))\",run=\"\(label(gauges.run))\"} 1\n"
        return text
    }

    private static func histogram(_ text: inout String, _ name: String, _ help: String, _ histogram: LiveMetrics.Histogram) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        let cumulative = histogram.cumulative
        for (bound, count) in zip(histogram.bounds, cumulative) { text += "\(name)_bucket{le=\"\(number(bound))\"} \(count)\n" }
        text += "\(name)_bucket{le=\"+Inf\"} \(histogram.count)\n\(name)_sum \(number(histogram.sum))\n\(name)_count \(histogram.count)\n"
    }

    /// A label value escaped as the format asks (backslash, quote, newline).
    static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Go's float format as Prometheus prints it: integers without a fraction.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
