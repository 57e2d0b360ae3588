import CurlEngine
import LoadCore
import URLSessionRunner

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
        var configuration = EngineConfiguration(
            url: requestURL, method: "POST", headers: requestHeaders, body: Array(requestBody.utf8),
            virtualUsers: virtualUsers, requestLimit: requestLimit, durationSeconds: durationSeconds,
            timeoutSeconds: timeoutSeconds,
            // Enough bytes for `responseMaxChars` scalars (4 bytes at most each), and enough
            // for the body scanner to find `model` and `error` in a large answer.
            bodyCaptureBytes: responseMaxChars == 0 ? 64 << 20 : max(responseMaxChars * 4 + 4, 64 << 10),
            tls: tls, plan: plan, streaming: streaming, urls: requestURLs, bodies: requestBodies.map { Array($0.utf8) },
            conversations: replayConversationPlan ?? conversationPlan, arrivalPhase: shard?.arrivalPhase ?? 0, sourceAddresses: sourceAddresses,
            loops: loopsUsed ?? 1, think: think, thinkSeed: seed, refusedPause: refusedPause)
        configuration.replay = replay?.schedule
        configuration.http2 = http2
        configuration.connections = connections
        return configuration
    }
}

extension Configuration {
    /// What the reports say of this run besides its records.
    var runDescription: RunDescription {
        RunDescription(apiURL: baseURL, assistantID: assistantID, virtualUsers: virtualUsers, requestLimit: requestLimit,
                       durationSeconds: durationSeconds, timeoutSeconds: timeoutSeconds, shard: shard?.description,
                       loops: loopsUsed, streaming: streaming, offeredRate: plan.offeredRate, think: think?.description,
                       httpVersion: http2 ? "2" : nil, replay: replay.map {
                           ReplayDescription(file: $0.path, speed: $0.speed, scale: $0.scale,
                                             conversations: $0.schedule.conversations, requests: $0.schedule.requests)
                       })
    }
}
