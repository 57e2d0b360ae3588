import Foundation

/// A small SVG chart renderer for the HTML report: lines or bars over labelled axes with "nice"
/// ticks (1, 2, 5 × 10ⁿ) or a log scale (decades), a legend, and optional horizontal and vertical
/// markers. Inline SVG only: nothing is fetched, nothing runs. Written here because no package that
/// resolves on this machine draws SVG, and the report needs only this much.
struct SVGChart {
    struct Series {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
        var bars = false
        /// Bars on a log scale: each spans [x ÷ ratio, x × ratio] (a histogram bin's edges).
        var barRatio = 1.0
        /// A dot at each point of a line (few points, each a category such as a turn).
        var dots = false
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var logX = false
    /// A horizontal line (an SLO) and a vertical one (the capacity), labelled.
    var horizontal: (value: Double, label: String)?
    var vertical: (value: Double, label: String)?
    /// Categories on the x axis instead of computed ticks: each at its value, with its label, half a
    /// step of room at either end (turns 1 … `7+`).
    var categories: [(value: Double, label: String)]?

    static let width = 720.0, height = 300.0
    static let left = 64.0, right = 16.0, top = 28.0, bottom = 46.0

    /// 1, 2 or 5 × 10ⁿ steps covering [low, high] in about `count` ticks.
    static func niceTicks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard high > low, low.isFinite, high.isFinite else { return [low] }
        let raw = (high - low) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var tick = (low / step).rounded(.down) * step
        while tick <= high + step * 1e-9 {
            if tick >= low - step * 1e-9 { ticks.append(abs(tick) < step * 1e-9 ? 0 : tick) }
            tick += step
        }
        return ticks
    }

    /// Decades from below `low` to above `high` (both positive).
    static func logTicks(_ low: Double, _ high: Double) -> [Double] {
        let first = floor(log10(max(low, 1e-9)))
        let last = max(first + 1, ceil(log10(max(high, 1e-9))))
        return stride(from: first, through: last, by: 1).map { pow(10, $0) }
    }

    static func label(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        return abs(value) >= 1 ? String(format: "%.1f", value) : String(format: "%.3g", value)
    }

    private func range(_ values: [Double], log: Bool, from zero: Bool) -> (Double, Double, [Double]) {
        let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if log {
            let ticks = Self.logTicks(low, high)
            return (ticks.first ?? 1, ticks.last ?? 10, ticks)
        }
        if zero { low = min(0, low) }
        if high <= low { high = low + 1 }
        let ticks = Self.niceTicks(low, high)
        return (min(low, ticks.first ?? low), max(high, ticks.last ?? high), ticks)
    }

    /// The x axis: the categories with half a step either side, or the values' range with its ticks.
    private func xAxis(_ xs: [Double]) -> (Double, Double, [(value: Double, label: String)]) {
        if let categories, let first = categories.first, let last = categories.last { return (first.value - 0.5, last.value + 0.5, categories) }
        let (low, high, ticks) = range(xs, log: logX, from: false)
        return (low, high, ticks.map { ($0, Self.label($0)) })
    }

