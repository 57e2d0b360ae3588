/// The transport interface a run uses: a source of `RequestResult`s, built by the shared
/// `RecordBuilder` and handed over on `results`. The libcurl engine, or the URLSession runner (`--sync`).
public protocol LoadRunner: AnyObject, Sendable {
    var results: ResultChannel { get }
    /// `--preconnect`: opens the run's connections and returns when they are (before `start`, which
    /// then starts the clock); nil for a runner or a run without it.
    func prepare() -> Preconnect?
    func start()
    /// Safe from any thread (a signal handler's queue).
    func stop()
    /// New connections opened so far, when the runner can tell.
    var connectionsOpened: Int? { get }
    /// Why the runner could not run at all, or stopped early, if so.
    var failure: String? { get }
    /// Requests handed to the transport so far.
    var requestsStarted: Int { get }
    /// Open model: requests started per second from the first due time to the last start.
    var achievedRate: Double? { get }
    /// `--think`: VUs pausing between requests now.
    var thinking: Int { get }
}

extension LoadRunner {
    public func prepare() -> Preconnect? { nil }
}
