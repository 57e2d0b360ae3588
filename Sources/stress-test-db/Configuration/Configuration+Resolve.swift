import Foundation
import LoadCore

extension Configuration {
    static let defaultEnvFiles = [".env", "backend/.env", "lamb-kb-server-stable/backend/.env"]
    static let requiredVariables = ["API_BASE_URL", "JWT_TOKEN", "ASSISTANT_ID"]
    static let defaultMaxChars = 10_000
    static let defaultEndpointPath = "/creator/assistant/{assistant_id}/chat/completions"
    static let defaultTimeoutSeconds = 120.0

    /// SPEC section 1 as a pure function of the flags, the environment and the files `readFile`
    /// returns (nil for a file that does not exist; it throws for one that cannot be read).
    /// `login` turns (base URL, e-mail, password) into a token: the commands pass `Login.token` (a
    /// request to the server, which is the run's business, not the configuration's); tests their own.
    static func resolve(
        options: RunOptions, environment: [String: String], readFile: (String) throws -> String?,
        login: ((String, String, String, TLSOptions) throws -> String)? = nil
    ) throws -> Configuration {
        if let prompts = options.load.prompts {
            try FileRoles.check(outputs: FileRoles.outputs(options.output), inputs: [FileRoles.Named(flag: "--prompts", path: prompts)])
        }
        if let trace = options.replay.replay {
            try FileRoles.check(outputs: FileRoles.outputs(options.output), inputs: [FileRoles.Named(flag: "--replay", path: trace)])
        }
        var configuration = try resolve(target: options.target, output: options.output, request: options.load.request,
                                        environment: environment, readFile: readFile, login: login)
        configuration.replay = try ReplayConfiguration.read(options.replay, readFile: readFile)
        try configuration.apply(options.load, readFile: readFile)
        try configuration.applyReplay(options.load)
        return configuration
    }

    /// The target, the request and the outputs, with the load of one VU and no limit: what `sweep` starts
    /// from (it sets each level's load itself); `run` applies its load options on top.
    static func resolve(
        target options: TargetOptions, output: OutputOptions, request: RequestOptions, environment processEnvironment: [String: String],
        readFile: (String) throws -> String?, login: ((String, String, String, TLSOptions) throws -> String)? = nil
    ) throws -> Configuration {
        let settings = try Settings.load(envFile: options.envFile, environment: processEnvironment, readFile: readFile)
        let inputs = (settings.filesRead.map { ($0 == options.envFile ? "--env-file" : ".env", $0) } + [("--cacert", options.cacert)])
            .compactMap { flag, path in path.map { FileRoles.Named(flag: flag, path: $0) } }
        try FileRoles.check(outputs: FileRoles.outputs(output), inputs: inputs)
        var target = try resolveTarget(options, settings)
        target.tls = TLSOptions(caCertificatePath: options.cacert, insecure: options.insecure)
        if let email = options.login {
            guard let login else { throw ConfigurationError("--login \(email): no way to reach the server here.") }
            let password = try settings.password(email: email)
            do { target.token = try login(target.baseURL, email, password, target.tls) } catch { throw ConfigurationError("\(error)") }
        }
        try checkHeaderValue(target.token, "the token (--auth-token, JWT_TOKEN or --login's answer)")
        try checkHeaderValue(settings.embeddingsToken, "the embeddings config token")
        try checkTLS(options, readFile: readFile)
        target.readinessCheck = !(options.noCheck || settings.noServerCheck)
        target.embeddingsConfigURL = settings["EMBEDDINGS_CONFIG_URL"] ?? settings["KB_EMBEDDINGS_CONFIG_URL"]
        target.embeddingsConfigToken = settings.embeddingsToken ?? target.token
        target.envFilesRead = settings.filesRead
        var load = Load(virtualUsers: 1, pace: .closed(stages: nil))
        if let list = options.sourceAddress { load.transport.sourceAddresses = try SourceAddress.parse(list) }
        let streaming = request.stream
        var configuration = Configuration(
            target: target,
            workload: Workload(prompt: settings["STRESS_PROMPT"] ?? "Hello", streaming: streaming, timeoutSeconds: defaultTimeoutSeconds),
            load: load, outputs: try outputs(output, settings: settings),
            checks: Checks(serviceLevel: try output.slo.map { try ServiceLevel.parse($0, streaming: streaming) }))
        configuration.apply(request)
        return configuration
    }

