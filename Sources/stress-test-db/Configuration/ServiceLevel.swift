import ArgumentParser

/// `--slo e2e=10s,ttft=500ms` (SPEC section 10): the limits a request must meet to count as *good*.
/// Values in ms (bare numbers too) or s.
struct ServiceLevel: Equatable {
    enum Key: String, CaseIterable {
        case e2e, ttft, tpot, itl
        var needsStreaming: Bool { self != .e2e }
    }

    /// Limits in milliseconds, in the order given.
    private(set) var limits: [(key: Key, milliseconds: Double)] = []

    static func == (a: ServiceLevel, b: ServiceLevel) -> Bool {
        a.limits.map(\.key) == b.limits.map(\.key) && a.limits.map(\.milliseconds) == b.limits.map(\.milliseconds)
    }

    static func parse(_ text: String, streaming: Bool) throws -> ServiceLevel {
        var level = ServiceLevel()
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, let key = Key(rawValue: pieces[0].lowercased()) else {
                throw ValidationError("--slo \(text): \"\(part)\" is not KEY=VALUE with a key among e2e, ttft, tpot, itl.")
            }
            guard let milliseconds = Self.milliseconds(pieces[1]), Bounds.slo.contains(milliseconds) else {
                throw ValidationError("--slo \(text): \"\(pieces[1])\" is not a time (500, 500ms or 0.5s) \(Bounds.slo.rangeText) ms.")
            }
            if key.needsStreaming && !streaming {
                throw ValidationError("--slo \(key.rawValue)=... is measured on streamed answers; add --stream (or use e2e only).")
            }
            level.limits.append((key, milliseconds))
        }
        guard !level.limits.isEmpty else { throw ValidationError("--slo needs at least one KEY=VALUE.") }
        return level
    }

    static func milliseconds(_ text: String) -> Double? {
        if text.hasSuffix("ms") { return Double(text.dropLast(2)) }
        if text.hasSuffix("s") { return Double(text.dropLast()).map { $0 * 1000 } }
        return Double(text)
    }

    func limit(_ key: Key) -> Double? { limits.first { $0.key == key }?.milliseconds }

    /// `e2e<=10000 ms, ttft<=500 ms`
    var description: String {
        limits.map { "\($0.key.rawValue)<=\(JSONText.integerOrNumber($0.milliseconds)) ms" }.joined(separator: ", ")
    }
}
