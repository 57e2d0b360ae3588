import ArgumentParser
import Foundation

struct LoadOptions: ParsableArguments {
    @Option(name: .customLong("vus"), help: "Number of concurrent virtual users (required).")
    var vus: Int
    @Option(help: ArgumentHelp("Total requests to send (use with --vus or --duration).", valueName: "N"))
    var requests: Int?
    @Option(help: ArgumentHelp("Test duration in seconds (use instead of --requests).", valueName: "SECONDS"))
    var duration: Double?
    @Option(help: ArgumentHelp("Request timeout in seconds.", valueName: "SECONDS"))
    var timeout: Double = 120
    @Option(help: ArgumentHelp("Custom prompt/message to send with each request (default: \"Hello\").", valueName: "STRING"))
    var prompt: String?
    @Flag(name: .customLong("async"), help: "Use the libcurl event-loop runner (reuses connections; recommended for high VU) (default).")
    var asyncRunner = false
    @Flag(help: "Use the URLSession runner instead (for comparison with the default).")
    var sync = false
}

struct TargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Load env vars from a .env file.", valueName: "FILE"))
    var envFile: String?
    @Option(help: ArgumentHelp("Override API base URL.", valueName: "URL"))
    var apiBaseUrl: String?
    @Option(help: ArgumentHelp("Override endpoint path (supports {assistant_id}).", valueName: "PATH"))
    var endpointPath: String?
    @Option(help: ArgumentHelp("Assistant id (overrides ASSISTANT_ID).", valueName: "ID"))
    var assistantId: String?
    @Option(help: ArgumentHelp("Override bearer token (overrides JWT_TOKEN).", valueName: "TOKEN"))
    var authToken: String?
    @Flag(help: "Disable Authorization header.")
    var noAuth = false
    @Flag(help: "Skip server readiness check.")
    var noCheck = false
    @Option(help: ArgumentHelp("Trust the certificates in this PEM file for https targets.", valueName: "FILE"))
    var cacert: String?
    @Flag(help: "Do not verify https certificates (prints a warning).")
    var insecure = false
}

struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Save JSON summary and raw results.", valueName: "FILE"))
    var output: String?
    @Option(help: ArgumentHelp("Append per-request responses as JSON Lines.", valueName: "FILE"))
    var responses: String?
    @Option(help: ArgumentHelp("Append a summary row to CSV.", valueName: "FILE"))
    var csv: String?
    @Option(help: ArgumentHelp("Max response body characters to store per request (0 = unlimited).", valueName: "N"))
    var responseMaxChars: Int?
    @Flag(help: "Count every 2xx as a success, as the Python tool did (ignore an \"error\" in the body or an empty body).")
    var trustStatus = false
    @Flag(help: "Print detailed progress logs.")
    var verbose = false
    @Flag(help: "Do not show the live progress line on stderr.")
    var noProgress = false
}

struct StressTestDB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress-test-db",
        abstract: "Load-test a LAMB server's assistant chat endpoint with concurrent virtual users.",
        discussion: """
            Environment: API_BASE_URL (or MOCK_OPENAI_BASE_URL), JWT_TOKEN, ASSISTANT_ID; optional NO_SERVER_CHECK,
            RESPONSE_BODY_MAX_CHARS, STRESS_PROMPT, EMBEDDINGS_CONFIG_URL / KB_EMBEDDINGS_CONFIG_URL and
            EMBEDDINGS_CONFIG_TOKEN / KB_EMBEDDINGS_CONFIG_TOKEN / KB_API_KEY / KB_SERVER_API_KEY.
            Read from --env-file, then ./.env, ./backend/.env, ./lamb-kb-server-stable/backend/.env.

            Examples:
              stress-test-db --vus 50 --requests 100
              stress-test-db --vus 50 --duration 60
              stress-test-db --vus 100 --requests 200 --output results.json
              stress-test-db --vus 100 --requests 200 --responses responses.jsonl --csv results.csv
              stress-test-db --vus 50 --requests 100 --prompt "Say hello in Basque"
              stress-test-db --vus 50 --requests 100 --sync --responses responses.jsonl
              stress-test-db --vus 50 --requests 100 --endpoint-path /v1/chat/completions --no-auth

            Exit status: 0 when the error rate is at most 5%; 1 above it, or for a configuration or
            output problem; 2 for a malformed command line; 128+N when stopped by signal N.
            """
    )

    @OptionGroup(title: "Load") var load: LoadOptions
    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    func validate() throws {
        guard load.vus >= 1 else { throw ValidationError("--vus must be at least 1 (got \(load.vus)).") }
        guard load.requests != nil || load.duration != nil else {
            throw ValidationError("give --requests N or --duration SECONDS (or both: whichever is reached first ends the run).")
        }
        if let requests = load.requests, requests < 1 { throw ValidationError("--requests must be at least 1 (got \(requests)).") }
        if let duration = load.duration, !(duration > 0 && duration.isFinite) {
            throw ValidationError("--duration must be a positive number of seconds (got \(duration)).")
        }
        guard load.timeout > 0 && load.timeout.isFinite else {
            throw ValidationError("--timeout must be a positive number of seconds (got \(load.timeout)).")
        }
        if let chars = output.responseMaxChars, chars < 0 {
            throw ValidationError("--response-max-chars must be 0 (unlimited) or more (got \(chars)).")
        }
        if load.sync && load.asyncRunner { throw ValidationError("--sync and --async choose different runners; give one.") }
        if target.noAuth && target.authToken != nil { throw ValidationError("--no-auth and --auth-token contradict each other; give one.") }
        if load.vus > 100_000 { throw ValidationError("--vus above 100000 is not supported on one machine (got \(load.vus)).") }
    }

    var flags: Flags {
        Flags(
            virtualUsers: load.vus, requests: load.requests, duration: load.duration, timeout: load.timeout,
            output: output.output, responses: output.responses, csv: output.csv,
            responseMaxChars: output.responseMaxChars, envFile: target.envFile, apiBaseURL: target.apiBaseUrl,
            endpointPath: target.endpointPath, authToken: target.authToken, noAuth: target.noAuth,
            noCheck: target.noCheck, prompt: load.prompt, sync: load.sync, verbose: output.verbose,
            assistantID: target.assistantId, trustStatus: output.trustStatus, caCertificate: target.cacert,
            insecure: target.insecure, noProgress: output.noProgress)
    }
}

@main
enum Main {
    static func main() {
        let command: StressTestDB
        do {
            command = try StressTestDB.parse()
        } catch {
            let message = StressTestDB.fullMessage(for: error)
            if StressTestDB.exitCode(for: error) == .success {
                print(message)
                exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            exit(2)
        }
        let configuration: Configuration
        do {
            configuration = try Configuration.resolve(
                flags: command.flags, environment: ProcessInfo.processInfo.environment,
                readFile: { path in
                    guard FileManager.default.fileExists(atPath: path) else { return nil }
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw FileOutput.FileError(description: "permission denied or not a file")
                    }
                    return String(decoding: data, as: UTF8.self)
                })
        } catch {
            let console = Console(secrets: [command.target.authToken].compactMap { $0 })
            console.error("\(error)")
            exit(1)
        }
        if configuration.tls.insecure {
            FileHandle.standardError.write(Data("Warning: --insecure: https certificates are not verified; the numbers are real but the peer is unproven.\n".utf8))
        }
        exit(LoadTest(configuration: configuration).run())
    }
}
