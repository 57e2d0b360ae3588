import ArgumentParser

/// `--threshold METRIC OP VALUE` (SPEC section 12): a pass/fail check on the run's statistics.
struct Threshold: Equatable {
    enum Metric: String, CaseIterable {
        case p50, p95, p99, mean, max
        case errorRate = "error_rate"
        case rps
        case ttftP95 = "ttft_p95", ttftP99 = "ttft_p99", tpotP95 = "tpot_p95"
        case goodput

        var isLatency: Bool { [.p50, .p95, .p99, .mean, .max, .ttftP95, .ttftP99, .tpotP95].contains(self) }
        var isPercent: Bool { self == .errorRate || self == .goodput }
    }

    enum Operator: String, CaseIterable {
        case lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater = ">"

        func holds(_ actual: Double, _ limit: Double) -> Bool {
            switch self {
            case .less: return actual < limit
            case .lessOrEqual: return actual <= limit
            case .greater: return actual > limit
            case .greaterOrEqual: return actual >= limit
            }
        }
    }

    /// As the user wrote it, spaces removed.
    let expression: String
    let metric: Metric
    let comparison: Operator
    /// In the metric's unit: milliseconds, percent, or requests per second.
    let limit: Double

    /// A malformed expression is a usage error that quotes it and says what is wrong.
    static func parse(_ text: String) throws -> Threshold {
        let expression = text.filter { !$0.isWhitespace }
        func fail(_ why: String) -> ValidationError {
            ValidationError("--threshold '\(text)': \(why). Write METRIC OP VALUE, e.g. 'p95<2s', 'error_rate<=1%', 'rps>=100'.")
        }
        // Two-character operators first, so `<=` is not read as `<` followed by `=...`.
        guard let comparison = Operator.allCases.first(where: { expression.contains($0.rawValue) }),
              let range = expression.range(of: comparison.rawValue) else {
            throw fail("no comparison (<, <=, >, >=)")
        }
        let name = String(expression[..<range.lowerBound]).lowercased()
        guard let metric = Metric(rawValue: name) else {
            throw fail("unknown metric '\(name)' (one of \(Metric.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var number = String(expression[range.upperBound...])
        var scale = 1.0
        if number.hasSuffix("ms") {
            guard metric.isLatency else { throw fail("'ms' does not fit \(name)") }
            number.removeLast(2)
        } else if number.hasSuffix("s") {
            guard metric.isLatency else { throw fail("'s' does not fit \(name)") }
            number.removeLast()
            scale = 1000
        } else if number.hasSuffix("%") {
            guard metric.isPercent else { throw fail("'%' does not fit \(name)") }
            number.removeLast()
        }
        guard let value = Double(number), value.isFinite else { throw fail("'\(number)' is not a number") }
        let bounds = metric.isLatency ? Bounds.latencyLimit : metric.isPercent ? Bounds.percent : Bounds.rps
        guard bounds.contains(value * scale) else { throw fail("\(name) takes \(bounds.unit) \(bounds.rangeText)") }
        return Threshold(expression: expression, metric: metric, comparison: comparison, limit: value * scale)
    }

    /// A metric the run will not measure is a usage error: ttft/tpot need --stream, goodput needs --slo.
    func checkMeasured(streaming: Bool, serviceLevel: Bool) throws {
        if [.ttftP95, .ttftP99, .tpotP95].contains(metric) && !streaming {
            throw ValidationError("--threshold '\(expression)': \(metric.rawValue) is measured on streamed answers; add --stream.")
        }
        if metric == .goodput && !serviceLevel {
            throw ValidationError("--threshold '\(expression)': goodput counts requests that meet --slo; add --slo.")
        }
    }
}
