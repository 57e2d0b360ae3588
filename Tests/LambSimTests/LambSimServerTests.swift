import CurlEngine
import Foundation
import LoadCore
import TestSupport
import XCTest

/// lamb-sim as a process on a free loopback port, checked endpoint by endpoint.
final class LambSimServerTests: XCTestCase {
    let chatBody = Array(#"{"messages":[{"role":"user","content":"Hello"}],"stream":false}"#.utf8)
    let auth = ["Authorization: Bearer \(LambSimServer.token)", "Content-Type: application/json"]

    func chat(_ server: LambSimServer, path: String = "/creator/assistant/1/chat/completions", headers: [String]? = nil,
              body: [UInt8]? = nil, timeout: Double = 10) -> Probe.Response {
        Probe.perform(method: "POST", url: server.baseURL + path, headers: headers ?? auth, timeoutSeconds: timeout,
                      body: body ?? chatBody, bodyLimit: 8 << 20)
    }

    func json(_ response: Probe.Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// `--preconnect`'s HEAD to the chat routes: answered as LAMB's FastAPI does (405, POST allowed), counted
    /// apart from the chat requests, and the database left alone.
    func testAHeadToTheChatRoutesIsCountedAndWritesNothing() throws {
        let server = try LambSimServer()
        for path in ["/creator/assistant/1/chat/completions", "/v1/chat/completions"] {
            let response = Probe.perform(method: "HEAD", url: server.baseURL + path, headers: auth, timeoutSeconds: 10)
            XCTAssertEqual(response.statusCode, 405, path)
            XCTAssertTrue(response.body.isEmpty, path)
        }
        let stats = try server.stats()
        XCTAssertEqual(stats["head_requests"] as? Int, 2)
        XCTAssertEqual(stats["received"] as? Int, 0)
        XCTAssertEqual(stats["chat_rows"] as? Int, 0)
        XCTAssertEqual(stats["chat_rows_written"] as? Int, 0)
    }

    func testChatStatuses() throws {
        let server = try LambSimServer(["--assistants", "1,2"])
        let ok = chat(server)
        XCTAssertEqual(ok.statusCode, 200)
        XCTAssertEqual(json(ok)["model"] as? String, "lamb-sim-gpt-4o-mini")
        XCTAssertNotNil((json(ok)["usage"] as? [String: Any])?["total_tokens"])
        XCTAssertEqual(chat(server, path: "/creator/assistant/2/chat/completions").statusCode, 200)
        XCTAssertEqual(chat(server, headers: ["Content-Type: application/json"]).statusCode, 401)
        XCTAssertEqual(chat(server, headers: ["Authorization: Bearer wrong"]).statusCode, 401)
        XCTAssertEqual(chat(server, path: "/creator/assistant/9/chat/completions").statusCode, 404)
        XCTAssertEqual(chat(server, body: Array("{nope".utf8)).statusCode, 400)
        XCTAssertEqual(chat(server, body: Array(#"{"stream":true}"#.utf8)).statusCode, 400)
        // LAMB's OpenAI-compatible endpoint: its API key (not a user token) and "model": "lamb_assistant.<id>".
        let withModel = Array(#"{"messages":[{"role":"user","content":"Hi"}],"model":"lamb_assistant.1"}"#.utf8)
        XCTAssertEqual(chat(server, path: "/v1/chat/completions", body: withModel).statusCode, 401, "a user token is not the API key")
        XCTAssertEqual(chat(server, path: "/v1/chat/completions", headers: ["Authorization: Bearer sim-api-key"], body: withModel).statusCode, 200)
        XCTAssertEqual(chat(server, path: "/v1/chat/completions", headers: ["Authorization: Bearer sim-api-key"]).statusCode, 400,
                       "no model")
    }

    func testStreaming() throws {
        let server = try LambSimServer(["--latency-ms", "50"])
        let started = Date()
        let response = chat(server, body: Array(#"{"messages":[{"role":"user","content":"Hello"}],"stream":true}"#.utf8))
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.045, "paced by the latency")
        XCTAssertEqual(response.statusCode, 200)
        XCTAssertEqual(response.contentType, "text/event-stream")
        let text = String(decoding: response.body, as: UTF8.self)
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        XCTAssertTrue(events.allSatisfy { $0.hasPrefix("data: ") })
        XCTAssertEqual(events.last, "data: [DONE]")
        XCTAssertTrue(events[events.count - 2].contains("\"usage\""))
        let content = events.dropLast(2).compactMap { event -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(event.dropFirst(6).utf8)) as? [String: Any]
            return ((object?["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String
        }.joined()
        XCTAssertEqual(content, "Hello! How can I help you today?")
    }

    func testLoginEmbeddingsAndProbes() throws {
        let server = try LambSimServer(["--embeddings-model", "bge-m3"])
        let login = Probe.perform(method: "POST", url: server.baseURL + "/creator/login",
                                  headers: ["Content-Type: application/x-www-form-urlencoded"], timeoutSeconds: 5,
                                  body: Array("email=admin%40example.com&password=admin".utf8))
        XCTAssertEqual(((json(login)["data"] as? [String: Any])?["token"]) as? String, LambSimServer.token)
        let badLogin = Probe.perform(method: "POST", url: server.baseURL + "/creator/login", timeoutSeconds: 5,
                                     body: Array("email=admin%40example.com&password=nope".utf8))
        XCTAssertEqual(badLogin.statusCode, 401)
        let config = Probe.perform(method: "GET", url: server.baseURL + "/creator/admin/org-admin/settings/kb/embeddings-config",
                                   headers: auth, timeoutSeconds: 5)
        XCTAssertEqual(json(config)["model"] as? String, "bge-m3")
        XCTAssertEqual(Set(json(config).keys), ["vendor", "model", "api_endpoint", "apikey_configured", "config_source"])
        for method in ["GET", "HEAD", "OPTIONS"] {
            for path in ["/", "/creator/assistant/1/chat/completions"] {
                let response = Probe.perform(method: method, url: server.baseURL + path, timeoutSeconds: 5)
                XCTAssertTrue((1..<500).contains(response.statusCode), "\(method) \(path) → \(response.statusCode)")
            }
        }
    }

    func testFaults() throws {
        let status = try LambSimServer(["--fault-status-rate", "1", "--fault-status", "502"])
        XCTAssertEqual(chat(status).statusCode, 502)
        let stall = try LambSimServer(["--fault-stall-rate", "1", "--stall-seconds", "30"])
        XCTAssertEqual(chat(stall, timeout: 0.3).failure, .timeout)
        let close = try LambSimServer(["--fault-close-rate", "1"])
        XCTAssertTrue([.serverDisconnected, .connectionReset].contains(chat(close).failure))
        let midBody = try LambSimServer(["--fault-mid-body-rate", "1"])
        XCTAssertEqual(chat(midBody).failure, .serverDisconnected)
        let html = try LambSimServer(["--fault-not-json-rate", "1"])
        XCTAssertEqual(chat(html).statusCode, 200)
        XCTAssertEqual(chat(html).contentType, "text/html")
        let error = try LambSimServer(["--fault-error-rate", "1"])
        XCTAssertNotNil(json(chat(error))["error"])
        let big = try LambSimServer(["--fault-oversized-rate", "1", "--oversized-bytes", "3000000"])
        XCTAssertGreaterThan(chat(big).body.count, 3_000_000)
    }

    func testRowsEqualSuccessfulAnswersUnderContention() throws {
        let server = try LambSimServer(["--connections", "4", "--fault-status-rate", "0.2"])
        let engine = try CurlEngine(configuration: EngineConfiguration(
            url: server.baseURL + "/creator/assistant/1/chat/completions", headers: auth, body: chatBody,
            virtualUsers: 32, requestLimit: 400, timeoutSeconds: 30))
        engine.start()
        let records = engine.results.collectAll()
        let total = records.count, ok = records.filter { $0.statusCode == 200 }.count
        XCTAssertEqual(total, 400)
        let stats = json(Probe.perform(method: "GET", url: server.baseURL + "/stats", timeoutSeconds: 5))
        XCTAssertEqual(stats["chat_rows"] as? Int, ok)
        XCTAssertEqual(stats["completions"] as? Int, ok)
        XCTAssertEqual((stats["requests_by_status"] as? [String: Int])?["200"], ok)
        XCTAssertGreaterThan(ok, 250)
        // The database on disk says the same.
        server.stop()
        let count = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [server.databasePath, "SELECT COUNT(*) FROM chats; PRAGMA journal_mode;"])
        XCTAssertEqual(count.stdout, "\(ok)\nwal\n")
    }

    func testShutsDownOnSIGTERM() throws {
        let server = try LambSimServer(["--no-db"])
        let started = Date()
        server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(chat(server).failure, .connectionRefused)
    }
}