    var svg: String {
        let xs = series.flatMap { $0.points.map(\.x) } + [vertical?.value].compactMap { $0 }
        let ys = series.flatMap { $0.points.map(\.y) } + [horizontal?.value].compactMap { $0 }
        let (xLow, xHigh, xTicks) = xAxis(xs)
        let (yLow, yHigh, yTicks) = range(ys, log: false, from: true)
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        func scale(_ value: Double, _ low: Double, _ high: Double, _ log: Bool) -> Double {
            if log { return (log10(max(value, low)) - log10(low)) / max(log10(high) - log10(low), 1e-9) }
            return (value - low) / max(high - low, 1e-12)
        }
        func px(_ x: Double) -> Double { Self.left + scale(x, xLow, xHigh, logX) * plotWidth }
        func py(_ y: Double) -> Double { Self.top + plotHeight - scale(y, yLow, yHigh, false) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var out = #"<svg class="chart" viewBox="0 0 \#(Int(Self.width)) \#(Int(Self.height))" role="img" aria-label="\#(HTMLText.escape(title))">"#
        out += #"<text x="\#(f(Self.left))" y="16" class="title">\#(HTMLText.escape(title))</text>"#
        for tick in yTicks {
            out += #"<line x1="\#(f(Self.left))" x2="\#(f(Self.width - Self.right))" y1="\#(f(py(tick)))" y2="\#(f(py(tick)))" class="grid"/>"#
            out += #"<text x="\#(f(Self.left - 6))" y="\#(f(py(tick) + 4))" text-anchor="end">\#(Self.label(tick))</text>"#
        }
        for (tick, label) in xTicks {
            out += #"<text x="\#(f(px(tick)))" y="\#(f(Self.height - Self.bottom + 16))" text-anchor="middle">\#(HTMLText.escape(label))</text>"#
        }
        out += #"<line x1="\#(f(Self.left))" x2="\#(f(Self.width - Self.right))" y1="\#(f(py(yLow)))" y2="\#(f(py(yLow)))" class="axis"/>"#
        out += #"<line x1="\#(f(Self.left))" x2="\#(f(Self.left))" y1="\#(f(Self.top))" y2="\#(f(py(yLow)))" class="axis"/>"#
        out += #"<text x="\#(f(Self.left + plotWidth / 2))" y="\#(f(Self.height - 8))" text-anchor="middle">\#(HTMLText.escape(xLabel))</text>"#
        out += #"<text transform="translate(14 \#(f(Self.top + plotHeight / 2))) rotate(-90)" text-anchor="middle">\#(HTMLText.escape(yLabel))</text>"#
        for line in series {
            if line.bars {
                for point in line.points where point.y > 0 {
                    let left = line.barRatio > 1 ? px(point.x / line.barRatio) : px(point.x) - 3
                    let right = line.barRatio > 1 ? px(point.x * line.barRatio) : px(point.x) + 3
                    out += #"<rect x="\#(f(left + 0.5))" y="\#(f(py(point.y)))" width="\#(f(max(1, right - left - 1)))" height="\#(f(py(yLow) - py(point.y)))" fill="\#(line.color)"/>"#
                }
            } else if !line.points.isEmpty {
                let path = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                out += #"<polyline points="\#(path)" fill="none" stroke="\#(line.color)" stroke-width="2"/>"#
                for point in line.points where line.dots { out += #"<circle cx="\#(f(px(point.x)))" cy="\#(f(py(point.y)))" r="3" fill="\#(line.color)"/>"# }
            }
        }
        if let horizontal {
            out += #"<line x1="\#(f(Self.left))" x2="\#(f(Self.width - Self.right))" y1="\#(f(py(horizontal.value)))" y2="\#(f(py(horizontal.value)))" class="marker"/>"#
            out += #"<text x="\#(f(Self.width - Self.right - 4))" y="\#(f(py(horizontal.value) - 4))" text-anchor="end" class="mark">\#(HTMLText.escape(horizontal.label))</text>"#
        }
        if let vertical {
            out += #"<line x1="\#(f(px(vertical.value)))" x2="\#(f(px(vertical.value)))" y1="\#(f(Self.top))" y2="\#(f(py(yLow)))" class="marker"/>"#
            out += #"<text x="\#(f(px(vertical.value) + 4))" y="\#(f(Self.top + 12))" class="mark">\#(HTMLText.escape(vertical.label))</text>"#
        }
        // The legend on the title's line, right-aligned, clear of the plot.
        for (index, line) in series.enumerated() {
            let x = Self.width - Self.right - Double(series.count - index) * 90
            out += #"<rect x="\#(f(x))" y="8" width="12" height="4" fill="\#(line.color)"/>"#
            out += #"<text x="\#(f(x + 16))" y="14">\#(HTMLText.escape(line.name))</text>"#
        }
        return out + "</svg>"
    }
}

enum HTMLText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
