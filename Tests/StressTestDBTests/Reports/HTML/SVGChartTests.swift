import XCTest
@testable import stress_test_db

final class SVGChartTests: XCTestCase {
    func testNiceTicks() {
        XCTAssertEqual(SVGChart.niceTicks(0, 100), [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(SVGChart.niceTicks(0, 7), [0, 2, 4, 6])
        XCTAssertEqual(SVGChart.niceTicks(0, 0.9), [0, 0.2, 0.4, 0.6000000000000001, 0.8])
        XCTAssertEqual(SVGChart.niceTicks(150, 160), [150, 152, 154, 156, 158, 160])
        XCTAssertEqual(SVGChart.niceTicks(5, 5), [5], "a single value")
    }

    func testLogTicksAreDecades() {
        XCTAssertEqual(SVGChart.logTicks(1.5, 1003), [1, 10, 100, 1000, 10000])
        XCTAssertEqual(SVGChart.logTicks(0.2, 0.9), [0.1, 1])
        XCTAssertEqual(SVGChart.label(1000), "1000")
        XCTAssertEqual(SVGChart.label(0.25), "0.25")
        XCTAssertEqual(SVGChart.label(12.5), "12.5")
    }

    func testTheSVGHasItsAxesLegendAndMarkersAndEscapesText() {
        let chart = SVGChart(title: "p95 <against> load", xLabel: "VUs", yLabel: "ms",
                             series: [SVGChart.Series(name: "p95", color: "#cf222e", points: [(8, 53), (16, 104), (32, 204)])],
                             horizontal: (200, "SLO 200 ms"), vertical: (24, "capacity 24"))
        let svg = chart.svg
        XCTAssertTrue(svg.hasPrefix("<svg class=\"chart\" viewBox=\"0 0 720 300\""))
        XCTAssertTrue(svg.contains("p95 &lt;against&gt; load"))
        XCTAssertTrue(svg.contains("<polyline points="))
        XCTAssertTrue(svg.contains(">SLO 200 ms<") && svg.contains(">capacity 24<"))
        XCTAssertTrue(svg.contains(">0<") && svg.contains(">200<"), "y ticks from 0 in steps of 50")
        XCTAssertFalse(svg.contains("http"), "no namespace or link: nothing to fetch")
    }
}
