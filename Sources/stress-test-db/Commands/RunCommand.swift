import ArgumentParser
import Foundation

/// The single run: the Python tool's command, flag for flag. It is the default subcommand, so
/// `stress-test-db --vus 50 --requests 100` runs it without naming it.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load-test a LAMB server's assistant chat endpoint with concurrent virtual users (the default).",
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

              stress-test-db --rate 200 --vus 50 --duration 60 --threshold 'p95<2s'
              stress-test-db --stages 1m:50,5m:50,1m:0 --csv ramp.csv

            Exit status: 0 when the error rate is at most 5%; 1 above it, or for a configuration or
            output problem; 2 for a malformed command line; 99 when a --threshold failed;
            128+N when stopped by signal N.
            """
    )

    @OptionGroup var options: RunOptions

    func run() throws {
        let configuration: Configuration
        do {
            configuration = try Configuration.resolve(
                options: options, environment: ProcessInfo.processInfo.environment, readFile: FileOutput.readText,
                login: Login.token)
        } catch {
            Console(secrets: [options.target.authToken].compactMap { $0 }).error("\(error)")
            throw ExitCode(1)
        }
        if configuration.tls.insecure {
            Console().err("Warning: --insecure: https certificates are not verified; the numbers are real but the peer is unproven.\n")
        }
        throw ExitCode(LoadTest(configuration: configuration).run())
    }
}
