import XCTest
@testable import stress_test_db

final class ConfigurationTests: XCTestCase {
    let full = ["API_BASE_URL": "http://env:9099", "JWT_TOKEN": "env-token", "ASSISTANT_ID": "7"]

    func resolve(_ flags: Flags = Flags(virtualUsers: 1, requests: 1), _ environment: [String: String],
                 files: [String: String] = [:]) throws -> Configuration {
        try Configuration.resolve(flags: flags, environment: environment, readFile: { files[$0] })
    }

    func testPrecedenceTable() throws {
        struct Row { var flags: Flags; var environment: [String: String]; var files: [String: String]; var base: String; var token: String?; var assistant: String }
        var withFlags = Flags(virtualUsers: 1, requests: 1)
        withFlags.apiBaseURL = "http://flag:1/"
        withFlags.authToken = "flag-token"
        withFlags.assistantID = "42"
        var emptyToken = Flags(virtualUsers: 1, requests: 1)
        emptyToken.authToken = ""
        var envFile = Flags(virtualUsers: 1, requests: 1)
        envFile.envFile = "custom.env"
        let rows: [Row] = [
            Row(flags: Flags(virtualUsers: 1, requests: 1), environment: full, files: [:], base: "http://env:9099", token: "env-token", assistant: "7"),
            Row(flags: withFlags, environment: full, files: [:], base: "http://flag:1", token: "flag-token", assistant: "42"),
            // MOCK_OPENAI_BASE_URL overrides API_BASE_URL.
            Row(flags: Flags(virtualUsers: 1, requests: 1), environment: full.merging(["MOCK_OPENAI_BASE_URL": "http://mock:2"]) { $1 },
                files: [:], base: "http://mock:2", token: "env-token", assistant: "7"),
            // An explicit empty --auth-token wins over JWT_TOKEN and sends no header.
            Row(flags: emptyToken, environment: full, files: [:], base: "http://env:9099", token: nil, assistant: "7"),
            // The environment beats .env files; .env fills the gaps.
            Row(flags: Flags(virtualUsers: 1, requests: 1), environment: ["JWT_TOKEN": "env-token"],
                files: [".env": "API_BASE_URL=http://dotenv:3\nJWT_TOKEN=dotenv-token\nASSISTANT_ID=9"],
                base: "http://dotenv:3", token: "env-token", assistant: "9"),
            // Default files in order: ./.env first, then backend/.env for what is still missing.
            Row(flags: Flags(virtualUsers: 1, requests: 1), environment: [:],
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
            XCTAssertEqual(configuration.baseURL, row.base, "row \(index)")
            XCTAssertEqual(configuration.token, row.token, "row \(index)")
            XCTAssertEqual(configuration.assistantID, row.assistant, "row \(index)")
        }
    }

    func testDefaultFilesAreSkippedOnceEverythingIsSet() throws {
        let configuration = try resolve(Flags(virtualUsers: 1, requests: 1), full, files: [".env": "STRESS_PROMPT=from-file"])
        XCTAssertEqual(configuration.prompt, "Hello")
        XCTAssertEqual(configuration.envFilesRead, [])
    }

    func testMissingVariablesAreNamed() {
        XCTAssertThrowsError(try resolve(Flags(virtualUsers: 1, requests: 1), [:])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("API_BASE_URL, JWT_TOKEN, ASSISTANT_ID"), text)
            XCTAssertTrue(text.contains("--no-auth"), text)
        }
    }

    func testNoAuthNeedsNoToken() throws {
        var flags = Flags(virtualUsers: 1, requests: 1)
        flags.noAuth = true
        let configuration = try resolve(flags, ["API_BASE_URL": "http://h:1", "ASSISTANT_ID": "1"])
        XCTAssertNil(configuration.token)
        XCTAssertFalse(configuration.requestHeaders.contains { $0.hasPrefix("Authorization") })
    }

    func testMissingEnvFileIsAnError() {
        var flags = Flags(virtualUsers: 1, requests: 1)
        flags.envFile = "nope.env"
        XCTAssertThrowsError(try resolve(flags, full)) { XCTAssertTrue("\($0)".contains("nope.env does not exist")) }
    }

    func testRequestURLs() throws {
        XCTAssertEqual(try resolve(Flags(virtualUsers: 1, requests: 1), full.merging(["API_BASE_URL": "http://h:9099/"]) { $1 }).requestURL,
                       "http://h:9099/creator/assistant/7/chat/completions")
        var flags = Flags(virtualUsers: 1, requests: 1)
        flags.endpointPath = "/v1/chat/completions"
        XCTAssertEqual(try resolve(flags, full).requestURL, "http://env:9099/v1/chat/completions")
        flags.endpointPath = "api/{assistant_id}/chat"
        XCTAssertEqual(try resolve(flags, full).requestURL, "http://env:9099/api/7/chat")
        flags.endpointPath = "/a/{assistant_id"
        XCTAssertThrowsError(try resolve(flags, full))
        // Without the placeholder, no assistant id is needed.
        flags.endpointPath = "/v1/chat/completions"
        XCTAssertNoThrow(try resolve(flags, ["API_BASE_URL": "http://h:1", "JWT_TOKEN": "t"]))
    }

