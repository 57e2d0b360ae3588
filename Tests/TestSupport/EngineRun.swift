import CurlEngine
import Foundation
import LoadCore

/// The chat request body the Python tool sends.
public let chatBody = Array(#"{"messages": [{"role": "user", "content": "Hello"}], "stream": false}"#.utf8)

/// An engine configuration for lamb-sim's chat endpoint with its test token.
public func chatConfiguration(_ url: String, vus: Int, requests: Int? = nil, duration: Double? = nil,
                              timeout: Double = 30, capture: Int = 1 << 20) -> EngineConfiguration {
    EngineConfiguration(
        url: url, headers: ["Content-Type: application/json", "Authorization: Bearer \(LambSimServer.token)"],
        body: chatBody, virtualUsers: vus, requestLimit: requests, durationSeconds: duration,
        timeoutSeconds: timeout, bodyCaptureBytes: capture)
}

/// Runs an engine to the end and returns every record, and the engine for its counters.
public func runEngine(_ configuration: EngineConfiguration, stopAfter: Double? = nil) throws -> ([RequestResult], CurlEngine) {
    let engine = try CurlEngine(configuration: configuration)
    engine.start()
    if let stopAfter {
        DispatchQueue.global().asyncAfter(deadline: .now() + stopAfter) { engine.stop() }
    }
    let records = engine.results.collectAll()
    return (records, engine)
}
