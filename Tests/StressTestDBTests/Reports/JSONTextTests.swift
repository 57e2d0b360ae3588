import XCTest
@testable import stress_test_db

final class JSONTextTests: XCTestCase {
    func testPythonFloatAndStringForms() {
        XCTAssertEqual(JSONText.number(120), "120.0")
        XCTAssertEqual(JSONText.number(0.1), "0.1")
        XCTAssertEqual(JSONText.number(1e16), "1e+16")
        XCTAssertEqual(JSONText.integerOrNumber(120), "120")
        XCTAssertEqual(JSONText.integerOrNumber(1.5), "1.5")
        XCTAssertEqual(JSONText.string("a\"b\\c\n\u{1}\u{7f}é😀"), #""a\"b\\c\n\u0001\u007f\u00e9\ud83d\ude00""#)
        XCTAssertEqual(isoTimestamp(microseconds: 0), "1970-01-01T00:00:00.000000+00:00")
    }

}
