import Foundation

/// Two network namespaces ("hosts") made by the test itself and joined by a veth pair, with addresses
/// from 198.18.0.0/15 (reserved for benchmark networks; SPEC 22): the generator at 198.18.0.1, the
/// target at 198.18.0.2. Faults are nftables rules in the generator's namespace (these machines' kernel
/// has no netem). Both namespaces are deleted when this is released (which removes the veth pair), and
/// leftovers of a killed earlier test process are deleted when the next one starts. Needs root.
public final class NamespacedNetwork {
    public let generator: String
    public let target: String
    public let generatorAddress = "198.18.0.1"
    public let targetAddress = "198.18.0.2"
    static let ip = "/usr/sbin/ip"
    static let prefix = "stdb"
    nonisolated(unsafe) static var made = 0

    /// Why namespaces cannot be made here, or nil when they can (checked once per test).
    public static func unavailable() -> String? {
        guard getuid() == 0 else { return "network namespaces need root (tests run as root in CI)" }
        guard FileManager.default.isExecutableFile(atPath: ip) else { return "iproute2's ip is missing" }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/nft") else { return "nftables' nft is missing (scripts/test installs it)" }
        let probe = "\(prefix)probe\(getpid())"
        guard run([ip, "netns", "add", probe]).status == 0 else { return "this kernel or container refuses `ip netns add`" }
        _ = run([ip, "netns", "del", probe])
        return nil
    }

    /// netem is what a fault test would use first; say plainly when this kernel lacks it (checked on a
    /// namespace's own loopback, so nothing outside the test is touched).
    public static var netemMissing: Bool {
        let probe = "\(prefix)netem\(getpid())"
        guard run([ip, "netns", "add", probe]).status == 0 else { return true }
        defer { _ = run([ip, "netns", "del", probe]) }
        return run([ip, "netns", "exec", probe, "/usr/sbin/tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"]).status != 0
    }

    public init() throws {
        Self.removeLeftovers()
        Self.made += 1
        let name = "\(Self.prefix)\(getpid())x\(Self.made)"
        generator = name + "g"
        target = name + "t"
        let steps: [[String]] = [
            ["netns", "add", generator], ["netns", "add", target],
            ["link", "add", name + "a", "type", "veth", "peer", "name", name + "b"],
            ["link", "set", name + "a", "netns", generator], ["link", "set", name + "b", "netns", target],
            ["-n", generator, "addr", "add", generatorAddress + "/30", "dev", name + "a"],
            ["-n", target, "addr", "add", targetAddress + "/30", "dev", name + "b"],
            ["-n", generator, "link", "set", name + "a", "up"], ["-n", target, "link", "set", name + "b", "up"],
            ["-n", generator, "link", "set", "lo", "up"], ["-n", target, "link", "set", "lo", "up"],
        ]
        for step in steps {
            let result = Self.run([Self.ip] + step)
            guard result.status == 0 else {
                remove()
                throw NSError(domain: "NamespacedNetwork", code: 1,
                              userInfo: [NSLocalizedDescriptionKey: "ip \(step.joined(separator: " ")): \(result.output)"])
            }
        }
    }

    deinit { remove() }

    /// A command as run inside `namespace`.
    public func inside(_ namespace: String, _ command: [String]) -> [String] { [Self.ip, "netns", "exec", namespace] + command }

    /// Replaces the generator's fault rules with `rules` (nftables statements for packets to and from
    /// the target); nil clears them.
    public func faults(_ rules: (output: String, input: String)?) throws {
        _ = Self.run(inside(generator, ["/usr/sbin/nft", "delete", "table", "inet", "stdbfault"]))
        guard let rules else { return }
        func rule(_ match: String, _ statement: String) -> String { statement.isEmpty ? "" : " \(match) \(statement);" }
        let script = """
            table inet stdbfault {
              chain output { type filter hook output priority 0; policy accept;\(rule("ip daddr \(targetAddress)", rules.output)) }
              chain input { type filter hook input priority 0; policy accept;\(rule("ip saddr \(targetAddress)", rules.input)) }
            }
            """
        let result = Self.run(inside(generator, ["/usr/sbin/nft", "-f", "-"]), input: script)
        guard result.status == 0 else {
            throw NSError(domain: "NamespacedNetwork", code: 2, userInfo: [NSLocalizedDescriptionKey: "nft: \(result.output)"])
        }
    }

    /// `GET url` from inside `namespace` (curl), the body.
    public func get(_ url: String, from namespace: String) -> String {
        Self.run(inside(namespace, ["/usr/bin/curl", "-s", "--max-time", "10", url])).output
    }

    private func remove() {
        _ = Self.run([Self.ip, "netns", "del", generator])
        _ = Self.run([Self.ip, "netns", "del", target])
    }

    /// Namespaces of a test process that is gone (killed before its deinit).
    static func removeLeftovers() {
        for line in run([ip, "netns", "list"]).output.split(separator: "\n") {
            let name = String(line.split(separator: " ").first ?? "")
            guard name.hasPrefix(prefix), let digits = Int32(name.dropFirst(prefix.count).prefix { $0.isNumber }),
                  kill(digits, 0) != 0 else { continue }
            _ = run([ip, "netns", "del", name])
        }
    }

    @discardableResult
    static func run(_ command: [String], input: String? = nil) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let pipe = Pipe(), stdin = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do { try process.run() } catch { return (-1, "\(error)") }
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
