import CurlEngine
import Foundation

/// SPEC section 7: is anything answering below 500 at the base URL or the request URL?
enum Readiness {
    static let attempts = 3
    static let methods = ["OPTIONS", "HEAD", "GET"]

    /// nil when something answered; otherwise why not: the last probe's failure, which names what
    /// went wrong (a refused connection, a URL libcurl rejects, an HTTP/2 this libcurl lacks).
    /// `log` receives one line per probe (shown with `--verbose`).
    static func check(_ target: Configuration.Target, http2: Bool, log: (String) -> Void) -> String? {
        var reason = "no answer"
        for attempt in 1...attempts {
            if attempt > 1 { Thread.sleep(forTimeInterval: 1) }
            for url in [target.baseURL, target.requestURL] {
                for method in methods {
                    let response = Probe.perform(method: method, url: url, timeoutSeconds: 5, tls: target.tls,
                                                 http2: http2)
                    let outcome = response.failure.map { "\($0.rawValue) (\(response.failureDetail ?? ""))" } ?? "HTTP \(response.statusCode)"
                    log("  readiness attempt \(attempt): \(method) \(url) -> \(outcome)")
                    if response.failure == nil && response.statusCode > 0 && response.statusCode < 500 { return nil }
                    reason = "\(method) \(url) -> \(outcome)"
                }
            }
        }
        return reason
    }

    /// `--http2`: one request before any load; a server that will not speak HTTP/2 is one clear error.
    static func http2Refusal(_ base: Configuration.Target) -> String? {
        let probe = Probe.perform(method: "GET", url: base.baseURL, headers: base.requestHeaders, timeoutSeconds: 10, tls: base.tls,
                                  http2: true)
        let tls = base.baseURL.lowercased().hasPrefix("https:")
        if !tls && !CurlAbilities.priorKnowledgeReuse {
            return "--http2 over plain http (prior knowledge) fails on every reused connection with this libcurl "
                + "(\(CurlAbilities.version); curl issue 10634, fixed in 8.0.0). Use the https front door, or a newer libcurl."
        }
        let how = tls ? "by ALPN over TLS" : "with prior knowledge over plain HTTP"
        if let failure = probe.failure {
            return "--http2: \(base.baseURL) did not answer HTTP/2 asked \(how) (\(failure.rawValue): \(probe.failureDetail ?? "")). "
                + "Check that the server (or its proxy) speaks HTTP/2, or drop --http2."
        }
        guard probe.httpVersion == "2" else {
            return "--http2: \(base.baseURL) answered HTTP/\(probe.httpVersion ?? "?") when asked for HTTP/2 \(how): it does not speak "
                + "HTTP/2 there. Point at the HTTP/2 front door (https with ALPN h2), or drop --http2."
        }
        return nil
    }
}
