import XCTest
@testable import LoadCore

/// `--replay`'s reader (SPEC 24): our trace file and AIPerf's, and the one clear error for anything else.
final class ReplayTraceTests: XCTestCase {
    static let header = #"{"trace": "stress-test-db", "version": 1, "source": "lamb", "start": 1796267846, "conversations": 2, "requests": 3}"#
    static let ours = [
        header,
        #"{"offset_s": 0, "conversation": "aa", "turn": 1, "assistant_id": 1, "prompt": "What is \"p\"?\n", "gap_s": 0, "history_answer_chars": []}"#,
        #"{"offset_s": 4, "conversation": "bb", "turn": 1, "assistant_id": 1, "prompt_chars": 12, "gap_s": 0, "history_answer_chars": []}"#,
        #"{"offset_s": 8, "conversation": "aa", "turn": 2, "assistant_id": 1, "prompt": "And 0.03?", "gap_s": 8, "output_tokens": 6, "history_answer_chars": [24]}"#,
    ].joined(separator: "\n") + "\n"

    func testOurFormatGroupsTurnsByConversationWithLinesGapsAndSyntheticTextForLengths() throws {
        let trace = try ReplayTrace.parse(Self.ours, name: "t")
        XCTAssertEqual(trace.format, .stressTestDB)
        XCTAssertEqual(trace.conversations.map(\.key), ["aa", "bb"])
        XCTAssertEqual(trace.requests, 3)
        XCTAssertEqual(trace.conversations[0].turns, [
            ReplayTrace.Turn(line: 2, offset: 0, gap: 0, prompt: "What is \"p\"?\n"),
            ReplayTrace.Turn(line: 4, offset: 8, gap: 8, prompt: "And 0.03?"),
        ])
        XCTAssertEqual(trace.conversations[1].turns[0].prompt.unicodeScalars.count, 12, "prompt_chars: that many characters")
    }

    func testAIPerfLinesAreOneTurnConversationsOfThatManyWordsFromTheEarliestTimestamp() throws {
        let text = #"{"timestamp": 2500, "input_length": 3, "output_length": 40}"# + "\n" + #"{"timestamp": 1000, "input_length": 7, "output_length": 5}"#
        let trace = try ReplayTrace.parse(text, name: "t")
        XCTAssertEqual(trace.format, .aiperf)
        XCTAssertEqual(trace.conversations.map { $0.turns.count }, [1, 1])
        XCTAssertEqual(trace.conversations.map(\.offset), [0, 1.5], "ordered by time, offsets from the earliest")
        XCTAssertEqual(trace.conversations[0].turns[0].prompt.split(separator: " ").count, 7)
        XCTAssertEqual(trace.conversations[1].turns[0].line, 1)
    }

    func testAnUnknownVersionIsRefusedNamingIt() {
        let text = Self.ours.replacingOccurrences(of: #""version": 1"#, with: #""version": 2"#)
        XCTAssertThrowsError(try ReplayTrace.parse(text, name: "t")) { error in
            XCTAssertTrue("\(error)".contains("trace version 2"), "\(error)")
        }
    }

    func testHostileInputIsOneClearErrorNamingTheLine() {
        let cases: [(String, String)] = [
            ("", "is empty"),
            ("not json\n", "line 1 is not a JSON object"),
            ("[1, 2]\n", "line 1 is not a JSON object"),
            (#"{"hello": 1}"#, "neither a trace header"),
            (Self.ours.replacingOccurrences(of: #""turn": 2"#, with: #""turn": 3"#), "line 4 is turn 3 of conversation aa after its turn 1"),
            (Self.ours.replacingOccurrences(of: #""offset_s": 4"#, with: #""offset_s": -4"#), "line 3 has `offset_s` -4"),
            (Self.ours.replacingOccurrences(of: #""prompt_chars": 12"#, with: #""prompt_chars": 1e15"#), "line 3 has `prompt_chars`"),
            (Self.ours.replacingOccurrences(of: #""prompt_chars": 12"#, with: #""prompt_chars": 99999999"#), "at most 1000000"),
            (Self.ours.replacingOccurrences(of: #""requests": 3"#, with: #""requests": 4"#), "says 4 requests but the file has 3"),
            (#"{"timestamp": 1, "input_length": -3}"#, "`input_length` -3"),
            (#"{"timestamp": "soon", "input_length": 3}"#, "`timestamp` soon"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try ReplayTrace.parse(text, name: "t"), expected) { error in
                XCTAssertTrue(error is ReplayTraceError)
                XCTAssertTrue("\(error)".contains(expected), "\(error) should say \(expected)")
                XCTAssertFalse("\(error)".contains("\n"), "one line")
            }
        }
    }

    /// Seeded damage to a good trace: each mutant parses or is refused with a `ReplayTraceError`, never a crash.
    func testTwoThousandDamagedTracesNeverCrash() {
        var random = SplitMix64(seed: 24)
        let bytes = Array(Self.ours.utf8)
        var refused = 0
        for _ in 0..<2000 {
            var mutant = bytes
            let at = Int(random.next() % UInt64(mutant.count))
            let span = min(mutant.count - at, 1 + Int(random.next() % 32))
            switch random.next() % 4 {
            case 0: mutant[at] ^= UInt8(1 << (random.next() % 8))
            case 1: mutant.removeSubrange(at...)
            case 2: mutant.insert(contentsOf: mutant[at..<(at + span)], at: at)
            default: mutant.replaceSubrange(at..<(at + span), with: Array(["1e308", "-1", "null", "[]", "{}", "\"", "9999999999"][Int(random.next() % 7)].utf8))
            }
            do { _ = try ReplayTrace.parse(String(decoding: mutant, as: UTF8.self), name: "t") } catch {
                XCTAssertTrue(error is ReplayTraceError, "\(error)")
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 500, "most damage is caught")
    }
}