    func testBadBaseURLs() {
        for bad in ["localhost:9099", "ftp://h:1", "http://", "", "not a url"] {
            XCTAssertThrowsError(try resolve(Flags(virtualUsers: 1, requests: 1), full.merging(["API_BASE_URL": bad]) { $1 }), bad)
        }
    }

    func testResponseCapAndChecks() throws {
        XCTAssertEqual(try resolve(Flags(virtualUsers: 1, requests: 1), full).responseMaxChars, 10_000)
        XCTAssertEqual(try resolve(Flags(virtualUsers: 1, requests: 1), full.merging(["RESPONSE_BODY_MAX_CHARS": "50"]) { $1 }).responseMaxChars, 50)
        XCTAssertEqual(try resolve(Flags(virtualUsers: 1, requests: 1), full.merging(["RESPONSE_BODY_MAX_CHARS": "lots"]) { $1 }).responseMaxChars, 10_000)
        var flags = Flags(virtualUsers: 1, requests: 1)
        flags.responseMaxChars = 0
        XCTAssertEqual(try resolve(flags, full.merging(["RESPONSE_BODY_MAX_CHARS": "50"]) { $1 }).responseMaxChars, 0)
        for (value, check) in [("1", false), ("TRUE", false), ("Yes", false), ("no", true), ("0", true)] {
            XCTAssertEqual(try resolve(Flags(virtualUsers: 1, requests: 1), full.merging(["NO_SERVER_CHECK": value]) { $1 }).readinessCheck, check, value)
        }
    }

    func testPromptAndBody() throws {
        XCTAssertEqual(try resolve(Flags(virtualUsers: 1, requests: 1), full.merging(["STRESS_PROMPT": "Kaixo"]) { $1 }).prompt, "Kaixo")
        var flags = Flags(virtualUsers: 1, requests: 1)
        flags.prompt = "Say \"hi\" in Euskara ñ"
        XCTAssertEqual(try resolve(flags, full).requestBody,
                       #"{"messages": [{"role": "user", "content": "Say \"hi\" in Euskara \u00f1"}], "stream": false}"#)
    }

    func testEmbeddingsTokenPrecedence() throws {
        let env = full.merging(["KB_EMBEDDINGS_CONFIG_URL": "http://kb:1/config", "KB_API_KEY": "kb-key", "KB_SERVER_API_KEY": "server-key"]) { $1 }
        let configuration = try resolve(Flags(virtualUsers: 1, requests: 1), env)
        XCTAssertEqual(configuration.embeddingsConfigURL, "http://kb:1/config")
        XCTAssertEqual(configuration.embeddingsConfigToken, "kb-key")
        XCTAssertEqual(EmbeddingsDiscovery.candidates(configuration).map(\.url),
                       ["http://kb:1/config", "http://env:9099/creator/admin/org-admin/settings/kb/embeddings-config"])
        XCTAssertEqual(try resolve(Flags(virtualUsers: 1, requests: 1), full).embeddingsConfigToken, "env-token")
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

final class DotEnvTests: XCTestCase {
    func testOddLines() {
        let text = """
              # comment
            API_BASE_URL = http://h:1  \r
            NO_EQUALS_LINE
            JWT_TOKEN="quoted=value"
            SINGLE='single'
            MISMATCHED="open'
            EMPTY=
            =novalue
            URL=http://x/?a=b=c
              SPACED  =  spaced value\t
            export_like=1
            """
        let pairs = DotEnv.parse(text)
        XCTAssertEqual(pairs.map { "\($0.key)=\($0.value)" }, [
            "API_BASE_URL=http://h:1", "JWT_TOKEN=quoted=value", "SINGLE=single", "MISMATCHED=\"open'",
            "EMPTY=", "URL=http://x/?a=b=c", "SPACED=spaced value", "export_like=1",
        ])
    }

    func testMergeNeverOverwrites() {
        var environment = ["A": "process"]
        DotEnv.merge("A=file\nB=file", into: &environment)
        XCTAssertEqual(environment, ["A": "process", "B": "file"])
    }

    func testBinaryJunkDoesNotCrash() {
        let junk = String(decoding: (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) }, as: UTF8.self)
        _ = DotEnv.parse(junk)
    }
}
