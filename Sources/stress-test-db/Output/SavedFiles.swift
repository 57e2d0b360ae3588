/// The files a command writes when it ends: each one's line for the closing block, or why it could
/// not be written (`writing FLAG PATH failed: …`, shown after the results; any makes the exit 1).
struct SavedFiles {
    private(set) var lines: [String] = []
    var failures: [RunFailure] = []

    mutating func write(_ flag: String, _ path: String, as line: String, _ body: () throws -> Void) {
        do {
            try body()
            lines.append(line)
        } catch {
            failures.append(.writing(flag: flag, path: path, reason: "\(error)"))
        }
    }

    /// A file written during the run.
    mutating func add(_ line: String) { lines.append(line) }
}
