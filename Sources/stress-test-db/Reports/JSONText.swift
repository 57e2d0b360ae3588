import Foundation

/// JSON text exactly as Python's `json.dumps` writes it (the Python tool's files
/// are the contract): ASCII only, `\uXXXX` for the rest, floats in shortest
/// round-trip form with a `.0` on whole numbers.
enum JSONText {
    static func string(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for unit in value.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: out += hexEscape(unit)
            }
        }
        return out + "\""
    }

    private static let hexDigits = Array("0123456789abcdef".unicodeScalars)

    private static func hexEscape(_ unit: UInt16) -> String {
        var out = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            out.unicodeScalars.append(hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
        return out
    }

    static func optionalString(_ value: String?) -> String { value.map(string) ?? "null" }

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
    return String(
        format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00",
        Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
        Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
}
