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
    var compact: String {
        var out = ""
        render(into: &out, indent: nil, level: 0)
        return out
    }

    /// As `json.dumps(value, indent=2)`.
    var pretty: String { pretty(level: 0) }

    /// As it stands `level` deep inside an `indent=2` document.
    func pretty(level: Int) -> String {
        var out = ""
        render(into: &out, indent: 2, level: level)
        return out
    }

    private func render(into out: inout String, indent: Int?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += JSONText.bool(value)
        case .int(let value): out += String(value)
        case .number(let value): out += JSONText.number(value)
        case .wholeOrNumber(let value): out += JSONText.integerOrNumber(value)
        case .string(let value): out += JSONText.string(value)
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += indent == nil ? ", " : "," }
                Self.newline(&out, indent: indent, level: level + 1)
                out += JSONText.string(key)
                out += ": "
                value.render(into: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, indent: indent, level: level)
            out += "}"
        case .array(let elements):
            guard !elements.isEmpty else { out += "[]"; return }
            out += "["
            for (index, value) in elements.enumerated() {
                if index > 0 { out += indent == nil ? ", " : "," }
                Self.newline(&out, indent: indent, level: level + 1)
                value.render(into: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, indent: indent, level: level)
            out += "]"
        }
    }

    private static func newline(_ out: inout String, indent: Int?, level: Int) {
        guard let indent else { return }
        out += "\n"
        out += String(repeating: " ", count: indent * level)
    }
}
