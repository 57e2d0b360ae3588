import Foundation

/// LAMB's front door, as deployed: Debian's nginx as a reverse proxy in front of a target (lamb-sim),
/// speaking TLS with HTTP/2 by ALPN (and HTTP/1.1 to clients that ask for it), HTTP/2 with prior
/// knowledge (h2c) on a second port, and plain HTTP/1.1 on a third, with a certificate the test makes
/// (openssl) for 127.0.0.1. All on free loopback ports; stopped when released. Under `/early/` nginx
/// answers by itself, without reading the request body (a stream closed before the body is sent).
public final class FrontDoor {
    public let folder: URL
    public let tlsPort: Int, h2cPort: Int, plainPort: Int
    /// TLS with HTTP/1.1 only (no h2 in its ALPN): a front door that will not speak HTTP/2.
    public let tls11Port: Int
    /// The certificate to trust (`--cacert`).
    public var certificatePath: String { folder.appendingPathComponent("cert.pem").path }
    public var tlsURL: String { "https://127.0.0.1:\(tlsPort)" }
    public var h2cURL: String { "http://127.0.0.1:\(h2cPort)" }
    public var plainURL: String { "http://127.0.0.1:\(plainPort)" }
    public var tls11URL: String { "https://127.0.0.1:\(tls11Port)" }
    private let process = Process()

    public static var available: Bool {
        ["/usr/sbin/nginx", "/usr/bin/openssl"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `keepaliveRequests`: requests a client connection serves before nginx closes it (reconnects, and
    /// TLS resumption, for the tests that want them).
    public init(upstreamPort: Int, keepaliveRequests: Int = 1_000_000) throws {
        folder = makeTemporaryFolder("front-door")
        let openssl = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", folder.appendingPathComponent("key.pem").path,
            "-out", folder.appendingPathComponent("cert.pem").path], timeout: 60)
        guard openssl.status == 0 else { throw Self.failure("openssl: \(openssl.all)") }
        (tlsPort, h2cPort, plainPort, tls11Port) = (ReservedPort().port, ReservedPort().port, ReservedPort().port, ReservedPort().port)
        let location = """
            location / { proxy_pass http://lamb; proxy_http_version 1.1; proxy_set_header Connection "";
              proxy_buffering off; proxy_read_timeout 300s; }
            location /early/ { default_type application/json; return 200 '{"answered":"before the body"}'; }
            """
        let path = folder.path
        let conf = """
            worker_processes 1; daemon off; pid \(path)/nginx.pid; error_log \(path)/error.log;
            worker_rlimit_nofile 100000;
            events { worker_connections 20000; }
            http { access_log off; client_body_temp_path \(path)/body; proxy_temp_path \(path)/proxy;
              fastcgi_temp_path \(path)/fcgi; uwsgi_temp_path \(path)/uwsgi; scgi_temp_path \(path)/scgi;
              keepalive_requests \(keepaliveRequests); http2_max_requests \(keepaliveRequests); keepalive_timeout 300s;
              ssl_session_cache shared:tls:10m; ssl_session_tickets on;
              upstream lamb { server 127.0.0.1:\(upstreamPort); keepalive 256; }
              server { listen 127.0.0.1:\(tlsPort) ssl http2 backlog=16384;
                ssl_certificate \(path)/cert.pem; ssl_certificate_key \(path)/key.pem; \(location) }
              server { listen 127.0.0.1:\(h2cPort) http2 backlog=16384; \(location) }
              server { listen 127.0.0.1:\(plainPort) backlog=16384; \(location) }
              server { listen 127.0.0.1:\(tls11Port) ssl; ssl_certificate \(path)/cert.pem; ssl_certificate_key \(path)/key.pem;
                \(location) }
            }
            """
        try conf.write(to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-c", folder.appendingPathComponent("nginx.conf").path, "-p", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if [plainPort, tlsPort, h2cPort, tls11Port].allSatisfy(Self.listening) { return }
            usleep(50_000)
        }
        stop()
        throw Self.failure("nginx did not start: \((try? String(contentsOfFile: path + "/error.log", encoding: .utf8)) ?? "")")
    }

    deinit { stop() }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func failure(_ text: String) -> NSError {
        NSError(domain: "FrontDoor", code: 1, userInfo: [NSLocalizedDescriptionKey: text])
    }
}
