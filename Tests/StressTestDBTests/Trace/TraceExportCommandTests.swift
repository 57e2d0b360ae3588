import Foundation
import GRDB
import TestSupport
import XCTest

/// `stress-test-db trace export` as users run it: the file, `--anonymize`, the errors and their exit
/// status, and a LAMB writing to its database (WAL mode) while the export reads it.
final class TraceExportCommandTests: BinaryTestCase {
    private func export(_ arguments: [String]) throws -> ProcessOutput {
        try runProcess(binary("stress-test-db"), ["trace", "export"] + arguments, directory: folder, timeout: 120)
    }

    private func requireSample() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: LambFixtures.sample), "no \(LambFixtures.sample)")
    }

    func testTheSampleExportsAsATraceFile() throws {
        try requireSample()
        let output = try export(["--lamb-db", LambFixtures.sample, "--out", path("class.jsonl")])
        XCTAssertEqual(output.status, 0, output.all)
        XCTAssertTrue(output.stdout.contains("Trace: 297 conversations (297 chats, 0 completions without a chat), 875 requests"), output.stdout)
        XCTAssertTrue(output.stdout.contains("(150 s)"), output.stdout)
        XCTAssertTrue(output.stdout.contains("Peak: 368 requests per minute"), output.stdout)
        let lines = records("class.jsonl")
        XCTAssertEqual(lines.count, 876)
        XCTAssertEqual(lines[0]["trace"] as? String, "stress-test-db")
        XCTAssertEqual(lines[0]["version"] as? Int, 1)
        XCTAssertEqual(lines[0]["source"] as? String, "lamb")
        XCTAssertEqual(lines[0]["start"] as? Int, 1_796_267_846)
        XCTAssertEqual(lines[0]["conversations"] as? Int, 297)
        XCTAssertEqual(lines[0]["requests"] as? Int, 875)
        let requests = lines.dropFirst()
        XCTAssertEqual(requests.compactMap { $0["prompt"] as? String }.count, 875)
        XCTAssertEqual(requests.filter { ($0["turn"] as? Int) == 1 }.count, 297)
        XCTAssertEqual(requests.filter { ($0["turn"] as? Int) == 1 && ($0["gap_s"] as? Int) != 0 }.count, 0)
        let chatIDs = try DatabaseQueue(path: LambFixtures.sample, configuration: readOnly()).read { db in
            try String.fetchAll(db, sql: "SELECT id FROM LAMB_lamb_chats")
        }
        let text = String(decoding: FileManager.default.contents(atPath: path("class.jsonl")) ?? Data(), as: UTF8.self)
        XCTAssertFalse(chatIDs.contains { text.contains($0) }, "no LAMB chat id in the trace")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["class.jsonl"], "no temporary file left")
    }

    /// Every word of four letters or more of the chats (questions and answers) is absent from the file.
    func testAnonymizeLeavesNoOriginalWord() throws {
        try requireSample()
        let output = try export(["--lamb-db", LambFixtures.sample, "--anonymize", "--out", path("anonymous.jsonl")])
        XCTAssertEqual(output.status, 0, output.all)
        let chats = try DatabaseQueue(path: LambFixtures.sample, configuration: readOnly()).read { db in
            try String.fetchAll(db, sql: "SELECT chat FROM LAMB_lamb_chats")
        }
        var words = Set<String>()
        for chat in chats {
            let document = try JSONSerialization.jsonObject(with: Data(chat.utf8)) as? [String: Any]
            let messages = (document?["history"] as? [String: Any])?["messages"] as? [String: [String: Any]] ?? [:]
            for message in messages.values {
                let content = message["content"] as? String ?? ""
                words.formUnion(content.split { !$0.isLetter }.map(String.init).filter { $0.count >= 4 })
            }
        }
        XCTAssertGreaterThan(words.count, 50)
        let text = String(decoding: FileManager.default.contents(atPath: path("anonymous.jsonl")) ?? Data(), as: UTF8.self)
        XCTAssertEqual(words.filter { text.contains($0) }.sorted(), [])
        let requests = records("anonymous.jsonl").dropFirst()
        XCTAssertEqual(requests.count, 875)
        XCTAssertTrue(requests.allSatisfy { $0["prompt"] == nil && ($0["prompt_chars"] as? Int ?? 0) > 0 })
    }

    func testErrorsSayWhatIsWrongAndWriteNothing() throws {
        try Data("not a database".utf8).write(to: folder.appendingPathComponent("text.db"))
        _ = try LambFixtures.makeDatabase(in: folder, name: "empty-lamb.db")
        try DatabaseQueue(path: path("other.db")).write { try $0.execute(sql: "CREATE TABLE t (a)") }
        let cases: [([String], Int32, String)] = [
            (["--lamb-db", path("missing.db"), "--out", path("t.jsonl")], 1, "no such file"),
            (["--lamb-db", path("text.db"), "--out", path("t.jsonl")], 1, "cannot be read as an SQLite database"),
            (["--lamb-db", path("other.db"), "--out", path("t.jsonl")], 1, "is not a LAMB database"),
            (["--lamb-db", path("empty-lamb.db"), "--out", path("t.jsonl")], 1, "holds no conversation to export"),
            (["--lamb-db", path("other.db"), "--out", path("other.db")], 1, "is the LAMB database itself"),
            (["--lamb-db", path("empty-lamb.db"), "--out", path("no/such/folder.jsonl")], 1, "cannot be written"),
            (["--lamb-db", path("other.db"), "--out", path("t.jsonl"), "--since", "yesterday"], 2, "--since takes a time"),
            (["--lamb-db", path("other.db"), "--out", path("t.jsonl"), "--since", "100", "--until", "50"], 2, "--since must be before --until"),
            (["--lamb-db", path("other.db"), "--out", path("t.jsonl"), "--assistant", "1,x"], 2, "--assistant takes"),
            (["--lamb-db", path("other.db")], 2, "Missing expected argument '--out"),
        ]
        for (arguments, status, message) in cases {
            let output = try export(arguments)
            XCTAssertEqual(output.status, status, "\(arguments): \(output.all)")
            XCTAssertTrue(output.stderr.hasPrefix("Error: "), output.stderr)
            XCTAssertTrue(output.stderr.contains(message), "\(arguments): \(output.stderr)")
            XCTAssertFalse(output.stderr.contains("Fatal"), output.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("t.jsonl")))
        }
        XCTAssertEqual(try DatabaseQueue(path: path("other.db")).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") }, 0)
    }

    private func readOnly() -> Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }
}
