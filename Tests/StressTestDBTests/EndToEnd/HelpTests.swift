import Foundation
import TestSupport
import XCTest

/// `--help` reads well at 80 and 120 columns: the help wraps its own paragraphs (no hand-broken lines
/// re-wrapped into ragged ones), examples fit whole; and a negative number is a value, never a flag.
final class HelpTests: BinaryTestCase {
    func help(_ command: [String], columns: Int) throws -> [String] {
        let output = try runProcess(binary("stress-test-db"), command + ["--help"], environment: ["COLUMNS": "\(columns)"],
                                    directory: folder, timeout: 30)
        XCTAssertEqual(output.status, 0, output.all)
        return output.stdout.components(separatedBy: "\n")
    }

    func testTheOverviewIsWrappedByTheHelpItselfAt80And120Columns() throws {
        for command in [[], ["sweep"], ["merge"], ["report"], ["compare"]] {
            for columns in [80, 120] {
                let lines = try help(command, columns: columns)
                for line in lines { XCTAssertLessThanOrEqual(line.count, columns, "\(command) at \(columns): \(line)") }
                let overview = lines.prefix { !$0.hasPrefix("USAGE:") }
                for (line, next) in zip(overview, overview.dropFirst()) where !line.isEmpty && !next.isEmpty {
                    if line.hasPrefix("  ") || next.hasPrefix("  ") { continue }  // examples, one a line
                    let word = next.split(separator: " ").first.map(String.init) ?? ""
                    // ArgumentParser fills a line to one column short of the width.
                    XCTAssertGreaterThanOrEqual(line.count + 1 + word.count, columns,
                                         "\(command) at \(columns): a hand-broken line, re-wrapped: '\(line)' / '\(next)'")
                }
                let examples = overview.filter { $0.hasPrefix("  stress-test-db") }
                XCTAssertFalse(examples.isEmpty, "\(command): examples")
                for (line, next) in zip(overview, overview.dropFirst()) where line.hasPrefix("  stress-test-db") && !line.hasSuffix("\\") {
                    XCTAssertTrue(next.isEmpty || next.hasPrefix("  "), "\(command) at \(columns): an example cut: '\(line)' / '\(next)'")
                }
            }
        }
    }

    func testANegativeNumberIsTheFlagsValueSpaceOrEquals() throws {
        let cases: [([String], String)] = [
            (["--timeout"], "--timeout takes seconds above 0"), (["--duration"], "--duration takes seconds above 0"),
            (["--vus"], "--vus takes a whole number of VUs at least 1"), (["--requests"], "--requests takes a whole number of requests at least 1"),
            (["--rate"], "--rate takes requests/s at least 0.001"), (["--interval"], "--interval takes seconds at least 0.1"),
            (["--response-max-chars"], "--response-max-chars takes a whole number of characters at least 0"),
            (["--turns"], "--turns takes a whole number of turns at least 1"),
            (["sweep", "--vus", "10,20", "--step-duration"], "--step-duration takes seconds above 0"),
            (["sweep", "--vus", "10,20", "--refine"], "--refine takes a whole number of steps at least 0"),
        ]
        for (flag, message) in cases {
            for form in [flag + ["-1"], flag.dropLast() + [flag.last! + "=-1"]] {
                let arguments = flag.first == "sweep" ? form : ["--vus", "1", "--requests", "1"] + form
                let output = try stressTest(arguments, environment: [:])
                XCTAssertEqual(output.status, 2, "\(form): \(output.all)")
                XCTAssertTrue(output.stderr.contains(message), "\(form): \(output.stderr)")
                XCTAssertFalse(output.stderr.contains("Missing value"), "\(form): \(output.stderr)")
            }
        }
    }
}
