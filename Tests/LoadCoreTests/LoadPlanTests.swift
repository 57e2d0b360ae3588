import XCTest
@testable import LoadCore

/// Stage ramps and arrival schedules: plain arithmetic, checked against hand-computed values.
final class LoadPlanTests: XCTestCase {
    let ramp = StageProfile([Stage(durationSeconds: 10, target: 100), Stage(durationSeconds: 20, target: 100),
                             Stage(durationSeconds: 10, target: 0)])

    func testTargetsAtGivenInstants() {
        XCTAssertEqual(ramp.target(at: 0), 0)
        XCTAssertEqual(ramp.target(at: 5), 50)
        XCTAssertEqual(ramp.target(at: 10), 100)
        XCTAssertEqual(ramp.target(at: 25), 100)
        XCTAssertEqual(ramp.target(at: 35), 50)
        XCTAssertEqual(ramp.target(at: 40), 0, "after the stages: the last target")
        XCTAssertEqual(ramp.totalSeconds, 40)
        XCTAssertEqual(ramp.highestTarget, 100)
    }

    func testTimeForAreaInvertsTheRampsIntegral() throws {
        // Rising 0→100 over 10 s: area 5·t² → t = sqrt(area / 5).
        XCTAssertEqual(try XCTUnwrap(ramp.time(forArea: 125)), 5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(ramp.time(forArea: 500)), 10, accuracy: 1e-9)
        // Flat at 100: 500 + 100·(t − 10).
        XCTAssertEqual(try XCTUnwrap(ramp.time(forArea: 1500)), 20, accuracy: 1e-9)
        // Falling 100→0: the last stage holds 500; half of it (375 in) is reached at 35 − ... : 100τ − 5τ² = 375 → τ = 5.
        XCTAssertEqual(try XCTUnwrap(ramp.time(forArea: 2500 + 375)), 35, accuracy: 1e-9)
        XCTAssertNil(ramp.time(forArea: 3001), "past the stages' total of 3000")
    }

    func testConstantArrivalsAreIOverR() {
        var schedule = ArrivalSchedule(rate: .fixed(requestsPerSecond: 200), arrival: .constant, seed: 1)
        XCTAssertEqual((0..<4).compactMap { _ in schedule.next() }, [0, 0.005, 0.01, 0.015])
    }

    func testPoissonArrivalsHaveTheMeanGapAndRepeatFromTheSeed() {
        var a = ArrivalSchedule(rate: .fixed(requestsPerSecond: 100), arrival: .poisson, seed: 7)
        var b = ArrivalSchedule(rate: .fixed(requestsPerSecond: 100), arrival: .poisson, seed: 7)
        var other = ArrivalSchedule(rate: .fixed(requestsPerSecond: 100), arrival: .poisson, seed: 8)
        let times = (0..<20_000).compactMap { _ in a.next() }
        XCTAssertEqual(times, (0..<20_000).compactMap { _ in b.next() }, "the same seed, the same schedule")
        XCTAssertNotEqual(Array(times.prefix(10)), (0..<10).compactMap { _ in other.next() })
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        XCTAssertEqual(mean, 0.01, accuracy: 0.0003, "mean gap 1/R")
        // Exponential gaps: the standard deviation equals the mean; about 36.8% exceed it.
        let over = Double(gaps.filter { $0 > 0.01 }.count) / Double(gaps.count)
        XCTAssertEqual(over, 0.368, accuracy: 0.02)
        XCTAssertTrue(zip(times.dropFirst(), times).allSatisfy { $0 >= $1 }, "in order")
    }

    func testStagedArrivalsFollowTheRampAndEnd() {
        var schedule = ArrivalSchedule(rate: .stages(ramp), arrival: .constant, seed: 1)
        var times: [Double] = []
        while let next = schedule.next() { times.append(next) }
        XCTAssertEqual(times.count, 3001, "area 3000: requests 0 through 3000")
        XCTAssertEqual(times.filter { $0 < 10 }.count, 500, "500 in the ramp up")
        XCTAssertEqual(times.filter { $0 >= 10 && $0 < 30 }.count, 2000, "100/s for 20 s")
    }

    /// `--shard I/N`: N schedules at R/N, each starting I/N of a gap in, are together the schedule at R,
    /// request for request (constant arrivals, fixed and ramped rates).
    func testShardsSchedulesInterleaveIntoTheWhole() {
        for (whole, part) in [(LoadPlan.RateSource.fixed(requestsPerSecond: 90), LoadPlan.RateSource.fixed(requestsPerSecond: 30)),
                              (.stages(ramp), .stages(StageProfile(ramp.stages.map { Stage(durationSeconds: $0.durationSeconds, target: $0.target / 3) })))] {
            var single = ArrivalSchedule(rate: whole, arrival: .constant, seed: 1)
            let expected = (0..<300).compactMap { _ in single.next() }
            var merged: [Double] = []
            for index in 0..<3 {
                var shard = ArrivalSchedule(rate: part, arrival: .constant, seed: 1, phase: Double(index) / 3)
                merged += (0..<100).compactMap { _ in shard.next() }
            }
            XCTAssertEqual(merged.count, expected.count)
            for (a, b) in zip(merged.sorted(), expected) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        }
    }
}
