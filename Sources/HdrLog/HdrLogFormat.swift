import Foundation

/// HdrHistogram's interval log, the text its reference implementations write and read (format 1.3):
/// `#` comment lines (the start time among them), a legend, then one line per interval and tag,
/// `Tag=NAME,START,LENGTH,MAX,BASE64`, times in seconds from the start time, MAX in the value unit
/// divided by `maxValueUnitRatio`. This tool's own facts ride in one comment line,
/// `#[stress-test-db key=value ...]`, values percent-encoded; other readers skip it.
public enum HdrLogFormat {
    public static let commentPrefix = "#[stress-test-db "
    public static let legend = "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\""

    public struct Interval {
        public var tag: String?
        public var start: Double
        public var length: Double
        public var histogram: HdrCodec.Decoded
    }

    public struct Log {
        /// Seconds since the epoch, from `#[StartTime: ...]`.
        public var startTime: Double?
        /// The `#[stress-test-db ...]` line's pairs, in order; empty for another tool's log.
        public var metadata: [(key: String, value: String)] = []
        public var intervals: [Interval] = []
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func header(startTime: Double, metadata: [(String, String)]) -> String {
        let iso = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: startTime))
        return "#[Histogram log format version 1.3]\n"
            + String(format: "#[StartTime: %.3f (seconds since epoch), %@]\n", startTime, iso)
            + commentLine(metadata) + "\n" + legend + "\n"
    }

    public static func commentLine(_ metadata: [(String, String)]) -> String {
        commentPrefix + metadata.map { "\($0.0)=\(escape($0.1))" }.joined(separator: " ") + "]"
    }

    /// One interval's line; `maxValueUnitRatio` 1000 writes a microsecond histogram's max in ms.
    public static func line(tag: String, start: Double, length: Double, histogram: HdrCodec.Decoded,
                            maxValueUnitRatio: Double = 1000) throws -> String {
        let max = histogram.counts.last.map { Double(histogram.layout.highestValue(at: $0.index)) } ?? 0
        return String(format: "Tag=%@,%.3f,%.3f,%.3f,", tag, start, length, max / maxValueUnitRatio)
            + (try HdrCodec.encode(histogram)) + "\n"
    }

    public static func parse(_ text: String) throws -> Log {
        var log = Log()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.hasPrefix(commentPrefix) {
                guard line.hasSuffix("]") else {
                    throw ParseError(description: "line \(number + 1), the stress-test-db line, is cut short")
                }
                log.metadata = line.dropFirst(commentPrefix.count).dropLast().split(separator: " ").compactMap { pair in
                    guard let equals = pair.firstIndex(of: "=") else { return nil }
                    return (String(pair[..<equals]), unescape(String(pair[pair.index(after: equals)...])))
                }
                continue
            }
            if line.hasPrefix("#[StartTime: ") {
                log.startTime = Double(line.dropFirst(13).prefix { $0 != " " })
                continue
            }
            if line.hasPrefix("#") || line.hasPrefix("\"") { continue }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var tag: String?
            if fields.first?.hasPrefix("Tag=") == true { tag = String(fields.removeFirst().dropFirst(4)) }
            guard fields.count == 4, let start = Double(fields[0]), let length = Double(fields[1]), start.isFinite, length.isFinite else {
                throw ParseError(description: "line \(number + 1) is not an interval line (Tag=,start,length,max,histogram)")
            }
            do {
                log.intervals.append(Interval(tag: tag, start: start, length: length, histogram: try HdrCodec.decode(fields[3])))
            } catch {
                throw ParseError(description: "line \(number + 1): \(error)")
            }
        }
        return log
    }

    static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.:/,+"))) ?? value
    }

    static func unescape(_ value: String) -> String { value.removingPercentEncoding ?? value }
}
