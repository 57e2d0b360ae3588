/// The `--output` document: metadata, statistics, and every record. The records are rendered as
/// they arrive (`element`) and the document is put together at the end: `head`, elements, `tail`.
enum JSONReport {
    static func document(_ summary: RunSummary, records: [ResponseRecord]) -> String {
        head(summary) + records.enumerated().map { element($1, first: $0 == 0) }.joined() + tail(count: records.count)
    }

    /// One `raw_results` element as it stands in the document, with what separates it from the one before.
    static func element(_ record: ResponseRecord, first: Bool) -> String {
        (first ? "" : ",") + "\n    " + record.json.pretty(level: 2)
    }

    static func tail(count: Int) -> String { count == 0 ? "]\n}\n" : "\n  ]\n}\n" }

    /// Everything up to and including `"raw_results": [`.
    static func head(_ summary: RunSummary) -> String {
        let configuration = summary.configuration
        let statistics = summary.statistics
        var latency: JSONValue = .object([])
        if let summary = statistics.latencySummary() {
            latency = .object([
                ("min", .number(summary.min)), ("max", .number(summary.max)), ("mean", .number(summary.mean)),
                ("median", .number(summary.median)), ("p95", .number(summary.p95)), ("p99", .number(summary.p99)),
                ("stdev", .number(summary.stdev)),
            ])
        }
        let document: JSONValue = .object([
            ("metadata", .object([
                ("timestamp", .string(isoTimestamp(microseconds: summary.startedAtMicroseconds))),
                ("api_url", .string(configuration.baseURL)),
                ("assistant_id", .string(configuration.assistantID)),
                ("vus", .int(configuration.virtualUsers)),
                ("total_requests", .optional(configuration.requestLimit)),
                ("duration", .optional(configuration.durationSeconds)),
                ("timeout", .wholeOrNumber(configuration.timeoutSeconds)),
            ])),
            ("statistics", .object([
                ("total_requests", .int(statistics.total)),
                ("successful", .int(statistics.successful)),
                ("failed", .int(statistics.failed)),
                ("error_rate_percent", .number(statistics.errorRatePercent)),
                ("status_codes", .object(statistics.statusCodes.entries.sorted { $0.key < $1.key }
                    .map { (String($0.key), .int($0.count)) })),
                ("errors", .object(statistics.errors.entries.map { ($0.key, .int($0.count)) })),
                ("latency_ms", latency),
            ])),
            ("raw_results", .array([])),
        ])
        // The document with an empty array ends `"raw_results": []\n}`: keep it up to the `[`.
        return String(document.pretty.dropLast(3))
    }
}
