import ArgumentParser
import LoadCore

/// The flags of a run, written once: each option's name, help and default live here and nowhere
/// else. `Configuration.resolve` reads these structs directly. A number is read through its range
/// (`transform:` with `Bounds`); ArgumentParser does not show the default of such an option, so its
/// help says it.
struct LoadOptions: ParsableArguments {
    @Option(name: .customLong("vus"), help: ArgumentHelp(
        "Number of concurrent virtual users (required, except with --stages or --rate); with --rate, the most requests in flight (default 100).",
        valueName: "vus"), transform: { try Bounds.vus.count($0) })
    var vus: Int?
    @Option(help: ArgumentHelp("Total requests to send (use with --vus or --duration).", valueName: "N"), transform: { try Bounds.requests.count($0) })
    var requests: Int?
    @Option(help: ArgumentHelp("Test duration in seconds (use instead of --requests).", valueName: "SECONDS"), transform: { try Bounds.duration.number($0) })
    var duration: Double?
    @OptionGroup var request: RequestOptions
    @Flag(name: .customLong("async"), help: "The Python tool's flag, kept for compatibility: it does nothing, the libcurl event-loop runner is the default.")
    var asyncRunner = false
    @Flag(help: "Use the URLSession runner instead (for comparison with the default).")
    var sync = false
    @Option(help: ArgumentHelp("Turns per conversation, or a range drawn per conversation: each VU carries LAMB's chat_id and the history from one turn to the next (--requests counts turns). (default: 1)", valueName: "N|MIN..MAX"), transform: TurnRange.parse)
    var turns = TurnRange(1, 1)
    @Flag(help: "HTTP/2: by ALPN over https, prior knowledge over http; a server that will not speak it is an error before any load.")
    var http2 = false
    @Option(help: ArgumentHelp("With --http2: the VUs share this many connections, their requests multiplexed (default: one per VU).", valueName: "N"), transform: { try Bounds.connections.count($0) })
    var connections: Int?
    @Flag(help: "Open every connection the run will use (one HEAD to the request URL each) before its clock starts, so no request pays a connect or TLS handshake; reported on its own line. The default measures each VU's first connect.")
    var preconnect = false
    @Option(help: ArgumentHelp("Closed model: a VU whose connection was refused waits this long before its next request (default 0: at once, as wrk and k6 do). (default: 0.0)", valueName: "SECONDS"), transform: { try Bounds.refusedPause.number($0) })
    var refusedPause: Double = 0
    @Option(help: ArgumentHelp("Prompts used in turn: one per line, or JSON Lines of {\"messages\": [...]}.", valueName: "FILE"))
    var prompts: String?
    @Flag(help: "Add \"persist_chat\": false to the body: LAMB skips its chat writes (compare with and without for the database's share).")
    var noPersist = false
    @Option(help: ArgumentHelp("Add \"model\": NAME to the body (LAMB's /v1/chat/completions needs lamb_assistant.<id>).", valueName: "NAME"))
    var model: String?
    @Option(help: ArgumentHelp("Open model: start requests at this rate, whatever the server does; latency counts from each request's scheduled time.", valueName: "REQ/S"), transform: { try Bounds.rate.number($0) })
    var rate: Double?
    @Option(help: ArgumentHelp("With --rate: constant (request i at i/R) or poisson arrivals.", valueName: "constant|poisson"))
    var arrival: LoadPlan.Arrival = .constant
    @Option(help: ArgumentHelp("The random seed of --arrival poisson, --think and --turns MIN..MAX, so runs repeat. (default: 1)", valueName: "N"), transform: Bounds.seed)
    var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Ramp the target linearly from 0 through stages, e.g. 30s:10,2m:100,30s:0 (VUs; with --rate, requests/s). The run lasts their sum.", valueName: "D:T,..."), transform: StageList.init(parsing:))
    var stages: StageList?
    @Option(help: ArgumentHelp("Run shard I of N (0 ≤ I < N): its share of the VUs, requests and rate; merge the shards' --hdr logs with `merge`.", valueName: "I/N"))
    var shard: Shard?
    @Option(help: ArgumentHelp("Event-loop threads of the libcurl engine, each with its own VUs (auto: one per 10 VUs, at most one per core). (default: auto)", valueName: "N|auto"), transform: LoopCount.parse)
    var loops: LoopCount = .auto
    @Option(name: .customLong("threshold"), help: ArgumentHelp("Pass/fail check, repeatable: METRIC OP VALUE, e.g. 'p95<2s' or 'error_rate<=1%'. Any failure exits 99.", valueName: "EXPR"))
    var thresholds: [String] = []
}

