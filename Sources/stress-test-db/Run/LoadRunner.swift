import CurlEngine

/// A source of `RequestResult`s for one run: the libcurl engine, or URLSession for `--sync`.
protocol LoadRunner: AnyObject, Sendable {
    var results: ResultChannel { get }
    func start()
    /// Safe from any thread (a signal handler's queue).
    func stop()
    /// New connections opened so far, when the runner can tell.
    var connectionsOpened: Int? { get }
    /// Why the runner could not run at all, if so.
    var failure: String? { get }
    /// Requests handed to the transport so far.
    var requestsStarted: Int { get }
    /// Open model: requests started per second from the first due time to the last start.
    var achievedRate: Double? { get }
}

extension CurlEngine: LoadRunner {
    var connectionsOpened: Int? { counters.connectionsOpened }
    var requestsStarted: Int { counters.requestsStarted }
    var achievedRate: Double? { configuration.plan.isOpen ? counters.achievedRate : nil }
}

extension Configuration {
    /// The runner `--async`/`--sync` chose, for this configuration.
    func makeRunner() throws -> any LoadRunner {
        switch runner {
        case .curl: return try CurlEngine(configuration: engineConfiguration)
        case .urlSession: return URLSessionRunner(configuration: engineConfiguration)
        }
    }

    /// Every output written at the end is checked before any load is sent.
    func checkOutputPaths() throws {
        for (flag, path) in [("--output", outputPath), ("--csv", csvPath), ("--report", reportPath), ("--hdr", hdrPath)] {
            guard let path else { continue }
            do { try FileOutput.checkWritable(path) } catch {
                throw ConfigurationError("cannot write \(flag) \(path): \(error). Choose a writable path.")
            }
        }
    }

    var engineConfiguration: EngineConfiguration {
        EngineConfiguration(
            url: requestURL, method: "POST", headers: requestHeaders, body: Array(requestBody.utf8),
            virtualUsers: virtualUsers, requestLimit: requestLimit, durationSeconds: durationSeconds,
            timeoutSeconds: timeoutSeconds,
            // Enough bytes for `responseMaxChars` scalars (4 bytes at most each), and enough
            // for the body scanner to find `model` and `error` in a large answer.
            bodyCaptureBytes: responseMaxChars == 0 ? 64 << 20 : max(responseMaxChars * 4 + 4, 64 << 10),
            tls: tls, plan: plan, streaming: streaming, urls: requestURLs, bodies: requestBodies.map { Array($0.utf8) },
            conversations: conversationPlan, arrivalPhase: shard?.arrivalPhase ?? 0, sourceAddresses: sourceAddresses,
            loops: loopsUsed ?? 1)
    }
}
