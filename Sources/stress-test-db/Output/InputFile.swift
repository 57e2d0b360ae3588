import Foundation

/// A file a command reads (`report`, `compare`, `merge` inputs, `--prompts`, `--env-file`): its text,
/// or one `FileError` that names it and says what is wrong — missing, a folder, a device, empty, not
/// text, a line too long to be what it should hold. Never a crash, never a hang on a device.
enum InputFile {
    /// Longer than any record, prompt or log line the tool writes (a response is capped far below).
    static let maximumLineBytes = 16 << 20

    /// The file's text. `label` names it in errors (`--responses r.jsonl`, `merge a.hlog`);
    /// `lineLimit` refuses a line longer than `maximumLineBytes` (a JSON document may be one line).
    static func text(_ path: String, label: String, lineLimit: Bool = true) throws -> String {
        do {
            guard let text = try read(path, label: label, lineLimit: lineLimit) else { throw FileError("\(label) does not exist.") }
            return text
        } catch let error as FileError where !error.description.hasSuffix(".") {
            throw FileError(error.description + ".")
        }
    }

    /// The same, nil when the file does not exist; the error sentences end without a full stop.
    static func read(_ path: String, label: String, lineLimit: Bool = true) throws -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw FileError("cannot read \(label): \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw FileError("\(label) is a folder: give the file in it")
        case S_IFREG, S_IFIFO: break
        default: throw FileError("\(label) is not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError("cannot read \(label): \(access(path, R_OK) != 0 ? String(cString: strerror(errno)) : "it cannot be read")")
        }
        let bytes = [UInt8](data)
        guard bytes.contains(where: { !Self.isBlank($0) }) else { throw FileError("\(label) is empty") }
        if let zero = bytes.firstIndex(of: 0) {
            throw FileError("\(label) is not a text file (a zero byte on line \(line(of: zero, in: bytes)))")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileError("\(label) is not UTF-8 text (line \(line(of: firstInvalidUTF8(bytes), in: bytes)))")
        }
        if lineLimit { try checkLineLengths(bytes, label: label) }
        return text
    }

    /// The non-blank lines with their numbers (from 1).
    static func lines(_ text: String) -> [(number: Int, text: Substring)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            line.allSatisfy(\.isWhitespace) ? nil : (index + 1, line)
        }
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d }

    private static func checkLineLengths(_ bytes: [UInt8], label: String) throws {
        guard bytes.count > maximumLineBytes else { return }
        var start = 0, number = 1
        for index in bytes.indices where bytes[index] == 0x0a || index == bytes.count - 1 {
            if index - start + 1 > maximumLineBytes {
                throw FileError("\(label) line \(number) is \((index - start + 1) >> 20) MB long: no line of this file can be over \(maximumLineBytes >> 20) MB")
            }
            start = index + 1
            number += 1
        }
    }

    private static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].reduce(1) { $0 + ($1 == 0x0a ? 1 : 0) }
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var low = 0, high = bytes.count
        // The longest valid prefix, by halving (a prefix cut inside a character is invalid too, a byte or three early).
        while low < high {
            let middle = (low + high + 1) / 2
            if String(validating: bytes[..<middle], as: UTF8.self) != nil { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