    /// The output flags, with `RESPONSE_BODY_MAX_CHARS` for the cap when `--response-max-chars` is not given.
    private static func outputs(_ output: OutputOptions, settings: Settings) throws -> Outputs {
        Outputs(
            outputPath: output.output, responsesPath: output.responses, csvPath: output.csv, reportPath: output.report,
            hdrPath: output.hdr, timeSeriesPath: output.timeseries,
            // The report's charts over time need intervals: 1 s when only --report asks for them.
            intervalSeconds: output.interval ?? (output.timeseries != nil || output.hdr != nil ? 10 : (output.report != nil ? 1 : nil)),
            metrics: output.metrics, metricsLingerSeconds: output.metricsLinger,
            responseMaxChars: output.responseMaxChars ?? settings.responseMaxChars, trustStatus: output.trustStatus,
            verbose: output.verbose, progress: !output.noProgress)
    }

    /// The load options of a run: its shape and limits, the request, the runner.
    mutating func apply(_ load: LoadOptions, readFile: (String) throws -> String?) throws {
        let shape = Self.loadShape(load)
        (self.load.virtualUsers, self.load.pace, self.load.seed) = (shape.virtualUsers, shape.pace, load.seed)
        checks.thresholds = try load.thresholds.map(Threshold.parse)
        (self.load.requestLimit, self.load.durationSeconds) = (load.requests, load.duration)
        self.load.transport.runner = load.sync ? .urlSession : .curl
        if load.sync && (target.tls.caCertificatePath != nil || target.tls.insecure) {
            throw ConfigurationError("--cacert and --insecure work with the libcurl engine only; drop --sync or trust the certificate system-wide.")
        }
        if load.sync && load.preconnect {
            throw ConfigurationError("--preconnect opens the libcurl engine's connections before the clock starts; it cannot be used with --sync.")
        }
        target.model = load.model
        (workload.minimumTurns, workload.turns) = (load.turns.minimum, load.turns.maximum)
        (self.load.transport.http2, self.load.transport.connections) = (load.http2, load.connections)
        self.load.transport.preconnect = load.preconnect
        self.load.transport.refusedPause = load.refusedPause > 0 ? load.refusedPause : nil
        if let path = load.prompts {
            let text: String?
            do { text = try readFile(path) } catch { throw ConfigurationError("--prompts: \(error).") }
            guard let text else { throw ConfigurationError("--prompts \(path) does not exist. Give a file of prompts, one a line.") }
            workload.prompts = try PromptFile.parse(text, path: path)
        }
        workload.persistChat = !load.noPersist
        self.load.transport.loops = load.loops
        if let shard = load.shard {
            // A replay splits its conversations instead (`applyReplay`).
            if replay == nil { try self.load.apply(shard) } else { self.load.shard = shard }
        }
    }

    /// What each request asks and the pause between a VU's requests (run and sweep alike); the
    /// streaming flag was read with the outputs, which check `--slo` against it.
    private mutating func apply(_ request: RequestOptions) {
        workload.timeoutSeconds = request.timeout
        if let prompt = request.prompt { workload.prompt = prompt }
        workload.think = request.think
    }

    /// The environment with the `.env` files merged in, in SPEC section 1's order.
    struct Settings {
        var environment: [String: String]
        var filesRead: [String] = []

        /// A set, non-empty variable.
        subscript(key: String) -> String? {
            guard let value = environment[key], !value.isEmpty else { return nil }
            return value
        }

        /// `--login`'s password: `LAMB_PASSWORD` (environment or .env), or asked for without echo on a terminal.
        func password(email: String) throws -> String {
            if let password = self["LAMB_PASSWORD"] { return password }
            guard isatty(0) == 1, let typed = getpass("LAMB password for \(email): ") else {
                throw ConfigurationError(
                    "--login \(email) needs a password: set LAMB_PASSWORD in the environment or a .env file (no terminal to ask on).")
            }
            return String(cString: typed)
        }

