import CurlEngine
import Foundation

/// One run, from readiness check to the last report. Returns the exit status.
struct LoadTest {
    let configuration: Configuration
    let console: Console

    init(configuration: Configuration) {
        self.configuration = configuration
        console = Console(secrets: configuration.secrets)
    }

    private func verbose(_ line: String) {
        if configuration.verbose { console.err(line + "\n") }
    }

    func run() -> Int32 {
        let responsesDescriptor: Int32?
        let spool: RawResultsSpool?
        let timeSeries: TimeSeriesOutput?
        do {
            (responsesDescriptor, spool) = try openOutputs()
            timeSeries = try (configuration.keepsTimeSeries ? configuration.intervalSeconds : nil).map { interval in
                do {
                    return try TimeSeriesOutput(intervalSeconds: interval, streaming: configuration.streaming,
                                                path: configuration.timeSeriesPath)
                } catch {
                    throw ConfigurationError("cannot write --timeseries \(configuration.timeSeriesPath ?? ""): \(error). Choose a writable path.")
                }
            }
        } catch {
            console.error("\(error)")
            return 1
        }
        defer { if let responsesDescriptor { close(responsesDescriptor) } }

        let limits = [configuration.requestLimit.map { "\($0) requests" },
                      configuration.durationSeconds.map { "\(JSONText.integerOrNumber($0)) s" }].compactMap { $0 }
        verbose("stress-test-db: \(configuration.virtualUsers) VUs, \(limits.joined(separator: " or ")), "
            + "POST \(configuration.requestURL), runner: \(configuration.runner.rawValue), "
            + "auth: \(configuration.token == nil ? "none" : "Bearer ***")")
        if !configuration.envFilesRead.isEmpty { verbose("  settings read from \(configuration.envFilesRead.joined(separator: ", "))") }

        if configuration.readinessCheck {
            console.out("\nChecking server readiness before starting test...\n")
            guard Readiness.check(configuration, log: verbose) else {
                console.error("Server does not appear to be ready.")
                console.err("  Nothing answered below 500 at \(configuration.baseURL) or \(configuration.requestURL). "
                    + "Start the server, check --api-base-url, or skip this check with --no-check.\n")
                return 1
            }
        }
        let embeddingModel = configuration.csvPath == nil ? "" : EmbeddingsDiscovery.discover(configuration, log: verbose)

        let runner: any LoadRunner
        do { runner = try configuration.makeRunner() } catch {
            console.error("\(error)")
            return 1
        }
        let signals = StopSignals()
        signals.install(console: console) { runner.stop() }
        defer { signals.uninstall() }

        let startedAtMicroseconds = wallClockMicroseconds()
        let hdr = hdrOutput
        let collected = collect(from: runner, responses: responsesDescriptor, spool: spool, timeSeries: timeSeries, hdr: hdr)
        if let opened = runner.connectionsOpened { verbose("  connections opened: \(opened)") }
        if let failure = runner.failure, collected.statistics.total == 0 {
            console.error("the load could not start: \(failure)")
            return 1
        }
        var summary = RunSummary(
            configuration: configuration, statistics: collected.statistics, startedAtMicroseconds: startedAtMicroseconds,
            wallSeconds: collected.wallSeconds, embeddingModel: embeddingModel, interrupted: signals.stoppedBySignal != nil,
            achievedRate: runner.achievedRate)
        summary.drift = collected.drift
        summary.thresholds = configuration.thresholds.map { $0.evaluate(collected.statistics, wallSeconds: collected.wallSeconds) }
        // A runner that failed mid-run stopped as Ctrl-C would: every record is reported, then the reason.
        let runFailure = runner.failure.map { "the run was stopped early: \($0)" }
        hdr?.writeTotals(ShardTotals(summary))
        return report(summary, spool: spool, outputFailure: collected.outputFailure, writeFailure: collected.writeFailure,
                      runFailure: runFailure, timeSeriesFailure: collected.timeSeriesFailure, hdrFailure: hdr?.failure,
                      timeline: collected.timeline,
                      signal: signals.stoppedBySignal)
    }

    /// Checks every output path before any load is sent; opens the JSONL file for appending and
    /// the spool the `--output` records go to.
    private func openOutputs() throws -> (responses: Int32?, spool: RawResultsSpool?) {
        try configuration.checkOutputPaths()
        var spool: RawResultsSpool?
        if let path = configuration.outputPath {
            do { spool = try RawResultsSpool(beside: path) } catch {
                throw ConfigurationError("cannot write --output \(path): \(error). Choose a writable path.")
            }
        }
        guard let path = configuration.responsesPath else { return (nil, spool) }
        do { return (try FileOutput.openForAppend(path), spool) } catch {
            throw ConfigurationError("cannot write --responses \(path): \(error). Choose a writable path.")
        }
    }

    /// `writeFailure` was shown when it happened; `runFailure` is shown after the results.
    private func report(_ summary: RunSummary, spool: RawResultsSpool?, outputFailure: String?, writeFailure: String?, runFailure: String?,
                        timeSeriesFailure: String?, hdrFailure: String?, timeline: [HTMLReport.TimePoint], signal: Int32?) -> Int32 {
        let block = ConsoleReport.results(summary) + ConsoleReport.afterBlock(summary)
        console.out(block)
        var saved = SavedFiles()
        saved.failures = [writeFailure, runFailure, timeSeriesFailure, hdrFailure].compactMap { $0 }
        if let path = configuration.outputPath, let spool {
            saved.write("--output", path, as: "Results saved to: \(path)") {
                if let outputFailure { throw FileOutput.FileError(description: outputFailure) }
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
                streaming: configuration.streaming ? summary.statistics.streaming : nil, timeline: timeline)
            saved.write("--report", path, as: "Report written to: \(path)") {
                try FileOutput.write(path, contents: report.html, append: false)
            }
        }
        if let path = configuration.hdrPath, hdrFailure == nil { saved.add("HDR log written to: \(path)") }
        if let path = configuration.responsesPath, writeFailure == nil {
            saved.add("Responses appended to: \(path) (\(summary.statistics.total) lines)")
        }
        console.out(ConsoleReport.closing(summary, savedFiles: saved.lines))
        for failure in saved.failures where failure != writeFailure { console.error(failure) }
        // A stop by signal, then a broken output, then failed thresholds (99, k6's code), then the error rate.
        if let signal { return 128 + signal }
        if !saved.failures.isEmpty { return 1 }
        if summary.thresholdFailed { return 99 }
        return summary.highErrorRate ? 1 : 0
    }
}
