import ArgumentParser
import Foundation

/// The single run: the Python tool's command, flag for flag. It is the default subcommand, so
/// `stress-test-db --vus 50 --requests 100` runs it without naming it.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load-test a LAMB server's assistant chat endpoint with concurrent virtual users (the default).",
        discussion: """
            Environment: API_BASE_URL (or MOCK_OPENAI_BASE_URL), JWT_TOKEN and ASSISTANT_ID; optional NO_SERVER_CHECK, RESPONSE_BODY_MAX_CHARS, STRESS_PROMPT, LAMB_PASSWORD (for --login), EMBEDDINGS_CONFIG_URL or KB_EMBEDDINGS_CONFIG_URL, and EMBEDDINGS_CONFIG_TOKEN, KB_EMBEDDINGS_CONFIG_TOKEN, KB_API_KEY or KB_SERVER_API_KEY. They are read from --env-file, then ./.env, ./backend/.env and ./lamb-kb-server-stable/backend/.env.

            Examples:
              stress-test-db --vus 50 --requests 100
              stress-test-db --vus 50 --duration 60
              stress-test-db --vus 100 --requests 200 --output results.json
              stress-test-db --vus 100 --requests 200 --responses r.jsonl --csv r.csv
              stress-test-db --vus 50 --requests 100 --prompt "Say hello in Basque"
              stress-test-db --vus 50 --requests 100 --sync --responses r.jsonl
              stress-test-db --vus 50 --requests 100 --no-auth \\
                  --endpoint-path /v1/chat/completions
              stress-test-db --rate 200 --vus 50 --duration 60 --threshold 'p95<2s'
              stress-test-db --stages 1m:50,5m:50,1m:0 --csv ramp.csv
              stress-test-db --vus 300 --think 10s..60s --turns 1..6 --duration 1800

            Exit status: 0 when the error rate is at most 5%; 1 above it, or for a configuration or output problem; 2 for a malformed command line; 99 when a --threshold failed; 128+N when stopped by signal N.
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
        if configuration.target.tls.insecure {
            Console().err("Warning: --insecure: https certificates are not verified; the numbers are real but the peer is unproven.\n")
        }
        throw ExitCode(LoadTest(configuration: configuration).run())
    }
}
