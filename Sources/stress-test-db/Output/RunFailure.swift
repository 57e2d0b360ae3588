/// Why a run ended before its end or one of its files was not written, as a value: shown on stderr
/// (`Error: …`) after the results, and any of them makes the exit status 1.
enum RunFailure: Error, Equatable, CustomStringConvertible {
    /// A file that could not be written: `writing FLAG PATH failed: REASON`.
    case writing(flag: String, path: String, reason: String)
    /// `--responses` could not be written, so the run was stopped (no record goes unwritten); shown at once.
    case responsesStopped(path: String, reason: String)
    /// The runner stopped before its end, in its own words.
    case runnerStopped(String)

    var description: String {
        switch self {
        case .writing(let flag, let path, let reason): return "writing \(flag) \(path) failed: \(reason)"
        case .responsesStopped(let path, let reason):
            return "writing --responses \(path) failed: \(reason); the run was stopped so no record goes unwritten"
        case .runnerStopped(let reason): return "the run was stopped early: \(reason)"
        }
    }

    /// Shown when it happened, not again after the results.
    var shownAtOnce: Bool {
        if case .responsesStopped = self { return true }
        return false
    }
}
