/// A JSON value with ordered members, rendered the way Python's `json` module
/// writes it: compact lines with `", "` and `": "` (JSONL), or `indent=2` (the JSON document).
indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    /// A number printed as an integer when whole (`timeout: 120`), as a float otherwise.
    case wholeOrNumber(Double)
    case string(String)
    case object([(String, JSONValue)])
    case array([JSONValue])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.compact == rhs.compact }

    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.wholeOrNumber) ?? .null }
    static func optional(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
    static func optional(_ value: JSONValue?) -> JSONValue { value ?? .null }

    /// One line, as `json.dumps(value)`.
    var compact: String { String(decoding: bytes(indent: nil, level: 0), as: UTF8.self) }

    /// As `json.dumps(value, indent=2)`.
    var pretty: String { pretty(level: 0) }

    /// As it stands `level` deep inside an `indent=2` document.
    func pretty(level: Int) -> String { String(decoding: bytes(indent: 2, level: level), as: UTF8.self) }

    /// The text as UTF-8 (ASCII only): `indent` nil for one line, 2 for `indent=2`. Rendered into bytes,
    /// not a String, since it is done for every record on the consumer thread.
    func bytes(indent: Int?, level: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        render(into: &out, indent: indent, level: level)
        return out
    }

    func render(into out: inout [UInt8], indent: Int?, level: Int) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += JSONText.bool(value).utf8
        case .int(let value): out += String(value).utf8
        case .number(let value): out += JSONText.number(value).utf8
        case .wholeOrNumber(let value): out += JSONText.integerOrNumber(value).utf8
        case .string(let value): JSONText.append(value, to: &out)
        case .object(let members):
            guard !members.isEmpty else { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += (indent == nil ? ", " : ",").utf8 }
                Self.newline(&out, indent: indent, level: level + 1)
                JSONText.append(key, to: &out)
                out += ": ".utf8
                value.render(into: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, indent: indent, level: level)
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            guard !elements.isEmpty else { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (index, value) in elements.enumerated() {
                if index > 0 { out += (indent == nil ? ", " : ",").utf8 }
                Self.newline(&out, indent: indent, level: level + 1)
                value.render(into: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, indent: indent, level: level)
            out.append(UInt8(ascii: "]"))
        }
    }

    private static func newline(_ out: inout [UInt8], indent: Int?, level: Int) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out += repeatElement(UInt8(ascii: " "), count: indent * level)
    }
}
