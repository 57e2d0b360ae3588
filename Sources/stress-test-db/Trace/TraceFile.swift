import Foundation
import LambTrace

/// The trace file (SPEC section 24): JSON Lines, a header, then one object a request in `offset_s`
/// order; written whole (a temporary file beside it, renamed over it) so no reader sees half a trace.
enum TraceFile {
    static func header(_ trace: Trace) -> JSONValue {
        .object([("trace", .string("stress-test-db")), ("version", .int(1)), ("source", .string("lamb")),
                 ("start", .wholeOrNumber(trace.start)), ("conversations", .int(trace.conversations)),
                 ("requests", .int(trace.requests.count))])
    }

    static func line(_ request: TraceRequest) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("offset_s", .wholeOrNumber(request.offset)), ("conversation", .string(request.conversation)),
            ("turn", .int(request.turn)), ("assistant_id", request.assistantID.map { .int(Int($0)) } ?? .null),
        ]
        if let prompt = request.prompt {
            members.append(("prompt", .string(prompt)))
        } else {
            members.append(("prompt_chars", .int(request.promptChars)))
        }
        members.append(("gap_s", .wholeOrNumber(request.gap)))
        if let tokens = request.outputTokens { members.append(("output_tokens", .int(tokens))) }
        members.append(("history_answer_chars", .array(request.historyAnswerChars.map { .int($0) })))
        return .object(members)
    }

    static func text(_ trace: Trace) -> String {
        ([header(trace)] + trace.requests.map(line)).map { $0.compact + "\n" }.joined()
    }

    /// Writes `path` whole: the text to a temporary file in the same folder, then renamed over it.
    static func write(_ trace: Trace, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        do {
            try FileOutput.write(temporary, contents: text(trace), append: false)
            guard rename(temporary, path) == 0 else { throw FileError(String(cString: strerror(errno))) }
        } catch {
            unlink(temporary)
            throw FileError("writing --out \(path) failed: \(error)")
        }
    }
}
