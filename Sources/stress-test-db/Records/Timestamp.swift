/// The records' `timestamp`, `2026-11-29T00:36:41.966904+00:00` (RFC 3339, as both tools write it),
/// read without a date formatter: making one per record cost more than the rest of reading it.
enum Timestamp {
    /// Microseconds since the epoch, nil when the text is not of that form or its fields are out of range.
    static func microseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == 0x2d, bytes[7] == 0x2d, bytes[10] == 0x54 || bytes[10] == 0x20,
              bytes[13] == 0x3a, bytes[16] == 0x3a,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
              let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19, fraction = 0, digits = 0
        if bytes[index] == 0x2e {
            index += 1
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                if digits < 6 { fraction = fraction * 10 + Int(bytes[index] - 0x30); digits += 1 }
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<6 { fraction *= 10 }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == 0x5a || bytes[index] == 0x7a {
            index += 1
        } else {
            guard index + 6 == bytes.count, bytes[index] == 0x2b || bytes[index] == 0x2d, bytes[index + 3] == 0x3a,
                  let hours = number(index + 1, 2), let minutes = number(index + 4, 2), hours < 24, minutes < 60 else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == 0x2d ? -1 : 1)
            index += 6
        }
        guard index == bytes.count else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset
        return Int64(seconds) * 1_000_000 + Int64(fraction)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
