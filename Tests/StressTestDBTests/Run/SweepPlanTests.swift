import XCTest
@testable import stress_test_db

final class SweepPlanTests: XCTestCase {
    func testLevelForms() throws {
        XCTAssertEqual(try SweepPlan.levels("10,20,50", flag: "--vus", whole: true), [10, 20, 50])
        XCTAssertEqual(try SweepPlan.levels("10..400", flag: "--vus", whole: true), [10, 20, 40, 80, 160, 320])
        XCTAssertEqual(try SweepPlan.levels("8..64", flag: "--vus", whole: true), [8, 16, 32, 64], "the end is included")
        XCTAssertEqual(try SweepPlan.levels("0.5..3", flag: "--rate", whole: false), [0.5, 1, 2])
        for bad in ["", "10,x", "50,20", "0..10", "10..5", "1.5,3"] {
            XCTAssertThrowsError(try SweepPlan.levels(bad, flag: "--vus", whole: true), bad) {
                XCTAssertTrue("\($0)".contains("--vus \(bad):"), "\($0)")
            }
        }
    }

    func testBisectionSequence() {
        // Passing at 16, failing at 32: 24, then 28 or 20, and so on, until no whole VU is left between.
        XCTAssertEqual(SweepPlan.midpoint(passing: 16, failing: 32, whole: true), 24)
        XCTAssertEqual(SweepPlan.midpoint(passing: 24, failing: 32, whole: true), 28)
        XCTAssertEqual(SweepPlan.midpoint(passing: 16, failing: 24, whole: true), 20)
        XCTAssertEqual(SweepPlan.midpoint(passing: 30, failing: 31, whole: true), nil)
        XCTAssertEqual(SweepPlan.midpoint(passing: 30, failing: 32, whole: true), 31)
        XCTAssertEqual(SweepPlan.midpoint(passing: 10, failing: 15, whole: false), 12.5)
        XCTAssertEqual(SweepPlan.midpoint(passing: 1.01, failing: 1.02, whole: false), nil)
    }
}
