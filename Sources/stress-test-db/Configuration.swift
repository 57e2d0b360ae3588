import CurlEngine
import Foundation

/// The flags as parsed, before environment and `.env` files are consulted.
struct Flags: Equatable {
    var virtualUsers: Int
    var requests: Int?
    var duration: Double?
    var timeout: Double = 120
    var output: String?
    var responses: String?
    var csv: String?
    var responseMaxChars: Int?
    var envFile: String?
    var apiBaseURL: String?
    var endpointPath: String?
    var authToken: String?
    var noAuth = false
    var noCheck = false
    var prompt: String?
    var sync = false
    var verbose = false
    var assistantID: String?
    var trustStatus = false
    var caCertificate: String?
    var insecure = false
    var noProgress = false
}

enum RunnerKind: String, Equatable {
    case curl = "libcurl engine"
    case urlSession = "URLSession"
}

/// Everything a run needs, resolved from flags, the environment and `.env` files.
struct Configuration {
    var baseURL: String
    var assistantID: String
    /// nil: send no Authorization header.
    var token: String?
    var requestURL: String
    var virtualUsers: Int
    var requestLimit: Int?
    var durationSeconds: Double?
    var timeoutSeconds: Double
    /// Cap on stored response text in Unicode scalars; 0 is unlimited.
    var responseMaxChars: Int
    var readinessCheck: Bool
    var prompt: String
    var runner: RunnerKind
    var verbose: Bool
    var progress: Bool
    var outputPath: String?
    var responsesPath: String?
    var csvPath: String?
    var trustStatus: Bool
    var tls: TLSOptions
    /// Where embeddings discovery looks first (SPEC section 7), with its token.
    var embeddingsConfigURL: String?
    var embeddingsConfigToken: String?
    /// Files that supplied values, for `--verbose`.
    var envFilesRead: [String]

    /// `{"messages": [{"role": "user", "content": "<prompt>"}], "stream": false}`, as Python's json.dumps writes it.
    var requestBody: String {
        #"{"messages": [{"role": "user", "content": \#(JSONText.string(prompt))}], "stream": false}"#
    }

    var requestHeaders: [String] {
        var headers = ["Content-Type: application/json", "Accept: */*"]
        if let token { headers.append("Authorization: Bearer \(token)") }
        return headers
    }

    /// Every secret this run carries, so tests and the log scrubber can look for them.
    var secrets: [String] { [token, embeddingsConfigToken].compactMap { $0 }.filter { !$0.isEmpty } }
}

struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Configuration {
    static let defaultEnvFiles = [".env", "backend/.env", "lamb-kb-server-stable/backend/.env"]
    static let defaultMaxChars = 10_000

    /// SPEC section 1 as a pure function. `readFile` returns nil for a file that does not exist
    /// and throws for one that cannot be read.
    static func resolve(
        flags: Flags, environment processEnvironment: [String: String],
        readFile: (String) throws -> String?
    ) throws -> Configuration {
        var environment = processEnvironment
        var filesRead: [String] = []
        if let path = flags.envFile {
            let text: String?
            do { text = try readFile(path) } catch {
                throw ConfigurationError("cannot read --env-file \(path): \(error.localizedDescription). Check the path and its permissions.")
            }
            guard let text else {
                throw ConfigurationError("--env-file \(path) does not exist. Give the path of an existing .env file.")
            }
            DotEnv.merge(text, into: &environment)
            filesRead.append(path)
        }
        func value(_ key: String) -> String? {
            guard let value = environment[key], !value.isEmpty else { return nil }
            return value
        }
        let required = ["API_BASE_URL", "JWT_TOKEN", "ASSISTANT_ID"]
        for path in defaultEnvFiles where !required.allSatisfy({ value($0) != nil }) {
            // The default files are optional: a missing or unreadable one is passed over.
            guard let text = (try? readFile(path)) ?? nil else { continue }
            DotEnv.merge(text, into: &environment)
            filesRead.append(path)
        }

        var missing: [String] = []
        let base = flags.apiBaseURL ?? value("MOCK_OPENAI_BASE_URL") ?? value("API_BASE_URL")
        if base == nil { missing.append("API_BASE_URL") }
        var token: String? = flags.authToken ?? value("JWT_TOKEN")
        if flags.noAuth {
            token = nil
        } else if token == nil {
            missing.append("JWT_TOKEN")
        }
        if token?.isEmpty == true { token = nil }
        let path = flags.endpointPath ?? "/creator/assistant/{assistant_id}/chat/completions"
        let needsAssistant = path.contains("{assistant_id}")
        let assistantID = flags.assistantID ?? value("ASSISTANT_ID")
        if assistantID == nil && needsAssistant { missing.append("ASSISTANT_ID") }
        if !missing.isEmpty {
            var hint = "set them in the environment or a .env file (e.g. API_BASE_URL=http://localhost:9099)"
            if missing.contains("JWT_TOKEN") { hint += ", or pass --auth-token / --no-auth" }
            throw ConfigurationError("missing required configuration: \(missing.joined(separator: ", ")); \(hint).")
        }

        let trimmedBase = try validatedBaseURL(base!)
        let requestURL = try buildRequestURL(base: trimmedBase, path: path, assistantID: assistantID ?? "")

        var maxChars = defaultMaxChars
        if let flag = flags.responseMaxChars {
            maxChars = flag
        } else if let text = value("RESPONSE_BODY_MAX_CHARS") {
            maxChars = Int(text.trimmingCharacters(in: .whitespaces)).map { max(0, $0) } ?? defaultMaxChars
        }
        let noServerCheck = ["1", "true", "yes"].contains(value("NO_SERVER_CHECK")?.lowercased() ?? "")

        if flags.sync && (flags.caCertificate != nil || flags.insecure) {
            throw ConfigurationError("--cacert and --insecure work with the libcurl engine only; drop --sync or trust the certificate system-wide.")
        }
        if let path = flags.caCertificate, (try? readFile(path)) == nil {
            throw ConfigurationError("--cacert \(path) cannot be read. Give a PEM file of trusted certificates.")
        }

        let embeddingsURL = value("EMBEDDINGS_CONFIG_URL") ?? value("KB_EMBEDDINGS_CONFIG_URL")
        let embeddingsToken = ["EMBEDDINGS_CONFIG_TOKEN", "KB_EMBEDDINGS_CONFIG_TOKEN", "KB_API_KEY", "KB_SERVER_API_KEY"]
            .lazy.compactMap(value).first ?? token

        return Configuration(
            baseURL: trimmedBase, assistantID: assistantID ?? "", token: token, requestURL: requestURL,
            virtualUsers: flags.virtualUsers, requestLimit: flags.requests, durationSeconds: flags.duration,
            timeoutSeconds: flags.timeout, responseMaxChars: maxChars,
            readinessCheck: !(flags.noCheck || noServerCheck),
            prompt: flags.prompt ?? value("STRESS_PROMPT") ?? "Hello",
            runner: flags.sync ? .urlSession : .curl, verbose: flags.verbose, progress: !flags.noProgress,
            outputPath: flags.output, responsesPath: flags.responses, csvPath: flags.csv,
            trustStatus: flags.trustStatus,
            tls: TLSOptions(caCertificatePath: flags.caCertificate, insecure: flags.insecure),
            embeddingsConfigURL: embeddingsURL, embeddingsConfigToken: embeddingsToken,
            envFilesRead: filesRead)
    }

    /// `http` or `https` with a host; any trailing `/` removed.
    static func validatedBaseURL(_ raw: String) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(
                "the API base URL \"\(raw)\" is not an http(s) URL with a host. Use e.g. --api-base-url http://localhost:9099")
        }
        return trimmed
    }

    /// SPEC section 2: the default LAMB path, or `--endpoint-path` with `{assistant_id}` filled in.
    static func buildRequestURL(base: String, path: String, assistantID: String) throws -> String {
        var filled = path.replacingOccurrences(of: "{assistant_id}", with: assistantID)
        while filled.hasPrefix("/") { filled.removeFirst() }
        let url = base + "/" + filled
        let allowed = CharacterSet.urlPathAllowed.union(.urlQueryAllowed).union(CharacterSet(charactersIn: "%#"))
        if let bad = filled.unicodeScalars.first(where: { !allowed.contains($0) }) {
            throw ConfigurationError(
                "the endpoint path \"\(path)\" has a character a URL cannot carry (\"\(Character(bad))\"); only {assistant_id} is filled in. Percent-encode it or fix the path.")
        }
        guard URLComponents(string: url)?.host != nil else {
            throw ConfigurationError("the endpoint path \"\(path)\" does not make a valid URL with the base URL.")
        }
        return url
    }
}
