import Foundation
import Histogram

/// HdrHistogram's V2 compressed encoding, as its log files carry a histogram: base64 of
/// [cookie, length, zlib(payload)], the payload a 40-byte big-endian header and the counts as
/// ZigZag LEB128 numbers, a run of zeros written as its negated length.
public enum HdrCodec {
    static let encodingCookie: UInt32 = 0x1c84_9303 | 0x10
    static let compressedCookie: UInt32 = 0x1c84_9304 | 0x10
    static let headerSize = 40

    public struct DecodeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A histogram as the encoding holds it: its layout and its non-zero counts by index.
    public struct Decoded: Equatable {
        public var layout: HdrLayout
        public var highestTrackableValue: UInt64
        public var counts: [(index: Int, count: UInt64)]

        public static func == (a: Decoded, b: Decoded) -> Bool {
            a.layout == b.layout && a.highestTrackableValue == b.highestTrackableValue
                && a.counts.map(\.index) == b.counts.map(\.index) && a.counts.map(\.count) == b.counts.map(\.count)
        }

        /// The same counts in an HdrHistogram (resizing past its highest trackable value if needed).
        public func histogram() -> Histogram<UInt64> {
            var histogram = Histogram<UInt64>(
                lowestDiscernibleValue: layout.lowestDiscernibleValue, highestTrackableValue: max(highestTrackableValue, 2),
                numberOfSignificantValueDigits: SignificantDigits(rawValue: Int8(layout.significantDigits)) ?? .three)
            histogram.autoResize = true
            for (index, count) in counts { histogram.record(layout.lowestValue(at: index), count: count) }
            return histogram
        }
    }

    public static func decoded(_ histogram: Histogram<UInt64>) -> Decoded {
        let layout = HdrLayout(lowestDiscernibleValue: histogram.lowestDiscernibleValue,
                               significantDigits: Int(histogram.numberOfSignificantValueDigits.rawValue))!
        var counts: [(index: Int, count: UInt64)] = []
        for value in histogram.recordedValues() { counts.append((layout.index(of: value.value), value.count)) }
        return Decoded(layout: layout, highestTrackableValue: histogram.highestTrackableValue, counts: counts)
    }

    public static func encode(_ histogram: Histogram<UInt64>) throws -> String {
        try encode(decoded(histogram))
    }

    public static func encode(_ histogram: Decoded) throws -> String {
        var counts: [UInt8] = []
        var next = 0
        for (index, count) in histogram.counts where count > 0 {
            let zeros = index - next
            // Any run of zeros as its negated length, a single one too, as the Python and C
            // implementations write it (Java writes a lone zero as 0; readers take both).
            if zeros > 0 { appendZigZag(-Int64(zeros), to: &counts) }
            appendZigZag(Int64(count), to: &counts)
            next = index + 1
        }
        var payload: [UInt8] = []
        append(encodingCookie, to: &payload)
        append(UInt32(counts.count), to: &payload)
        append(UInt32(0), to: &payload)  // normalizing index offset
        append(UInt32(histogram.layout.significantDigits), to: &payload)
        append(histogram.layout.lowestDiscernibleValue, to: &payload)
        append(histogram.highestTrackableValue, to: &payload)
        append((1.0).bitPattern, to: &payload)  // integer to double conversion ratio
        payload += counts
        let compressed = try Zlib.compress(payload)
        var wrapped: [UInt8] = []
        append(compressedCookie, to: &wrapped)
        append(UInt32(compressed.count), to: &wrapped)
        return Data(wrapped + compressed).base64EncodedString()
    }

    public static func decode(_ base64: String) throws -> Decoded {
        guard let data = Data(base64Encoded: base64) else { throw DecodeError(description: "not base64") }
        let wrapped = [UInt8](data)
        guard wrapped.count >= 8, readUInt32(wrapped, 0) & ~0xf0 == compressedCookie & ~0xf0 else {
            throw DecodeError(description: "not a compressed HdrHistogram (no V2 cookie)")
        }
        let length = Int(readUInt32(wrapped, 4))
        guard length <= wrapped.count - 8 else { throw DecodeError(description: "the compressed histogram is cut short") }
        let payload: [UInt8]
        do { payload = try Zlib.decompress(Array(wrapped[8..<(8 + length)])) } catch {
            throw DecodeError(description: "the compressed histogram does not inflate: \(error)")
        }
        guard payload.count >= headerSize, readUInt32(payload, 0) & ~0xf0 == encodingCookie & ~0xf0 else {
            throw DecodeError(description: "the histogram's payload has no V2 encoding cookie")
        }
        let countsLength = Int(readUInt32(payload, 4))
        let offset = Int(Int32(bitPattern: readUInt32(payload, 8)))
        guard offset == 0 else { throw DecodeError(description: "normalized (shifted) histograms are not supported") }
        guard let layout = HdrLayout(lowestDiscernibleValue: readUInt64(payload, 16), significantDigits: Int(readUInt32(payload, 12))) else {
            throw DecodeError(description: "the histogram's header holds impossible settings")
        }
        let highestTrackableValue = readUInt64(payload, 24)
        // HdrHistogram's own bounds: a histogram it cannot make is a damaged one.
        guard highestTrackableValue / 2 >= layout.lowestDiscernibleValue else {
            throw DecodeError(description: "the histogram's highest trackable value is below twice its lowest")
        }
        let lastIndex = layout.index(of: highestTrackableValue) + layout.subBucketHalfCount
        guard countsLength <= payload.count - headerSize else { throw DecodeError(description: "the counts are cut short") }
        var counts: [(index: Int, count: UInt64)] = []
        var position = headerSize
        var index = 0
        let end = headerSize + countsLength
        while position < end {
            let value = try readZigZag(payload, &position, end: end)
            if value < 0 {
                guard value > -Int64(lastIndex) - 1 else { throw DecodeError(description: "a run of zeros goes past the last bucket") }
                index += Int(-value)
            } else {
                if value > 0 { counts.append((index, UInt64(value))) }
                index += 1
            }
            guard index <= lastIndex + 1 else { throw DecodeError(description: "a count lies past the highest trackable value") }
        }
        return Decoded(layout: layout, highestTrackableValue: highestTrackableValue, counts: counts)
    }

    // MARK: bytes

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    static func readUInt32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func readUInt64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// LEB128 of the ZigZag value, at most nine bytes: the ninth carries eight bits (HdrHistogram's form).
    static func appendZigZag(_ value: Int64, to bytes: inout [UInt8]) {
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        for _ in 0..<8 {
            if rest < 0x80 { bytes.append(UInt8(rest)); return }
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    static func readZigZag(_ bytes: [UInt8], _ position: inout Int, end: Int) throws -> Int64 {
        var result: UInt64 = 0
        for group in 0..<9 {
            guard position < end else { throw DecodeError(description: "a count is cut short") }
            let byte = bytes[position]
            position += 1
            if group == 8 {
                result |= UInt64(byte) << 56
                break
            }
            result |= UInt64(byte & 0x7f) << UInt64(7 * group)
            if byte & 0x80 == 0 { break }
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }
}
