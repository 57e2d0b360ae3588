import Foundation

/// Records read back from the files a run wrote, ours or the Python tool's (the first eight record
/// keys are the same): `--responses`' JSON Lines and an `--output` document's `raw_results`. Used by
/// `report` and `compare`; every problem is one `FileError` naming the file.
enum RecordFiles {
    /// Each record of a JSON Lines file, in order.
    static func forEachJSONLine(_ path: String, flag: String, _ body: (ResponseRecord) throws -> Void) throws {
        for line in try lines(path, flag: flag) { try body(ResponseRecord(json: try object(line, from: path), source: path)) }
    }

    /// Each record of an `--output` document.
    static func forEachRawResult(_ path: String, flag: String, _ body: (ResponseRecord) throws -> Void) throws {
        let document = try object(try text(path, flag: flag), from: path)
        guard let raw = document["raw_results"] as? [[String: Any]] else {
            throw FileError("\(flag) \(path) has no raw_results array: is it a stress-test-db or Python tool --output file?")
        }
        for entry in raw { try body(ResponseRecord(json: entry, source: path)) }
    }

    static func text(_ path: String, flag: String) throws -> String {
        do {
            guard let text = try FileOutput.readText(path) else { throw FileError("\(flag) \(path) does not exist.") }
            return text
        } catch let error as FileError { throw error } catch {
            throw FileError("cannot read \(flag) \(path): \(error).")
        }
    }

    /// The non-blank lines of a file.
    static func lines(_ path: String, flag: String) throws -> [String] {
        try text(path, flag: flag).split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    static func object(_ text: String, from path: String) throws -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw FileError("\(path): not a JSON object: \(text.prefix(80))")
        }
        return object
    }
}
