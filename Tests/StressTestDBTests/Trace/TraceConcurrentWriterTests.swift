import Foundation
import GRDB
import TestSupport
import XCTest

/// The export beside a running LAMB: a copy of the sample (WAL mode, or a rollback journal) that this process keeps writing
/// to (a chat and a completion a transaction, LAMB's 5 s busy timeout) while the binary exports it.
final class TraceConcurrentWriterTests: BinaryTestCase {
    /// The writer's counts, shared with its thread.
    private final class Writes: @unchecked Sendable {
        private let lock = NSLock()
        private var done = 0, failed: [String] = [], stop = false
        func record(_ error: Error?) {
            lock.withLock { if let error { if failed.count < 3 { failed.append("\(error)") } } else { done += 1 } }
        }
        func finish() { lock.withLock { stop = true } }
        var stopped: Bool { lock.withLock { stop } }
        var counts: (done: Int, failed: [String]) { lock.withLock { (done, failed) } }
    }

    func testExportReadsWhileLambWritesInWALMode() throws {
        try exportWhileWriting(journalMode: .wal, expected: "wal")
    }

    /// A rollback journal (the sample's own mode): the writer waits for a page's read at most, and the
    /// export finds the gaps between the writer's transactions.
    func testExportReadsWhileAWriterCommitsInRollbackJournalMode() throws {
        try exportWhileWriting(journalMode: .default, expected: "delete")
    }

    private func exportWhileWriting(journalMode: Configuration.JournalModeConfiguration, expected: String) throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: LambFixtures.sample), "no \(LambFixtures.sample)")
        let database = path("lamb.db")
        try FileManager.default.copyItem(atPath: LambFixtures.sample, toPath: database)
        var configuration = Configuration()
        configuration.journalMode = journalMode
        configuration.busyMode = .timeout(5)
        configuration.foreignKeysEnabled = false  // as LAMB's Python sqlite3; the copy lacks LAMB's users table
        let writer = try DatabaseQueue(path: database, configuration: configuration)
        XCTAssertEqual(try writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, expected)
        let writes = Writes()
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            // Bounded: 20,000 transactions at most, stopped as soon as the export has ended.
            for index in 0..<20_000 where !writes.stopped {
                writes.record(Result { try Self.writeTurn(writer, index: index) }.error)
            }
            finished.signal()
        }
        thread.start()
        var joined = false
        defer { if !joined { writes.finish(); finished.wait() } }
        while writes.counts.done < 20, writes.counts.failed.isEmpty { usleep(1000) }
        let before = writes.counts.done
        var exports: [ProcessOutput] = []
        for round in 0..<3 {
            exports.append(try runProcess(binary("stress-test-db"),
                                          ["trace", "export", "--lamb-db", database, "--out", path("trace-\(round).jsonl")],
                                          directory: folder))
        }
        writes.finish()
        finished.wait()
        joined = true
        let counts = writes.counts
        XCTAssertEqual(counts.failed, [], "the writer never failed (no SQLITE_BUSY past its timeout)")
        XCTAssertGreaterThan(counts.done, before, "the writer wrote while the exports ran")
        for (round, output) in exports.enumerated() {
            XCTAssertEqual(output.status, 0, output.all)
            let header = records("trace-\(round).jsonl").first ?? [:]
            let requests = header["requests"] as? Int ?? 0
            XCTAssertGreaterThanOrEqual(requests, 875, "the class, and the chats written before the read")
            XCTAssertLessThanOrEqual(requests, 875 + counts.done)
        }
    }

    /// One of LAMB's writes: a new chat of one turn and its completion, in one transaction.
    private static func writeTurn(_ queue: DatabaseQueue, index: Int) throws {
        let time = 1_796_268_000 + index
        try queue.write { db in
            try LambFixtures.insertChat(db, id: "written-\(index)", assistant: 1,
                                        messages: LambFixtures.linearChat([("Question number \(index)", time)]))
            try LambFixtures.insertUsage(db, assistant: 1, at: time + 1)
        }
    }
}

private extension Result {
    var error: Failure? { if case .failure(let error) = self { error } else { nil } }
}
