import Foundation

/// `.env` files as the Python tool reads them (SPEC section 1).
enum DotEnv {
    /// Each line trimmed; blank, `#` and `=`-less lines skipped; split at the first `=`;
    /// key and value trimmed; one pair of surrounding quotes removed from the value.
    static func parse(_ text: String) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = String(rawLine).trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            var value = String(line[line.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard !key.isEmpty else { continue }
            pairs.append((key, value))
        }
        return pairs
    }

    /// Adds the file's pairs to `environment` without overwriting a key already there.
    static func merge(_ text: String, into environment: inout [String: String]) {
        for (key, value) in parse(text) where environment[key] == nil {
            environment[key] = value
        }
    }
}

