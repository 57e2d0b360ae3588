import Foundation

/// The `--csv` summary row, appended to files the Python tool may have started.
enum CSVReport {
    static let header = ["index", "assistant_id", "model", "embedding_model", "total_requests", "vus",
                         "max_time", "total_time", "success_pct", "error"]

    /// RFC 4180: quote a field only when it holds a comma, a quote or a line break.
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\r\n" }

    /// Appends the run's row to the file at `path` (a header first when the file is new or empty).
    static func appendRow(_ summary: RunSummary, to path: String) throws {
        try FileOutput.write(path, contents: append(summary, existing: try FileOutput.read(path)), append: true)
    }

    /// `Timeout(12); 500(3)`: failure kinds and non-2xx statuses, first seen first (the row adds
    /// `Interrupted(after 0.17 s)` for a run stopped by a signal; `total_time` is its wall time).
    static func errorColumn(_ statistics: Statistics) -> String {
        statistics.problems.entries.map { "\($0.key)(\($0.count))" }.joined(separator: "; ")
    }

    static func row(_ summary: RunSummary, index: Int) -> [String] {
        let run = summary.run
        let totalRequests = run.requestLimit.map(String.init)
            ?? "duration:\(JSONText.integerOrNumber(run.durationSeconds ?? 0))"
        return [
            String(index), run.assistantID, summary.statistics.mostCommonModel ?? "", summary.embeddingModel,
            // 0 VUs: a merge that took in another tool's log, which does not say.
            totalRequests, run.virtualUsers > 0 ? String(run.virtualUsers) : "", String(Int(run.timeoutSeconds)),
            String(format: "%.2f", summary.wallSeconds), String(format: "%.2f", summary.statistics.successPercent),
            errorColumn(summary.statistics) + (summary.interrupted
                ? (summary.statistics.problems.entries.isEmpty ? "" : "; ") + String(format: "Interrupted(after %.2f s)", summary.wallSeconds) : ""),
        ]
    }

    /// The bytes to append to a file whose current contents are `existing` (nil: no file yet).
    /// The header goes only into a new or empty file; `index` counts the lines already there.
    static func append(_ summary: RunSummary, existing: [UInt8]?) -> String {
        guard let existing, !existing.isEmpty else {
            return line(header) + line(row(summary, index: 1))
        }
        var lines = existing.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        var prefix = ""
        if existing.last != UInt8(ascii: "\n") {
            // A last line without its line break still counts; end it so our row starts on its own line.
            lines += 1
            prefix = "\r\n"
        }
        return prefix + line(row(summary, index: lines))
    }
}
