import Foundation

/// JSON text exactly as Python's `json.dumps` writes it (the Python tool's files
/// are the contract): ASCII only, `\uXXXX` for the rest, floats in shortest
/// round-trip form with a `.0` on whole numbers.
enum JSONText {
    static func string(_ value: String) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` as a JSON string literal, appended to `out` as UTF-8 (ASCII only). Runs of printable
    /// ASCII, the common case, are copied whole; only the characters that need it are escaped.
    static func append(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x20 && byte <= 0x7E && byte != 0x22 && byte != 0x5C {
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                // A character that needs escaping: itself (ASCII), or its UTF-16 units (multi-byte).
                let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                let end = min(index + length, bytes.count)
                for unit in String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self).utf16 {
                    escape(unit, to: &out)
                }
                index = end
                runStart = end
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func escape(_ unit: UInt16, to out: inout [UInt8]) {
        switch unit {
        case 0x22: out += [0x5C, 0x22]
        case 0x5C: out += [0x5C, 0x5C]
        case 0x0A: out += [0x5C, UInt8(ascii: "n")]
        case 0x0D: out += [0x5C, UInt8(ascii: "r")]
        case 0x09: out += [0x5C, UInt8(ascii: "t")]
        case 0x08: out += [0x5C, UInt8(ascii: "b")]
        case 0x0C: out += [0x5C, UInt8(ascii: "f")]
        case 0x20...0x7E: out.append(UInt8(unit))
        default: out += hexEscape(unit).utf8
        }
    }

    private static let hexDigits = Array("0123456789abcdef".unicodeScalars)

    private static func hexEscape(_ unit: UInt16) -> String {
        var out = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            out.unicodeScalars.append(hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
        return out
    }

    /// Python's float repr: `1.5`, `120.0`, `1e+16`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        return "\(value)"
    }

    /// A whole number prints as an integer, anything else as a float (`--timeout 1.5`).
    static func integerOrNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return number(value)
    }

    static func bool(_ value: Bool) -> String { value ? "true" : "false" }
}

/// UTC ISO-8601 with microseconds and `+00:00`, as Python's `datetime.isoformat()`.
func isoTimestamp(microseconds: Int64) -> String {
    var seconds = time_t(microseconds / 1_000_000)
    let fraction = Int(microseconds % 1_000_000)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    // Digits written by hand: String(format:) cost a few µs a record on the consumer thread.
    var text = ""
    text.reserveCapacity(32)
    func digits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + (rest / divisor) % 10)))
            rest %= divisor
            divisor /= 10
        }
    }
    digits(Int(parts.tm_year) + 1900, 4); text += "-"
    digits(Int(parts.tm_mon) + 1, 2); text += "-"
    digits(Int(parts.tm_mday), 2); text += "T"
    digits(Int(parts.tm_hour), 2); text += ":"
    digits(Int(parts.tm_min), 2); text += ":"
    digits(Int(parts.tm_sec), 2); text += "."
    digits(fraction, 6)
    return text + "+00:00"
}
