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
}
