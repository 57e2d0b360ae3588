import Foundation

/// `trace export`'s values: a time as ISO-8601 or epoch seconds, a list of assistant ids.
enum TraceFlags {
    /// `1796267846`, `1796267846.5`, `2026-12-01T10:37:26Z`, `2026-12-01T11:37:26+01:00`, with
    /// fractional seconds too, or a date alone (`2026-12-01`: its midnight UTC). A time without a
    /// zone is refused rather than guessed.
    static func time(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, trimmed.first?.isNumber == true { return seconds }
        // A date alone is exactly `YYYY-MM-DD`: Foundation's date-only parser would take a time without
        // its zone for that day's midnight.
        let dateOnly: [ISO8601DateFormatter.Options] = trimmed.count == 10 ? [[.withFullDate]] : []
        for options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] + dateOnly {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return date.timeIntervalSince1970 }
        }
        return nil
    }

    /// `1`, `1,4,7`: LAMB's assistant ids (whole numbers), nil when one is not.
    static func assistants(_ text: String) -> [Int64]? {
        let ids = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int64($0.trimmingCharacters(in: .whitespaces)) }
        guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else { return nil }
        return ids.compactMap { $0 }
    }

    /// Would `out` replace `database` (or its `-wal` / `-shm`)? The same path or the same file.
    static func overwrites(_ out: String, database: String) -> Bool {
        var outInfo = stat()
        guard stat(out, &outInfo) == 0 else { return false }
        return [database, database + "-wal", database + "-shm", database + "-journal"].contains { path in
            var info = stat()
            return stat(path, &info) == 0 && info.st_dev == outInfo.st_dev && info.st_ino == outInfo.st_ino
        }
    }
}
