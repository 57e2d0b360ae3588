import CZlib
import Foundation

/// zlib's own format (a deflate stream with its header and checksum), as HdrHistogram's reference
/// implementations write it inside a compressed histogram.
enum Zlib {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func compress(_ input: [UInt8]) throws -> [UInt8] {
        var length = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { compress2(out.baseAddress, &length, $0.baseAddress, uLong(input.count), Z_DEFAULT_COMPRESSION) }
        }
        guard status == Z_OK else { throw Failure(description: "zlib could not compress (status \(status))") }
        return Array(output.prefix(Int(length)))
    }

    /// Inflates into a buffer that grows until the whole stream fits, up to `limit` bytes.
    static func decompress(_ input: [UInt8], limit: Int = 64 << 20) throws -> [UInt8] {
        var capacity = max(1024, input.count * 8)
        while true {
            var length = uLong(capacity)
            var output = [UInt8](repeating: 0, count: capacity)
            let status = output.withUnsafeMutableBufferPointer { out in
                input.withUnsafeBufferPointer { uncompress(out.baseAddress, &length, $0.baseAddress, uLong(input.count)) }
            }
            if status == Z_OK { return Array(output.prefix(Int(length))) }
            guard status == Z_BUF_ERROR, capacity < limit else {
                throw Failure(description: "not a zlib stream (status \(status))")
            }
            capacity = min(limit, capacity * 4)
        }
    }
}