/// What each request asks and how long a VU waits between answers: run's and sweep's alike (one group,
/// shown in the section of the group that holds it).
struct RequestOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Request timeout in seconds. (default: 120.0)", valueName: "SECONDS"), transform: { try Bounds.timeout.number($0) })
    var timeout: Double = Configuration.defaultTimeoutSeconds
    @Option(help: ArgumentHelp("Custom prompt/message to send with each request (default: \"Hello\").", valueName: "STRING"))
    var prompt: String?
    @Flag(help: "Ask for a streamed answer (\"stream\": true) and measure time to first token, inter-token latency, time per output token.")
    var stream = false
    @Option(help: ArgumentHelp("Closed model (--vus): each VU pauses this long after each answer (a student reading and typing): 5s, 2s..20s (uniform) or exp:10s (exponential mean); ms, s, m. Seeded by --seed (a sweep's seed is 1).", valueName: "SPEC"), transform: ThinkTime.parse)
    var think: ThinkTime?
}

struct TargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Load env vars from a .env file.", valueName: "FILE"))
    var envFile: String?
    @Option(help: ArgumentHelp("Override API base URL.", valueName: "URL"))
    var apiBaseUrl: String?
    @Option(help: ArgumentHelp("Override endpoint path (supports {assistant_id}).", valueName: "PATH"))
    var endpointPath: String?
    @Option(help: ArgumentHelp("Assistant id (overrides ASSISTANT_ID); a list 1,2,3 sends requests to them in turn.", valueName: "ID[,ID...]"))
    var assistantId: String?
    @Option(help: ArgumentHelp("Override bearer token (overrides JWT_TOKEN).", valueName: "TOKEN"))
    var authToken: String?
    @Option(help: ArgumentHelp("Log in to LAMB as this user for the token (password from LAMB_PASSWORD, or asked for without echo).", valueName: "EMAIL"))
    var login: String?
    @Option(help: ArgumentHelp("Spread connections over these local addresses, VU by VU (one address reaches about 28,000 connections to one server port).", valueName: "ADDR[,ADDR...]"))
    var sourceAddress: String?
    @Flag(help: "Disable Authorization header.")
    var noAuth = false
    @Flag(help: "Skip server readiness check.")
    var noCheck = false
    @Option(help: ArgumentHelp("Trust the certificates in this PEM file for https targets.", valueName: "FILE"))
    var cacert: String?
    @Flag(help: "Do not verify https certificates (prints a warning).")
    var insecure = false
}

struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Save JSON summary and raw results.", valueName: "FILE"))
    var output: String?
    @Option(help: ArgumentHelp("Append per-request responses as JSON Lines.", valueName: "FILE"))
    var responses: String?
    @Option(help: ArgumentHelp("Append a summary row to CSV.", valueName: "FILE"))
    var csv: String?
    @Option(help: ArgumentHelp("Max response body characters to store per request (0 = unlimited).", valueName: "N"), transform: { try Bounds.responseMaxChars.count($0) })
    var responseMaxChars: Int?
    @Flag(help: "Count every 2xx as a success, as the Python tool did (ignore an \"error\" in the body or an empty body).")
    var trustStatus = false
    @Flag(help: "Print detailed progress logs.")
    var verbose = false
    @Flag(help: "Do not show the live progress line on stderr.")
    var noProgress = false
    @Option(help: ArgumentHelp("Write a self-contained HTML report (charts, the console's numbers) when the run ends.", valueName: "FILE.html"))
    var report: String?
    @Option(help: ArgumentHelp("Append one JSON line per --interval: requests, errors, rps, latency percentiles, in flight.", valueName: "FILE"))
    var timeseries: String?
    @Option(help: ArgumentHelp("Write an HdrHistogram interval log (tags latency, ttft, service; µs, 3 digits) per --interval, mergeable with `merge`.", valueName: "FILE"))
    var hdr: String?
    @Option(help: ArgumentHelp("Seconds per time-series interval (default 10); with six or more, a drift verdict.", valueName: "SECONDS"), transform: { try Bounds.interval.number($0) })
    var interval: Double?
    @Option(help: ArgumentHelp("Service levels a good request meets, e.g. e2e=10s,ttft=500ms (keys e2e, ttft, tpot, itl; ms or s): reports goodput.", valueName: "KEY=VALUE,..."))
    var slo: String?
    @Option(help: ArgumentHelp("Serve Prometheus metrics (/metrics) and a live dashboard (/) while the run goes; port 0 picks a free one (printed on stderr).", valueName: "HOST:PORT"))
    var metrics: MetricsAddress?
    @Option(help: ArgumentHelp("With --metrics: keep serving this many seconds after the run, so a last scrape sees its end. (default: 0.0)", valueName: "SECONDS"), transform: { try Bounds.metricsLinger.number($0) })
    var metricsLinger: Double = 0
}

/// Everything a single run takes on the command line.
struct RunOptions: ParsableArguments {
    @OptionGroup(title: "Load") var load: LoadOptions
    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Replay") var replay: ReplayOptions

    func validate() throws {
        // A replay's load is its trace; the flags it cannot take are a configuration error (`ReplayConfiguration`).
        let replaying = replay.replay != nil
        if load.vus == nil && load.stages == nil && load.rate == nil && !replaying {
            throw ValidationError("Missing expected argument '--vus <vus>' (or give --stages or --rate).")
        }
        guard load.requests != nil || load.duration != nil || load.stages != nil || replaying else {
            throw ValidationError("give --requests N or --duration SECONDS (or both: whichever is reached first ends the run), or --stages.")
        }
        if let stages = load.stages, load.rate == nil {
            try Bounds.stageVUs.check(stages.profile.highestTarget, in: "(without --rate, targets are VUs)")
        }
        if load.rate == nil && load.arrival != .constant {
            throw ValidationError("--arrival shapes the open model's schedule; it needs --rate.")
        }
        if load.seed != 1 && load.rate == nil && load.request.think == nil && load.turns.minimum == load.turns.maximum && !replaying {
            throw ValidationError("--seed seeds --arrival poisson, --think and --turns MIN..MAX; give one of them.")
        }
        let level = try output.slo.map { try ServiceLevel.parse($0, streaming: load.request.stream) }
        for expression in load.thresholds {
            try Threshold.parse(expression).checkMeasured(streaming: load.request.stream, serviceLevel: level != nil)
        }
        try validateStudents()
        if output.metricsLinger > 0 && output.metrics == nil { throw ValidationError("--metrics-linger keeps --metrics serving; give --metrics.") }
        if load.sync && load.asyncRunner { throw ValidationError("--sync and --async choose different runners; give one.") }
        if target.noAuth && target.authToken != nil { throw ValidationError("--no-auth and --auth-token contradict each other; give one.") }
        if target.login != nil && (target.noAuth || target.authToken != nil) {
            throw ValidationError("--login gets the token itself; it cannot be used with --auth-token or --no-auth.")
        }
        if load.loops != .auto && load.sync {
            throw ValidationError("--loops sets the libcurl engine's threads; it cannot be used with --sync.")
        }
        if target.sourceAddress != nil && load.sync {
            throw ValidationError("--source-address needs the libcurl engine; it cannot be used with --sync.")
        }
    }
}
