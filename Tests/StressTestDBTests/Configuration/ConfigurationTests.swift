import XCTest
@testable import stress_test_db

final class ConfigurationTests: XCTestCase {
    let full = ["API_BASE_URL": "http://env:9099", "JWT_TOKEN": "env-token", "ASSISTANT_ID": "7"]

    /// The flags as the command line gives them: `--vus 1 --requests 1` and `extra`.
    func options(_ extra: String...) -> RunOptions {
        try! RunOptions.parse(["--vus", "1", "--requests", "1"] + extra)
    }

    func resolve(_ options: RunOptions, _ environment: [String: String], files: [String: String] = [:]) throws -> Configuration {
        try Configuration.resolve(options: options, environment: environment, readFile: { files[$0] })
    }

    func testPrecedenceTable() throws {
        struct Row { var flags: RunOptions; var environment: [String: String]; var files: [String: String]; var base: String; var token: String?; var assistant: String }
        let withFlags = options("--api-base-url", "http://flag:1/", "--auth-token", "flag-token", "--assistant-id", "42")
        let emptyToken = options("--auth-token", "")
        let envFile = options("--env-file", "custom.env")
        let rows: [Row] = [
            Row(flags: options(), environment: full, files: [:], base: "http://env:9099", token: "env-token", assistant: "7"),
            Row(flags: withFlags, environment: full, files: [:], base: "http://flag:1", token: "flag-token", assistant: "42"),
            // MOCK_OPENAI_BASE_URL overrides API_BASE_URL.
            Row(flags: options(), environment: full.merging(["MOCK_OPENAI_BASE_URL": "http://mock:2"]) { $1 },
                files: [:], base: "http://mock:2", token: "env-token", assistant: "7"),
            // An explicit empty --auth-token wins over JWT_TOKEN and sends no header.
            Row(flags: emptyToken, environment: full, files: [:], base: "http://env:9099", token: nil, assistant: "7"),
            // The environment beats .env files; .env fills the gaps.
            Row(flags: options(), environment: ["JWT_TOKEN": "env-token"],
                files: [".env": "API_BASE_URL=http://dotenv:3\nJWT_TOKEN=dotenv-token\nASSISTANT_ID=9"],
                base: "http://dotenv:3", token: "env-token", assistant: "9"),
            // Default files in order: ./.env first, then backend/.env for what is still missing.
            Row(flags: options(), environment: [:],
                files: [".env": "API_BASE_URL=http://first:1", "backend/.env": "API_BASE_URL=http://second:2\nJWT_TOKEN=b\nASSISTANT_ID=3",
                        "lamb-kb-server-stable/backend/.env": "ASSISTANT_ID=never"],
                base: "http://first:1", token: "b", assistant: "3"),
            // --env-file is read before the defaults.
            Row(flags: envFile, environment: [:],
                files: ["custom.env": "API_BASE_URL=http://custom:4\nJWT_TOKEN=c\nASSISTANT_ID=5", ".env": "ASSISTANT_ID=6"],
                base: "http://custom:4", token: "c", assistant: "5"),
        ]
        for (index, row) in rows.enumerated() {
            let configuration = try resolve(row.flags, row.environment, files: row.files)
            XCTAssertEqual(configuration.target.baseURL, row.base, "row \(index)")
            XCTAssertEqual(configuration.target.token, row.token, "row \(index)")
            XCTAssertEqual(configuration.target.assistantID, row.assistant, "row \(index)")
        }
    }

    func testDefaultFilesAreSkippedOnceEverythingIsSet() throws {
        let configuration = try resolve(options(), full, files: [".env": "STRESS_PROMPT=from-file"])
        XCTAssertEqual(configuration.workload.prompt, "Hello")
        XCTAssertEqual(configuration.target.envFilesRead, [])
    }