        static func load(envFile: String?, environment: [String: String], readFile: (String) throws -> String?) throws -> Settings {
            var settings = Settings(environment: environment)
            if let path = envFile {
                let text: String?
                do { text = try readFile(path) } catch {
                    throw ConfigurationError("--env-file: \(error). Check the path and its permissions.")
                }
                guard let text else {
                    throw ConfigurationError("--env-file \(path) does not exist. Give the path of an existing .env file.")
                }
                settings.merge(text, from: path)
            }
            for path in defaultEnvFiles where !requiredVariables.allSatisfy({ settings[$0] != nil }) {
                // The default files are optional: a missing or unreadable one is passed over.
                guard let text = (try? readFile(path)) ?? nil else { continue }
                settings.merge(text, from: path)
            }
            return settings
        }

        private mutating func merge(_ text: String, from path: String) {
            DotEnv.merge(text, into: &environment)
            filesRead.append(path)
        }

        /// `RESPONSE_BODY_MAX_CHARS`; a value that is not an integer means the default.
        var responseMaxChars: Int {
            guard let text = self["RESPONSE_BODY_MAX_CHARS"] else { return defaultMaxChars }
            return Int(text.trimmingCharacters(in: .whitespaces)).map { max(0, $0) } ?? defaultMaxChars
        }

        var noServerCheck: Bool { ["1", "true", "yes"].contains(self["NO_SERVER_CHECK"]?.lowercased() ?? "") }

        var embeddingsToken: String? {
            ["EMBEDDINGS_CONFIG_TOKEN", "KB_EMBEDDINGS_CONFIG_TOKEN", "KB_API_KEY", "KB_SERVER_API_KEY"]
                .lazy.compactMap { self[$0] }.first
        }
    }

    /// Base URL, token and assistant, each from the first source that has it; the missing ones named together.
    static func resolveTarget(_ flags: TargetOptions, _ settings: Settings) throws -> Target {
        var missing: [String] = []
        let base = flags.apiBaseUrl ?? settings["MOCK_OPENAI_BASE_URL"] ?? settings["API_BASE_URL"]
        if base == nil { missing.append("API_BASE_URL") }
        var token: String? = flags.authToken ?? settings["JWT_TOKEN"]
        if flags.noAuth {
            token = nil
        } else if token == nil && flags.login == nil {
            missing.append("JWT_TOKEN")
        }
        let path = flags.endpointPath ?? defaultEndpointPath
        let assistantID = flags.assistantId ?? settings["ASSISTANT_ID"]
        if assistantID == nil && path.contains("{assistant_id}") { missing.append("ASSISTANT_ID") }
        guard let base, missing.isEmpty else {
            var hint = "set them in the environment or a .env file (e.g. API_BASE_URL=http://localhost:9099)"
            if missing.contains("JWT_TOKEN") { hint += ", or pass --auth-token / --no-auth" }
            throw ConfigurationError("missing required configuration: \(missing.joined(separator: ", ")); \(hint).")
        }
        let baseURL = try validatedBaseURL(base)
        let ids = (assistantID ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let assistants = ids.isEmpty ? [assistantID ?? ""] : ids
        // Without {assistant_id} in the path every assistant would go to the same URL: one is enough.
        let distinct = path.contains("{assistant_id}") ? assistants : [assistants[0]]
        return Target(
            baseURL: baseURL, token: token?.isEmpty == true ? nil : token, assistantIDs: distinct,
            requestURLs: try distinct.map { try buildRequestURL(base: baseURL, path: path, assistantID: $0) })
    }

    /// A value sent in a header line (a token): a control character in it (a newline from a pasted
    /// token, say) would end the line and start another header, so it is refused. The value is never
    /// shown: it is a secret.
    static func checkHeaderValue(_ value: String?, _ what: String) throws {
        guard let value, let bad = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) else { return }
        let name = bad == "\n" ? "a line feed" : bad == "\r" ? "a carriage return" : String(format: "control character U+%04X", bad.value)
        throw ConfigurationError("\(what) contains \(name), which would break the Authorization header: remove it (a pasted token keeps its newline; check the .env file or the variable).")
    }

    static func checkTLS(_ target: TargetOptions, readFile: (String) throws -> String?) throws {
        if let path = target.cacert, (try? readFile(path)) == nil {
            throw ConfigurationError("--cacert \(path) cannot be read. Give a PEM file of trusted certificates.")
        }
    }
}
