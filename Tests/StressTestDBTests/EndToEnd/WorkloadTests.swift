import Foundation
import TestSupport
import XCTest

/// LAMB workloads: several assistants in turn, and a file of prompts.
final class WorkloadTests: BinaryTestCase {
    func testRequestsGoToTheAssistantsInTurn() throws {
        let server = try LambSimServer(["--no-db", "--assistants", "1,2,3"])
        let output = try stressTest(["--vus", "3", "--requests", "30", "--assistant-id", "1,2,3", "--responses", "a.jsonl",
                                     "--csv", "a.csv", "--output", "a.json"], environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let lines = records("a.jsonl")
        XCTAssertEqual(lines.count, 30)
        XCTAssertTrue(lines.allSatisfy { $0["status_code"] as? Int == 200 })
        let counts = Dictionary(grouping: lines, by: { $0["assistant_id"] as? String ?? "?" }).mapValues(\.count)
        XCTAssertEqual(counts, ["1": 10, "2": 10, "3": 10])
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("a.json")))) as! [String: Any]
        let byAssistant = (document["statistics"] as! [String: Any])["by_assistant"] as! [String: [String: Any]]
        XCTAssertEqual(byAssistant.mapValues { $0["total_requests"] as? Int }, ["1": 10, "2": 10, "3": 10])
        XCTAssertEqual((document["metadata"] as! [String: Any])["assistant_id"] as? String, "1+2+3")
        XCTAssertEqual(self.lines("a.csv")[1].split(separator: ",")[1], "1+2+3")
        // An assistant that does not exist is reported as its status, not hidden.
        let missing = try stressTest(["--vus", "2", "--requests", "4", "--assistant-id", "1,9", "--responses", "m.jsonl"],
                                     environment: environment(server.baseURL))
        XCTAssertEqual(records("m.jsonl").filter { $0["status_code"] as? Int == 404 }.count, 2, missing.all)
        // The URLSession runner takes the assistants in turn too (the server answers 404 for the missing one).
        let sync = try stressTest(["--sync", "--vus", "2", "--requests", "4", "--assistant-id", "1,9", "--responses", "s.jsonl"],
                                  environment: environment(server.baseURL))
        let syncLines = records("s.jsonl")
        XCTAssertEqual(syncLines.filter { $0["status_code"] as? Int == 404 }.count, 2, sync.all)
        XCTAssertEqual(syncLines.filter { $0["status_code"] as? Int == 404 }.compactMap { $0["assistant_id"] as? String }, ["9", "9"])
    }

    func testPromptsFromAFileInTurn() throws {
        let server = try LambSimServer(["--latency-ms", "1"])
        try """
            Kaixo, zer moduz?
            {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Summarise the course"}]}

            What is SQLite's WAL?
            """.write(toFile: path("prompts.txt"), atomically: true, encoding: .utf8)
        let output = try stressTest(["--vus", "2", "--requests", "9", "--prompts", "prompts.txt"], environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 0, output.all)
        let sqlite = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"),
                                    [server.databasePath, "SELECT json_extract(messages, '$[0].content') FROM chats"])
        let prompts = sqlite.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(prompts.count, 9)
        XCTAssertEqual(Set(prompts), ["Kaixo, zer moduz?", "Summarise the course", "What is SQLite's WAL?"], sqlite.all)
        XCTAssertEqual(prompts.filter { $0 == "Kaixo, zer moduz?" }.count, 3, "each in turn")

        try "{\"nope\": 1}\n".write(toFile: path("bad.txt"), atomically: true, encoding: .utf8)
        let bad = try stressTest(["--vus", "1", "--requests", "1", "--prompts", "bad.txt"], environment: environment(server.baseURL))
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("--prompts bad.txt line 1"), bad.stderr)
    }
}
