import Foundation

/// The folder holding the built products (`.build/debug`), found from the test bundle.
public let productsDirectory: URL = {
    var url = Bundle.main.bundleURL
    for _ in 0..<4 {
        if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("lamb-sim").path) { return url }
        url = url.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL
}()

public func binary(_ name: String) -> URL { productsDirectory.appendingPathComponent(name) }

/// A file in `Tests/Fixtures`, found from this source file's place in the checkout.
public func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
}

/// What a finished process left behind.
public struct ProcessOutput {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var all: String { stdout + stderr }
}

/// A fresh, empty folder under the temporary directory.
public func makeTemporaryFolder(_ label: String = "stdb") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a program to completion (bounded by `timeout` seconds, then killed) and collects its output.
@discardableResult
public func runProcess(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
    inheritEnvironment: Bool = false, directory: URL? = nil, timeout: Double = 120,
    onStart: ((Process) -> Void)? = nil
) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = inheritEnvironment ? ProcessInfo.processInfo.environment : ["PATH": "/usr/bin:/bin"]
    for key in ["API_BASE_URL", "JWT_TOKEN", "ASSISTANT_ID", "MOCK_OPENAI_BASE_URL"] where !inheritEnvironment {
        env[key] = nil
    }
    // A sanitizer lane's options (scripts/lib/sanitize.sh) and the libcurl the tests were started with
    // (LD_LIBRARY_PATH, `scripts/test --libcurl8`) reach the binaries under test too.
    for key in ["TSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS", "LD_LIBRARY_PATH"] where !inheritEnvironment {
        env[key] = ProcessInfo.processInfo.environment[key]
    }
    env.merge(environment) { _, new in new }
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    let folder = makeTemporaryFolder("proc")
    let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    onStart?(process)
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    defer { try? FileManager.default.removeItem(at: folder) }
    return ProcessOutput(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}
