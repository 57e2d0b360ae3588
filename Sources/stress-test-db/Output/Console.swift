import Foundation
import Synchronization

/// stdout and stderr, with every secret of the run masked before it is written.
final class Console: Sendable {
    private let secrets: [String]
    /// One writer at a time, so lines from the progress display and the reports never interleave.
    private let lock = Mutex(())

    /// Secrets shorter than this are not masked: they cannot be real tokens, and masking
    /// every "t" or "abc" in the output would garble it.
    static let shortestMaskedSecret = 6

    init(secrets: [String] = []) {
        // Longest first, so a secret containing another is masked whole.
        self.secrets = secrets.filter { $0.count >= Self.shortestMaskedSecret }.sorted { $0.count > $1.count }
    }

    func scrub(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    func out(_ text: String) { write(1, text) }
    func err(_ text: String) { write(2, text) }

    /// One `Error: …` line on stderr.
    func error(_ message: String) { err("Error: \(message)\n") }

    private func write(_ fd: Int32, _ text: String) {
        let bytes = Array(scrub(text).utf8)
        lock.withLock { _ in try? FileOutput.writeAll(fd, bytes) }
    }
}
