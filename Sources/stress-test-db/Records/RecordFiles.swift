import Foundation

/// Records read back from the files a run wrote, ours or the Python tool's (the first eight record
/// keys are the same): `--responses`' JSON Lines and an `--output` document's `raw_results`. Used by
/// `report` and `compare`; every problem is one `FileError` naming the file (and the line or record).
enum RecordFiles {
    /// Each record of a JSON Lines file, in order.
    static func forEachJSONLine(_ path: String, flag: String, _ body: (ResponseRecord) throws -> Void) throws {
        let label = "\(flag) \(path)"
        for (number, line) in InputFile.lines(try InputFile.text(path, label: label)) {
            let where_ = "\(label) line \(number)"
            try body(try ResponseRecord(json: try object(String(line), from: where_), source: where_))
        }
    }

    /// Each record of an `--output` document; `requireRecords`: an empty `raw_results` is an error.
    static func forEachRawResult(_ path: String, flag: String, requireRecords: Bool = false,
                                 _ body: (ResponseRecord) throws -> Void) throws {
        let label = "\(flag) \(path)"
        let document = try object(try InputFile.text(path, label: label, lineLimit: false), from: label)
        guard let raw = document["raw_results"] as? [Any] else {
            throw FileError("\(label) has no raw_results array: is it a stress-test-db or Python tool --output file?")
        }
        if requireRecords && raw.isEmpty {
            throw FileError("\(label) has no records in raw_results (a merge's --output has none): nothing to compare.")
        }
        for (index, entry) in raw.enumerated() {
            let where_ = "\(label) raw_results[\(index)]"
            guard let entry = entry as? [String: Any] else { throw FileError("\(where_) is not a JSON object.") }
            try body(try ResponseRecord(json: entry, source: where_))
        }
    }

    /// A JSON object, or an error that names `source` and quotes the start of the text.
    static func object(_ text: String, from source: String) throws -> [String: Any] {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            throw FileError("\(source) is not JSON (cut short or damaged?): \(quote(text))")
        }
        guard let object = parsed as? [String: Any] else { throw FileError("\(source) is JSON but not an object: \(quote(text))") }
        return object
    }

    static func quote(_ text: String) -> String {
        let start = text.prefix(80).map { $0.isNewline || $0 == "\t" ? " " : $0.isASCII ? String($0) : "?" }.joined()
        return text.count > 80 ? start + "…" : start
    }
}
