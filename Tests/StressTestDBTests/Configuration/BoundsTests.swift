import ArgumentParser
import LoadCore
import XCTest
@testable import stress_test_db

/// Issue 26: every numeric option of `run` and `sweep` with 0, a negative number, NaN, infinity, a
/// huge number, an empty or a non-numeric value is a usage error naming the flag and its range,
/// from the one place both commands share (`Bounds`), never a crash or a hang later on.
final class BoundsTests: XCTestCase {
    /// Kept short: each refusal builds the usage text, which is slow in a debug build on a loaded machine.
    static let bad = ["-1", "nan", "-inf", "1e308", "", "abc"]

    /// The refusal of a command line (the parser's error with our message in it; `message(for:)`
    /// would build the whole usage text each time, seconds in a debug build), or nil when it parses.
    func refusal<Command: ParsableArguments>(_ command: Command.Type, _ arguments: [String]) -> String? {
        do {
            _ = try Command.parse(NegativeValues.joined(arguments))
            return nil
        } catch {
            return "\(error)"
        }
    }

    func assertRefused<Command: ParsableArguments>(_ command: Command.Type, _ base: [String], _ flag: String, _ values: [String],
                                                   says: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        for value in values {
            let arguments = base + [flag, value]
            let label = arguments.map { "'\($0)'" }.joined(separator: " ")
            guard let message = refusal(command, arguments) else {
                XCTFail("\(label) was accepted", file: file, line: line)
                continue
            }
            XCTAssertTrue(message.contains(flag), "\(label): \(message)", file: file, line: line)
            XCTAssertTrue(message.contains(says ?? "at most"), "\(label): \(message)", file: file, line: line)
        }
    }

    let run = ["--vus", "1", "--requests", "1"]
    let sweep = ["--vus", "1,2"]

    /// The values each range refuses, checked on the parsers themselves (fast); the tests below check
    /// that each flag goes through its parser.
    func testEachRangeRefusesWhatIsOutside() {
        let zeroIsBad = Self.bad + ["0", "inf", "1e16", "1,5"]
        let table: [(bounds: Bounds, values: [String])] = [
            (.vus, zeroIsBad + ["100001", "1.5"]), (.requests, zeroIsBad + ["1000000001"]), (.duration, zeroIsBad + ["31536001"]),
            (.timeout, zeroIsBad + ["86401"]), (.rate, zeroIsBad + ["1e-300", "0.0001", "1000001"]),
            (.interval, zeroIsBad + ["1e-6", "0.05"]), (.responseMaxChars, Self.bad + ["1e16"]), (.connections, zeroIsBad),
            (.refusedPause, Self.bad + ["3601"]), (.metricsLinger, Self.bad + ["3601"]), (.stepDuration, zeroIsBad),
            (.warmup, Self.bad), (.maxP95, zeroIsBad), (.maxErrorRate, Self.bad + ["101"]), (.refine, Self.bad + ["21", "1.5"]),
        ]
        for row in table {
            for value in row.values {
                XCTAssertThrowsError(try row.bounds.whole ? Double(row.bounds.count(value)) : row.bounds.number(value),
                                     "\(row.bounds.flag) '\(value)'") { error in
                    XCTAssertTrue("\(error)".contains(row.bounds.flag) && "\(error)".contains("at most"), "\(error)")
                }
            }
        }
        for value in Self.bad + ["1e308s", "1s..1e308s", "exp:0", "90000s", "2s..1s"] {
            XCTAssertThrowsError(try ThinkTime.parse(value), value)
        }
        for value in Self.bad + ["0", "2..1", "0..3", "1..100000", "10001"] { XCTAssertThrowsError(try TurnRange.parse(value), value) }
        for value in ["-1", "nan", "1e308", "", "abc", "1.5", "18446744073709551616"] { XCTAssertThrowsError(try Bounds.seed(value), value) }
        for value in Self.bad + ["0", "1025"] { XCTAssertThrowsError(try LoopCount.parse(value), value) }
        for value in ["", "abc", "0", "1e308s:1", "10s:1e308", "10s:nan", "nan:5", "-5s:1", "10s:-1", "inf:1", "10s:inf",
                      "200000h:1", "10s:2000000", "6000h:1,6000h:1"] {
            XCTAssertThrowsError(try StageList.parse(value), value)
        }
        for value in ["0", "-1", "nan", "inf", "1e308", "", "abc"] {
            XCTAssertThrowsError(try ServiceLevel.parse("e2e=\(value)", streaming: false), value)
        }
        for value in ["p95<nan", "p95<1e308", "p95<-1", "error_rate<=200%", "error_rate<=-1%", "rps>=-1", "p95<", "rps>=inf"] {
            XCTAssertThrowsError(try Threshold.parse(value), value)
        }
    }

