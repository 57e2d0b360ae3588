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
        if configuration.outputs.verbose { console.err(line + "\n") }
    }

    func run() -> Int32 {
        let load = configuration.load, target = configuration.target
        let limits = [load.requestLimit.map { "\($0) requests" },
                      load.durationSeconds.map { "\(JSONText.integerOrNumber($0)) s" }].compactMap { $0 }
        let session: RunSession
        do { session = try RunSession.open(configuration, console: console, spool: true) } catch {
            error.show(on: console)
            return 1
        }
        defer { session.outputs.close() }
        verbose("stress-test-db: \(load.virtualUsers) VUs, \(limits.joined(separator: " or ")), "
            + "POST \(target.requestURL), runner: \(load.transport.runner.rawValue), "
            + "auth: \(target.token == nil ? "none" : "Bearer ***")")
        if load.transport.runner == .curl { LibcurlFeatures.current.lines.forEach { verbose("  " + $0) } }
        if !target.envFilesRead.isEmpty { verbose("  settings read from \(target.envFilesRead.joined(separator: ", "))") }

        let hdr = HdrLogOutput.forRun(configuration.outputs, streaming: configuration.workload.streaming, openModel: load.plan.isOpen || configuration.replay != nil)
        let handshakes = TLSHandshakes.now
        let measured: Measurement
        do { measured = try session.pipeline(configuration, hdr: hdr, spool: session.outputs.spool, finishSeries: true).measure() } catch {
            console.error("\(error)")
            return 1
        }
        if let opened = measured.connectionsOpened { verbose("  connections opened: \(opened)") }
        if load.transport.runner == .curl && target.requestURL.lowercased().hasPrefix("https:") {
            let now = TLSHandshakes.now
            verbose("  TLS handshakes: \(now.full - handshakes.full) full, \(now.resumed - handshakes.resumed) resumed")
        }
        if let failure = measured.runnerFailure, measured.summary.statistics.total == 0 {
            console.error("the load could not start: \(failure)")
            return 1
        }
        hdr?.writeTotals(ShardTotals(measured.summary))
        // A runner that failed mid-run stopped as Ctrl-C would: every record is reported, then the reason.
        let failures = [measured.runnerFailure.map(RunFailure.runnerStopped), measured.timeSeriesFailure, hdr?.failure]
        return report(measured, session: session, failures: failures.compactMap { $0 }, hdrWritten: hdr?.failure == nil)
    }

    /// The results block, the files written at the end, the closing lines and the exit status. `failures`
    /// are shown after the results (a `--responses` write failure was shown when it happened).
    private func report(_ measured: Measurement, session: RunSession, failures: [RunFailure], hdrWritten: Bool) -> Int32 {
        let summary = measured.summary
        let block = PreconnectReport.console(summary) + ConsoleReport.results(summary) + ConsoleReport.afterBlock(summary)
        console.out(block)
        var saved = SavedFiles()
        saved.failures = [measured.responsesFailure].compactMap { $0 } + failures
        let outputs = configuration.outputs
        if let path = outputs.outputPath, let spool = session.outputs.spool {
            saved.write("--output", path, as: "Results saved to: \(path)") {
                if let outputFailure = measured.outputFailure { throw FileError(outputFailure) }
                try spool.writeDocument(summary, to: path)
            }
        }
        if let path = outputs.csvPath {
            saved.write("--csv", path, as: "Summary row appended to: \(path)") { try CSVReport.appendRow(summary, to: path) }
        }
        if let path = outputs.reportPath {
            let report = HTMLReport(
                title: "stress-test-db: \(configuration.load.virtualUsers) VUs against \(configuration.target.requestURL)",
                consoleText: console.scrub(block), keyFigures: HTMLReport.keyFigures(summary.statistics),
                latency: summary.statistics.latencies,
                streaming: configuration.workload.streaming ? summary.statistics.streaming : nil, timeline: measured.timeline,
                turns: HTMLReport.turns(summary.statistics))
            saved.write("--report", path, as: "Report written to: \(path)") {
                try FileOutput.write(path, contents: report.html, append: false)
            }
        }
        if let path = outputs.hdrPath, hdrWritten { saved.add("HDR log written to: \(path)") }
        if let path = outputs.responsesPath, measured.responsesFailure == nil {
            saved.add("Responses appended to: \(path) (\(summary.statistics.total) lines)")
        }
        console.out(ConsoleReport.closing(summary, savedFiles: saved.lines))
        // Then failed thresholds (99, k6's code), then the error rate.
        return session.finish(saved, otherwise: summary.thresholdFailed ? 99 : (summary.highErrorRate ? 1 : 0))
    }
}
