import Foundation

/// A record's values read back from JSON with their bounds checked: a time is a finite number of
/// milliseconds between 0 and `maximumMilliseconds`, a count a whole number from 0. A value of the
/// wrong kind or out of bounds is an error naming the record and the key, never a crash further on
/// (a latency of 1e308 would overflow the microsecond arithmetic) or a silent wrong figure.
struct RecordFields {
    /// About 11 days: longer than any request's timeout.
    static let maximumMilliseconds = 1e9
    /// Far more than any run's requests, bytes or tokens, and safe to add up.
    static let maximumCount = 1 << 50

    let json: [String: Any]
    let source: String

    /// nil when the key is absent or null.
    func milliseconds(_ key: String) throws -> Double? { try number(key, "a time in milliseconds") }

    /// A finite number from 0 to `maximumMilliseconds` (a time, a rate); `what` says which in the error.
    func number(_ key: String, _ what: String) throws -> Double? {
        guard let value = json[key], !(value is NSNull) else { return nil }
        guard let number = value as? Double, number.isFinite, number >= 0, number <= Self.maximumMilliseconds else {
            throw FileError("\(source): \(key) is \(Self.show(value)); it must be \(what) from 0 to \(Int(Self.maximumMilliseconds)).")
        }
        return number
    }

    func count(_ key: String) throws -> Int? {
        guard let value = json[key], !(value is NSNull) else { return nil }
        guard let number = value as? Double, number.isFinite, number >= 0,
              number <= Double(Self.maximumCount), number == number.rounded() else {
            throw FileError("\(source): \(key) is \(Self.show(value)); it must be a whole number from 0.")
        }
        return Int(number)
    }

    func string(_ key: String) throws -> String? {
        guard let value = json[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw FileError("\(source): \(key) is \(Self.show(value)); it must be a string.") }
        return text
    }

    static func show(_ value: Any) -> String {
        if let text = value as? String { return "the string \"\(text.prefix(40))\"" }
        if value is [Any] || value is [String: Any] { return "not a number" }
        return "\(value)".prefix(40).description
    }
}
