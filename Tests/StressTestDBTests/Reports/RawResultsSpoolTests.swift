import XCTest
@testable import stress_test_db

final class RawResultsSpoolTests: XCTestCase {
    func testSpooledDocumentEqualsTheInMemoryOneAndLeavesNoFileBehind() throws {
        let folder = NSTemporaryDirectory() + "spool-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let records = [record(latency: 1.5), record(status: 503, latency: 2), record(status: 0, latency: 3, failure: .timeout)]
        let summary = ReportFixtures.summary(records)
        let path = folder + "/out.json"
        for (batch, expected) in [([ResponseRecord](), 0), (records, 3)] {
            let spool = try RawResultsSpool(beside: path)
            try spool.append(Array(batch.prefix(1)))
            try spool.append(Array(batch.dropFirst()))
            XCTAssertEqual(spool.count, expected)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != "out.json" }, [],
                           "the spool has no name in the folder")
            try spool.writeDocument(summary, to: path, writtenAtMicroseconds: 42)
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8),
                           JSONReport.document(summary, records: batch, writtenAtMicroseconds: 42))
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        XCTAssertEqual((parsed?["raw_results"] as? [Any])?.count, 3)
    }
}

extension RawResultsSpool {
    /// Records added and flushed at once, throwing what the flush met (the run's sink adds and flushes apart).
    func append(_ records: [ResponseRecord]) throws {
        records.forEach(add)
        flush()
        if let failure { throw FileError(failure) }
    }
}
