import CurlEngine
import Foundation
import Synchronization

/// One capacity sweep (SPEC section 14): the levels in order until one fails, then bisection between
/// the last passing and the first failing one. Each level is a run of its own on a fresh runner.
struct Sweep {
    let base: Configuration
    let levels: [Double]
    let byRate: Bool
    let stepSeconds: Double
    let warmupSeconds: Double
    let maxP95: Double?
    let maxErrorRate: Double
    let refine: Int

    /// In-flight requests a rate level may have.
    static let rateCap = 1000

    struct Step {
        var level: Double
        var summary: RunSummary
        var passed: Bool
    }

    func run() -> Int32 {
        let console = Console(secrets: base.secrets)
        let responses: Int32?
        do {
            try base.checkOutputPaths()
            responses = try base.responsesPath.map(FileOutput.openForAppend)
        } catch {
            console.error("\(error)")
            return 1
        }
        defer { if let responses { close(responses) } }
        let log: (String) -> Void = { if base.verbose { console.err($0 + "\n") } }
        if base.readinessCheck && !Readiness.check(base, log: log) {
            console.error("Server does not appear to be ready.")
            return 1
        }
        let embeddingModel = base.csvPath == nil ? "" : EmbeddingsDiscovery.discover(base, log: log)

        let timeSeries: TimeSeriesOutput?
        do {
            timeSeries = try base.intervalSeconds.map {
                try TimeSeriesOutput(intervalSeconds: $0, streaming: base.streaming, path: base.timeSeriesPath)
            }
        } catch {
            console.error("cannot write --timeseries \(base.timeSeriesPath ?? ""): \(error). Choose a writable path.")
            return 1
        }
        let current = Mutex<(any LoadRunner)?>(nil)
        let signals = StopSignals()
        signals.install(console: console) { current.withLock { $0?.stop() } }
        defer { signals.uninstall() }

        var steps: [Step] = []
        var saved = SavedFiles()
        func measure(_ level: Double) -> Step? {
            guard signals.stoppedBySignal == nil else { return nil }
            console.err(String(format: "sweep: %@ for %@ s ...\n", SweepReport.levelText(level, byRate: byRate),
                               JSONText.integerOrNumber(stepSeconds)))
            let configuration = stepConfiguration(level)
            let runner: any LoadRunner
            do { runner = try configuration.makeRunner() } catch {
                saved.failures.append("\(error)")
                return nil
            }
            current.withLock { $0 = runner }
            let started = wallClockMicroseconds()
            let collected = LoadTest(configuration: configuration).collect(from: runner, responses: responses, spool: nil,
                                                                           timeSeries: timeSeries, finishSeries: false)
            current.withLock { $0 = nil }
            let summary = RunSummary(
                configuration: configuration, statistics: collected.statistics, startedAtMicroseconds: started,
                wallSeconds: max(0, collected.wallSeconds - warmupSeconds), embeddingModel: embeddingModel,
                interrupted: signals.stoppedBySignal != nil, achievedRate: runner.achievedRate)
            let step = Step(level: level, summary: summary, passed: passes(summary))
            if let path = base.csvPath {
                do { try CSVReport.appendRow(summary, to: path) } catch { saved.failures.append("writing --csv \(path) failed: \(error)") }
            }
            return signals.stoppedBySignal == nil ? step : nil
        }

        var lastPassing: Step?
        var firstFailing: Step?
        for level in levels {
            guard let step = measure(level) else { break }
            steps.append(step)
            if step.passed { lastPassing = step } else { firstFailing = step; break }
        }
        if var low = lastPassing, var high = firstFailing {
            for _ in 0..<refine {
                guard let middle = SweepPlan.midpoint(passing: low.level, failing: high.level, whole: !byRate),
                      let step = measure(middle) else { break }
                steps.append(step)
                if step.passed { low = step } else { high = step }
            }
        }

        if let timeSeries, let origin = timeSeries.originMicroseconds {
            let end = Double(wallClockMicroseconds() - origin) / 1e6
            _ = timeSeries.finish(at: end, gauges: TimeSeries.Gauges(target: nil, inFlight: 0, connectionsOpened: nil))
            if let failure = timeSeries.failure { saved.failures.append(failure) }
        }
        let capacity = steps.filter(\.passed).max { $0.level < $1.level }
        let text = SweepReport.table(steps, byRate: byRate) + SweepReport.verdict(capacity: capacity, steps: steps, levels: levels, byRate: byRate)
        console.out(text + "\n")
        if let path = base.outputPath {
            saved.write("--output", path, as: "Sweep saved to: \(path)") {
                try FileOutput.write(path, contents: SweepReport.document(base: base, steps: steps, capacity: capacity, byRate: byRate,
                                                                          stepSeconds: stepSeconds, warmupSeconds: warmupSeconds),
                                     append: false)
            }
        }
        if let path = base.reportPath {
            let report = HTMLReport(
                title: "stress-test-db sweep against \(base.requestURL)",
                consoleText: text,
                keyFigures: capacity.map { HTMLReport.keyFigures($0.summary.statistics) } ?? [], latency: nil, streaming: nil,
                sweep: steps.map { step in
                    HTMLReport.SweepPoint(level: step.level, rps: step.summary.requestsPerSecond,
                                          p95: step.summary.statistics.latencySummary()?.p95)
                },
                sweepByRate: byRate, sweepCapacity: capacity?.level, sweepP95Limit: maxP95)
            saved.write("--report", path, as: "Report written to: \(path)") {
                try FileOutput.write(path, contents: report.html, append: false)
            }
        }
        for line in saved.lines { console.out(line + "\n") }
        for failure in saved.failures { console.error(failure) }
        if let signal = signals.stoppedBySignal { return 128 + signal }
        return saved.failures.isEmpty ? 0 : 1
    }

    private func stepConfiguration(_ level: Double) -> Configuration {
        var configuration = base
        configuration.durationSeconds = stepSeconds
        configuration.requestLimit = nil
        configuration.warmupSeconds = warmupSeconds
        configuration.outputPath = nil
        configuration.csvPath = nil
        configuration.reportPath = nil
        configuration.intervalSeconds = nil
        configuration.readinessCheck = false
        if byRate {
            configuration.plan = .open(rate: .fixed(requestsPerSecond: level), arrival: .constant, seed: 1)
            configuration.virtualUsers = Self.rateCap
        } else {
            configuration.plan = .closed(stages: nil)
            configuration.virtualUsers = Int(level)
        }
        return configuration
    }

    /// A level passes on its error rate, its p95 and (with --slo) 95% good requests.
    private func passes(_ summary: RunSummary) -> Bool {
        let statistics = summary.statistics
        guard statistics.total > 0, statistics.errorRatePercent <= maxErrorRate else { return false }
        if let maxP95, (statistics.latencySummary()?.p95 ?? .infinity) > maxP95 { return false }
        if let good = statistics.goodPercent, good < 95 { return false }
        return true
    }
}
