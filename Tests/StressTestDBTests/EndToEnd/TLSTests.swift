import Foundation
import TestSupport
import XCTest

/// https targets are verified by default, against a local TLS server with a self-signed certificate.
final class TLSTests: XCTestCase {
    static let server = #"""
    import http.server, ssl, sys
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length: self.rfile.read(length)
            body = b'{"model":"tls-model","choices":[]}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        do_POST = do_GET = do_OPTIONS = answer
        def log_message(self, *args): pass
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    class Server(http.server.ThreadingHTTPServer):
        # The handshake happens in each connection's thread, so a refused one cannot block accept().
        def get_request(self):
            sock, address = self.socket.accept()
            return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#

    func testVerifiedByDefaultTrustedWithCACertOrInsecure() throws {
        let folder = makeTemporaryFolder("tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let made = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        XCTAssertEqual(made.status, 0, made.all)

        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", Self.server, cert, key]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        defer { python.terminate(); python.waitUntilExit() }
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        let port = try XCTUnwrap(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)), line)
        let environment = ["API_BASE_URL": "https://127.0.0.1:\(port)", "JWT_TOKEN": "tls-test-token", "ASSISTANT_ID": "1"]
        func run(_ extra: [String]) throws -> ProcessOutput {
            try runProcess(binary("stress-test-db"), ["--vus", "2", "--requests", "4", "--no-progress", "--responses",
                                                      folder.appendingPathComponent("tls.jsonl").path] + extra,
                           environment: environment)
        }

        let untrusted = try run(["--no-check"])
        XCTAssertEqual(untrusted.status, 1)
        XCTAssertTrue(untrusted.stdout.contains("TLSError: 4 (100.0%)"), untrusted.all)
        let notReady = try run([])
        XCTAssertTrue(notReady.stderr.contains("Server does not appear to be ready"), notReady.all)

        let trusted = try run(["--cacert", cert])
        XCTAssertEqual(trusted.status, 0, trusted.all)
        XCTAssertTrue(trusted.stdout.contains("200: 4 (100.0%)"), trusted.all)

        let insecure = try run(["--insecure"])
        XCTAssertEqual(insecure.status, 0, insecure.all)
        XCTAssertTrue(insecure.stderr.contains("Warning: --insecure"))
    }

    /// Through LAMB's front door (nginx, TLS, lamb-sim behind it) over HTTP/1.1 and HTTP/2, a run ends
    /// with exit 0 and every record written. On libcurl 8.14 every such run used to die at its end (exit
    /// 134, no results file): libcurl 8 shuts the pooled TLS connections down inside `curl_multi_cleanup`
    /// and called back into an event loop already being destroyed. `scripts/test --libcurl8` runs it there.
    func testRunsThroughTheFrontDoorEndWithEveryRecord() throws {
        guard FrontDoor.available else { throw XCTSkip("nginx and openssl are installed by scripts/test") }
        let server = try LambSimServer(["--no-db", "--latency-ms", "1"])
        let door = try FrontDoor(upstreamPort: server.port)
        let folder = makeTemporaryFolder("tls-front-door")
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["API_BASE_URL": door.tlsURL, "JWT_TOKEN": LambSimServer.token, "ASSISTANT_ID": "1"]
        for (name, extra) in [("http1", ["--loops", "2"]), ("http2", ["--http2", "--connections", "4"])] {
            let responses = folder.appendingPathComponent(name + ".jsonl").path
            let before = try XCTUnwrap(server.stats()["received"] as? Int)
            let output = try runProcess(binary("stress-test-db"), ["--vus", "40", "--requests", "400", "--cacert", door.certificatePath,
                                                                   "--no-progress", "--responses", responses] + extra,
                                        environment: environment, timeout: 120)
            XCTAssertEqual(output.status, 0, "\(name): \(output.all)")
            let lines = (try? String(contentsOfFile: responses, encoding: .utf8))?.split(separator: "\n") ?? []
            XCTAssertEqual(lines.count, 400, name)
            XCTAssertEqual(lines.filter { $0.contains(#""success": true"#) }.count, 400, name)
            let received = try XCTUnwrap(server.stats()["received"] as? Int)
            XCTAssertEqual(received - before, 400, "\(name): each request reached lamb-sim once, each recorded")
        }
    }
}