    func testMissingVariablesAreNamed() {
        XCTAssertThrowsError(try resolve(options(), [:])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("API_BASE_URL, JWT_TOKEN, ASSISTANT_ID"), text)
            XCTAssertTrue(text.contains("--no-auth"), text)
        }
    }

    func testNoAuthNeedsNoToken() throws {
        let configuration = try resolve(options("--no-auth"), ["API_BASE_URL": "http://h:1", "ASSISTANT_ID": "1"])
        XCTAssertNil(configuration.target.token)
        XCTAssertFalse(configuration.target.requestHeaders.contains { $0.hasPrefix("Authorization") })
    }

    func testMissingEnvFileIsAnError() {
        XCTAssertThrowsError(try resolve(options("--env-file", "nope.env"), full)) { XCTAssertTrue("\($0)".contains("nope.env does not exist")) }
    }

    func testRequestURLs() throws {
        XCTAssertEqual(try resolve(options(), full.merging(["API_BASE_URL": "http://h:9099/"]) { $1 }).target.requestURL,
                       "http://h:9099/creator/assistant/7/chat/completions")
        XCTAssertEqual(try resolve(options("--endpoint-path", "/v1/chat/completions"), full).target.requestURL,
                       "http://env:9099/v1/chat/completions")
        XCTAssertEqual(try resolve(options("--endpoint-path", "api/{assistant_id}/chat"), full).target.requestURL, "http://env:9099/api/7/chat")
        XCTAssertThrowsError(try resolve(options("--endpoint-path", "/a/{assistant_id"), full))
        // Without the placeholder, no assistant id is needed.
        XCTAssertNoThrow(try resolve(options("--endpoint-path", "/v1/chat/completions"), ["API_BASE_URL": "http://h:1", "JWT_TOKEN": "t"]))
    }

    /// Each pair said once: the assistants and their URLs are stored, the joined id and the first URL derived.
    func testSeveralAssistantsAreStoredOnce() throws {
        let configuration = try resolve(options("--assistant-id", "3, 4"), full)
        XCTAssertEqual(configuration.target.assistantIDs, ["3", "4"])
        XCTAssertEqual(configuration.target.assistantID, "3+4")
        XCTAssertEqual(configuration.target.requestURLs, ["http://env:9099/creator/assistant/3/chat/completions",
                                                          "http://env:9099/creator/assistant/4/chat/completions"])
        XCTAssertEqual(configuration.target.requestURL, configuration.target.requestURLs[0])
        XCTAssertEqual(configuration.runDescription.assistantID, "3+4")
    }

    func testBadBaseURLs() {
        for bad in ["localhost:9099", "ftp://h:1", "http://", "", "not a url"] {
            XCTAssertThrowsError(try resolve(options(), full.merging(["API_BASE_URL": bad]) { $1 }), bad)
        }
    }

    func testResponseCapAndChecks() throws {
        XCTAssertEqual(try resolve(options(), full).outputs.responseMaxChars, 10_000)
        XCTAssertEqual(try resolve(options(), full.merging(["RESPONSE_BODY_MAX_CHARS": "50"]) { $1 }).outputs.responseMaxChars, 50)
        XCTAssertEqual(try resolve(options(), full.merging(["RESPONSE_BODY_MAX_CHARS": "lots"]) { $1 }).outputs.responseMaxChars, 10_000)
        XCTAssertEqual(try resolve(options("--response-max-chars", "0"), full.merging(["RESPONSE_BODY_MAX_CHARS": "50"]) { $1 }).outputs.responseMaxChars, 0)
        for (value, check) in [("1", false), ("TRUE", false), ("Yes", false), ("no", true), ("0", true)] {
            XCTAssertEqual(try resolve(options(), full.merging(["NO_SERVER_CHECK": value]) { $1 }).target.readinessCheck, check, value)
        }
    }

    func testPromptAndBody() throws {
        XCTAssertEqual(try resolve(options(), full.merging(["STRESS_PROMPT": "Kaixo"]) { $1 }).workload.prompt, "Kaixo")
        let configuration = try resolve(options("--prompt", "Say \"hi\" in Euskara ñ"), full)
        XCTAssertEqual(RequestBodies(configuration.workload, target: configuration.target).single,
                       #"{"messages": [{"role": "user", "content": "Say \"hi\" in Euskara \u00f1"}], "stream": false}"#)
    }

    func testEmbeddingsTokenPrecedence() throws {
        let env = full.merging(["KB_EMBEDDINGS_CONFIG_URL": "http://kb:1/config", "KB_API_KEY": "kb-key", "KB_SERVER_API_KEY": "server-key"]) { $1 }
        let configuration = try resolve(options(), env)
        XCTAssertEqual(configuration.target.embeddingsConfigURL, "http://kb:1/config")
        XCTAssertEqual(configuration.target.embeddingsConfigToken, "kb-key")
        XCTAssertEqual(EmbeddingsDiscovery.candidates(configuration.target).map(\.url),
                       ["http://kb:1/config", "http://env:9099/creator/admin/org-admin/settings/kb/embeddings-config"])
        XCTAssertEqual(try resolve(options(), full).target.embeddingsConfigToken, "env-token")
        XCTAssertEqual(configuration.secrets.sorted(), ["env-token", "kb-key"])
    }

    func testEmbeddingsModelPaths() {
        func model(_ text: String) -> String? { EmbeddingsDiscovery.model(in: Array(text.utf8)) }
        XCTAssertEqual(model(#"{"embeddings_model":{"model":"a"},"embeddings":{"model":"b"},"model":"c"}"#), "a")
        XCTAssertEqual(model(#"{"embeddings_model":{"model":""},"embeddings":{"model":"b"},"model":"c"}"#), "b")
        XCTAssertEqual(model(#"{"vendor":"ollama","model":"nomic"}"#), "nomic")
        XCTAssertNil(model(#"{"model":""}"#))
        XCTAssertNil(model("<html>"))
    }
}
