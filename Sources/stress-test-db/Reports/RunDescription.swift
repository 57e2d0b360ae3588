/// What the reports say about a run besides its records: its target and load shape, and the options
/// that change what the numbers mean. Built from the configuration by a run (`Configuration.runDescription`
/// of the run), by a sweep for each level, and by `merge` from the shards' logs.
struct RunDescription: Equatable {
    /// `--api-base-url` and the assistant(s), `+`-joined.
    var apiURL: String
    var assistantID: String
    /// 0 when unknown (a merged log of another tool).
    var virtualUsers: Int
    var requestLimit: Int?
    var durationSeconds: Double?
    var timeoutSeconds: Double
    /// `--shard K/N`, when the run was one.
    var shard: String?
    /// The event loops the engine ran (nil for `--sync` and merged runs).
    var loops: Int?
    var streaming: Bool
    /// The open model's offered rate (its mean over stages), nil in the closed loop.
    var offeredRate: Double?
    /// `--think` as given (`2s..20s`), when the VUs pause between requests.
    var think: String? = nil
    /// `--http2`: "2" (nil over HTTP/1.1, where the key is left out).
    var httpVersion: String? = nil
    /// `--replay` (SPEC 24): the trace, speed, scale and what this process's schedule holds.
    var replay: ReplayDescription? = nil
}
