import Foundation
import TestSupport
import XCTest

/// The HTML report as a person sees it: rendered by headless Chromium (Debian's), not blank, with
/// the console's p95 in its text, and nothing loaded from any URL.
final class HTMLReportTests: BinaryTestCase {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    func render(_ html: String) throws -> (text: String, screenshot: Data) {
        let browser = try XCTUnwrap(Self.chromium.map(URL.init(fileURLWithPath:)), "chromium is installed by scripts/test")
        let page = URL(fileURLWithPath: path(html)).absoluteString
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(path("profile"))"]
        let text = try runProcess(browser, common + ["--dump-dom", page], timeout: 120)
        _ = try runProcess(browser, common + ["--screenshot=\(path("shot.png"))", "--window-size=1000,1600", page], timeout: 120)
        return (text.stdout, try Data(contentsOf: URL(fileURLWithPath: path("shot.png"))))
    }

    func assertSelfContained(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let text = try String(contentsOfFile: path(html), encoding: .utf8)
        for loader in ["<script", "src=", "href=", "url(", "@import", "<link", "xmlns"] {
            XCTAssertFalse(text.contains(loader), "\(loader) in the report", file: file, line: line)
        }
    }

    func testARunsReportRendersWithTheConsolesNumbers() throws {
        let server = try LambSimServer(["--no-db", "--latency-ms", "5-40"])
        let output = try stressTest(["--vus", "6", "--duration", "3", "--report", "run.html"], environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let p95 = try XCTUnwrap(output.stdout.split(separator: "\n").first { $0.hasPrefix("  P95:") }).split(separator: " ").last!
        try assertSelfContained("run.html")
        let (text, screenshot) = try render("run.html")
        XCTAssertTrue(text.contains("P95: ") && text.contains(String(p95)), "the console's p95 \(p95) is in the page")
        XCTAssertTrue(text.contains("Latency over time") && text.contains("Latency histogram"))
        // A blank 1000×1600 page compresses to a few KB; text and charts do not.
        XCTAssertGreaterThan(screenshot.count, 30_000, "the screenshot is not blank")
        XCTAssertEqual(Array(screenshot.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG")
    }

    func testAReportFromThePythonToolsFilesAndFromASweep() throws {
        try FileManager.default.copyItem(atPath: fixture("python-tool-responses.jsonl").path, toPath: path("py.jsonl"))
        let report = try runProcess(binary("stress-test-db"), ["report", "--responses", "py.jsonl", "-o", "py.html"], directory: folder)
        XCTAssertEqual(report.status, 0, report.all)
        try assertSelfContained("py.html")
        let (text, _) = try render("py.html")
        XCTAssertTrue(text.contains("Requests:     8 total"), text)
        XCTAssertTrue(text.contains("Timeout: 2 (25.0%)"))

        let server = try LambSimServer(["--no-db", "--latency-ms", "20", "--max-concurrent", "4"])
        let sweep = try stressTest(["sweep", "--vus", "2,4,8,16", "--step-duration", "1", "--max-p95", "45", "--refine", "0",
                                    "--report", "sweep.html"], environment: environment(server.baseURL))
        XCTAssertEqual(sweep.status, 0, sweep.all)
        try assertSelfContained("sweep.html")
        let (sweepText, _) = try render("sweep.html")
        XCTAssertTrue(sweepText.contains("Capacity sweep") && sweepText.contains("SLO 45 ms"), sweepText)

        let missing = try runProcess(binary("stress-test-db"), ["report", "--responses", "nope.jsonl", "-o", "x.html"], directory: folder)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("--responses nope.jsonl does not exist"), missing.stderr)
    }

    /// Issue 26: a damaged input is an error naming it, and the report already there is left as it was.
    func testADamagedInputLeavesTheReportAlone() throws {
        try Data("old report".utf8).write(to: URL(fileURLWithPath: path("r.html")))
        let good = #"{"status_code": 200, "latency_ms": 12.5, "success": true}"#
        try Data((good + "\n" + #"{"status_code": 200, "latency_ms": -3, "success": true}"# + "\n").utf8)
            .write(to: URL(fileURLWithPath: path("r.jsonl")))
        try Data([0, 1, 2, 255]).write(to: URL(fileURLWithPath: path("t.jsonl")))
        for (arguments, expected) in [(["--responses", "r.jsonl"], "--responses r.jsonl line 2: latency_ms is -3"),
                                      (["--timeseries", "t.jsonl"], "--timeseries t.jsonl is not a text file"),
                                      (["--output", "."], "--output . is a folder")] {
            let output = try runProcess(binary("stress-test-db"), ["report"] + arguments + ["-o", "r.html"], directory: folder)
            XCTAssertEqual(output.status, 1, output.all)
            XCTAssertTrue(output.stderr.contains(expected), output.stderr)
            XCTAssertEqual(try String(contentsOfFile: path("r.html"), encoding: .utf8), "old report")
        }
    }
}
