/// TLS verification settings shared by the engine and the probes.
public struct TLSOptions: Sendable, Equatable {
    /// A PEM bundle of extra trusted certificates (`--cacert`).
    public var caCertificatePath: String?
    /// Skip certificate and host name verification (`--insecure`).
    public var insecure: Bool

    public init(caCertificatePath: String? = nil, insecure: Bool = false) {
        self.caCertificatePath = caCertificatePath
        self.insecure = insecure
    }
}

/// What the engine sends, how many virtual users send it, and for how long.
public struct EngineConfiguration: Sendable {
    public var url: String
    public var method: String
    /// Complete header lines, e.g. `Content-Type: application/json`.
    public var headers: [String]
    public var body: [UInt8]
    public var virtualUsers: Int
    /// Send exactly this many requests in total (nil: no count limit).
    public var requestLimit: Int?
    /// Stop starting requests this many seconds after the start (nil: no time limit).
    public var durationSeconds: Double?
    /// Bounds each request as a whole: connect, send, wait and body.
    public var timeoutSeconds: Double
    /// Body bytes kept per response; the rest is counted, not stored.
    public var bodyCaptureBytes: Int
    public var tls: TLSOptions
    /// After `stop()`, in-flight requests get this long before they are recorded as aborted.
    public var stopGraceSeconds: Double
    /// Closed loop (the default) or open model, with or without stages.
    public var plan: LoadPlan
    /// Open model: where the schedule starts within its first gap (`--shard I/N` sets I/N).
    public var arrivalPhase: Double
    /// Connections leave from these local addresses, VU by VU in turn (`--source-address`); empty: the system's choice.
    public var sourceAddresses: [String]
    /// Read each response as Server-Sent Events as it arrives (`--stream`).
    public var streaming: Bool
    /// Requests take these URLs and bodies in turn (`url` and `body` when empty).
    public var urls: [String]
    public var bodies: [[UInt8]]
    /// `--turns N` above 1: conversations, each request's body built from the one before it.
    public var conversations: ConversationPlan?
    /// Event-loop threads (`--loops`), each with its own VUs; at most one per VU.
    public var loops: Int
    /// `--think` (closed model): the pause after each request, and the seed of the VUs' streams.
    public var think: ThinkTime?
    public var thinkSeed: UInt64
    /// `--refused-pause` (closed model): seconds a VU waits after its connection was refused.
    public var refusedPause: Double?
    /// `--http2` (SPEC 23): HTTP/2 by ALPN over https, prior knowledge over http; `connections` (with it):
    /// the VUs multiplex over this many connections.
    public var http2 = false
    /// `--replay` (SPEC 24): the trace's schedule; `conversations` then holds the bodies' head and tail.
    public var replay: ReplaySchedule?
    public var connections: Int?
    /// `--preconnect`: every connection the run will use is opened before its clock starts (`Preconnect`).
    public var preconnect = false

    /// VUs per shard (one `curl_multi`): a few dozen over HTTP/1.1 (one connection each); with `--http2`,
    /// the VUs that share one connection (a shard is one connection then).
    public var virtualUsersPerShard: Int {
        guard http2 else { return 32 }
        let connections = max(1, min(connections ?? virtualUsers, virtualUsers))
        return (virtualUsers + connections - 1) / connections
    }

    public init(
        url: String, method: String = "POST", headers: [String] = [], body: [UInt8] = [],
        virtualUsers: Int, requestLimit: Int? = nil, durationSeconds: Double? = nil,
        timeoutSeconds: Double = 120, bodyCaptureBytes: Int = 1 << 20, tls: TLSOptions = TLSOptions(),
        stopGraceSeconds: Double = 0.5, plan: LoadPlan = .closed(stages: nil), streaming: Bool = false,
        urls: [String] = [], bodies: [[UInt8]] = [], conversations: ConversationPlan? = nil,
        arrivalPhase: Double = 0, sourceAddresses: [String] = [], loops: Int = 1, think: ThinkTime? = nil, thinkSeed: UInt64 = 1,
        refusedPause: Double? = nil
    ) {
        self.refusedPause = refusedPause
        self.think = think
        self.thinkSeed = thinkSeed
        self.loops = max(1, min(loops, virtualUsers))
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.virtualUsers = virtualUsers
        self.requestLimit = requestLimit
        self.durationSeconds = durationSeconds
        self.timeoutSeconds = timeoutSeconds
        self.bodyCaptureBytes = bodyCaptureBytes
        self.tls = tls
        self.stopGraceSeconds = stopGraceSeconds
        self.plan = plan
        self.streaming = streaming
        self.urls = urls
        self.bodies = bodies
        self.conversations = conversations
        self.arrivalPhase = arrivalPhase
        self.sourceAddresses = sourceAddresses
    }
}

public struct EngineError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
