import CurlEngine
import Foundation

/// One run, from readiness check to the last report. Returns the exit status.
struct LoadTest {
    let configuration: Configuration
    let console: Console

    init(configuration: Configuration, console: Console? = nil) {
        self.configuration = configuration
        self.console = console ?? Console(secrets: configuration.secrets)
    }

    private func verbose(_ line: String) {
        if configuration.verbose { console.err(line + "\n") }
    }

    func run() -> Int32 {
        let limits = [configuration.requestLimit.map { "\($0) requests" },
                      configuration.durationSeconds.map { "\(JSONText.integerOrNumber($0)) s" }].compactMap { $0 }
        guard let session = RunSession(configuration, console: console, spool: true) else { return 1 }
        defer { session.outputs.close() }
        verbose("stress-test-db: \(configuration.virtualUsers) VUs, \(limits.joined(separator: " or ")), "
            + "POST \(configuration.requestURL), runner: \(configuration.runner.rawValue), "
            + "auth: \(configuration.token == nil ? "none" : "Bearer ***")")
        if configuration.runner == .curl { LibcurlFeatures.current.lines.forEach { verbose("  " + $0) } }
        if !configuration.envFilesRead.isEmpty { verbose("  settings read from \(configuration.envFilesRead.joined(separator: ", "))") }

        let hdr = hdrOutput
        let handshakes = TLSHandshakes.now
        guard let measured = session.measure(configuration, hdr: hdr, spool: session.outputs.spool, finishSeries: true) else { return 1 }
        if let opened = measured.connectionsOpened { verbose("  connections opened: \(opened)") }
        if configuration.runner == .curl && configuration.requestURL.lowercased().hasPrefix("https:") {
            let now = TLSHandshakes.now
            verbose("  TLS handshakes: \(now.full - handshakes.full) full, \(now.resumed - handshakes.resumed) resumed")
        }
        if let failure = measured.runnerFailure, measured.summary.statistics.total == 0 {
            console.error("the load could not start: \(failure)")
            return 1
        }
        hdr?.writeTotals(ShardTotals(measured.summary))
        // A runner that failed mid-run stopped as Ctrl-C would: every record is reported, then the reason.
        let failures = [measured.runnerFailure.map { "the run was stopped early: \($0)" },
                        measured.collected.timeSeriesFailure, hdr?.failure]
        return report(measured, session: session, failures: failures.compactMap { $0 }, hdrWritten: hdr?.failure == nil)
    }

    /// The results block, the files written at the end, the closing lines and the exit status. `failures`
    /// are shown after the results (a `--responses` write failure was shown when it happened).
    private func report(_ measured: Measurement, session: RunSession, failures: [String], hdrWritten: Bool) -> Int32 {
        let summary = measured.summary, collected = measured.collected
        let block = ConsoleReport.results(summary) + ConsoleReport.afterBlock(summary)
        console.out(block)
        var saved = SavedFiles()
        saved.failures = [collected.writeFailure].compactMap { $0 } + failures
        if let path = configuration.outputPath, let spool = session.outputs.spool {
            saved.write("--output", path, as: "Results saved to: \(path)") {
                if let outputFailure = collected.outputFailure { throw FileError(outputFailure) }
                try spool.writeDocument(summary, to: path)
            }
        }
        if let path = configuration.csvPath {
            saved.write("--csv", path, as: "Summary row appended to: \(path)") { try CSVReport.appendRow(summary, to: path) }
        }
        if let path = configuration.reportPath {
            let report = HTMLReport(
                title: "stress-test-db: \(configuration.virtualUsers) VUs against \(configuration.requestURL)",
                consoleText: console.scrub(block), keyFigures: HTMLReport.keyFigures(summary.statistics),
                latency: summary.statistics.latencies,
                streaming: configuration.streaming ? summary.statistics.streaming : nil, timeline: collected.timeline,
                turns: HTMLReport.turns(summary.statistics))
            saved.write("--report", path, as: "Report written to: \(path)") {
                try FileOutput.write(path, contents: report.html, append: false)
            }
        }
        if let path = configuration.hdrPath, hdrWritten { saved.add("HDR log written to: \(path)") }
        if let path = configuration.responsesPath, collected.writeFailure == nil {
            saved.add("Responses appended to: \(path) (\(summary.statistics.total) lines)")
        }
        console.out(ConsoleReport.closing(summary, savedFiles: saved.lines))
        // Then failed thresholds (99, k6's code), then the error rate.
        return session.finish(saved, otherwise: summary.thresholdFailed ? 99 : (summary.highErrorRate ? 1 : 0),
                              alreadyShown: collected.writeFailure)
    }
}
