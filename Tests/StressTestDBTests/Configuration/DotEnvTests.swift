import XCTest
@testable import stress_test_db

final class DotEnvTests: XCTestCase {
    func testOddLines() {
        let text = """
              # comment
            API_BASE_URL = http://h:1  \r
            NO_EQUALS_LINE
            JWT_TOKEN="quoted=value"
            SINGLE='single'
            MISMATCHED="open'
            EMPTY=
            =novalue
            URL=http://x/?a=b=c
              SPACED  =  spaced value\t
            export_like=1
            """
        let pairs = DotEnv.parse(text)
        XCTAssertEqual(pairs.map { "\($0.key)=\($0.value)" }, [
            "API_BASE_URL=http://h:1", "JWT_TOKEN=quoted=value", "SINGLE=single", "MISMATCHED=\"open'",
            "EMPTY=", "URL=http://x/?a=b=c", "SPACED=spaced value", "export_like=1",
        ])
    }

    func testMergeNeverOverwrites() {
        var environment = ["A": "process"]
        DotEnv.merge("A=file\nB=file", into: &environment)
        XCTAssertEqual(environment, ["A": "process", "B": "file"])
    }

    func testBinaryJunkYieldsOnlyWellFormedPairs() {
        let junk = String(decoding: (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) }, as: UTF8.self)
        for pair in DotEnv.parse(junk) {
            XCTAssertFalse(pair.key.isEmpty)
            XCTAssertFalse(pair.key.contains("="), pair.key)
            XCTAssertEqual(pair.key, pair.key.trimmingCharacters(in: .whitespaces))
        }
    }
}
