import Foundation
import HdrLog
import Histogram
import TestSupport
import XCTest

/// The V2 compressed encoding against HdrHistogram's own arithmetic and the Python reference's bytes.
final class HdrCodecTests: XCTestCase {
    func histogram(_ values: [UInt64]) -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        for value in values { histogram.record(value) }
        return histogram
    }

    func testTheLayoutAgreesWithTheLibrarysBuckets() throws {
        let reference = histogram([])
        for digits in 1...5 {
            for unit: UInt64 in [1, 2, 1000] { XCTAssertNotNil(HdrLayout(lowestDiscernibleValue: unit, significantDigits: digits)) }
        }
        XCTAssertNil(HdrLayout(significantDigits: 6))
        let layout = try XCTUnwrap(HdrLayout())
        var generator = SystemRandomNumberGenerator()
        let values: [UInt64] = [0, 1, 2047, 2048, 2049, 4095, 4096, 123_456, 3_600_000_000]
            + (0..<5000).map { _ in UInt64.random(in: 0...3_600_000_000, using: &generator) >> UInt64.random(in: 0...30, using: &generator) }
        for value in values {
            let index = layout.index(of: value)
            XCTAssertEqual(layout.lowestValue(at: index), reference.lowestEquivalentForValue(value), "\(value)")
            XCTAssertEqual(layout.highestValue(at: index), reference.highestEquivalentForValue(value), "\(value)")
            XCTAssertEqual(layout.index(of: layout.highestValue(at: index)), index)
        }
    }

    func testRoundTripKeepsEveryCount() throws {
        var generator = SystemRandomNumberGenerator()
        let original = histogram((0..<20_000).map { _ in UInt64.random(in: 1...60_000_000, using: &generator) } + [1, 1, 1])
        let text = try HdrCodec.encode(original)
        XCTAssertTrue(text.hasPrefix("HISTF"), "the V2 compressed cookie, as every HdrHistogram log shows it")
        let decoded = try HdrCodec.decode(text)
        XCTAssertEqual(decoded, HdrCodec.decoded(original))
        XCTAssertEqual(decoded.histogram().totalCount, 20_003)
        XCTAssertEqual(decoded.histogram().valueAtPercentile(99), original.valueAtPercentile(99))
        XCTAssertEqual(try HdrCodec.decode(HdrCodec.encode(histogram([]))).counts.count, 0, "an empty interval")
    }

    func testMergedLogsEqualRecordingTheUnion() throws {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<30_000).map { _ in UInt64.random(in: 1...5_000_000, using: &generator) }
        var merged = try HdrCodec.decode(HdrCodec.encode(histogram(Array(values[..<10_000])))).histogram()
        for part in [values[10_000..<10_001], values[10_001...]] {
            merged.add(try HdrCodec.decode(HdrCodec.encode(histogram(Array(part)))).histogram())
        }
        XCTAssertEqual(HdrCodec.decoded(merged), HdrCodec.decoded(histogram(values)), "bucket for bucket")
    }

    func testTheReferenceImplementationsLog() throws {
        let text = try String(contentsOf: fixture("python-hdrhistogram.hlog"), encoding: .utf8)
        let log = try HdrLogFormat.parse(text)
        XCTAssertEqual(log.startTime, 1_764_400_000)
        XCTAssertTrue(log.metadata.isEmpty, "another tool's log")
        XCTAssertEqual(log.intervals.map(\.tag), ["latency", "latency"])
        XCTAssertEqual(log.intervals.map(\.start), [0, 1])
        let first = log.intervals[0].histogram.histogram()
        XCTAssertEqual(first.totalCount, 1008)
        XCTAssertEqual(first.countForValue(500), 1)
        XCTAssertEqual(first.countForValue(123_456), 7)
        XCTAssertEqual(first.countForValue(2_500_000), 1)
        XCTAssertEqual(log.intervals[1].histogram.histogram().countForValue(40_000), 1000)
        // Our encoder writes the reference's bytes for the same counts.
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("Tag=") }
        for (line, interval) in zip(lines, log.intervals) {
            XCTAssertEqual(String(line.split(separator: ",").last!), try HdrCodec.encode(interval.histogram))
        }
    }

    func testBrokenInputIsAClearError() {
        XCTAssertThrowsError(try HdrCodec.decode("not base64!")) { XCTAssertEqual("\($0)", "not base64") }
        XCTAssertThrowsError(try HdrCodec.decode(Data([1, 2, 3, 4, 5, 6, 7, 8, 9]).base64EncodedString())) {
            XCTAssertTrue("\($0)".contains("no V2 cookie"), "\($0)")
        }
        XCTAssertThrowsError(try HdrLogFormat.parse("Tag=latency,0.0,1.0\n")) { XCTAssertTrue("\($0)".contains("line 1"), "\($0)") }
    }
}
