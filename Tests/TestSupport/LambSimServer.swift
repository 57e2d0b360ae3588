import CurlEngine
import Foundation

/// A real lamb-sim process on a free loopback port, stopped when released.
public final class LambSimServer {
    public let process = Process()
    public private(set) var port = 0
    public let databasePath: String
    public static let token = "sim-secret-token-0123456789"

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var chatURL: String { baseURL + "/creator/assistant/1/chat/completions" }

    public init(_ arguments: [String] = [], port: Int = 0, database: String? = nil) throws {
        let folder = makeTemporaryFolder("lamb-sim")
        databasePath = database ?? folder.appendingPathComponent("lamb.sqlite").path
        process.executableURL = binary("lamb-sim")
        process.arguments = ["--host", "127.0.0.1", "--port", String(port), "--token", Self.token,
                             "--database", databasePath] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The one line it prints when ready names the port.
        var buffer = Data()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            if let line = String(data: buffer, encoding: .utf8), line.contains("\n"),
               let range = line.range(of: #"http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                self.port = Int(line[range].split(separator: ":").last!)!
                return
            }
        }
        process.terminate()
        throw NSError(domain: "LambSimServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "lamb-sim did not start: \(String(decoding: buffer, as: UTF8.self))"])
    }

    /// `GET /stats`, parsed: the server's own counters (`received`, `requests`, `chat_rows`, ...).
    public func stats() throws -> [String: Any] {
        let response = Probe.perform(method: "GET", url: baseURL + "/stats", timeoutSeconds: 10)
        guard response.statusCode == 200,
              let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw NSError(domain: "LambSimServer", code: 2, userInfo: [NSLocalizedDescriptionKey: "GET /stats failed: \(response)"])
        }
        return object
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}
