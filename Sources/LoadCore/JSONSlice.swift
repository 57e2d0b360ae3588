/// Just enough of a JSON reader to find a few members in a small document without building it:
/// ranges of bytes, walked once. Used by the SSE scanner on the loop thread, where a full decode
/// per chunk would cost more than the network does. Malformed input yields nil, never a trap.
struct JSONSlice {
    let bytes: UnsafeRawBufferPointer

    /// The value of `key` in the object that starts at `start` (after spaces), as a byte range.
    func member(_ key: StaticString, inObjectAt start: Int) -> Range<Int>? {
        var found: Range<Int>?
        walkMembers(inObjectAt: start) { name, value in
            guard equals(name, key) else { return true }
            found = value
            return false
        }
        return found
    }

    /// The values of three keys of the object at `start`, found in one walk over its members (the SSE
    /// scanner reads `error`, `usage` and `choices` of every event: one walk instead of three).
    func members(_ first: StaticString, _ second: StaticString, _ third: StaticString,
                 inObjectAt start: Int) -> (Range<Int>?, Range<Int>?, Range<Int>?) {
        var found: (Range<Int>?, Range<Int>?, Range<Int>?) = (nil, nil, nil)
        walkMembers(inObjectAt: start) { name, value in
            if found.0 == nil, equals(name, first) { found.0 = value }
            else if found.1 == nil, equals(name, second) { found.1 = value }
            else if found.2 == nil, equals(name, third) { found.2 = value }
            return true
        }
        return found
    }

    /// Calls `visit` with each member's key (inside the quotes) and value, until it returns false, the
    /// object ends, or the input is malformed.
    private func walkMembers(inObjectAt start: Int, _ visit: (Range<Int>, Range<Int>) -> Bool) {
        var position = skipSpace(start)
        guard byte(position) == UInt8(ascii: "{") else { return }
        position += 1
        while true {
            position = skipSpace(position)
            guard let current = byte(position), current != UInt8(ascii: "}") else { return }
            if current == UInt8(ascii: ",") { position += 1; continue }
            guard current == UInt8(ascii: "\""), let keyEnd = stringEnd(position) else { return }
            let key = position + 1..<keyEnd - 1
            position = skipSpace(keyEnd)
            guard byte(position) == UInt8(ascii: ":") else { return }
            position = skipSpace(position + 1)
            guard let valueEnd = valueEnd(position) else { return }
            guard visit(key, position..<valueEnd) else { return }
            position = valueEnd
        }
    }

    /// The first element of the array at `start`.
    func firstElement(ofArrayAt start: Int) -> Range<Int>? {
        var position = skipSpace(start)
        guard byte(position) == UInt8(ascii: "[") else { return nil }
        position = skipSpace(position + 1)
        guard byte(position) != UInt8(ascii: "]"), let end = valueEnd(position) else { return nil }
        return position..<end
    }

    func isNull(_ range: Range<Int>) -> Bool { byte(range.lowerBound) == UInt8(ascii: "n") }
    func isString(_ range: Range<Int>) -> Bool { byte(range.lowerBound) == UInt8(ascii: "\"") }
    /// A string value with at least one character (no decoding: invalid UTF-8 inside still counts).
    func isNonEmptyString(_ range: Range<Int>) -> Bool { isString(range) && range.count > 2 }

    func integer(_ range: Range<Int>) -> Int? {
        var value = 0
        var any = false
        for index in range {
            let digit = Int(bytes[index]) - 48
            guard (0...9).contains(digit) else { break }
            value = value &* 10 &+ digit
            any = true
        }
        return any ? value : nil
    }

    /// A string value decoded for display (escapes kept as written), or the value's text.
    func text(_ range: Range<Int>) -> String {
        let inner = isString(range) && range.count >= 2 ? range.lowerBound + 1..<range.upperBound - 1 : range
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[inner]), as: UTF8.self)
    }

    // MARK: - Walking

    private func byte(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func skipSpace(_ start: Int) -> Int {
        var index = start
        while let current = byte(index), current == 0x20 || current == 0x09 || current == 0x0A || current == 0x0D { index += 1 }
        return index
    }

    private func equals(_ range: Range<Int>, _ key: StaticString) -> Bool {
        guard range.count == key.utf8CodeUnitCount else { return false }
        let pointer = key.utf8Start
        for (offset, index) in range.enumerated() where bytes[index] != pointer[offset] { return false }
        return true
    }

    /// Past the closing quote of the string at `start`.
    private func stringEnd(_ start: Int) -> Int? {
        var index = start + 1
        while let current = byte(index) {
            if current == UInt8(ascii: "\\") { index += 2; continue }
            if current == UInt8(ascii: "\"") { return index + 1 }
            index += 1
        }
        return nil
    }

    /// Past the end of the value at `start` (string, number, literal, object or array).
    private func valueEnd(_ start: Int) -> Int? {
        guard let first = byte(start) else { return nil }
        if first == UInt8(ascii: "\"") { return stringEnd(start) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            var depth = 0
            var index = start
            while let current = byte(index) {
                switch current {
                case UInt8(ascii: "\""):
                    guard let end = stringEnd(index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
                index += 1
            }
            return nil
        }
        var index = start
        loop: while let current = byte(index) {
            switch current {
            case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0D, 0x0A: break loop
            default: index += 1
            }
        }
        return index
    }
}
