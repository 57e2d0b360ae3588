import ArgumentParser
import Foundation

/// `stress-test-db sweep`: find how many VUs (or what rate) the server holds under the limits.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a level after another (VUs or a rate), stop at the first that fails, refine, report the capacity.",
        discussion: """
            A level passes when its error rate is at most --max-error-rate, its p95 at most --max-p95, and (with --slo) at least 95% of its requests are good. Each level runs for --step-duration seconds; the first --warmup seconds of a step are left out of its statistics.

            Examples:
              stress-test-db sweep --vus 10..400 --step-duration 60 --max-p95 2000
              stress-test-db sweep --rate 5,10,20,40 --step-duration 120 --warmup 10 \\
                  --slo e2e=5s --output sweep.json

            Exit status: 0 when the sweep ran to its end (whatever the capacity); 1 for a configuration or output problem; 2 for a malformed command line; 128+N when stopped by signal N.
            """
    )

    struct Levels: ParsableArguments {
        @Option(help: ArgumentHelp("VU levels: a list (10,20,50) or a doubling range (10..400).", valueName: "LIST"))
        var vus: String?
        @Option(help: ArgumentHelp("Rate levels in requests/s, the same forms (open model; at most 1000 in flight).", valueName: "LIST"))
        var rate: String?
        @Option(help: ArgumentHelp("Seconds each level runs. (default: 60.0)", valueName: "SECONDS"), transform: { try Bounds.stepDuration.number($0) })
        var stepDuration: Double = 60
        @Option(help: ArgumentHelp("Seconds at the start of each level left out of its statistics. (default: 0.0)", valueName: "SECONDS"), transform: { try Bounds.warmup.number($0) })
        var warmup: Double = 0
        @Option(name: .customLong("max-p95"), help: ArgumentHelp("A level fails above this p95.", valueName: "MS"), transform: { try Bounds.maxP95.number($0) })
        var maxP95: Double?
        @Option(help: ArgumentHelp("A level fails above this error rate. (default: 5.0)", valueName: "PCT"), transform: { try Bounds.maxErrorRate.number($0) })
        var maxErrorRate: Double = 5
        @Option(help: ArgumentHelp("Bisection steps between the last passing and the first failing level. (default: 3)", valueName: "N"), transform: { try Bounds.refine.count($0) })
        var refine: Int = 3
        @OptionGroup var request: RequestOptions
    }

    @OptionGroup(title: "Sweep") var levels: Levels
    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    func validate() throws {
        guard (levels.vus == nil) != (levels.rate == nil) else {
            throw ValidationError("give --vus LIST or --rate LIST (one of them): the levels to sweep.")
        }
        _ = try plannedLevels()
        guard levels.warmup < levels.stepDuration else {
            throw ValidationError("--warmup must be shorter than --step-duration (got \(levels.warmup) and \(levels.stepDuration)).")
        }
        if output.metricsLinger > 0 && output.metrics == nil { throw ValidationError("--metrics-linger keeps --metrics serving; give --metrics.") }
        if levels.request.think != nil && levels.rate != nil {
            throw ValidationError("--think pauses VUs between requests; a --rate sweep starts them on a schedule. Sweep --vus with --think.")
        }
        if output.hdr != nil { throw ValidationError("--hdr logs one run; a sweep's levels are several (use --timeseries).") }
    }

    func plannedLevels() throws -> [Double] {
        if let vus = levels.vus { return try SweepPlan.levels(vus, flag: "--vus", whole: true) }
        return try SweepPlan.levels(levels.rate ?? "", flag: "--rate", whole: false)
    }

    func run() throws {
        let configuration: Configuration
        do {
            configuration = try Configuration.resolve(
                target: target, output: output, request: levels.request, environment: ProcessInfo.processInfo.environment,
                readFile: FileOutput.readText, login: Login.token)
        } catch {
            Console(secrets: [target.authToken].compactMap { $0 }).error("\(error)")
            throw ExitCode(1)
        }
        let sweep = Sweep(base: configuration, levels: try plannedLevels(), byRate: levels.rate != nil,
                          stepSeconds: levels.stepDuration, warmupSeconds: levels.warmup, maxP95: levels.maxP95,
                          maxErrorRate: levels.maxErrorRate, refine: levels.refine)
        throw ExitCode(sweep.run())
    }
}
