import Foundation
import LoadCore

/// `--preconnect`'s line before the results and its `metadata.preconnect` (docs/formats.md): how many of
/// the run's connections were opened before its clock started, in how long, and why the others were not.
enum PreconnectReport {
    /// `Preconnect: 100 of 100 connections opened in 84.2 ms (connect p50 0.41 ms, TLS p50 3.10 ms)`, and
    /// `; 2 failed (Couldn't connect to server)` (the most common reason) when some were not.
    static func consoleLine(_ phase: Preconnect) -> String {
        var line = String(format: "Preconnect: %d of %d connections opened in %.1f ms", phase.opened, phase.connections, phase.seconds * 1000)
        var medians: [String] = []
        if let connect = LatencySummary(phase.connectMilliseconds) { medians.append(String(format: "connect p50 %.2f ms", connect.median)) }
        if let tls = LatencySummary(phase.tlsMilliseconds) { medians.append(String(format: "TLS p50 %.2f ms", tls.median)) }
        if !medians.isEmpty { line += " (" + medians.joined(separator: ", ") + ")" }
        if phase.failed > 0 { line += "; \(phase.failed) failed (\(phase.mostCommonFailure ?? "unknown"))" }
        return line
    }

    /// The line and a blank one, to stand before the results block (empty without `--preconnect`).
    static func console(_ summary: RunSummary) -> String {
        summary.preconnect.map { "\n" + consoleLine($0) + "\n" } ?? ""
    }

    static func metadata(_ summary: RunSummary) -> [(String, JSONValue)] {
        guard let phase = summary.preconnect else { return [] }
        return [("preconnect", .object([
            ("connections", .int(phase.connections)), ("opened", .int(phase.opened)),
            ("seconds", .number((phase.seconds * 1000).rounded() / 1000)),
        ]))]
    }
}
