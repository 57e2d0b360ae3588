import Foundation
import XCTest

/// The structure checks of `scripts/`: modules and folders layered one way, no long function. Each is run on the real tree
/// (it must pass) and on a small tree with the fault planted (it must catch it).
final class LayerTests: XCTestCase {
    static let root = DocumentationExampleTests.root

    func run(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root.appendingPathComponent("scripts/\(script)").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func plantedTree(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("layers-\(UUID().uuidString)")
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    func testTheSourcesHaveNoBackEdge() throws {
        let result = try run("check-layers")
        XCTAssertEqual(result.status, 0, result.output)
    }

    func testABackEdgeIsCaught() throws {
        let tree = try plantedTree([
            "stress-test-db/Reports/Page.swift": "struct Page { var steps: [Step] }\n",
            "stress-test-db/Run/Step.swift": "struct Step { var page: Page? }\n",
        ])
        defer { try? FileManager.default.removeItem(at: tree) }
        let result = try run("check-layers", [tree.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.output.contains("Reports names Step of Run"), result.output)
        XCTAssertFalse(result.output.contains("Run names Page"), "Run may use Reports: \(result.output)")
    }

    func testAnImportAcrossTheModuleLayersIsCaught() throws {
        let tree = try plantedTree([
            "LoadCore/Core.swift": "import Foundation\n@testable import CCurl\n",
            "URLSessionRunner/Runner.swift": "import Foundation\nimport CurlEngine\nimport LoadCore\n",
            "CurlEngine/Engine.swift": "import CCurl\nimport LoadCore\n// import URLSessionRunner\n",
        ])
        defer { try? FileManager.default.removeItem(at: tree) }
        let result = try run("check-layers", [tree.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.output.contains("module LoadCore imports CCurl"), result.output)
        XCTAssertTrue(result.output.contains("module URLSessionRunner imports CurlEngine"), result.output)
        XCTAssertFalse(result.output.contains("module CurlEngine"), "CurlEngine may import CCurl and LoadCore: \(result.output)")
        XCTAssertFalse(result.output.contains("imports LoadCore"), result.output)
    }

    func testNoFunctionInSourcesIsOverSixtyLines() throws {
        let result = try run("check-function-length", [Self.root.appendingPathComponent("Sources").path])
        XCTAssertEqual(result.status, 0, result.output)
    }

    func testALongFunctionIsCaught() throws {
        let body = (0..<61).map { "    let a\($0) = \"{\" // }\n" }.joined()
        let tree = try plantedTree(["Long.swift": "func long() {\n\(body)}\n\nfunc short() { }\n"])
        defer { try? FileManager.default.removeItem(at: tree) }
        let result = try run("check-function-length", [tree.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.output.contains("func long is 63 lines"), result.output)
        XCTAssertFalse(result.output.contains("short"))
    }
}
