import XCTest
@testable import stress_test_db

final class BodyScannerTests: XCTestCase {
    func scan(_ text: String) -> BodyScanner.Findings { BodyScanner.scan(Array(text.utf8)) }

    func testFindsTopLevelModelOnly() {
        let findings = scan(#"{"choices":[{"model":"inner","x":{"model":"deeper"}}],"model":"outer","n":1.5e3}"#)
        XCTAssertEqual(findings.model, "outer")
        XCTAssertNil(findings.error)
        XCTAssertTrue(findings.isObject)
    }

    func testErrorForms() {
        XCTAssertEqual(scan(#"{"error":{"code":5,"message":"boom \"quoted\""}}"#).error, #"boom "quoted""#)
        XCTAssertEqual(scan(#"{"error":"plain"}"#).error, "plain")
        XCTAssertEqual(scan(#"{"error":{"code":5}}"#).error, #"{"code":5}"#)
        XCTAssertEqual(scan(#"{"error":42}"#).error, "42")
        XCTAssertNil(scan(#"{"error":null,"model":"m"}"#).error)
        XCTAssertEqual(scan(#"{"error":null,"model":"m"}"#).model, "m")
    }

    func testEscapesAndUnicode() {
        XCTAssertEqual(scan(#"{"model":"caf\u00e9 \ud83d\ude00 \n\/"}"#).model, "café 😀 \n/")
        XCTAssertEqual(scan("{\"model\":\"naïve\"}").model, "naïve")
    }

    func testNotAnObject() {
        XCTAssertFalse(scan("[1,2]").isObject)
        XCTAssertFalse(scan("<html>").isObject)
        XCTAssertFalse(scan("").isObject)
        XCTAssertNil(scan("data: {\"model\":\"x\"}").model)
    }

    func testTruncatedBodyKeepsWhatWasFound() {
        let findings = scan(#"{"model":"m","choices":[{"message":{"content":"abc"#)
        XCTAssertEqual(findings.model, "m")
        XCTAssertNil(findings.error)
        XCTAssertNil(scan(#"{"model":"unterminated"#).model)
    }

    func testNonStringModelIsIgnored() {
        XCTAssertNil(scan(#"{"model":123,"error":null}"#).model)
        XCTAssertNil(scan(#"{"model":{"name":"x"}}"#).model)
    }
}
