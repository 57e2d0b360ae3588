import Foundation
import LoadCore

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

    func run() -> Int32 {
        let console = Console(secrets: base.secrets)
        let session: RunSession
        do { session = try RunSession.open(base, console: console, spool: false) } catch {
            error.show(on: console)
            return 1
        }
        defer { session.outputs.close() }
        var saved = SavedFiles()
        var broken: Broken?
        let steps = measureLevels(session, saved: &saved, broken: &broken)

        if let timeSeries = session.outputs.timeSeries, let origin = timeSeries.originMicroseconds {
            let end = Double(wallClockMicroseconds() - origin) / 1e6
            _ = timeSeries.finish(at: end, gauges: TimeSeries.Gauges(target: nil, inFlight: 0, connectionsOpened: nil))
            if let failure = timeSeries.failure { saved.failures.append(failure) }
        }
        let capacity = broken == nil ? steps.filter(\.passed).max { $0.level < $1.level } : nil
        // A level that could not run measured nothing: the sweep has no verdict, and fails.
        let verdict = broken.map { "No verdict: \($0)" }
            ?? SweepReport.verdict(capacity: capacity, steps: steps, levels: levels, byRate: byRate)
        let text = SweepReport.table(steps, byRate: byRate) + verdict
        console.out(text + "\n")
        write(steps, capacity: capacity, consoleText: text, to: &saved)
        for line in saved.lines { console.out(line + "\n") }
        return session.finish(saved, otherwise: broken == nil ? 0 : 1)
    }

    /// The levels in order until one fails, then bisection; stops early on a signal or a level that
    /// cannot run (`broken` says which and why). Each level's CSV row is appended as it ends.
    private func measureLevels(_ session: RunSession, saved: inout SavedFiles, broken: inout Broken?) -> [SweepStep] {
        var steps: [SweepStep] = []
        func measure(_ level: Double) -> SweepStep? {
            guard session.stoppedBySignal == nil, broken == nil else { return nil }
            let name = SweepReport.levelText(level, byRate: byRate)
            session.console.err(String(format: "sweep: %@ for %@ s ...\n", name, JSONText.integerOrNumber(stepSeconds)))
            let measured: Measurement
            do { measured = try session.pipeline(stepConfiguration(level), finishSeries: false).measure() } catch {
                session.console.error("\(error)")
                if session.stoppedBySignal == nil { broken = .couldNotRun(level: name) }
                return nil
            }
            if let failure = measured.runnerFailure, session.stoppedBySignal == nil {
                broken = .stoppedEarly(level: name, reason: failure)
                return nil
            }
            let step = SweepStep(level: level, summary: measured.summary, passed: passes(measured.summary))
            if let path = base.outputs.csvPath {
                do { try CSVReport.appendRow(step.summary, to: path) } catch {
                    saved.failures.append(.writing(flag: "--csv", path: path, reason: "\(error)"))
                }
            }
            return session.stoppedBySignal == nil ? step : nil
        }
        var lastPassing: SweepStep?
        var firstFailing: SweepStep?
        for level in levels {
            guard let step = measure(level) else { return steps }
            steps.append(step)
            if step.passed { lastPassing = step } else { firstFailing = step; break }
        }
        guard var low = lastPassing, var high = firstFailing else { return steps }
        for _ in 0..<refine {
            guard let middle = SweepPlan.midpoint(passing: low.level, failing: high.level, whole: !byRate),
                  let step = measure(middle) else { break }
            steps.append(step)
            if step.passed { low = step } else { high = step }
        }
        return steps
    }

    /// `--output`'s sweep document and `--report`'s page.
    private func write(_ steps: [SweepStep], capacity: SweepStep?, consoleText: String, to saved: inout SavedFiles) {
        if let path = base.outputs.outputPath {
            saved.write("--output", path, as: "Sweep saved to: \(path)") {
                try FileOutput.write(path, contents: SweepReport.document(base: base.runDescription, steps: steps, capacity: capacity,
                                                                          byRate: byRate, stepSeconds: stepSeconds,
                                                                          warmupSeconds: warmupSeconds),
                                     append: false)
            }
        }
        guard let path = base.outputs.reportPath else { return }
        let report = HTMLReport(
            title: "stress-test-db sweep against \(base.target.requestURL)", consoleText: consoleText,
            keyFigures: capacity.map { HTMLReport.keyFigures($0.summary.statistics) } ?? [], latency: nil, streaming: nil,
            sweep: steps.map { step in
                HTMLReport.SweepPoint(level: step.level, rps: step.summary.requestsPerSecond, p95: step.summary.statistics.latencySummary()?.p95)
            },
            sweepByRate: byRate, sweepCapacity: capacity?.level, sweepP95Limit: maxP95)
        saved.write("--report", path, as: "Report written to: \(path)") { try FileOutput.write(path, contents: report.html, append: false) }
    }

    /// A level's load: the base's target and request, this level's VUs (or rate) for the step's seconds.
    /// (The outputs are the session's: a level writes none of its own.)
    private func stepConfiguration(_ level: Double) -> Configuration {
        var configuration = base
        configuration.load.durationSeconds = stepSeconds
        configuration.load.requestLimit = nil
        configuration.load.warmupSeconds = warmupSeconds
        if byRate {
            configuration.load.pace = .open(rate: .fixed(requestsPerSecond: level), arrival: .constant)
            configuration.load.virtualUsers = Self.rateCap
        } else {
            configuration.load.pace = .closed(stages: nil)
            configuration.load.virtualUsers = Int(level)
        }
        return configuration
    }

    /// Why a sweep has no verdict: a level could not run, or its runner stopped early.
    enum Broken: CustomStringConvertible {
        case couldNotRun(level: String)
        case stoppedEarly(level: String, reason: String)

        var description: String {
            switch self {
            case .couldNotRun(let level): return "the level of \(level) could not run (see the error above)."
            case .stoppedEarly(let level, let reason): return "the level of \(level) was stopped early: \(reason)"
            }
        }
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
