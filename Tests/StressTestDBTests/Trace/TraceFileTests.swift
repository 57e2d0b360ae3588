@testable import LambTrace
@testable import stress_test_db
import XCTest

/// The trace file's lines, the flags' values and the summary's busiest minute, from made-up values.
final class TraceFileTests: XCTestCase {
    private func request(prompt: String?, tokens: Int?, assistant: Int64? = 4) -> TraceRequest {
        TraceRequest(offset: 12, conversation: "00ff", turn: 2, assistantID: assistant, prompt: prompt, promptChars: 5,
                     gap: 7.5, outputTokens: tokens, historyAnswerChars: [30])
    }

    func testLinesCarryThePromptOrItsLengthAndTheTokensWhenKnown() {
        XCTAssertEqual(TraceFile.line(request(prompt: "Hallo", tokens: 9)).compact,
                       #"{"offset_s": 12, "conversation": "00ff", "turn": 2, "assistant_id": 4, "prompt": "Hallo", "gap_s": 7.5, "output_tokens": 9, "history_answer_chars": [30]}"#)
        XCTAssertEqual(TraceFile.line(request(prompt: nil, tokens: nil, assistant: nil)).compact,
                       #"{"offset_s": 12, "conversation": "00ff", "turn": 2, "assistant_id": null, "prompt_chars": 5, "gap_s": 7.5, "history_answer_chars": [30]}"#)
        let trace = Trace(start: 1_796_267_846, conversations: 1, requests: [request(prompt: "a", tokens: 1)], chatConversations: 1)
        XCTAssertEqual(TraceFile.text(trace).split(separator: "\n").first,
                       #"{"trace": "stress-test-db", "version": 1, "source": "lamb", "start": 1796267846, "conversations": 1, "requests": 1}"#)
        XCTAssertEqual(TraceFile.text(trace).filter { $0 == "\n" }.count, 2)
    }

    func testTimesAreEpochSecondsOrISO8601WithAZone() {
        XCTAssertEqual(TraceFlags.time("1796267846"), 1_796_267_846)
        XCTAssertEqual(TraceFlags.time("1796267846.5"), 1_796_267_846.5)
        XCTAssertEqual(TraceFlags.time("2026-12-03T03:17:26Z"), 1_796_267_846)
        XCTAssertEqual(TraceFlags.time("2026-12-03T04:17:26+01:00"), 1_796_267_846)
        XCTAssertEqual(TraceFlags.time("2026-12-03T03:17:26.250Z"), 1_796_267_846.25)
        XCTAssertEqual(TraceFlags.time("2026-12-03"), 1_796_256_000)
        XCTAssertNil(TraceFlags.time("2026-12-03T03:17:26"), "no zone: refused, not guessed")
        XCTAssertNil(TraceFlags.time("yesterday"))
        XCTAssertNil(TraceFlags.time("-5"))
        XCTAssertNil(TraceFlags.time("inf"))
    }

    func testAssistantsAreWholeNumbers() {
        XCTAssertEqual(TraceFlags.assistants("4"), [4])
        XCTAssertEqual(TraceFlags.assistants("4, 7"), [4, 7])
        XCTAssertNil(TraceFlags.assistants("4,"))
        XCTAssertNil(TraceFlags.assistants("four"))
    }

    /// The most requests in any 60 s, wherever that minute starts.
    func testThePeakIsTheBusiestMinute() {
        XCTAssertEqual(TraceSummary.peakPerMinute([]).count, 0)
        let peak = TraceSummary.peakPerMinute([0, 10, 70, 75, 80, 129, 130, 200])
        XCTAssertEqual(peak.count, 4)
        XCTAssertEqual(peak.from, 70)
        XCTAssertEqual(TraceSummary.peakPerMinute([0, 59.9, 60]).count, 2, "[t, t + 60) holds 0 and 59.9, not 60")
    }
}
