/// Reads the two top-level members of a JSON object body that matter here,
/// `model` and `error`, without building the whole document: it runs on every
/// response, so it skips everything else in one pass over the bytes.
struct BodyScanner {
    struct Findings: Equatable {
        /// The body starts as a JSON object (its first non-space byte is `{`).
        var isObject = false
        /// The top-level `model`, when it is a string.
        var model: String?
        /// A non-null top-level `error`: its `message` when it has one, else its text.
        var error: String?
    }

    private let bytes: [UInt8]
    private var position = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func scan(_ bytes: [UInt8]) -> Findings {
        var scanner = BodyScanner(bytes)
        return scanner.scanObject()
    }

    private mutating func scanObject() -> Findings {
        var findings = Findings()
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { return findings }
        findings.isObject = true
        position += 1
        // A truncated or malformed body ends the scan; what was found so far stands.
        while true {
            skipSpace()
            guard let byte = peek() else { return findings }
            if byte == UInt8(ascii: "}") { return findings }
            if byte == UInt8(ascii: ",") { position += 1; continue }
            guard byte == UInt8(ascii: "\""), let key = readString() else { return findings }
            skipSpace()
            guard peek() == UInt8(ascii: ":") else { return findings }
            position += 1
            skipSpace()
            switch key {
            case "model":
                if peek() == UInt8(ascii: "\"") {
                    guard let value = readString() else { return findings }
                    findings.model = value
                } else if !skipValue() { return findings }
            case "error":
                guard let value = readErrorValue() else { return findings }
                findings.error = value
            default:
                if !skipValue() { return findings }
            }
        }
    }

    /// nil for `null`; the message of an object with one; a string's value; else the value's text.
    private mutating func readErrorValue() -> String?? {
        let start = position
        switch peek() {
        case UInt8(ascii: "n"):
            guard skipValue() else { return nil }
            return .some(nil)
        case UInt8(ascii: "\""):
            guard let text = readString() else { return nil }
            return .some(text)
        case UInt8(ascii: "{"):
            var nested = BodyScanner(Array(bytes[start...]))
            let message = nested.messageMember()
            guard skipValue() else { return nil }
            return .some(message ?? String(decoding: bytes[start..<position], as: UTF8.self))
        default:
            guard skipValue() else { return nil }
            return .some(String(decoding: bytes[start..<position], as: UTF8.self))
        }
    }

    /// The string `message` member of the object at the current position.
    private mutating func messageMember() -> String? {
        guard peek() == UInt8(ascii: "{") else { return nil }
        position += 1
        while true {
            skipSpace()
            guard let byte = peek(), byte != UInt8(ascii: "}") else { return nil }
            if byte == UInt8(ascii: ",") { position += 1; continue }
            guard let key = readString() else { return nil }
            skipSpace()
            guard peek() == UInt8(ascii: ":") else { return nil }
            position += 1
            skipSpace()
            if key == "message", peek() == UInt8(ascii: "\"") { return readString() }
            guard skipValue() else { return nil }
        }
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// Skips one value of any kind; false if the bytes end first.
    private mutating func skipValue() -> Bool {
        var depth = 0
        repeat {
            skipSpace()
            guard let byte = peek() else { return false }
            switch byte {
            case UInt8(ascii: "\""):
                guard skipString() else { return false }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return true }
                depth -= 1
                position += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { return true }
                position += 1
            default:
                // A number or a literal: up to the next delimiter.
                while let next = peek(), !Self.isDelimiter(next) { position += 1 }
                if peek() == nil { return depth == 0 }
            }
        } while depth > 0
        return true
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ":"), 0x20, 0x09, 0x0A, 0x0D: return true
        default: return false
        }
    }

    private mutating func skipString() -> Bool {
        position += 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"): position += 2
            case UInt8(ascii: "\""): position += 1; return true
            default: position += 1
            }
        }
        return false
    }

    /// Reads a string literal at the current position, decoding escapes.
    private mutating func readString() -> String? {
        let start = position + 1
        guard skipString() else { return nil }
        let raw = bytes[start..<(position - 1)]
        if !raw.contains(UInt8(ascii: "\\")) { return String(decoding: raw, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var index = raw.startIndex
        func flush() {
            if !utf8.isEmpty { scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars); utf8.removeAll() }
        }
        func hex(at offset: Int) -> UInt32? {
            guard offset + 4 <= raw.endIndex else { return nil }
            return UInt32(String(decoding: raw[offset..<(offset + 4)], as: UTF8.self), radix: 16)
        }
        while index < raw.endIndex {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.endIndex else { utf8.append(byte); index += 1; continue }
            flush()
            let escaped = raw[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "u"):
                guard var code = hex(at: index) else { return nil }
                index += 4
                if (0xD800..<0xDC00).contains(code), index + 1 < raw.endIndex, raw[index] == UInt8(ascii: "\\"),
                   raw[index + 1] == UInt8(ascii: "u"), let low = hex(at: index + 2), (0xDC00..<0xE000).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: scalars.append(Unicode.Scalar(escaped))
            }
        }
        flush()
        return String(scalars)
    }
}
