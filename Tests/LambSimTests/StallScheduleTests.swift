import XCTest
@testable import lamb_sim

final class StallScheduleTests: XCTestCase {
    func testPausesAtTheEndOfEachPeriod() {
        let schedule = StallSchedule(everySeconds: 5, forSeconds: 1)
        XCTAssertEqual(schedule.remainingPause(at: 0), 0)
        XCTAssertEqual(schedule.remainingPause(at: 3.99), 0)
        XCTAssertEqual(schedule.remainingPause(at: 4), 1, accuracy: 1e-9)
        XCTAssertEqual(schedule.remainingPause(at: 4.75), 0.25, accuracy: 1e-9)
        XCTAssertEqual(schedule.remainingPause(at: 5), 0)
        XCTAssertEqual(schedule.remainingPause(at: 9.5), 0.5, accuracy: 1e-9)
        XCTAssertEqual(StallSchedule(everySeconds: 0, forSeconds: 0).remainingPause(at: 4.5), 0)
    }
}
