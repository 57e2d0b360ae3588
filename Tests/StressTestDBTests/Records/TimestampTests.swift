import Foundation
import XCTest
@testable import stress_test_db

/// The records' timestamps read without a formatter give what ISO8601DateFormatter gives, to the
/// microsecond the text holds (the formatter keeps milliseconds).
final class TimestampTests: XCTestCase {
    func testTheSameMicrosecondsAsTheFormatter() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for text in ["2026-11-29T00:36:41.966904+00:00", "2024-02-29T23:59:59.000001Z", "1999-12-31T12:00:00.5-05:30",
                     "2026-03-01T00:00:00.123+02:00", "1970-01-01T00:00:00.000000+00:00"] {
            let expected = Int64((try XCTUnwrap(formatter.date(from: text)).timeIntervalSince1970 * 1e6).rounded())
            let read = try XCTUnwrap(Timestamp.microseconds(text), text)
            XCTAssertEqual(read / 1000, expected / 1000, text)
        }
        XCTAssertEqual(Timestamp.microseconds("2026-11-29T00:36:41.966904+00:00"), 1_795_912_601_966_904)
        for text in ["", "2026-11-29", "2026-13-29T00:36:41.9+00:00", "2026-11-29T00:36:41.+00:00", "2026-11-29T00:36:41.9+00:00x",
                     "2026-11-29T25:36:41Z", "２026-11-29T00:36:41Z"] {
            XCTAssertNil(Timestamp.microseconds(text), text)
        }
    }
}
