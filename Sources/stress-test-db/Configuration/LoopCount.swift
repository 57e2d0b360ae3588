import ArgumentParser
import Glibc

/// `--loops N|auto` (SPEC 19): how many event-loop threads the libcurl engine runs.
enum LoopCount: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case auto
    case count(Int)

    init?(argument: String) {
        if argument == "auto" { self = .auto; return }
        guard let count = Int(argument), count >= 1, count <= 1024 else { return nil }
        self = .count(count)
    }

    var description: String {
        switch self {
        case .auto: return "auto"
        case .count(let count): return "\(count)"
        }
    }

    static var defaultValueDescription: String { "auto" }

    /// `--loops`'s parser, with the accepted values in its message.
    @Sendable static func parse(_ text: String) throws -> LoopCount {
        guard let count = LoopCount(argument: text) else {
            throw ValidationError("--loops takes auto or a whole number of threads at least 1 and at most 1024")
        }
        return count
    }

    /// VUs per loop before `auto` adds another: against nginx on loopback a second loop already gave
    /// 1.26× at 10 VUs and 1.28–1.41× from 25 to 1,000, at the same CPU per request (README, "Every core").
    static let virtualUsersPerLoop = 10

    /// The count used: `auto` takes one loop per `virtualUsersPerLoop` VUs, at most one per online core;
    /// never more loops than VUs.
    func resolve(virtualUsers: Int, onlineCores: Int = Self.onlineCores) -> Int {
        switch self {
        case .count(let count): return max(1, min(count, virtualUsers))
        case .auto: return max(1, min(onlineCores, virtualUsers / Self.virtualUsersPerLoop))
        }
    }

    static var onlineCores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
