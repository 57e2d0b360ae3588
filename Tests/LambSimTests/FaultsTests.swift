import XCTest
@testable import lamb_sim

final class FaultsTests: XCTestCase {
    func testFaultPlanLaysFractionsEndToEnd() {
        let plan = FaultPlan(statusRate: 0.1, status: 503, stallRate: 0.2, closeBeforeRate: 0, closeMidBodyRate: 0.1)
        XCTAssertEqual(plan.pick(draw: 0.05, keptAlive: false), .status(503))
        XCTAssertEqual(plan.pick(draw: 0.15, keptAlive: false), .stall)
        XCTAssertEqual(plan.pick(draw: 0.35, keptAlive: false), .closeMidBody)
        XCTAssertEqual(plan.pick(draw: 0.45, keptAlive: false), .none)
        XCTAssertTrue(FaultPlan().isEmpty)
        XCTAssertFalse(plan.isEmpty)
    }

    func testKeptAliveCloseOnlyHitsAConnectionsLaterRequests() {
        let plan = FaultPlan(statusRate: 0.1, closeKeptAliveRate: 0.5)
        XCTAssertEqual(plan.pick(draw: 0.3, keptAlive: true), .closeBeforeResponse)
        XCTAssertEqual(plan.pick(draw: 0.3, keptAlive: false), .none, "a connection's first request is answered")
        XCTAssertEqual(plan.pick(draw: 0.05, keptAlive: false), .status(500))
        XCTAssertEqual(plan.pick(draw: 0.7, keptAlive: true), .none)
        XCTAssertFalse(FaultPlan(closeKeptAliveRate: 0.2).isEmpty)
    }
}
