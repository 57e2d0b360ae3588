import XCTest
@testable import stress_test_db

/// `--replay` resolved (SPEC 24): the schedule with `--seed` and `--shard`, the VUs it needs, the body
/// parts, and the flags a replay cannot take.
final class ReplayConfigurationTests: XCTestCase {
    let environment = ["API_BASE_URL": "http://127.0.0.1:9", "JWT_TOKEN": "t", "ASSISTANT_ID": "1"]
    /// Three conversations 10 s apart, two turns 4 s apart each.
    let trace = ([#"{"trace": "stress-test-db", "version": 1, "conversations": 3, "requests": 6}"#]
        + (0..<3).flatMap { k in [
            #"{"offset_s": \#(10 * k), "conversation": "c\#(k)", "turn": 1, "prompt": "hi \#(k)", "gap_s": 0}"#,
            #"{"offset_s": \#(10 * k + 4), "conversation": "c\#(k)", "turn": 2, "prompt": "and? \#(k)", "gap_s": 4}"#,
        ] }).joined(separator: "\n")

    func resolve(_ arguments: [String]) throws -> Configuration {
        let options = try RunOptions.parse(["--replay", "class.jsonl"] + arguments)
        return try Configuration.resolve(options: options, environment: environment, readFile: { $0 == "class.jsonl" ? self.trace : nil })
    }

    func testTheScheduleItsVUsAndTheBodyParts() throws {
        let configuration = try resolve(["--speed", "2", "--scale", "2", "--seed", "9", "--stream"])
        let replay = try XCTUnwrap(configuration.replay)
        XCTAssertEqual(replay.schedule.requests, 12)
        XCTAssertEqual(replay.schedule.speed, 2)
        // Each conversation open from its first turn to 2 s later plus 10 s for the answer; copies overlap.
        XCTAssertEqual(configuration.load.virtualUsers, replay.schedule.peakConcurrency())
        XCTAssertEqual(try resolve(["--vus", "7"]).load.virtualUsers, 7, "--vus caps the conversations in flight")
        let engine = configuration.engineConfiguration
        XCTAssertEqual(engine.replay, replay.schedule)
        XCTAssertEqual(String(decoding: engine.conversations?.tail ?? [], as: UTF8.self), #"], "stream": true"#)
        XCTAssertEqual(configuration.runDescription.replay,
                       ReplayDescription(file: "class.jsonl", speed: 2, scale: 2, conversations: 6, requests: 12))
    }

    func testShardsTakeWholeConversationsAndAShardWithNoneIsAnError() throws {
        XCTAssertEqual(try resolve(["--shard", "0/2"]).replay?.schedule.conversations, 2)
        XCTAssertEqual(try resolve(["--shard", "1/2"]).replay?.schedule.conversations, 1)
        XCTAssertThrowsError(try resolve(["--shard", "3/4"])) { error in
            XCTAssertTrue("\(error)".contains("leave none to this shard"), "\(error)")
        }
    }

    func testFlagsAReplayDecidesItselfAreNamedInOneError() {
        XCTAssertThrowsError(try resolve(["--requests", "5", "--think", "2s"])) { error in
            XCTAssertTrue(error is ConfigurationError)
            XCTAssertTrue("\(error)".contains("--requests") && "\(error)".contains("--think"), "\(error)")
        }
        XCTAssertThrowsError(try RunOptions.parse(["--vus", "1", "--requests", "1", "--scale", "2"]), "--scale without --replay")
        XCTAssertThrowsError(try RunOptions.parse(["--replay", "class.jsonl", "--speed", "0"]), "--speed above 0")
        XCTAssertThrowsError(try RunOptions.parse(["--replay", "class.jsonl", "--scale", "-1"]), "--scale above 0")
    }
}
