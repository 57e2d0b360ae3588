import Foundation
import XCTest
@testable import stress_test_db

/// A run's configuration as `run --vus 5 --duration 10 --no-progress` resolves it (a target that is never contacted).
func pipelineConfiguration() throws -> Configuration {
    try Configuration.resolve(options: RunOptions.parse(["--vus", "5", "--duration", "10", "--no-progress"]),
                              environment: ["API_BASE_URL": "http://127.0.0.1:9", "JWT_TOKEN": "t", "ASSISTANT_ID": "1"],
                              readFile: { _ in nil })
}

/// A temporary folder for a pipeline test's files, and readers that check those files are whole.
struct PipelineFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pipeline-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The file's lines, checked whole: it ends with a newline (no line cut short).
    func lines(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let text = try String(contentsOfFile: self.file(name), encoding: .utf8)
        if !text.isEmpty { XCTAssertTrue(text.hasSuffix("\n"), "\(name) ends mid-line", file: file, line: line) }
        return text.split(separator: "\n").map(String.init)
    }

    /// A JSON Lines file's objects: each line one whole JSON object.
    func jsonLines(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        try lines(name, file: file, line: line).map { text in
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return try XCTUnwrap(object, "not a JSON object: \(text)", file: file, line: line)
        }
    }

    /// An HDR log's interval lines of one tag, as (start, length) in seconds.
    func hdrIntervals(_ name: String, tag: String = "latency") throws -> [(start: Double, length: Double)] {
        try lines(name).filter { $0.hasPrefix("Tag=\(tag),") }.map { line in
            let fields = line.split(separator: ",").map(String.init)
            return (try XCTUnwrap(Double(fields[1])), try XCTUnwrap(Double(fields[2])))
        }
    }
}
