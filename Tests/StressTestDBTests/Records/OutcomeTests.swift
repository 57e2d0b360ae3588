import LoadCore
import XCTest
@testable import stress_test_db

/// SPEC sections 4 and 9: one outcome per record, in the spec's precedence.
final class OutcomeTests: XCTestCase {
    func classify(status: Int = 200, failure: FailureKind? = nil, bodyError: String? = nil, bytes: Int = 10,
                  stream: StreamSummary? = nil, trust: Bool = false) -> Outcome {
        Outcome.classify(statusCode: status, failure: failure, bodyError: bodyError, bodyBytes: bytes, stream: stream,
                         trustStatus: trust)
    }

    func testTable() {
        let done = StreamSummary(events: 4, contentChunks: 3, sawDone: true)
        let cut = StreamSummary(events: 4, contentChunks: 3, sawDone: false)
        let errored = StreamSummary(events: 2, contentChunks: 1, sawDone: true, errorMessage: "boom")
        let silent = StreamSummary(events: 2, contentChunks: 0, sawDone: true)
        let nothing = StreamSummary()
        let rows: [(Outcome, Outcome, String)] = [
            (classify(), .success, "a plain 2xx"),
            (classify(status: 0, failure: .timeout), .transport(.timeout), "a timeout"),
            (classify(status: 503), .status(503), "a non-2xx status"),
            (classify(bodyError: "x"), .errorInResponse, "an error hidden in a 200"),
            (classify(bytes: 0), .emptyResponse, "an empty 200"),
            (classify(bodyError: "x", trust: true), .success, "--trust-status: the status decides"),
            (classify(stream: done), .success, "a whole stream"),
            (classify(stream: errored), .streamError, "an error event, even before [DONE]"),
            (classify(stream: cut), .incompleteStream, "no [DONE]"),
            (classify(stream: silent), .emptyResponse, "[DONE] without content"),
            (classify(bytes: 0, stream: nothing), .emptyResponse, "LAMB's empty 200"),
            (classify(status: 0, failure: .connectionReset, stream: cut), .incompleteStream, "reset mid-stream"),
            (classify(status: 0, failure: .serverDisconnected, stream: cut), .incompleteStream, "closed mid-stream"),
            (classify(status: 0, failure: .timeout, stream: cut), .transport(.timeout), "a timeout stays Timeout"),
            (classify(status: 0, failure: .connectionRefused, stream: nothing), .transport(.connectionRefused), "before any event"),
            (classify(status: 500, stream: errored), .status(500), "the status comes before the stream"),
            (classify(stream: errored, trust: true), .success, "--trust-status with a stream"),
        ]
        for (actual, expected, why) in rows { XCTAssertEqual(actual, expected, why) }
        XCTAssertEqual(Outcome.streamError.error, "StreamError")
        XCTAssertEqual(Outcome.incompleteStream.problemKey, "IncompleteStream")
        XCTAssertNil(Outcome.status(404).error)
        XCTAssertEqual(Outcome.status(404).problemKey, "404")
    }
}
