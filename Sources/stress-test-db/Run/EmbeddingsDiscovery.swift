import CurlEngine
import Foundation

/// SPEC section 7: the embeddings model for the CSV, from LAMB's KB settings.
enum EmbeddingsDiscovery {
    static func candidates(_ target: Configuration.Target) -> [(url: String, token: String?)] {
        var list: [(url: String, token: String?)] = []
        if let url = target.embeddingsConfigURL { list.append((url, target.embeddingsConfigToken)) }
        list.append((target.baseURL + "/creator/admin/org-admin/settings/kb/embeddings-config", target.token))
        return list
    }

    static func discover(_ target: Configuration.Target, log: (String) -> Void) -> String {
        for (url, token) in candidates(target) {
            let headers = token.map { ["Authorization: Bearer \($0)", "Accept: application/json"] } ?? ["Accept: application/json"]
            let response = Probe.perform(method: "GET", url: url, headers: headers, timeoutSeconds: 10, tls: target.tls)
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
