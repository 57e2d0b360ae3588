import CurlEngine
import Foundation
import LoadCore

/// `--login EMAIL` (SPEC section 16): the JWT from LAMB's `POST /creator/login`, with the password
/// from `LAMB_PASSWORD` (environment or .env) or asked for without echo on a terminal. The password
/// is never printed or written; a refusal is one clear error.
enum Login {
    /// The token LAMB answers at `data.token`.
    static func token(baseURL: String, email: String, password: String, tls: TLSOptions) throws -> String {
        let url = baseURL + "/creator/login"
        let form = "email=\(formEncoded(email))&password=\(formEncoded(password))"
        let response = Probe.perform(method: "POST", url: url, headers: ["Content-Type: application/x-www-form-urlencoded",
                                                                       "Accept: application/json"],
                                     timeoutSeconds: 15, body: Array(form.utf8), tls: tls)
        if let failure = response.failure {
            throw ConfigurationError("--login \(email): \(url) did not answer (\(failure.rawValue)). Check --api-base-url and that LAMB is up.")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard (200..<300).contains(response.statusCode), object?["success"] as? Bool != false,
              let token = (object?["data"] as? [String: Any])?["token"] as? String, !token.isEmpty else {
            let reason = (object?["error"] as? String) ?? (object?["detail"] as? String) ?? "no token in the answer"
            throw ConfigurationError("--login \(email) was refused by \(url) (HTTP \(response.statusCode): \(reason)). Check the e-mail and LAMB_PASSWORD.")
        }
        return token
    }

    static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
