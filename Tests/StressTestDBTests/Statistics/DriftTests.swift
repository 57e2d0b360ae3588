import LoadCore
import XCTest
@testable import stress_test_db

/// Mann–Kendall and Theil–Sen against values computed by hand (S, ties, the normal approximation).
final class DriftTests: XCTestCase {
    func testSixRisingValues() throws {
        // S = 15 (every pair concordant); Var S = 6·5·17/18; z = 14/√28.33 = 2.630; p = erfc(z/√2).
        let trend = try XCTUnwrap(Drift.trend(times: [1, 2, 3, 4, 5, 6], values: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(trend.s, 15)
        XCTAssertEqual(trend.pValue, 0.008535, accuracy: 1e-6)
        XCTAssertEqual(trend.slope, 1)
        XCTAssertEqual(trend.direction, "rising")
    }

    func testTiesShrinkTheVariance() throws {
        // [1,2,2,3,3,3]: S = 11; ties 2 and 3 take 18 + 66 from 510: Var S = 426/18; z = 10/4.865; p = 0.0398.
        let trend = try XCTUnwrap(Drift.trend(times: [0, 1, 2, 3, 4, 5], values: [1, 2, 2, 3, 3, 3]))
        XCTAssertEqual(trend.s, 11)
        XCTAssertEqual(trend.pValue, 0.039824, accuracy: 1e-6)
        XCTAssertEqual(trend.direction, "rising")
        let falling = try XCTUnwrap(Drift.trend(times: [0, 1, 2, 3, 4, 5], values: [3, 3, 3, 2, 2, 1]))
        XCTAssertEqual(falling.s, -11)
        XCTAssertEqual(falling.direction, "falling")
        // The 15 pairwise slopes sorted: -1, -1, -2/3, -1/2 ×4, -0.4, -1/3, -1/3, -1/4, 0 ×4: the median is -0.4.
        XCTAssertEqual(falling.slope, -0.4, accuracy: 1e-12)
    }

    func testAHundredValues() throws {
        let alternating = try XCTUnwrap(Drift.trend(times: (0..<100).map(Double.init), values: (0..<100).map { Double($0 % 2) }))
        XCTAssertEqual(alternating.s, 50)
        XCTAssertEqual(alternating.pValue, 0.865876, accuracy: 1e-6)
        XCTAssertEqual(alternating.direction, "none")
        // A line with a spike every seventh point: the spikes do not move the Theil–Sen slope.
        let values: [Double] = (0..<100).map { index in
            let spike: Double = index % 7 == 0 ? 3 : 0
            return 5 + 0.5 * Double(index) + spike
        }
        let line = try XCTUnwrap(Drift.trend(times: (0..<100).map(Double.init), values: values))
        XCTAssertEqual(line.s, 4794)
        XCTAssertEqual(line.slope, 0.5)
        XCTAssertLessThan(line.pValue, 1e-40)
    }

    func testVerdictNeedsSixIntervalsAndAMaterialChange() throws {
        func intervals(_ p95: [Double], errors: [Double]? = nil) -> [(t: Double, p95: Double?, errorRate: Double?)] {
            p95.enumerated().map { (Double($0.offset + 1) * 10, $0.element, errors?[$0.offset] ?? 0) }
        }
        XCTAssertNil(Drift.verdict(intervals([1, 2, 3, 4, 5])))
        let degrading = try XCTUnwrap(Drift.verdict(intervals([100, 110, 120, 130, 140, 150])))
        XCTAssertEqual(degrading.word, "degrading")
        XCTAssertEqual(degrading.p95?.slope ?? 0, 60, accuracy: 1e-9, "10 ms per 10 s interval: 60 ms/min")
        XCTAssertTrue(degrading.line.hasPrefix("Soak: degrading — p95 rising 60.0 ms/min (Mann-Kendall p=0.0085)"), degrading.line)
        // Significant but immaterial: 1 µs per interval on 100 ms.
        let jitter = try XCTUnwrap(Drift.verdict(intervals([100, 100.001, 100.002, 100.003, 100.004, 100.005])))
        XCTAssertEqual(jitter.p95?.direction, "rising")
        XCTAssertEqual(jitter.word, "stable")
        let improving = try XCTUnwrap(Drift.verdict(intervals([150, 140, 130, 120, 110, 100])))
        XCTAssertEqual(improving.word, "improving")
        let errors = try XCTUnwrap(Drift.verdict(intervals([100, 100, 100, 100, 100, 100], errors: [0, 1, 2, 4, 8, 16])))
        XCTAssertEqual(errors.errorRate?.direction, "rising")
        XCTAssertEqual(errors.word, "degrading")
    }

    /// A steady server measured with noise: p95 of 20 ms with ±5% jitter in each of 30 intervals.
    /// Mann–Kendall alone calls about one such run in twenty a trend; with the materiality rule none
    /// of fifty seeded runs is anything but stable.
    func testNoiseAroundASteadyLevelIsStable() throws {
        var generator = SplitMix64(seed: 7)
        var words: [String: Int] = [:]
        var significant = 0
        for _ in 0..<50 {
            let intervals = (1...30).map { index in
                (t: Double(index) * 10, p95: Optional(19 + 2 * generator.nextUnitInterval()), errorRate: Optional(0.0))
            }
            let verdict = try XCTUnwrap(Drift.verdict(intervals))
            words[verdict.word, default: 0] += 1
            if verdict.p95?.direction != "none" { significant += 1 }
        }
        XCTAssertEqual(words, ["stable": 50])
        XCTAssertLessThan(significant, 10, "Mann–Kendall's own false alarms stay near α")
        XCTAssertGreaterThan(significant, 0, "some runs are significant: the materiality rule is what keeps them stable")
    }
}
