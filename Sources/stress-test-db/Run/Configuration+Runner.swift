import CurlEngine
import LoadCore
import URLSessionRunner

extension Configuration {
    /// The runner `--async`/`--sync` chose, for this configuration.
    func makeRunner() throws -> any LoadRunner {
        switch load.transport.runner {
        case .curl: return try CurlEngine(configuration: engineConfiguration)
        case .urlSession: return URLSessionRunner(configuration: engineConfiguration)
        }
    }

    var engineConfiguration: EngineConfiguration {
        let bodies = RequestBodies(workload, target: target), transport = load.transport
        let maxChars = outputs.responseMaxChars
        var configuration = EngineConfiguration(
            url: target.requestURL, method: "POST", headers: target.requestHeaders, body: Array(bodies.single.utf8),
            virtualUsers: load.virtualUsers, requestLimit: load.requestLimit, durationSeconds: load.durationSeconds,
            timeoutSeconds: workload.timeoutSeconds,
            // Enough bytes for `responseMaxChars` scalars (4 bytes at most each), and enough
            // for the body scanner to find `model` and `error` in a large answer.
            bodyCaptureBytes: maxChars == 0 ? 64 << 20 : max(maxChars * 4 + 4, 64 << 10),
            tls: target.tls, plan: load.plan, streaming: workload.streaming, urls: target.requestURLs,
            bodies: bodies.all.map { Array($0.utf8) },
            conversations: replay.map { bodies.replayPlan($0.schedule) } ?? bodies.conversationPlan(seed: load.seed),
            arrivalPhase: load.shard?.arrivalPhase ?? 0, sourceAddresses: transport.sourceAddresses,
            loops: load.loopsUsed ?? 1, think: workload.think, thinkSeed: load.seed, refusedPause: transport.refusedPause)
        configuration.replay = replay?.schedule
        configuration.http2 = transport.http2
        configuration.connections = transport.connections
        configuration.preconnect = transport.preconnect
        return configuration
    }

    /// What the reports say of this run besides its records.
    var runDescription: RunDescription {
        RunDescription(apiURL: target.baseURL, assistantID: target.assistantID, virtualUsers: load.virtualUsers,
                       requestLimit: load.requestLimit, durationSeconds: load.durationSeconds,
                       timeoutSeconds: workload.timeoutSeconds, shard: load.shard?.description, loops: load.loopsUsed,
                       streaming: workload.streaming, offeredRate: load.plan.offeredRate, think: workload.think?.description,
                       httpVersion: load.transport.http2 ? "2" : nil, replay: replay.map {
                           ReplayDescription(file: $0.path, speed: $0.speed, scale: $0.scale,
                                             conversations: $0.schedule.conversations, requests: $0.schedule.requests)
                       })
    }
}

extension Configuration.Outputs {
    /// Every output written at the end is checked before any load is sent.
    func checkPaths() throws {
        for (flag, path) in [("--output", outputPath), ("--csv", csvPath), ("--report", reportPath), ("--hdr", hdrPath)] {
            guard let path else { continue }
            do { try FileOutput.checkWritable(path) } catch {
                throw ConfigurationError("cannot write \(flag) \(path): \(error). Choose a writable path.")
            }
        }
    }
}
