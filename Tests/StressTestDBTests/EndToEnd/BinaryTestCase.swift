import Foundation
import TestSupport
import XCTest

/// A test that runs the real stress-test-db binary in a fresh folder of its own.
class BinaryTestCase: XCTestCase {
    var folder: URL!

    override func setUp() { folder = makeTemporaryFolder("stdb-test") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func environment(_ baseURL: String) -> [String: String] {
        ["API_BASE_URL": baseURL, "JWT_TOKEN": LambSimServer.token, "ASSISTANT_ID": "1"]
    }

    @discardableResult
    func stressTest(_ arguments: [String], environment: [String: String], timeout: Double = 120,
                    onStart: ((Process) -> Void)? = nil) throws -> ProcessOutput {
        try runProcess(binary("stress-test-db"), arguments + ["--no-progress"], environment: environment,
                       directory: folder, timeout: timeout, onStart: onStart)
    }

    /// The file's lines split at LF only, so a CRLF line keeps its `\r`.
    func lines(_ name: String) -> [String] {
        let bytes = [UInt8](FileManager.default.contents(atPath: path(name)) ?? Data())
        return bytes.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every line of a JSONL file, each of which must parse.
    func records(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        let bytes = [UInt8](FileManager.default.contents(atPath: path(name)) ?? Data())
        if !bytes.isEmpty { XCTAssertEqual(bytes.last, UInt8(ascii: "\n"), "no torn last line", file: file, line: line) }
        return bytes.split(separator: UInt8(ascii: "\n")).compactMap { lineBytes in
            let object = try? JSONSerialization.jsonObject(with: Data(lineBytes)) as? [String: Any]
            XCTAssertNotNil(object, "unparseable line: \(String(decoding: lineBytes.prefix(200), as: UTF8.self))", file: file, line: line)
            return object
        }
    }

    /// Blocks until lamb-sim has received `count` chat requests in all (so the run under test is
    /// under way, its signal handlers installed), however slow the machine; 120 s at most.
    func wait(for server: LambSimServer, toReceive count: Int, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let received = (try? server.stats())?["received"] as? Int, received >= count { return }
            usleep(20_000)
        }
        XCTFail("lamb-sim never received \(count) requests", file: file, line: line)
    }
}
