import Foundation
import LoadCore

enum RunnerKind: String, Equatable {
    case curl = "libcurl engine"
    case urlSession = "URLSession"
}

/// Everything a run needs, resolved from flags, the environment and `.env` files, in parts by concern:
/// each reader is handed the part it reads.
struct Configuration {
    /// Where the requests go and who sends them.
    var target: Target
    /// What each request asks: the prompts, the conversations, the pause between them.
    var workload: Workload
    /// How many ask, how fast, how long, and over which transport.
    var load: Load
    /// The files and the console lines a run writes, and how records are read for them.
    var outputs: Outputs
    /// The service levels and the pass/fail thresholds.
    var checks: Checks
    /// `--replay FILE` (SPEC 24): the trace and its schedule (nil: no replay).
    var replay: ReplayConfiguration?

    /// Every secret this run carries, so tests and the log scrubber can look for them.
    var secrets: [String] { [target.token, target.embeddingsConfigToken].compactMap { $0 }.filter { !$0.isEmpty } }
}

extension Configuration {
    struct Target {
        var baseURL: String
        /// nil: send no Authorization header.
        var token: String?
        /// `--assistant-id 1,2,3`: the assistants requests go to in turn, one URL each (one when the path
        /// has no `{assistant_id}`).
        var assistantIDs: [String]
        var requestURLs: [String]
        /// `--model`: an extra member of the body.
        var model: String? = nil
        var tls = TLSOptions()
        var readinessCheck = true
        /// Where embeddings discovery looks first (SPEC section 7), with its token.
        var embeddingsConfigURL: String? = nil
        var embeddingsConfigToken: String? = nil
        /// Files that supplied values, for `--verbose`.
        var envFilesRead: [String] = []

        /// The assistants joined with `+`, as the CSV shows them.
        var assistantID: String { assistantIDs.joined(separator: "+") }
        /// The first request URL (the only one with a single assistant).
        var requestURL: String { requestURLs[0] }

        var requestHeaders: [String] {
            var headers = ["Content-Type: application/json", "Accept: */*"]
            if let token { headers.append("Authorization: Bearer \(token)") }
            return headers
        }
    }

    struct Workload {
        var prompt: String
        /// `--prompts FILE`: the conversations' openings, in turn (empty: `prompt`).
        var prompts: [PromptFile.Entry] = []
        /// `--turns N`: turns per conversation (1: every request a new chat).
        var turns = 1
        /// `--turns MIN..MAX`: the shortest conversation (`turns` the longest).
        var minimumTurns = 1
        /// `--think`: the closed model's pause between a VU's requests.
        var think: ThinkTime?
        /// `--stream`: ask for Server-Sent Events and measure TTFT, ITL, TPOT.
        var streaming: Bool
        /// `--no-persist`: `"persist_chat": false` in the body.
        var persistChat = true
        var timeoutSeconds: Double
    }

    struct Load {
        var virtualUsers: Int
        /// Closed loop or open model, with or without stages (SPEC section 11), before the seed and the shard.
        var pace: Pace
        /// `--seed`: the arrivals' (poisson), the pauses' and the conversation lengths' generator.
        var seed: UInt64 = 1
        /// `--shard I/N` (nil: the whole run); `virtualUsers` and `requestLimit` are already its share.
        var shard: Shard?
        var requestLimit: Int?
        var durationSeconds: Double?
        /// Sweep steps: records completed this early in the run are left out of the statistics.
        var warmupSeconds = 0.0
        var transport = Transport()

        /// The plan the runner follows: the pace with the seed, narrowed to the shard.
        var plan: LoadPlan {
            let whole = pace.plan(seed: seed)
            return shard.map { $0.plan(whole) } ?? whole
        }

        /// The loops a run uses (nil with `--sync`, which has none): `metadata.loops`.
        var loopsUsed: Int? { transport.runner == .curl ? transport.loops.resolve(virtualUsers: virtualUsers) : nil }
    }

    /// `--rate`, `--arrival` and `--stages`: the load's shape, which `Load.plan` seeds.
    enum Pace: Equatable {
        case closed(stages: StageProfile?)
        case open(rate: LoadPlan.RateSource, arrival: LoadPlan.Arrival)

        func plan(seed: UInt64) -> LoadPlan {
            switch self {
            case .closed(let stages): return .closed(stages: stages)
            case .open(let rate, let arrival): return .open(rate: rate, arrival: arrival, seed: seed)
            }
        }
    }

    /// How the requests travel: `--sync`, `--loops`, `--http2`, `--connections`, `--preconnect`, `--refused-pause`, `--source-address`.
    struct Transport {
        var runner = RunnerKind.curl
        /// `--loops`: the libcurl engine's event-loop threads.
        var loops = LoopCount.auto
        /// `--http2` and `--connections` (SPEC 23).
        var http2 = false
        var connections: Int?
        /// `--preconnect`: the connections are opened before the clock starts (libcurl engine only).
        var preconnect = false
        /// `--refused-pause`: the closed model's wait after a refused connection.
        var refusedPause: Double?
        /// `--source-address`: local addresses connections leave from, checked to be local.
        var sourceAddresses: [String] = []
    }

    struct Outputs {
        var outputPath: String?
        var responsesPath: String?
        var csvPath: String?
        /// `--report FILE.html`.
        var reportPath: String?
        /// `--hdr FILE`: the HdrHistogram interval log.
        var hdrPath: String?
        /// `--timeseries` (nil: no file) and the interval; `intervalSeconds` is nil when neither flag was given.
        var timeSeriesPath: String?
        var intervalSeconds: Double?
        /// `--metrics`: the live listener's address, and how long it serves after the run.
        var metrics: MetricsAddress?
        var metricsLingerSeconds = 0.0
        /// Cap on stored response text in Unicode scalars; 0 is unlimited.
        var responseMaxChars: Int
        var trustStatus: Bool
        var verbose: Bool
        var progress: Bool

        /// Whether the run keeps the time series (its file, the report's charts, the drift verdict):
        /// not when `--hdr` alone asked for intervals, so the log costs only its histograms.
        var keepsTimeSeries: Bool { intervalSeconds != nil && (timeSeriesPath != nil || reportPath != nil || hdrPath == nil) }
    }

    struct Checks {
        var serviceLevel: ServiceLevel?
        var thresholds: [Threshold] = []
    }
}

struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
