import Foundation
import XCTest
@testable import stress_test_db

final class FileOutputTests: XCTestCase {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    func testWritableChecks() {
        XCTAssertNoThrow(try FileOutput.checkWritable(NSTemporaryDirectory() + "/new-file-\(UUID().uuidString)"))
        XCTAssertThrowsError(try FileOutput.checkWritable("/no/such/folder/file"))
        XCTAssertThrowsError(try FileOutput.checkWritable(NSTemporaryDirectory()))
        XCTAssertThrowsError(try FileOutput.checkWritable("/dev/null/file"))
    }

    /// Issue 26: a reader polling a document while it is rewritten sees the old one or the new one,
    /// whole, never part of one (before, `write` truncated in place: a poll found an empty or half file).
    func testAReaderNeverSeesPartOfADocument() throws {
        let folder = NSTemporaryDirectory() + "replace-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/o.json"
        let versions = (0..<40).map { String(repeating: "\($0 % 10)", count: 1 << 18) + "\n" }
        try FileOutput.write(path, contents: versions[0], append: false)
        let finished = Flag()
        Thread {
            for version in versions.dropFirst() { try? FileOutput.write(path, contents: version, append: false) }
            finished.set()
        }.start()
        var reads = 0, partial = 0
        while true {
            if finished.isSet { break }
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if !versions.contains(text) { partial += 1 }
            reads += 1
        }
        XCTAssertEqual(partial, 0, "\(partial) of \(reads) reads found part of a document")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), versions.last)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["o.json"], "no temporary file left")
    }

    func testAnUnwritableFolderLeavesTheOldFileAndNoTemporary() throws {
        XCTAssertThrowsError(try FileOutput.write("/no/such/folder/o.json", contents: "x", append: false))
        let folder = NSTemporaryDirectory() + "replace-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileOutput.write(folder + "/o.json", contents: "old", append: false)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.json", withDestinationPath: "o.json")
        try FileOutput.write(folder + "/link.json", contents: "new", append: false)
        XCTAssertEqual(try String(contentsOfFile: folder + "/o.json", encoding: .utf8), "new", "a link's target is replaced")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link.json"), "o.json")
        XCTAssertThrowsError(try FileOutput.write(folder, contents: "x", append: false), "a folder is not replaced")
    }
}
