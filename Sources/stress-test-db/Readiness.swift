import CurlEngine
import Foundation

/// SPEC section 7: is anything answering below 500 at the base URL or the request URL?
enum Readiness {
    static let attempts = 3
    static let methods = ["OPTIONS", "HEAD", "GET"]

    /// `log` receives one line per probe (shown with `--verbose`).
    static func check(_ configuration: Configuration, log: (String) -> Void) -> Bool {
        for attempt in 1...attempts {
            if attempt > 1 { Thread.sleep(forTimeInterval: 1) }
            for url in [configuration.baseURL, configuration.requestURL] {
                for method in methods {
                    let response = Probe.perform(method: method, url: url, timeoutSeconds: 5, tls: configuration.tls)
                    let outcome = response.failure.map { "\($0.rawValue) (\(response.failureDetail ?? ""))" } ?? "HTTP \(response.statusCode)"
                    log("  readiness attempt \(attempt): \(method) \(url) -> \(outcome)")
                    if response.failure == nil && response.statusCode > 0 && response.statusCode < 500 { return true }
                }
            }
        }
        return false
    }
}

/// SPEC section 7: the embeddings model for the CSV, from LAMB's KB settings.
enum EmbeddingsDiscovery {
    static func candidates(_ configuration: Configuration) -> [(url: String, token: String?)] {
        var list: [(url: String, token: String?)] = []
        if let url = configuration.embeddingsConfigURL { list.append((url, configuration.embeddingsConfigToken)) }
        list.append((configuration.baseURL + "/creator/admin/org-admin/settings/kb/embeddings-config", configuration.token))
        return list
    }

    static func discover(_ configuration: Configuration, log: (String) -> Void) -> String {
        for (url, token) in candidates(configuration) {
            let headers = token.map { ["Authorization: Bearer \($0)", "Accept: application/json"] } ?? ["Accept: application/json"]
            let response = Probe.perform(method: "GET", url: url, headers: headers, timeoutSeconds: 10, tls: configuration.tls)
            guard response.failure == nil, (200..<300).contains(response.statusCode) else {
                log("  embeddings config \(url) -> \(response.failure?.rawValue ?? "HTTP \(response.statusCode)"), skipped")
                continue
            }
            if let model = model(in: response.body) {
                log("  embeddings config \(url) -> model \(model)")
                return model
            }
            log("  embeddings config \(url) -> no model in the answer, skipped")
        }
        return ""
    }

    /// The first non-empty of `embeddings_model.model`, `embeddings.model`, `model`.
    static func model(in body: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return nil }
        let candidates: [Any?] = [
            (object["embeddings_model"] as? [String: Any])?["model"],
            (object["embeddings"] as? [String: Any])?["model"],
            object["model"],
        ]
        return candidates.lazy.compactMap { $0 as? String }.first { !$0.isEmpty }
    }
}