    func testEveryNumericFlagOfRunGoesThroughItsRange() {
        for flag in ["--vus", "--requests", "--duration", "--timeout", "--rate", "--interval", "--connections", "--turns"] {
            assertRefused(RunOptions.self, run, flag, ["0", "1e308"])
        }
        for flag in ["--response-max-chars", "--refused-pause", "--metrics-linger"] { assertRefused(RunOptions.self, run, flag, ["-1", "1e308"]) }
        assertRefused(RunOptions.self, run, "--think", ["-1", "1e308s"], says: "seconds")
        assertRefused(RunOptions.self, run, "--seed", ["-1", "1e308"], says: "whole number")
        assertRefused(RunOptions.self, run, "--loops", ["0", "1e308"], says: "auto or a whole number")
        assertRefused(RunOptions.self, ["--vus", "1"], "--stages", ["10s:nan", "1e308s:1"], says: "--stages")
        assertRefused(RunOptions.self, run, "--stages", ["10s:200000"], says: "at most 100000")
        assertRefused(RunOptions.self, run, "--slo", ["e2e=0", "e2e=1e308"], says: "--slo")
        assertRefused(RunOptions.self, run, "--threshold", ["p95<-1", "error_rate<=200%"], says: "--threshold")
    }

    func testEveryNumericFlagOfSweepGoesThroughItsRange() {
        for flag in ["--step-duration", "--max-p95", "--timeout", "--interval"] { assertRefused(SweepCommand.self, sweep, flag, ["0", "1e308"]) }
        for flag in ["--warmup", "--max-error-rate", "--refine", "--metrics-linger", "--response-max-chars"] {
            assertRefused(SweepCommand.self, sweep, flag, ["-1", "1e308"])
        }
        assertRefused(SweepCommand.self, sweep, "--think", ["-1", "1e308s"], says: "seconds")
        let levels = ["0", "-1", "nan", "inf", "1e308", "1e16", "abc", "1..1e308"]
        assertRefused(SweepCommand.self, [], "--vus", levels + ["1.5", "2,100001"], says: "--vus")
        assertRefused(SweepCommand.self, [], "--rate", levels + ["1e-300", "1,2000000"], says: "--rate")
    }

    func testTheSameIntervalIsTheSameErrorForRunAndSweep() {
        for value in ["0", "-1", "1e-6"] {
            var messages: [String] = []
            do { _ = try RunOptions.parse(NegativeValues.joined(run + ["--interval", value])) } catch { messages.append(RunOptions.message(for: error)) }
            do { _ = try SweepCommand.parse(NegativeValues.joined(sweep + ["--interval", value])) } catch { messages.append(SweepCommand.message(for: error)) }
            XCTAssertEqual(messages.count, 2, value)
            XCTAssertEqual(messages.first, messages.last, value)
            XCTAssertTrue(messages.first?.contains("--interval takes seconds at least 0.1 and at most 86400 (a day)") == true, "\(messages)")
        }
    }

    func testValuesInRangeAreTakenAsGiven() throws {
        let options = try RunOptions.parse(NegativeValues.joined([
            "--vus", "100000", "--requests", "1000000000", "--duration", "31536000", "--timeout", "86400", "--rate", "0.001",
            "--interval", "0.1", "--response-max-chars", "0", "--seed", "0",
            "--turns", "1..10000", "--metrics-linger", "0",
        ]))
        XCTAssertEqual(options.load.vus, 100_000)
        XCTAssertEqual(options.load.rate, 0.001)
        XCTAssertEqual(options.load.duration, 31_536_000)
        XCTAssertEqual(options.output.interval, 0.1)
        XCTAssertEqual(options.load.turns, TurnRange(1, 10_000))
        let closed = try RunOptions.parse(["--vus", "1", "--requests", "1", "--think", "0", "--refused-pause", "0", "--seed", "18446744073709551615"])
        XCTAssertEqual(closed.load.seed, UInt64.max)
        let levels = try SweepCommand.parse(["--rate", "0.001,1000000", "--max-error-rate", "0", "--refine", "0"])
        XCTAssertEqual(try levels.plannedLevels(), [0.001, 1_000_000])
        XCTAssertEqual(levels.levels.maxErrorRate, 0)
    }
}
