import XCTest
@testable import stress_test_db

final class BootstrapTests: XCTestCase {
    let base: [Double] = (0..<400).map { index -> Double in
        let spread = Double(index % 50)
        let wobble = Double(index % 7) * 0.5
        return 100 + spread + wobble
    }

    func testAShiftIsFoundAndItsIntervalExcludesZero() throws {
        let shifted = base.map { $0 + 10 }
        let p50 = try XCTUnwrap(Bootstrap.interval(a: base, b: shifted, p: 0.5))
        XCTAssertEqual(p50.difference, 10, accuracy: 1e-9)
        XCTAssertGreaterThan(p50.low, 0)
        XCTAssertEqual(p50.verdict, "B slower")
        let faster = try XCTUnwrap(Bootstrap.interval(a: shifted, b: base, p: 0.95))
        XCTAssertEqual(faster.verdict, "B faster")
    }

    func testTheSameDistributionGivesNoSignificantDifference() throws {
        // Two halves of one sample, interleaved: the same distribution.
        let a: [Double] = stride(from: 0, to: base.count, by: 2).map { base[$0] }
        let b: [Double] = stride(from: 1, to: base.count, by: 2).map { base[$0] }
        let p50 = try XCTUnwrap(Bootstrap.interval(a: a, b: b, p: 0.5))
        XCTAssertLessThanOrEqual(p50.low, 0)
        XCTAssertGreaterThanOrEqual(p50.high, 0)
        XCTAssertEqual(p50.verdict, "no significant difference")
    }

    func testTheSeedMakesItRepeatable() {
        let b = base.map { $0 * 1.01 }
        XCTAssertEqual(Bootstrap.interval(a: base, b: b, p: 0.95), Bootstrap.interval(a: base, b: b, p: 0.95))
        XCTAssertNil(Bootstrap.interval(a: [], b: b, p: 0.5))
    }
}
